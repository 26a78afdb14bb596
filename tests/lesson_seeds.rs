//! The lessons of the replication, HWM-and-reads and clients patterns are robust, not lucky: every claim they
//! make holds with the neighbouring seeds too. Where a story needs a particular node to lead or a particular
//! order of events, the lesson sets it up with stage directions (nodes held paused at boot, one side of a
//! partition held so its election cannot split, fixed latencies, slow disks), never by picking a seed, so a
//! different seed changes only the timing the claims leave open.

use logscope::sim::scenario::lesson::Pattern;
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::Scenario;
use logscope::sim::types::ms;

#[path = "common/lessons.rs"]
mod lessons;

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
