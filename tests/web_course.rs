//! The course UI's state in the browser build (wasm-bindgen-test in headless Chromium): the remembered
//! progress reads back what it saved and skips what it does not know; the story follows the player's clock
//! (question, speaker note, checks since the narration, nothing after a seek back); the reducer answers a
//! question, goes back to the previous stop and on to the next, stops at the lesson's end and explores past it.
//! Empty on native targets.
#![cfg(target_arch = "wasm32")]

use logscope::sim::config::Config;
use logscope::sim::scenario::player::{Player, Stop};
use logscope::sim::scenario::Scenario;
use logscope::ui::preferences::Preferences;
use logscope::ui::progress::Progress;
use logscope::ui::state::{Action, AppState};
use logscope::ui::story::Story;
use std::rc::Rc;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

const BROKEN: &str = include_str!("../scenarios/ack-before-fsync-broken.json");

#[wasm_bindgen_test]
fn progress_reads_back_and_skips_unknown_lines() {
    let mut progress = Progress::parse("done a.json\nanswered a.json#17\nsomething else\nanswered b.json#3\n");
    assert!(progress.is_finished("a.json") && !progress.is_finished("b.json"));
    assert_eq!((progress.answered_in("a.json"), progress.answered_in("b.json")), (1, 1));
    progress.finish("a.json");
    progress.answer("a.json#17");
    assert_eq!((progress.finished.len(), progress.answered.len()), (1, 2), "nothing counted twice");
}

#[wasm_bindgen_test]
fn the_story_follows_the_clock() {
    let scenario = Scenario::from_json(BROKEN).unwrap();
    let mut player = Player::from_scenario(&scenario).unwrap();
    let mut stop = player.advance(u64::MAX, &|| false);
    while player.current_question().is_none() {
        assert_eq!(stop, Stop::Paused, "the lesson pauses before its question");
        stop = player.advance(u64::MAX, &|| false);
    }
    let story = Story::of(&player, None);
    let asked = story.question.as_ref().expect("the question is open");
    assert_eq!(asked.predict.answer, 1);
    assert!(story.narration.as_ref().is_some_and(|(_, n)| n.note.is_some()), "its narration has a speaker note");
    let recent: Vec<_> = story.recent_checks().collect();
    assert!(recent.len() >= 4 && recent.iter().all(|c| c.held == Some(true) && c.at_ms == 560), "{recent:?}");
    assert!(Rc::ptr_eq(&Story::of(&player, Some(&story)), &story), "read once per cursor");
    player.seek(100_000);
    let back = Story::of(&player, Some(&story));
    assert!(back.question.is_none() && back.checks.iter().all(|c| c.held.is_none() || c.at_ms <= 100));
}

#[wasm_bindgen_test]
fn the_reducer_answers_travels_ends_and_explores() {
    let scenario = Scenario::from_json(BROKEN).unwrap();
    let state = Rc::new(AppState::new(Config::default(), 1, Preferences::default(), Progress::default()));
    let index = logscope::ui::lesson_list::position("ack-before-fsync-broken.json").unwrap();
    let mut state = state.reduce(Action::OpenLesson(index, Box::new(scenario)));
    assert!(!state.front && state.session.lesson.as_ref().is_some_and(|l| l.index == Some(index)));
    // Next stop until the question is open.
    while state.session.reading.story.question.is_none() {
        state = state.reduce(Action::NextStop);
    }
    let step = state.session.reading.story.question.as_ref().unwrap().step;
    state = state.reduce(Action::Answer(step, Some(1)));
    assert_eq!(state.session.answer(step), Some(Some(1)));
    assert_eq!(state.progress.answered_in("ack-before-fsync-broken.json"), 1);
    let at = state.session.reading.view.time_us;
    state = state.reduce(Action::PreviousStop);
    assert!(state.session.reading.view.time_us < at, "back to the previous stop");
    // On to the end: the run stops there and the lesson counts as finished.
    for _ in 0..20 {
        state = state.reduce(Action::NextStop);
    }
    assert!(state.session.reading.at_end, "stopped at the lesson's end");
    assert!(state.progress.is_finished("ack-before-fsync-broken.json"));
    state = state.reduce(Action::Explore);
    assert!(!state.session.reading.at_end && state.session.reading.end_us.is_none() && state.session.playing);
}
