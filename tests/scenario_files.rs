//! Every lesson in `scenarios/` must parse with the scenario parser, keep its name unique, and survive a
//! round trip through the pretty printer and a share link unchanged; played through the scenario player
//! (the one the CLI and the UI use) each gives its pinned trace hash.

use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::share;
use logscope::sim::scenario::{Scenario, StepKind};
use logscope::sim::types::ms;
use logscope::sim::world::World;
use std::path::Path;

/// Plays a lesson to its end through the player, as `logscope-cli run` does.
fn play(scenario: &Scenario, shown: &str) -> World {
    let mut player = Player::from_scenario(scenario).unwrap_or_else(|e| panic!("{shown}: {e}"));
    player.run_through(ms(scenario.end_ms())).unwrap_or_else(|refusal| panic!("{shown}: {refusal}"));
    player.world().clone()
}

#[test]
fn every_scenario_file_parses_and_round_trips() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "expected the lesson scenarios in {}, found {paths:?}", dir.display());
    let mut names = Vec::new();
    for path in &paths {
        let shown = path.display();
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let scenario = Scenario::from_bytes(&bytes).unwrap_or_else(|e| panic!("{shown}: {e}"));
        assert!(!scenario.summary.is_empty(), "{shown}: a lesson needs a summary");
        assert!(scenario.commands().count() > 0, "{shown}: a lesson should do something");
        assert!(
            scenario.steps.iter().any(|s| matches!(s.kind, StepKind::Narrate { .. })),
            "{shown}: a lesson should explain itself"
        );
        assert_eq!(
            Scenario::from_json(&scenario.to_json_pretty()).as_ref(),
            Ok(&scenario),
            "{shown}: pretty round trip"
        );
        assert_eq!(share::decode(&share::fragment(&scenario)).as_ref(), Ok(&scenario), "{shown}: share round trip");
        assert!(!names.contains(&scenario.name), "{shown}: duplicate name {}", scenario.name);
        names.push(scenario.name);
    }
}

/// Every lesson plays to its end without a refused command, and without a violation unless it switches on a
/// broken rule on purpose (then the checker must catch it: that is the lesson).
#[test]
fn every_lesson_plays_through_and_only_broken_ones_violate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for entry in std::fs::read_dir(&dir).expect("scenarios/ exists") {
        let path = entry.expect("readable directory entry").path();
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        let shown = path.display();
        let scenario = Scenario::from_bytes(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let world = play(&scenario, &shown.to_string());
        if scenario.config.breaks.is_empty() {
            assert!(world.violations().is_empty(), "{shown}: {:?}", world.violations());
        } else {
            assert!(!world.violations().is_empty(), "{shown}: the broken rule was not caught");
        }
    }
}

/// Each lesson's trace hash when played to its end (as `logscope-cli run` prints it). Recorded before the
/// player replaced `runner::run_scenario`, so a lesson plays exactly as it did; a change here means a
/// lesson's run changed: update it deliberately.
const LESSON_TRACE_HASHES: [(&str, u64); 9] = [
    ("ack-after-fsync.json", 0x2f47_ae05_901a_60d9),
    ("ack-before-fsync-broken.json", 0x0fce_2a47_4bbc_021d),
    ("figure-8.json", 0x5a6c_ef70_7c14_bd3f),
    ("follower-catch-up-snapshot.json", 0x73ae_1a07_94a5_1626),
    ("leader-crash.json", 0xf6e1_e7d1_c4eb_1866),
    ("lost-update-cas.json", 0x9459_de63_0279_efdb),
    ("membership.json", 0xa182_c91a_0ef6_3631),
    ("stale-follower-read.json", 0x1bd3_53d9_4fbd_f18f),
    ("torn-write.json", 0x27d3_a151_4b23_683d),
];

#[test]
fn every_lesson_keeps_its_trace_hash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|entry| entry.expect("readable directory entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    let pinned: Vec<&str> = LESSON_TRACE_HASHES.iter().map(|(file, _)| *file).collect();
    assert_eq!(pinned, files, "every lesson has a pinned trace hash");
    for (file, hash) in LESSON_TRACE_HASHES {
        let path = dir.join(file);
        let scenario = Scenario::from_bytes(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let world = play(&scenario, file);
        assert_eq!(world.trace_hash(), hash, "{file}: trace hash {:016x}", world.trace_hash());
    }
}

/// The picker's list of lessons (`src/ui/lesson_list.rs`, compiled here natively: it has no imports).
#[path = "../src/ui/lesson_list.rs"]
mod lesson_list;

/// The lesson picker cannot drift from the files: it lists every file in `scenarios/`, each exactly once and
/// with the title the file gives itself.
#[test]
fn the_lesson_list_matches_the_scenario_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(lesson_list::LESSON_DIR);
    let mut listed: Vec<&str> = Vec::new();
    for (file, title) in lesson_list::LESSONS {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("lesson_list.rs names {}: {e}", path.display()));
        let scenario = Scenario::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(&scenario.name, title, "lesson_list.rs: the title of {file} must be its \"name\"");
        listed.push(file);
    }
    listed.sort_unstable();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|entry| entry.expect("readable directory entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    assert_eq!(listed, files, "src/ui/lesson_list.rs must list every scenarios/*.json exactly once");
}
