//! `logscope-cli chaos`: seeded random fault schedules, each checked by the invariant checker. A failing seed
//! writes a scenario file that reproduces it. The last stdout line, `chaos: N seeds, E events, V violations`,
//! is what scripts read; a progress bar goes to stderr, only on a terminal and only once a run has taken
//! more than a second (so short runs and pipes see no bar at all).

use crate::args::{ChaosArgs, EXIT_VIOLATION};
use crate::output::outln;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use logscope::sim::scenario::chaos::{run_chaos, ChaosOptions};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// A run shorter than this shows no progress bar.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// Runs the seeds; the error (exit 2) is a reproduction file that could not be written.
pub fn chaos(args: &ChaosArgs) -> Result<ExitCode, String> {
    let options = ChaosOptions {
        nodes: args.nodes,
        breaks: args.breaks.clone(),
        membership: args.membership,
        extensions: !args.plain,
        pre_vote: args.pre_vote.then_some(true),
        check_quorum: args.check_quorum.then_some(true),
        read_mode: args.read_mode,
        ..ChaosOptions::default()
    };
    let out_dir = args.out.clone().unwrap_or_else(std::env::temp_dir);
    let started = Instant::now();
    let mut progress = Progress::new(args.seeds, started);
    let (mut events, mut violations, mut failing) = (0u64, 0usize, 0u64);
    for seed in args.start..args.start.saturating_add(args.seeds) {
        let outcome = run_chaos(seed, &options);
        events += outcome.events;
        if !outcome.violations.is_empty() {
            violations += outcome.violations.len();
            failing += 1;
            let path = out_dir.join(format!("logscope-chaos-seed-{seed}.json"));
            std::fs::write(&path, outcome.scenario.to_json_pretty()).map_err(|e| format!("{}: {e}", path.display()))?;
            progress.bar.suspend(|| {
                for v in &outcome.violations {
                    outln!("seed {seed}: {}", v.describe());
                }
                outln!("seed {seed}: reproduce with `logscope-cli run {}`", path.display());
            });
        }
        progress.seed_done(violations);
    }
    progress.bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("{} failing seed(s); {:.1} s wall, {:.0} events/s", failing, seconds, events as f64 / seconds.max(1e-9));
    outln!("chaos: {} seeds, {events} events, {violations} violations", args.seeds);
    Ok(if violations == 0 { ExitCode::SUCCESS } else { ExitCode::from(EXIT_VIOLATION) })
}

/// The progress bar: hidden until the run has taken [`PROGRESS_AFTER`], and for good if stderr is not a
/// terminal.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
    on_terminal: bool,
}

impl Progress {
    fn new(seeds: u64, started: Instant) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(seeds), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} seeds, {msg} ({elapsed}, about {eta} left)")
            .expect("the template is valid");
        bar.set_style(style);
        bar.set_message("0 violations");
        Progress { bar, started, shown: false, on_terminal: std::io::stderr().is_terminal() }
    }

    fn seed_done(&mut self, violations: usize) {
        self.bar.inc(1);
        self.bar.set_message(format!("{violations} violations"));
        if !self.shown && self.on_terminal && self.started.elapsed() >= PROGRESS_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }
}
