//! A lesson must be robust, not lucky: its story may not depend on the seed it happens to use. For the lessons
//! of the patterns `wal` and `segments`, each expectation must still hold with the three seeds after the
//! lesson's own, once the nodes are renamed so that the leader elected with that seed (before the lesson's
//! first command) plays the part the lesson's leader plays. Who wins the first election is the seed's choice;
//! everything a lesson then does and claims must follow from the rules, not from the random latencies.
//!
//! The lessons of the replication, HWM-and-reads and clients patterns are robust, not lucky: every claim they
//! make holds with the neighbouring seeds too. Where a story needs a particular node to lead or a particular
//! order of events, the lesson sets it up with stage directions (nodes held paused at boot, one side of a
//! partition held so its election cannot split, fixed latencies, slow disks), never by picking a seed, so a
//! different seed changes only the timing the claims leave open.

use logscope::sim::scenario::lesson::Pattern;
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::Scenario;
use logscope::sim::types::ms;
use serde_json::Value;

#[path = "common/lessons.rs"]
mod lessons;

/// Lessons left out, and why.
const EXEMPT: [(&str, &str); 1] = [(
    "ack-before-fsync-broken.json",
    "who wins the election after the total power loss is the seed's choice; \
     tests/scenario_files.rs checks its seed-independent claims for seeds 1 to 30",
)];

/// Fields whose number names a node (in commands, claims and focus).
const NODE_FIELDS: [&str; 7] = ["node", "leader", "served_by", "voted_for", "leader_hint", "from", "to"];

/// The leader elected with `seed` when the lesson's first command is due (`None`: no leader yet).
fn leader_before_first_command(lesson: &Value, seed: u64) -> Option<usize> {
    let first =
        lesson["steps"].as_array()?.iter().filter(|s| s.get("do").is_some()).map(|s| s["at_ms"].as_u64()).min()??;
    let mut probe = serde_json::json!({"name": "probe", "seed": seed, "duration_ms": first.max(1), "steps": []});
    probe["config"] = lesson["config"].clone();
    let scenario = Scenario::from_json(&probe.to_string()).expect("the probe parses");
    let mut player = Player::from_scenario(&scenario).expect("the probe plays");
    player.run_through(ms(first)).expect("the probe runs");
    player.world().top_leader()
}

/// Renames nodes everywhere a node id appears: `perm[old] = new`.
fn relabel(value: &mut Value, perm: &[usize]) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if NODE_FIELDS.contains(&key.as_str()) {
                    if let Some(id) = field.as_u64() {
                        *field = Value::from(perm[id as usize]);
                        continue;
                    }
                }
                if key == "groups" {
                    for id in field.as_array_mut().into_iter().flatten().flat_map(|g| g.as_array_mut()).flatten() {
                        *id = Value::from(perm[id.as_u64().expect("a node id") as usize]);
                    }
                    continue;
                }
                relabel(field, perm);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| relabel(item, perm)),
        _ => {}
    }
}

#[test]
fn wal_and_segments_lessons_hold_with_neighbouring_seeds() {
    let mut checked = 0;
    for &(file, text, _) in lessons::LESSONS {
        let lesson: Value = serde_json::from_str(text).unwrap();
        let scenario = Scenario::from_json(text).unwrap();
        let Some(course) = &scenario.course else { continue };
        if !matches!(course.pattern, Pattern::Wal | Pattern::Segments) || EXEMPT.iter().any(|(f, _)| *f == file) {
            continue;
        }
        let nodes = lesson["config"]["nodes"].as_u64().unwrap_or(3) as usize;
        let own = leader_before_first_command(&lesson, scenario.seed).unwrap_or_else(|| panic!("{file}: no leader"));
        for seed in scenario.seed + 1..=scenario.seed + 3 {
            let leader = leader_before_first_command(&lesson, seed)
                .unwrap_or_else(|| panic!("{file}: seed {seed} has no leader before the first command"));
            let mut perm: Vec<usize> = (0..nodes).collect();
            perm.swap(own, leader);
            let mut variant = lesson.clone();
            variant["seed"] = Value::from(seed);
            relabel(&mut variant["steps"], &perm);
            let variant = Scenario::from_json(&variant.to_string()).unwrap_or_else(|e| panic!("{file}: {e}"));
            let mut player = Player::from_scenario(&variant).unwrap();
            player.run_through(ms(variant.end_ms())).unwrap_or_else(|refusal| panic!("{file} seed {seed}: {refusal}"));
            let report = player.report();
            let failed: Vec<String> =
                report.expectations.iter().filter(|e| !e.outcome.held()).map(|e| e.line()).collect();
            assert!(failed.is_empty(), "{file} with seed {seed} (nodes renamed {perm:?}): {failed:#?}");
            assert!(report.passed(), "{file} with seed {seed}: unexpected violations {:?}", report.unexpected);
        }
        checked += 1;
    }
    assert!(checked >= 10, "the wal and segments lessons were found ({checked})");
}

/// How many seeds after the lesson's own are played (each must hold every expectation).
const NEIGHBOURS: u64 = 3;

/// The patterns whose lessons promise to hold for any seed.
const SEED_ROBUST: [Pattern; 3] = [Pattern::Replication, Pattern::Hwm, Pattern::Clients];

#[test]
fn replication_hwm_and_client_lessons_hold_for_the_next_seeds() {
    let mut checked = 0;
    for &(file, text, _) in lessons::LESSONS {
        let lesson = Scenario::from_json(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        if !lesson.course.as_ref().is_some_and(|course| SEED_ROBUST.contains(&course.pattern)) {
            continue;
        }
        for seed in lesson.seed + 1..=lesson.seed + NEIGHBOURS {
            let mut scenario = lesson.clone();
            scenario.seed = seed;
            let mut player = Player::from_scenario(&scenario).unwrap();
            player
                .run_through(ms(scenario.end_ms()))
                .unwrap_or_else(|refusal| panic!("{file}, seed {seed}: {refusal}"));
            let report = player.report();
            let failed: Vec<String> =
                report.expectations.iter().filter(|e| !e.outcome.held()).map(|e| e.line()).collect();
            assert!(failed.is_empty(), "{file}, seed {seed}: {failed:#?}");
            assert!(report.unexpected.is_empty(), "{file}, seed {seed}: unexpected violations {:?}", report.unexpected);
        }
        checked += 1;
    }
    assert!(checked >= 15, "the replication, HWM and client lessons were found ({checked})");
}
