//! The command line, declared with clap's derive: every option is typed and checked while parsing, so a bad
//! value is a usage error (exit 2) naming the option, before anything runs.

use clap::builder::{PossibleValue, PossibleValuesParser, RangedU64ValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use logscope::sim::breaks::Break;
use logscope::sim::check::history_formats::HistoryFormat;
use logscope::sim::check::linearize::DEFAULT_STATE_BUDGET;
use logscope::sim::config::ReadMode;
use logscope::sim::limits::MAX_NODES;
use std::path::PathBuf;

/// Exit code for a failed expectation or an invariant violation that was not expected.
pub const EXIT_VIOLATION: u8 = 1;
/// Exit code for bad input or usage: clap's own code for usage errors, used for every other bad input too.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code of `check-history` when the search ran out of its state budget before a verdict.
pub const EXIT_INCONCLUSIVE: u8 = 3;

/// Plays LogScope scenarios and runs seeded chaos tests of the simulated cluster.
#[derive(Debug, Parser)]
#[command(name = "logscope-cli", version, arg_required_else_help = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play a scenario file to its end, check its expectations and print what happened (exit 1 when an
    /// expectation fails or a violation occurs that no `violated` expectation names).
    Run(RunArgs),
    /// Run seeded random fault schedules and report invariant violations (exit 1 if any).
    Chaos(ChaosArgs),
    /// Check a client history file for linearizability (exit 0 linearizable, 1 not, 3 inconclusive, 2 bad input).
    CheckHistory(CheckHistoryArgs),
}

/// Options of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (JSON, see docs/scenario-format.md).
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,
    /// Print a machine-readable report (scenario, time_us, events, trace_hash, view, expectations,
    /// violations, unexpected_violations, passed) instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Print every trace line before the summary.
    #[arg(long)]
    pub trace: bool,
}

/// Options of `chaos`.
#[derive(Debug, Args)]
pub struct ChaosArgs {
    /// How many seeds to run.
    #[arg(long, value_name = "N")]
    pub seeds: u64,
    /// The first seed.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub start: u64,
    /// Cluster size (default: each seed chooses 3 or 5).
    #[arg(long, value_name = "K", value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_NODES as u64))]
    pub nodes: Option<usize>,
    /// Switch on a deliberately broken rule (repeatable; see docs/pattern-switches.md).
    #[arg(long = "break", value_name = "NAME", value_parser = break_parser())]
    pub breaks: Vec<Break>,
    /// Also add and remove servers during the faults.
    #[arg(long)]
    pub membership: bool,
    /// Pre-vote on for every seed (else each seed draws it).
    #[arg(long)]
    pub pre_vote: bool,
    /// Check-quorum on for every seed (else each seed draws it).
    #[arg(long)]
    pub check_quorum: bool,
    /// This read mode for every seed (else each seed draws one).
    #[arg(long, value_name = "NAME", value_parser = read_mode_parser())]
    pub read_mode: Option<ReadMode>,
    /// Draw none of pre-vote, check-quorum, leases, clock drift, transfers and learners: the plain runs of
    /// before those options (the options forced above still apply).
    #[arg(long)]
    pub plain: bool,
    /// Where failing seeds write their reproducing scenario files (default: the temp directory).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `--read-mode NAME`: one of [`ReadMode::ALL`]'s names.
fn read_mode_parser() -> impl TypedValueParser<Value = ReadMode> {
    PossibleValuesParser::new(ReadMode::ALL.map(|mode| PossibleValue::new(mode.name())))
        .try_map(|name| ReadMode::from_name(&name).ok_or_else(|| format!("unknown read mode `{name}`")))
}

/// Options of `check-history`.
#[derive(Debug, Args)]
pub struct CheckHistoryArgs {
    /// The history file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The file's format.
    #[arg(long, value_name = "FORMAT", default_value = "logscope", value_parser = format_parser())]
    pub format: HistoryFormat,
    /// Print the whole report as JSON (verdict, and per key the linearization or the failure's evidence).
    #[arg(long)]
    pub json: bool,
    /// Distinct search states per key before the key is reported inconclusive.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_STATE_BUDGET,
          value_parser = RangedU64ValueParser::<u64>::new().range(1..))]
    pub state_budget: u64,
    /// Give every key its verdict, even after one has failed (a failing key's search is exhaustive: slower).
    #[arg(long)]
    pub every_key: bool,
}

/// `--format NAME`: one of [`HistoryFormat::ALL`]'s names, each listed with what it reads.
fn format_parser() -> impl TypedValueParser<Value = HistoryFormat> {
    PossibleValuesParser::new(HistoryFormat::ALL.map(|f| PossibleValue::new(f.name()).help(f.explain())))
        .try_map(|name| HistoryFormat::from_name(&name).ok_or("unknown format"))
}

/// `--break NAME`: one of [`Break::ALL`]'s names (listed with what each breaks by `chaos --help`, and named in
/// the error for a wrong one).
fn break_parser() -> impl TypedValueParser<Value = Break> {
    PossibleValuesParser::new(Break::ALL.map(|rule| PossibleValue::new(rule.name()).help(rule.explain())))
        .try_map(|name| Break::parse(&name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_read_mode_is_accepted_by_name_and_the_options_are_flags() {
        for mode in ReadMode::ALL {
            let cli =
                Cli::try_parse_from(["logscope-cli", "chaos", "--seeds", "1", "--read-mode", mode.name()]).unwrap();
            let Command::Chaos(args) = cli.command else { panic!("chaos expected") };
            assert_eq!(args.read_mode, Some(mode));
        }
        let cli =
            Cli::try_parse_from(["logscope-cli", "chaos", "--seeds", "1", "--pre-vote", "--check-quorum", "--plain"])
                .unwrap();
        let Command::Chaos(args) = cli.command else { panic!("chaos expected") };
        assert!(args.pre_vote && args.check_quorum && args.plain && args.read_mode.is_none());
        assert!(Cli::try_parse_from(["logscope-cli", "chaos", "--seeds", "1", "--read-mode", "fast"]).is_err());
    }

    #[test]
    fn every_history_format_is_accepted_by_name() {
        for format in HistoryFormat::ALL {
            let cli =
                Cli::try_parse_from(["logscope-cli", "check-history", "h.txt", "--format", format.name()]).unwrap();
            let Command::CheckHistory(args) = cli.command else { panic!("check-history expected") };
            assert_eq!((args.format, args.state_budget), (format, DEFAULT_STATE_BUDGET));
        }
        let zero = Cli::try_parse_from(["logscope-cli", "check-history", "h", "--state-budget", "0"]);
        assert!(zero.is_err(), "a budget of 0 states could never decide anything");
    }

    #[test]
    fn every_break_is_accepted_by_name() {
        for rule in Break::ALL {
            let cli = Cli::try_parse_from(["logscope-cli", "chaos", "--seeds", "1", "--break", rule.name()]).unwrap();
            let Command::Chaos(args) = cli.command else { panic!("chaos expected") };
            assert_eq!(args.breaks, [rule]);
        }
    }
}
