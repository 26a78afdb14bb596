//! `logscope-cli run`: plays a scenario file through the scenario player (the same one the UI uses) and
//! prints one line per `expect` step (✓ or ✗ with what was seen), the per-node summary, the trace hash, the
//! violations and the lesson's verdict, or a JSON report. Scripts read the `trace hash …` line and the
//! report's fields, so both keep their shape.
//!
//! Exit codes: 0 when every expectation holds and no violation occurred that a held `violated` expectation
//! does not name; 1 otherwise; 2 for bad input (a file that does not parse, a command refused while playing).

use crate::args::{RunArgs, EXIT_VIOLATION};
use crate::output::outln;
use logscope::sim::scenario::player::{Player, Report};
use logscope::sim::scenario::Scenario;
use logscope::sim::types::{format_time, ms};
use logscope::sim::world::World;
use std::process::ExitCode;

/// Plays the file; the error (exit 2) names the file and, for a refused command, the step.
pub fn run(args: &RunArgs) -> Result<ExitCode, String> {
    let file = args.file.display();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{file}: {e}"))?;
    let mut scenario = Scenario::from_bytes(&bytes).map_err(|e| format!("{file}: {e}"))?;
    if args.trace {
        // Keep every trace record (the trace ring does not change the run: the hash covers all of them).
        scenario.config.trace_capacity = 1_000_000;
    }
    let mut player = Player::from_scenario(&scenario).map_err(|e| format!("{file}: {e}"))?;
    player.run_through(ms(scenario.end_ms())).map_err(|refusal| format!("{file}: {refusal}"))?;
    let world = player.world();
    let report = player.report();
    if args.json {
        let json = serde_json::json!({
            "scenario": scenario.name,
            "time_us": world.now(),
            "events": world.events(),
            "trace_hash": format!("{:016x}", world.trace_hash()),
            "view": world.view(),
            "expectations": report.expectations,
            "violations": report.violations,
            "unexpected_violations": report.unexpected,
            "passed": report.passed(),
        });
        outln!("{}", serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
    } else {
        if args.trace {
            for event in world.trace() {
                outln!("{}", event.describe());
            }
        }
        for expectation in &report.expectations {
            outln!("{}", expectation.line());
        }
        print_summary(&scenario, world, &report);
    }
    Ok(if report.passed() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_VIOLATION) })
}

/// The per-node table, the trace hash, the violations and, for a lesson that claims anything or broke a
/// rule, its verdict.
fn print_summary(scenario: &Scenario, world: &World, report: &Report) {
    outln!("{} — {} events, virtual time {}", scenario.name, world.events(), format_time(world.now()));
    outln!("node  status    role       term  first  last  durable  hwm  applied  lwm  snapshot  segments");
    for n in world.view().nodes {
        outln!(
            "n{:<4} {:<9} {:<10} {:>4} {:>6} {:>5} {:>8} {:>4} {:>8} {:>4} {:>9} {:>9}",
            n.id,
            format!("{:?}", n.status).to_lowercase(),
            format!("{:?}", n.role).to_lowercase(),
            n.term,
            n.first_index,
            n.last_index,
            n.durable_index,
            n.hwm,
            n.applied,
            n.lwm,
            n.snapshot.map_or("-".to_string(), |s| s.last_index.to_string()),
            n.segments.len()
        );
    }
    outln!("trace hash {:016x}", world.trace_hash());
    if report.violations.is_empty() {
        outln!("no invariant violations");
    }
    for v in &report.violations {
        outln!("VIOLATION {}", v.describe());
    }
    if !report.expectations.is_empty() || !report.violations.is_empty() {
        outln!("{}", verdict(report));
    }
}

/// `lesson: 7 of 7 expectations hold; every violation was expected` and the like.
fn verdict(report: &Report) -> String {
    let total = report.expectations.len();
    let failed: Vec<String> =
        report.expectations.iter().filter(|e| !e.outcome.held()).map(|e| format!("steps[{}]", e.step)).collect();
    let mut parts = vec![format!("{} of {total} expectations hold", total - failed.len())];
    if !failed.is_empty() {
        parts.push(format!("failed: {}", failed.join(", ")));
    }
    if !report.violations.is_empty() {
        let mut unexpected: Vec<&str> = report.unexpected.iter().map(|v| v.invariant.code()).collect();
        unexpected.sort_unstable();
        unexpected.dedup();
        parts.push(if unexpected.is_empty() {
            "every violation was expected".to_string()
        } else {
            format!("unexpected violation of {} (no held `violated` expectation names it)", unexpected.join(", "))
        });
    }
    let verdict = if report.passed() { "lesson passed" } else { "lesson FAILED" };
    format!("{verdict}: {}", parts.join("; "))
}
