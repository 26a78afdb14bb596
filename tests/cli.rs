//! The command-line tool as scripts use it (the built binary): exit codes (0 ok, 1 a failed expectation or an
//! unexpected violation, 2 bad input or usage), `--help` and `--version`, the stdout lines scripts read (`trace hash …`, the `--json` fields,
//! `chaos: N seeds, E events, V violations`), and reproduction files of failing chaos seeds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_logscope-cli")).args(args).output().expect("the CLI runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

fn lesson(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file).display().to_string()
}

/// A fresh directory under cargo's scratch space for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn version_and_help_succeed_on_stdout() {
    let version = cli(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(stdout(&version).trim(), format!("logscope-cli {}", env!("CARGO_PKG_VERSION")));
    let help = cli(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("run") && stdout(&help).contains("chaos"), "{}", stdout(&help));
    let run_help = cli(&["run", "--help"]);
    assert_eq!(run_help.status.code(), Some(0));
    for option in ["--json", "--trace", "FILE.json"] {
        assert!(stdout(&run_help).contains(option), "run --help lacks {option}");
    }
    let chaos_help = cli(&["help", "chaos"]);
    assert_eq!(chaos_help.status.code(), Some(0));
    for option in ["--seeds", "--start", "--nodes", "--break", "--membership", "--out"] {
        assert!(stdout(&chaos_help).contains(option), "chaos --help lacks {option}");
    }
    for rule in logscope::sim::breaks::Break::ALL {
        assert!(stdout(&chaos_help).contains(rule.name()), "chaos --help does not list {}", rule.name());
    }
}

#[test]
fn every_bad_argument_exits_2_and_says_what_is_wrong() {
    let dir = scratch("cli-bad-input");
    let broken =
        write(&dir, "broken.json", r#"{"name": "b", "steps": [{"at_ms": 5, "do": {"action": "crash", "node": 7}}]}"#);
    let not_json = write(&dir, "not-json.json", "{\n  \"name\": \"b\",\n  oops\n}");
    let cases: &[(&[&str], &str)] = &[
        (&[], "Usage"),
        (&["bogus"], "unrecognized subcommand"),
        (&["run"], "FILE.json"),
        (&["run", "/nonexistent/scenario.json"], "/nonexistent/scenario.json"),
        (&["run", &broken], "steps[0].do.node"),
        (&["run", &not_json], "line 3, column"),
        (&["run", "--foo", &broken], "--foo"),
        (&["chaos"], "--seeds"),
        (&["chaos", "--seeds", "x"], "--seeds"),
        (&["chaos", "--seeds", "-3"], "-3"),
        (&["chaos", "--seeds", "1", "--nodes", "0"], "1..=9"),
        (&["chaos", "--seeds", "1", "--nodes", "10"], "1..=9"),
        (&["chaos", "--seeds", "1", "--break", "nope"], "ack-before-fsync"),
        (&["chaos", "--seeds", "1", "--break"], "--break"),
        (&["chaos", "--seeds", "1", "--surprise"], "--surprise"),
    ];
    for (args, named) in cases {
        let output = cli(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(named), "{args:?}: stderr does not name {named}: {}", stderr(&output));
        assert_eq!(stdout(&output), "", "{args:?}: nothing on stdout");
    }
}

#[test]
fn a_command_the_world_refuses_at_play_time_exits_2_naming_the_step() {
    let dir = scratch("cli-refused");
    // At 0 ms there is no leader yet to take a membership change.
    let file = write(
        &dir,
        "refused.json",
        r#"{"name": "r", "steps": [{"at_ms": 0, "narrate": "go"}, {"at_ms": 0, "do": {"action": "remove-node", "node": 1}}]}"#,
    );
    let output = cli(&["run", &file]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("steps[1] at 0 ms: remove-node: "), "{}", stderr(&output));
}

#[test]
fn run_prints_the_expectations_the_summary_table_and_the_trace_hash() {
    let output = cli(&["run", &lesson("leader-crash.json")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "✓ steps[11] at 700 ms: the leader is n0");
    let expectations = lines.iter().take_while(|l| l.starts_with('✓')).count();
    assert_eq!(expectations, 20, "one line per expectation, before the summary: {text}");
    let summary = &lines[expectations..];
    assert_eq!(summary[0], "Leader crash — 878 events, virtual time 4000.0ms");
    assert_eq!(
        summary[1],
        "node  status    role       term  first  last  durable  hwm  applied  lwm  snapshot  segments"
    );
    assert_eq!(
        summary[2],
        "n0    up        follower      2      1     5        5    5        5    1         -         1"
    );
    assert!(lines.contains(&"trace hash 7a5f4a55b736ac06"), "{text}");
    assert!(lines.contains(&"no invariant violations"), "{text}");
    assert_eq!(lines.last(), Some(&"lesson passed: 20 of 20 expectations hold"));
}

#[test]
fn a_lesson_whose_violations_are_all_expected_exits_0() {
    let output = cli(&["run", &lesson("ack-before-fsync-broken.json")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.lines().any(|l| l.starts_with("VIOLATION I7 ")), "{text}");
    assert!(text.contains("✓ steps[41] at 1600 ms: I4, I5, I7, I8, I9, LIN violated"), "{text}");
    assert!(text.contains("trace hash d298611cdaea6d9b"), "{text}");
    assert!(text.ends_with("lesson passed: 21 of 21 expectations hold; every violation was expected\n"), "{text}");
}

#[test]
fn run_exits_1_on_a_failed_expectation_or_an_unexpected_violation() {
    let dir = scratch("cli-verdict");
    // The broken lesson without its expectations: the checker's findings come unexpected.
    let mut broken: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(lesson("ack-before-fsync-broken.json")).unwrap()).unwrap();
    broken["steps"]
        .as_array_mut()
        .unwrap()
        .retain(|step| step.get("expect").is_none() && step.get("predict").is_none());
    let unexpected = write(&dir, "unexpected.json", &broken.to_string());
    let output = cli(&["run", &unexpected]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.lines().any(|l| l.starts_with("VIOLATION I7 ")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("VIOLATION LIN ")), "the history check counts too: {text}");
    assert!(
        text.ends_with("lesson FAILED: 0 of 0 expectations hold; unexpected violation of I4, I5, I7, I8, I9, LIN (no held `violated` expectation names it)\n"),
        "{text}"
    );
    // A claim that does not hold names the step and what was seen.
    let wrong = write(
        &dir,
        "wrong.json",
        r#"{"name": "w", "seed": 6, "duration_ms": 600, "steps": [{"at_ms": 500, "expect": {"node": 0, "role": "follower", "term": 1}}, {"at_ms": 500, "expect": {"leader": 0}}]}"#,
    );
    let output = cli(&["run", &wrong]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "✗ steps[0] at 500 ms: n0.role is leader, expected follower\n✓ steps[1] at 500 ms: the leader is n0\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("lesson FAILED: 1 of 2 expectations hold; failed: steps[0]\n"), "{text}");
}

#[test]
fn run_json_reports_the_fields_scripts_read() {
    let output = cli(&["run", &lesson("leader-crash.json"), "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the report is JSON");
    let fields: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "events",
            "expectations",
            "passed",
            "scenario",
            "time_us",
            "trace_hash",
            "unexpected_violations",
            "view",
            "violations"
        ]
    );
    assert_eq!(report["scenario"], "Leader crash");
    assert_eq!(report["time_us"], 4_000_000);
    assert_eq!(report["events"], 878);
    assert_eq!(report["trace_hash"], "7a5f4a55b736ac06");
    assert_eq!(report["view"]["nodes"].as_array().map(Vec::len), Some(5));
    assert_eq!(report["passed"], true);
    let first = &report["expectations"][0];
    assert_eq!(
        (&first["step"], &first["at_ms"], &first["claim"], &first["description"], &first["outcome"]),
        (&11.into(), &700.into(), &serde_json::json!({"leader": 0}), &"the leader is n0".into(), &"held".into())
    );
    let broken = cli(&["run", &lesson("ack-before-fsync-broken.json"), "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert_eq!(report["violations"].as_array().map(Vec::len), Some(8));
    assert_eq!(report["unexpected_violations"], serde_json::json!([]));
}

#[test]
fn run_trace_prints_every_trace_line_before_the_summary() {
    let plain = stdout(&cli(&["run", &lesson("leader-crash.json")]));
    let traced = stdout(&cli(&["run", &lesson("leader-crash.json"), "--trace"]));
    assert!(traced.ends_with(&plain), "the summary (and its hash) is unchanged by --trace");
    assert!(traced.lines().count() > 900, "one line per trace record");
}

#[test]
fn chaos_ends_with_the_line_scripts_read() {
    let output = cli(&["chaos", "--seeds", "2", "--start", "5", "--nodes", "3"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let last = text.lines().last().unwrap();
    let events: u64 = last
        .strip_prefix("chaos: 2 seeds, ")
        .and_then(|rest| rest.strip_suffix(" events, 0 violations"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected last line {last:?}"));
    assert!(events > 1000, "{last}");
    assert!(stderr(&output).starts_with("0 failing seed(s); "), "no progress bar off a terminal: {}", stderr(&output));
}

#[test]
fn a_failing_chaos_seed_writes_a_scenario_that_reproduces_it() {
    let dir = scratch("cli-chaos-out");
    let output =
        cli(&["chaos", "--seeds", "2", "--start", "2", "--break", "ack-before-fsync", "--out", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.lines().last().unwrap().ends_with(" violations") && !text.ends_with(" 0 violations\n"), "{text}");
    let file = dir.join("logscope-chaos-seed-2.json");
    assert!(text.contains(&format!("seed 2: reproduce with `logscope-cli run {}`", file.display())), "{text}");
    let replay = cli(&["run", file.to_str().unwrap()]);
    assert_eq!(replay.status.code(), Some(1), "the reproduction violates again");
    assert!(stdout(&replay).contains("VIOLATION "));
}

/// `logscope-cli run … --trace | head -0`: the reader has closed the pipe before the first line; the CLI drops
/// its output instead of panicking, and still exits with its verdict (figure-8's claims all hold: 0).
#[test]
fn a_closed_pipe_ends_the_output_not_the_run() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_logscope-cli"))
        .args(["run", &lesson("figure-8.json"), "--trace"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    // The reader goes away at once: every line the CLI writes meets a closed pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let errors = stderr(&output);
    assert!(!errors.contains("panicked"), "no panic on a closed pipe: {errors}");
    assert_eq!(output.status.code(), Some(0), "the verdict's exit code: {errors}");
}
