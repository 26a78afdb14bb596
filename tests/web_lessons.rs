//! Every lesson played through the same scenario player in the browser build (wasm-bindgen-test in headless
//! Chromium, run by `scripts/test.sh`): each gives the trace hash it gives natively (`tests/common/lessons.rs`,
//! asserted natively by `tests/scenario_files.rs`), every expectation holds there too, and every violation
//! is one the lesson expects. Empty on native targets.
#![cfg(target_arch = "wasm32")]

use logscope::sim::scenario::lesson::course::LESSON_SPEED;
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::{Scenario, StepKind};
use logscope::sim::types::ms;
use logscope::ui::preferences::{DEFAULT_SPEED_INDEX, SPEEDS};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

#[path = "common/lessons.rs"]
mod lessons;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_lesson_gives_its_native_hash_and_outcomes_in_the_browser() {
    for &(file, text, hash) in lessons::LESSONS {
        let scenario = Scenario::from_json(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut player = Player::from_scenario(&scenario).unwrap();
        player.run_through(ms(scenario.end_ms())).unwrap_or_else(|refusal| panic!("{file}: {refusal}"));
        assert_eq!(player.world().trace_hash(), hash, "{file}: trace hash {:016x}", player.world().trace_hash());
        let report = player.report();
        let expects = scenario.steps.iter().filter(|s| matches!(s.kind, StepKind::Expect(_))).count();
        assert_eq!(report.expectations.len(), expects, "{file}: every expectation was checked");
        let failed: Vec<String> = report.expectations.iter().filter(|e| !e.outcome.held()).map(|e| e.line()).collect();
        assert!(failed.is_empty(), "{file}: {failed:#?}");
        assert!(report.passed(), "{file}: unexpected violations {:?}", report.unexpected);
    }
}

#[wasm_bindgen_test]
fn the_ui_plays_lessons_at_the_speed_their_minutes_are_measured_at() {
    assert_eq!(SPEEDS[DEFAULT_SPEED_INDEX], LESSON_SPEED);
}
