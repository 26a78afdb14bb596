//! `docs/scenario-format.md` cannot drift from the schema: its limits table holds every constant of
//! `src/sim/limits.rs` with its value, its actions table lists every action, the names of read modes and
//! low-water-mark policies it gives are the ones the parser knows, it documents every claimable field, pattern
//! and focus tab, and its full example is a lesson that passes.

use logscope::sim::config::{LwmPolicy, ReadMode};
use logscope::sim::limits::*;
use logscope::sim::scenario::lesson::claim::{client_fields, node_fields, SUBJECTS};
use logscope::sim::scenario::lesson::{FocusTab, Pattern};
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::{Scenario, StepKind};
use logscope::sim::types::ms;
use logscope::sim::world::command::Command;
use std::collections::BTreeMap;
use std::path::Path;

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The constants and their values (a new constant fails `the_limits_table_matches_the_constants` until it is
/// listed here and in the doc).
fn constants() -> BTreeMap<&'static str, u64> {
    BTreeMap::from([
        ("MAX_NODES", MAX_NODES as u64),
        ("MAX_CLIENTS", MAX_CLIENTS as u64),
        ("MAX_MEMBERS", MAX_MEMBERS as u64),
        ("MAX_NODE_IDS", MAX_NODE_IDS as u64),
        ("MAX_TIMEOUT_MS", MAX_TIMEOUT_MS),
        ("MAX_LATENCY_MS", MAX_LATENCY_MS),
        ("MAX_FSYNC_MS", MAX_FSYNC_MS),
        ("MAX_LINK_EXTRA_MS", MAX_LINK_EXTRA_MS),
        ("MAX_SEGMENT_ENTRIES", MAX_SEGMENT_ENTRIES as u64),
        ("MAX_INFLIGHT", MAX_INFLIGHT as u64),
        ("MAX_BATCH", MAX_BATCH as u64),
        ("MAX_TRACE_CAPACITY", MAX_TRACE_CAPACITY as u64),
        ("MAX_HISTORY_CAPACITY", MAX_HISTORY_CAPACITY as u64),
        ("MAX_KEY_BYTES", MAX_KEY_BYTES as u64),
        ("MAX_VALUE_BYTES", MAX_VALUE_BYTES as u64),
        ("MAX_WRITE_LOAD_PER_SECOND", MAX_WRITE_LOAD_PER_SECOND),
        ("MAX_CLOCK_RATE", MAX_CLOCK_RATE),
        ("MAX_WRITE_MIX_WEIGHT", MAX_WRITE_MIX_WEIGHT),
        ("MAX_HISTORY_BYTES", MAX_HISTORY_BYTES as u64),
        ("MAX_HISTORY_OPS", MAX_HISTORY_OPS as u64),
        ("MAX_SCENARIO_BYTES", MAX_SCENARIO_BYTES as u64),
        ("MAX_SHARE_CHARS", MAX_SHARE_CHARS as u64),
        ("MAX_STEPS", MAX_STEPS as u64),
        ("MAX_TIME_MS", MAX_TIME_MS),
        ("MAX_NAME_CHARS", MAX_NAME_CHARS as u64),
        ("MAX_TEXT_CHARS", MAX_TEXT_CHARS as u64),
        ("MIN_CHOICES", MIN_CHOICES as u64),
        ("MAX_CHOICES", MAX_CHOICES as u64),
        ("MAX_LESSON_MINUTES", MAX_LESSON_MINUTES),
        ("MAX_COURSE_ORDER", MAX_COURSE_ORDER),
    ])
}

/// The rows `| `NAME` | value | … |` of the doc's "Limits" table.
fn doc_limits(doc: &str) -> BTreeMap<String, String> {
    let section = doc.split("## Limits").nth(1).expect("a Limits section").split("\n## ").next().unwrap_or("");
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((name.to_string(), cells.get(2)?.to_string()))
        })
        .collect()
}

#[test]
fn the_limits_table_matches_the_constants() {
    let doc = read("docs/scenario-format.md");
    let table = doc_limits(&doc);
    let constants = constants();
    let expected: BTreeMap<String, String> = constants.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(table, expected, "docs/scenario-format.md, ## Limits");
    // Every constant limits.rs defines or re-exports is in the list above.
    let source = read("src/sim/limits.rs");
    let mut declared: Vec<String> = source
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("MAX_") || word.starts_with("MIN_"))
        .map(str::to_string)
        .collect();
    declared.sort();
    declared.dedup();
    let listed: Vec<String> = constants.keys().map(|k| k.to_string()).collect();
    assert_eq!(declared, listed, "src/sim/limits.rs and this test list the same constants");
    // The prose names only constants that exist.
    for word in doc
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("MAX_") || w.starts_with("MIN_"))
    {
        assert!(constants.contains_key(word), "the doc names `{word}`, which src/sim/limits.rs does not define");
    }
}

#[test]
fn every_action_and_name_is_documented() {
    let doc = read("docs/scenario-format.md");
    for action in Command::actions() {
        assert!(doc.contains(&format!("\n| `{action}` |")), "the actions table lacks `{action}`");
    }
    for mode in ReadMode::ALL {
        assert!(doc.contains(&format!("`\"{}\"`", mode.name())), "read mode {}", mode.name());
    }
    for policy in LwmPolicy::ALL {
        assert!(doc.contains(&format!("`\"{}\"`", policy.name())), "LWM policy {}", policy.name());
    }
}

#[test]
fn every_invariant_is_listed_with_its_code_and_title() {
    use logscope::sim::check::violation::Invariant;
    let doc = read("docs/invariants.md");
    let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), Invariant::ALL.len(), "one row per invariant");
    for (row, invariant) in rows.iter().zip(Invariant::ALL) {
        let expected = format!("| `{}` | {} |", invariant.code(), invariant.title());
        assert!(row.starts_with(&expected), "docs/invariants.md lists, in order: {expected}\n  got: {row}");
    }
}

/// The lesson vocabulary the doc gives is the parser's: every claimable field, subject, pattern, focus tab and
/// invariant code; and its full example is a lesson that passes.
#[test]
fn every_lesson_field_and_name_is_documented() {
    let doc = read("docs/scenario-format.md");
    for field in node_fields() {
        assert!(doc.contains(&format!("\n| `{field}` |")), "the node claims table lacks `{field}`");
    }
    for field in client_fields().chain(SUBJECTS) {
        assert!(doc.contains(&format!("`{field}`")), "the doc does not name `{field}`");
    }
    for pattern in Pattern::ALL {
        assert!(doc.contains(&format!("`{}`", pattern.name())), "pattern {}", pattern.name());
    }
    for tab in FocusTab::ALL {
        assert!(doc.contains(&format!("`{}`", tab.name())), "focus tab {}", tab.name());
    }
    let example = doc.split("## A full example").nth(1).expect("a full example").split("```json").nth(1).unwrap();
    let example = example.split("```").next().unwrap();
    let scenario = Scenario::from_json(example).unwrap_or_else(|e| panic!("the doc's example: {e}"));
    let mut player = Player::from_scenario(&scenario).unwrap();
    player.run_through(ms(scenario.end_ms())).unwrap();
    let report = player.report();
    assert!(report.passed(), "the doc's example holds: {:?}", report.expectations);
    let kinds = |pick: fn(&StepKind) -> bool| scenario.steps.iter().filter(|s| pick(&s.kind)).count();
    assert!(kinds(|k| matches!(k, StepKind::Expect(_))) > 0 && kinds(|k| matches!(k, StepKind::Predict(_))) > 0);
}
