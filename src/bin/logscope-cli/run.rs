//! `logscope-cli run`: plays a scenario file through the scenario player (the same one the UI uses) and
//! prints the per-node summary and the trace hash, or a JSON report. Scripts read the `trace hash …` line
//! and the report's fields, so both keep their shape.

use crate::args::{RunArgs, EXIT_VIOLATION};
use logscope::sim::scenario::player::Player;
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
    if args.json {
        let report = serde_json::json!({
            "scenario": scenario.name,
            "time_us": world.now(),
            "events": world.events(),
            "trace_hash": format!("{:016x}", world.trace_hash()),
            "view": world.view(),
        });
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else {
        if args.trace {
            for event in world.trace() {
                println!("{}", event.describe());
            }
        }
        print_summary(&scenario, world);
    }
    Ok(if world.violations().is_empty() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_VIOLATION) })
}

/// The per-node table, the trace hash and the violations.
fn print_summary(scenario: &Scenario, world: &World) {
    println!("{} — {} events, virtual time {}", scenario.name, world.events(), format_time(world.now()));
    println!("node  status    role       term  first  last  durable  hwm  applied  lwm  snapshot  segments");
    for n in world.view().nodes {
        println!(
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
    println!("trace hash {:016x}", world.trace_hash());
    if world.violations().is_empty() {
        println!("no invariant violations");
    }
    for v in world.violations() {
        println!("VIOLATION {}", v.describe());
    }
}
