//! The lesson recorder (issue 9's teacher tools): a free-play session with clicks, plus narrations, a question
//! and expectations added at the current time with claims taken from the state on screen, exports as a lesson
//! file that the parser accepts (`Scenario::validate`) and that, played back, holds every expectation it adds.
//! A broken added step is refused with its field path.

use logscope::sim::config::Config;
use logscope::sim::scenario::authoring::{claims_now, same_claim_now, step, with_steps, Added};
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::{Scenario, StepKind};
use logscope::sim::types::ms;
use logscope::sim::world::command::Command;
use serde_json::json;

/// A session: an election, a write, a crash, with the teacher's steps added along the way.
fn recorded_session() -> (Player, Vec<Added>) {
    let mut player = Player::new(Config::default(), 11).unwrap();
    let mut added = Vec::new();
    player.run_through(ms(400)).unwrap();
    let count = |p: &Player| p.world().recorded_commands().len();
    added.push((count(&player), step(400, "narrate", json!("A leader is elected; now client 0 writes x=1."))));
    player.apply(Command::Put { client: 0, key: "x".into(), value: "1".into(), node: None }).unwrap();
    added.push((
        count(&player),
        step(
            401,
            "predict",
            json!({"question": "Will every node hold x=1?", "choices": ["Yes", "No"], "answer": 0,
                   "explain": "The leader replicates it to every follower.", "reveal_at_ms": 900}),
        ),
    ));
    player.run_through(ms(900)).unwrap();
    let view = player.world().view();
    let claims = claims_now(&view);
    assert!(claims.len() > 2 * view.nodes.len(), "a claim per subject: {claims:?}");
    for claim in &claims {
        assert_eq!(same_claim_now(claim, &view).as_ref(), Some(claim), "a claim is found again by its subject");
        added.push((count(&player), step(900, "expect", claim.clone())));
    }
    player.apply(Command::Crash { node: view.leader.expect("a leader by 900 ms") }).unwrap();
    player.run_through(ms(1500)).unwrap();
    (player, added)
}

#[test]
fn a_recorded_lesson_passes_the_parser_and_holds_every_claim_it_added() {
    let (player, added) = recorded_session();
    let scenario = with_steps(&player.to_scenario("Recorded", ""), "My lesson", "A write, then a crash.", &added)
        .unwrap_or_else(|e| panic!("{e}"));
    scenario.validate().unwrap();
    assert_eq!(scenario.name, "My lesson");
    let reread = Scenario::from_json(&scenario.to_json_pretty()).unwrap();
    assert_eq!(reread, scenario, "the exported file reads back the same");
    let expects = reread.steps.iter().filter(|s| matches!(s.kind, StepKind::Expect(_))).count();
    assert_eq!(expects, added.iter().filter(|(_, s)| s.get("expect").is_some()).count());
    assert!(reread.steps.iter().any(|s| matches!(s.kind, StepKind::Predict(_))));
    assert!(reread.steps.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "steps in time order");
    // Played back, the lesson says only what happens: every added claim holds at its time.
    let mut replay = Player::from_scenario(&reread).unwrap();
    replay.run_through(ms(reread.end_ms())).unwrap();
    let report = replay.report();
    assert_eq!(report.expectations.len(), expects);
    let failed: Vec<String> = report.expectations.iter().filter(|e| !e.outcome.held()).map(|e| e.line()).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(replay.world().trace_hash(), player.world().trace_hash(), "the same run");
}

#[test]
fn a_broken_added_step_is_refused_with_its_field_path() {
    let (player, mut added) = recorded_session();
    added.push((
        2,
        step(1000, "predict", json!({"question": "?", "choices": ["a", "b"], "answer": 5, "explain": "because"})),
    ));
    let error = with_steps(&player.to_scenario("Recorded", ""), "Broken", "", &added).unwrap_err().to_string();
    assert!(error.contains("predict.answer"), "{error}");
    added.pop();
    added.push((2, step(1000, "expect", json!({"node": 9, "hwm": 1}))));
    let error = with_steps(&player.to_scenario("Recorded", ""), "Broken", "", &added).unwrap_err().to_string();
    assert!(error.contains("expect.node"), "{error}");
}
