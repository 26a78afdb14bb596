//! What the lesson shows as a function of the clock: the outcomes of `expect` steps, the question of a
//! `predict` step, the narration with its note and focus, and the verdict of a whole run.

use super::*;
use crate::sim::scenario::lesson::{ExpectOutcome, FocusTab};

fn file(steps: &str) -> Scenario {
    Scenario::from_json(&format!(r#"{{"name": "t", "seed": 11, "duration_ms": 3000, "steps": [{steps}]}}"#)).unwrap()
}

fn held(player: &Player) -> Vec<(usize, bool)> {
    player.outcomes().map(|(step, outcome)| (step, outcome.held())).collect()
}

#[test]
fn expectations_are_checked_at_their_time_and_follow_the_clock() {
    let lesson = file(
        r#"{"at_ms": 500, "expect": {"node": 0, "status": "up", "crashes": 0}},
           {"at_ms": 1000, "do": {"action": "crash", "node": 0}},
           {"at_ms": 1000, "expect": {"node": 0, "status": "crashed", "crashes": 1}},
           {"at_ms": 1000, "expect": {"node": 1, "status": "crashed"}},
           {"at_ms": 2000, "expect": {"not_violated": "all"}}"#,
    );
    let mut player = played(&lesson);
    assert_eq!(held(&player), [(0, true), (2, true), (3, false), (4, true)]);
    let (_, failed) = player.outcomes().find(|(step, _)| *step == 3).unwrap();
    assert_eq!(*failed, ExpectOutcome::Failed { seen: "n1.status is up, expected crashed".into() });
    player.seek(ms(700));
    assert_eq!(held(&player), [(0, true)], "an outcome belongs to a time");
    player.seek(ms(1000));
    assert_eq!(held(&player), [(0, true), (2, true), (3, false)]);
    player.seek(ms(3000));
    assert_eq!(held(&player).len(), 4);
    // Going on from the past re-checks nothing it does not have to: the outcomes are the run's.
    player.seek(ms(600));
    player.run_through(ms(3000)).unwrap();
    assert_eq!(held(&player), [(0, true), (2, true), (3, false), (4, true)]);
    let report = player.report();
    assert!(!report.passed());
    assert_eq!(report.expectations[2].line(), "✗ steps[3] at 1000 ms: n1.status is up, expected crashed");
    assert_eq!(report.expectations[1].line(), "✓ steps[2] at 1000 ms: n0 status crashed, crashes 1");
}

#[test]
fn a_prediction_pauses_and_its_question_stays_until_the_story_moves_on() {
    let lesson = file(
        r#"{"at_ms": 500, "predict": {"question": "Will n0 crash?", "choices": ["yes", "no"], "answer": 0,
             "explain": "The script crashes it.", "reveal_at_ms": 800}},
           {"at_ms": 600, "do": {"action": "crash", "node": 0}},
           {"at_ms": 700, "expect": {"node": 0, "status": "crashed"}},
           {"at_ms": 1000, "narrate": "It crashed."}"#,
    );
    let mut player = Player::from_scenario(&lesson).unwrap();
    assert_eq!(player.advance(ms(3000), NEVER), Stop::Paused, "a prediction pauses like a pausing narration");
    assert_eq!(player.world().now(), ms(500));
    let question = player.current_question().expect("the question is open");
    assert_eq!((question.step, question.revealed, question.predict.is_right(0)), (0, false, true));
    player.advance(ms(790), NEVER);
    assert_eq!(player.current_question().map(|q| q.revealed), Some(false));
    player.advance(ms(900), NEVER);
    assert_eq!(player.current_question().map(|q| q.revealed), Some(true), "revealed at reveal_at_ms");
    player.advance(ms(1100), NEVER);
    assert_eq!(player.current_question(), None, "a narration after the reveal moved the story on");
    player.seek(ms(850));
    assert_eq!(player.current_question().map(|q| q.revealed), Some(true));
    player.seek(ms(400));
    assert_eq!(player.current_question(), None);
    // Played again from the past, the question pauses the run again.
    assert_eq!(player.advance(ms(3000), NEVER), Stop::Paused);
    assert_eq!(player.world().now(), ms(500));
    // Without reveal_at_ms the explanation may show as soon as the question is answered.
    let at_once = file(
        r#"{"at_ms": 500, "predict": {"question": "?", "choices": ["a", "b"], "answer": 1, "explain": "b."}},
           {"at_ms": 500, "expect": {"linearizable": true}}"#,
    );
    let mut player = Player::from_scenario(&at_once).unwrap();
    assert_eq!(player.advance(ms(3000), NEVER), Stop::Paused);
    assert_eq!(player.current_question().map(|q| q.revealed), Some(true));
}

#[test]
fn the_narration_follows_the_clock_with_its_note_and_focus() {
    let lesson = file(
        r#"{"at_ms": 0, "narrate": "Three nodes."},
           {"at_ms": 800, "narrate": "Look at the clients.", "note": "Ask the room first.",
            "focus": {"tab": "clients", "node": 2}, "pause": true},
           {"at_ms": 1500, "narrate": "Done."}"#,
    );
    let mut player = played(&lesson);
    assert_eq!(player.current_narration().map(|n| n.narration.text.as_str()), Some("Done."));
    player.seek(ms(1000));
    let shown = player.current_narration().unwrap();
    assert_eq!((shown.step, shown.at_ms, shown.narration.note.as_deref()), (1, 800, Some("Ask the room first.")));
    let focus = shown.narration.focus.unwrap();
    assert_eq!((focus.tab, focus.node), (Some(FocusTab::Clients), Some(2)));
    player.seek(ms(400));
    assert_eq!(player.current_narration().map(|n| n.step), Some(0));
    while player.step_back() {}
    assert_eq!(player.world().events(), 0);
    assert_eq!(player.current_narration().map(|n| n.step), Some(0), "the narration at 0 ms ran before any event");
}

/// The old "ack before fsync" run (seed 6, slow disks): its checker finds I9 twice and I7 once by 3000 ms.
fn broken(expects: &str) -> Report {
    let steps = format!(
        r#"{{"at_ms": 500, "do": {{"action": "put", "client": 0, "key": "x", "value": "1"}}}},
           {{"at_ms": 545, "do": {{"action": "crash", "node": 0}}}},
           {{"at_ms": 800, "do": {{"action": "restart", "node": 0}}}}{expects}"#
    );
    let json = format!(
        r#"{{"name": "b", "seed": 6, "duration_ms": 3000, "steps": [{steps}],
            "config": {{"fsync_ms_min": 80, "fsync_ms_max": 100, "breaks": ["ack-before-fsync"]}}}}"#
    );
    played(&Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}"))).report()
}

#[test]
fn a_violation_is_unexpected_unless_a_held_violated_claim_names_it() {
    let none = broken("");
    assert!(!none.violations.is_empty());
    assert_eq!(none.unexpected, none.violations, "no claim expected any");
    assert!(!none.passed());
    let mut codes: Vec<&str> = none.violations.iter().map(|v| v.invariant.code()).collect();
    codes.dedup();
    let all: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
    let expected = broken(&format!(r#", {{"at_ms": 3000, "expect": {{"violated": [{}]}}}}"#, all.join(", ")));
    assert!(expected.passed(), "{expected:?}");
    // A `violated` claim that fails expects nothing.
    let missing = broken(&format!(r#", {{"at_ms": 3000, "expect": {{"violated": [{}, "I1"]}}}}"#, all.join(", ")));
    assert_eq!(missing.unexpected, none.violations);
    assert_eq!(missing.expectations[0].outcome, ExpectOutcome::Failed { seen: "no violation of I1 so far".into() });
}

#[test]
fn an_export_checks_each_claim_on_the_same_state() {
    let lesson = file(
        r#"{"at_ms": 1000, "expect": {"node": 0, "status": "up"}},
           {"at_ms": 1000, "do": {"action": "crash", "node": 0}},
           {"at_ms": 1000, "expect": {"node": 0, "status": "crashed"}},
           {"at_ms": 1000, "predict": {"question": "?", "choices": ["a", "b"], "answer": 0, "explain": "e"}},
           {"at_ms": 2000, "expect": {"node": 0, "status": "crashed"}}"#,
    );
    let mut player = Player::from_scenario(&lesson).unwrap();
    player.advance(ms(1500), NEVER);
    player.advance(ms(1500), NEVER);
    player.apply(Command::Restart { node: 0 }).unwrap();
    player.advance(ms(2500), NEVER);
    assert_eq!(held(&player), [(0, true), (2, true), (4, false)], "the restart made the last claim false");
    let export = Scenario::from_json(&player.to_scenario("recorded", "").to_json_pretty()).unwrap();
    let kinds: Vec<&str> = export
        .steps
        .iter()
        .map(|s| match s.kind {
            StepKind::Do(_) => "do",
            StepKind::Expect(_) => "expect",
            StepKind::Predict(_) => "predict",
            StepKind::Narrate(_) => "narrate",
        })
        .collect();
    assert_eq!(kinds, ["expect", "do", "expect", "predict", "do", "expect"], "each step after the commands before it");
    let replay = played(&export);
    assert_eq!(held(&replay), [(0, true), (2, true), (5, false)]);
    assert_eq!(replay.world().trace_hash(), player.world().trace_hash());
}
