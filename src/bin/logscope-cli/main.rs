//! Command-line runner for LogScope scenarios and chaos testing (native only; `--help` for each subcommand).
//!
//! `logscope-cli run FILE.json [--json] [--trace]` plays a scenario to its end through the scenario player
//! and prints its expectations (✓/✗), a per-node summary, the trace hash, any violations and the verdict. `logscope-cli chaos --seeds N [--start
//! S] [--nodes K] [--break NAME]... [--membership] [--out DIR]` runs N seeded random fault schedules and ends
//! with `chaos: N seeds, E events, V violations`; every failing seed writes a scenario file reproducing it.
//!
//! `logscope-cli check-history FILE [--format logscope|porcupine-kv|jepsen-etcd] [--json] [--state-budget N]
//! [--every-key]` checks a client history file for linearizability and prints the verdict per key.
//!
//! Scripts depend on the exit codes: 0 all well, 1 an expectation failed or an invariant was violated that no
//! `violated` expectation names (or the history is not linearizable), 2 bad input or usage (clap's own usage
//! errors included), 3 `check-history` inconclusive.

#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod chaos;
#[cfg(not(target_arch = "wasm32"))]
mod check_history;
#[cfg(not(target_arch = "wasm32"))]
mod output;
#[cfg(not(target_arch = "wasm32"))]
mod run;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    use std::process::ExitCode;

    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` are "errors" that print to stdout and succeed; the rest are usage errors.
            let _ = e.print();
            return if e.use_stderr() { args::EXIT_BAD_INPUT.into() } else { ExitCode::SUCCESS };
        }
    };
    let outcome = match cli.command {
        args::Command::Run(options) => run::run(&options),
        args::Command::Chaos(options) => chaos::chaos(&options),
        args::Command::CheckHistory(options) => check_history::check_history(&options),
    };
    outcome.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        args::EXIT_BAD_INPUT.into()
    })
}

/// The CLI needs a file system and a terminal: a wasm build of it (`cargo clippy --target wasm32 --bins`)
/// only says so, as the web binary's native build does.
#[cfg(target_arch = "wasm32")]
fn main() {
    println!("logscope-cli is a native tool: build it without `--target wasm32-unknown-unknown`.");
}
