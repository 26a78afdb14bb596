//! Command-line runner for LogScope scenarios and chaos testing.
//!
//! `logscope-cli run FILE.json [--json]` plays a scenario to its end and prints a per-node summary and any
//! violations (exit 1 on a violation, 2 on bad input). `logscope-cli chaos --seeds N [--start S] [--nodes K]
//! [--break NAME]...` runs N seeded random fault schedules and ends with `chaos: N seeds, E events, V violations`.

use logscope::sim::breaks::Break;
use logscope::sim::scenario::chaos::{run_chaos, ChaosOptions};
use logscope::sim::scenario::runner::run_scenario;
use logscope::sim::scenario::Scenario;
use logscope::sim::types::format_time;
use logscope::sim::world::World;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage:
  logscope-cli run FILE.json [--json] [--trace]
  logscope-cli chaos --seeds N [--start S] [--nodes K] [--break NAME]... [--membership] [--out DIR]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("chaos") => chaos(&args[1..]),
        Some("--help") | Some("-h") | Some("help") => {
            println!("{USAGE}");
            println!("breaks: {}", Break::ALL.iter().map(|b| b.name()).collect::<Vec<_>>().join(", "));
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(USAGE.to_string()),
    };
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut file = None;
    let mut json = false;
    let mut trace = false;
    for arg in args {
        match arg.as_str() {
            "--json" => json = true,
            "--trace" => trace = true,
            other if other.starts_with("--") => return Err(format!("run: unknown option {other}\n{USAGE}")),
            other => file = Some(other.to_string()),
        }
    }
    let file = file.ok_or_else(|| format!("run: missing scenario file\n{USAGE}"))?;
    let bytes = std::fs::read(&file).map_err(|e| format!("{file}: {e}"))?;
    let mut scenario = Scenario::from_bytes(&bytes).map_err(|e| format!("{file}: {e}"))?;
    if trace {
        // Keep every trace record (the trace ring does not change the run: the hash covers all of them).
        scenario.config.trace_capacity = 1_000_000;
    }
    let world = run_scenario(&scenario).map_err(|e| format!("{file}: {e}"))?;
    if json {
        let report = serde_json::json!({
            "scenario": scenario.name,
            "time_us": world.now(),
            "events": world.events(),
            "trace_hash": format!("{:016x}", world.trace_hash()),
            "view": world.view(),
        });
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else {
        if trace {
            for event in world.trace() {
                println!("{}", event.describe());
            }
        }
        print_summary(&scenario, &world);
    }
    Ok(if world.violations().is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

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

fn parse_number(flag: &str, value: Option<&String>) -> Result<u64, String> {
    let value = value.ok_or_else(|| format!("chaos: {flag} needs a number"))?;
    value.parse().map_err(|_| format!("chaos: {flag} must be a non-negative integer, got `{value}`"))
}

fn chaos(args: &[String]) -> Result<ExitCode, String> {
    let mut seeds = None;
    let mut start = 1u64;
    let mut options = ChaosOptions::default();
    let mut out_dir = std::env::temp_dir();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seeds" => seeds = Some(parse_number("--seeds", it.next())?),
            "--start" => start = parse_number("--start", it.next())?,
            "--nodes" => {
                let k = parse_number("--nodes", it.next())?;
                if !(1..=9).contains(&k) {
                    return Err(format!("chaos: --nodes must be between 1 and 9, got {k}"));
                }
                options.nodes = Some(k as usize);
            }
            "--break" => {
                let name = it.next().ok_or("chaos: --break needs a name")?;
                options.breaks.push(Break::parse(name).map_err(|e| format!("chaos: {e}"))?);
            }
            "--membership" => options.membership = true,
            "--out" => out_dir = it.next().ok_or("chaos: --out needs a directory")?.into(),
            other => return Err(format!("chaos: unknown argument {other}\n{USAGE}")),
        }
    }
    let seeds = seeds.ok_or_else(|| format!("chaos: --seeds N is required\n{USAGE}"))?;
    let started = Instant::now();
    let (mut events, mut violations, mut failing) = (0u64, 0usize, 0u64);
    for seed in start..start.saturating_add(seeds) {
        let outcome = run_chaos(seed, &options);
        events += outcome.events;
        if !outcome.violations.is_empty() {
            violations += outcome.violations.len();
            failing += 1;
            let path = out_dir.join(format!("logscope-chaos-seed-{seed}.json"));
            std::fs::write(&path, outcome.scenario.to_json_pretty()).map_err(|e| format!("{}: {e}", path.display()))?;
            for v in &outcome.violations {
                println!("seed {seed}: {}", v.describe());
            }
            println!("seed {seed}: reproduce with `logscope-cli run {}`", path.display());
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("{} failing seed(s); {:.1} s wall, {:.0} events/s", failing, seconds, events as f64 / seconds.max(1e-9));
    println!("chaos: {seeds} seeds, {events} events, {violations} violations");
    Ok(if violations == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
