//! The command line, declared with clap's derive: every option is typed and checked while parsing, so a bad
//! value is a usage error (exit 2) naming the option, before anything runs.

use clap::builder::{PossibleValue, PossibleValuesParser, RangedU64ValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use logscope::sim::breaks::Break;
use logscope::sim::limits::MAX_NODES;
use std::path::PathBuf;

/// Exit code for a failed expectation or an invariant violation that was not expected.
pub const EXIT_VIOLATION: u8 = 1;
/// Exit code for bad input or usage: clap's own code for usage errors, used for every other bad input too.
pub const EXIT_BAD_INPUT: u8 = 2;

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
    /// Where failing seeds write their reproducing scenario files (default: the temp directory).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
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
    fn every_break_is_accepted_by_name() {
        for rule in Break::ALL {
            let cli = Cli::try_parse_from(["logscope-cli", "chaos", "--seeds", "1", "--break", rule.name()]).unwrap();
            let Command::Chaos(args) = cli.command else { panic!("chaos expected") };
            assert_eq!(args.breaks, [rule]);
        }
    }
}
