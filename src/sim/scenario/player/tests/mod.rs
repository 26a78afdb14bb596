//! Native tests of the player: the time slider, forks, checkpoints, the script cursor, pauses, the frame
//! budget and refused commands (here); stepping, stops, forks and their undo, the end (`travel.rs`); what the
//! lesson shows as a function of the clock (`lesson.rs`). Worlds are compared by trace hash (it covers every
//! trace record).

mod lesson;
mod travel;

use super::*;
use crate::sim::scenario::lesson::Narration;
use crate::sim::scenario::StepKind;
use crate::sim::world::command::Command;
use std::cell::Cell;

pub(super) fn put(client: usize, key: &str, value: &str) -> Command {
    Command::Put { client, key: key.into(), value: value.into(), node: None }
}

pub(super) fn step(at_ms: u64, kind: StepKind) -> Step {
    Step { at_ms, kind }
}

pub(super) fn narrate(at_ms: u64, text: &str, pause: bool) -> Step {
    step(at_ms, StepKind::Narrate(Narration { pause, ..Narration::text(text) }))
}

pub(super) fn scenario(steps: Vec<Step>) -> Scenario {
    Scenario {
        name: "test".into(),
        summary: String::new(),
        seed: 11,
        config: Config::default(),
        steps,
        duration_ms: None,
        course: None,
    }
}

/// A script with a pause at 1000 ms followed by a command of that same instant.
pub(super) fn lesson() -> Scenario {
    scenario(vec![
        step(500, StepKind::Do(put(0, "x", "1"))),
        narrate(1000, "x=1 is committed; now the leader dies", true),
        step(1000, StepKind::Do(Command::Crash { node: 0 })),
        step(2000, StepKind::Do(put(1, "x", "2"))),
        narrate(2500, "a new leader took over", false),
    ])
}

pub(super) const NEVER: &dyn Fn() -> bool = &|| false;

/// A user session: write load, clicks at odd microseconds.
pub(super) fn busy_player(seed: u64) -> Player {
    let mut player = Player::new(Config::default(), seed).unwrap();
    player.set_load(Some(40)).unwrap();
    assert_eq!(player.advance(300_123, NEVER), Stop::Reached);
    player.apply(put(0, "x", "1")).unwrap();
    player.advance(700_457, NEVER);
    player.apply(Command::Crash { node: 0 }).unwrap();
    player.advance(1_500_001, NEVER);
    player.apply(Command::Restart { node: 0 }).unwrap();
    player.advance(3_500_000, NEVER);
    player
}

pub(super) fn played(scenario: &Scenario) -> Player {
    let mut player = Player::from_scenario(scenario).unwrap();
    player.run_through(ms(scenario.end_ms())).unwrap();
    player
}

#[test]
fn seeking_back_and_forth_gives_the_same_world() {
    let mut player = busy_player(3);
    let (hash, events) = (player.world().trace_hash(), player.world().events());
    player.seek(1_200_000);
    assert_eq!(player.world().now(), 1_200_000);
    assert!(player.in_past());
    assert_eq!(player.horizon_us(), 3_500_000);
    // The past is the original run's past: the same as a run that stopped there.
    let mut straight = busy_player(3).world().to_scenario("straight");
    straight.steps.retain(|s| ms(s.at_ms) <= 1_200_000);
    let mut replay = Player::from_scenario(&straight).unwrap();
    replay.run_through(1_200_000).unwrap();
    assert_eq!(player.world().trace_hash(), replay.world().trace_hash());
    player.seek(2_000_000);
    player.seek(400_000);
    player.seek(3_500_000);
    assert!(!player.in_past());
    assert_eq!((player.world().trace_hash(), player.world().events()), (hash, events));
    // Beyond the horizon is clamped to it.
    player.seek(9_000_000);
    assert_eq!(player.world().now(), 3_500_000);
}

#[test]
fn changing_the_past_forks_and_playing_on_replays_it() {
    let mut player = busy_player(4);
    player.seek(1_000_000);
    player.apply(put(1, "y", "fork")).unwrap();
    assert!(!player.in_past());
    assert_eq!(player.horizon_us(), player.world().now());
    assert!(player.checkpoints().times().all(|t| t <= player.world().now()), "the future's checkpoints are gone");
    player.seek(3_500_000);
    assert_eq!(player.world().now(), 1_000_000, "there is no future left to seek to");
    // Playing on from the past replays the remembered run, clicks included, and becomes its present.
    let original = busy_player(4);
    let mut player = busy_player(4);
    player.seek(1_000_000);
    assert_eq!(player.advance(2_000_000, NEVER), Stop::Reached);
    assert!(player.in_past(), "still in the past of the longer run");
    assert_eq!(player.advance(3_500_000, NEVER), Stop::Reached);
    assert!(!player.in_past());
    assert!(player.world().recorded_commands().iter().eq(original.world().recorded_commands().iter()));
    assert_eq!(player.world().trace_hash(), original.world().trace_hash());
    // Beyond the remembered run it goes on live.
    player.advance(4_000_000, NEVER);
    let mut straight = busy_player(4);
    straight.advance(4_000_000, NEVER);
    assert_eq!(player.world().trace_hash(), straight.world().trace_hash());
}

#[test]
fn a_replay_in_the_past_keeps_to_the_frame_budget() {
    let mut player = busy_player(5);
    player.seek(200_000);
    let checks = Cell::new(0);
    let out_of_time = || {
        checks.set(checks.get() + 1);
        checks.get() > 3
    };
    assert_eq!(player.advance(3_000_000, &out_of_time), Stop::OutOfBudget);
    assert!(player.in_past() && player.world().now() < 3_000_000);
    while player.advance(3_500_000, NEVER) != Stop::Reached {}
    assert_eq!(player.world().trace_hash(), busy_player(5).world().trace_hash());
}

#[test]
fn checkpoints_are_spaced_by_events_and_seek_exactly() {
    let mut player = Player::new(Config::default(), 8).unwrap();
    player.set_load(Some(40)).unwrap();
    // Frame by frame, as the UI plays it, and then in one call, as the CLI does: both keep them dense.
    while player.world().now() < 20_000_000 {
        player.advance(player.world().now() + 3_333_333, NEVER);
    }
    assert_eq!(player.run_through(40_000_000), Ok(()));
    let checkpoints = player.checkpoints();
    let events: Vec<u64> = checkpoints.events().collect();
    assert!(events.len() as u64 >= player.world().events() / CHECKPOINT_EVENTS / 2, "{} checkpoints", events.len());
    assert!(
        events.windows(2).all(|w| w[1] - w[0] <= 2 * CHECKPOINT_EVENTS),
        "at most a chunk of events beyond the spacing: {events:?}"
    );
    assert!(checkpoints.bytes() <= CHECKPOINT_BYTES_MAX);
    let hash = player.world().trace_hash();
    player.seek(17_654_321);
    player.seek(40_000_000);
    assert_eq!(player.world().trace_hash(), hash, "a seek to the end is the end");
}

#[test]
fn script_steps_run_exactly_once_across_seeks() {
    let lesson = lesson();
    let straight = played(&lesson);
    let mut player = Player::from_scenario(&lesson).unwrap();
    let end = ms(lesson.end_ms());
    // Stop in the middle of the instant at 1000 ms: the narration ran, the crash of the same instant not yet.
    assert_eq!(player.advance(end, NEVER), Stop::Paused);
    assert_eq!(player.world().now(), ms(1000));
    player.seek(ms(700));
    assert_eq!(
        player.current_narration().map(|n| n.narration.text.as_str()),
        None,
        "at 700 ms no narration has been shown yet"
    );
    player.seek(ms(1000));
    assert_eq!(player.script_cursor(), 2, "the crash at 1000 ms is still to run");
    player.run_through(end).unwrap();
    player.seek(ms(1000));
    assert_eq!(player.script_cursor(), 3, "every step at 1000 ms ran in the furthest run");
    player.seek(ms(600));
    player.run_through(end).unwrap();
    let crashes = player.world().recorded_commands().iter().filter(|c| c.command == Command::Crash { node: 0 }).count();
    assert_eq!(crashes, 1);
    assert_eq!(player.world().recorded_commands().len(), 3, "each scripted command once");
    assert_eq!(player.world().trace_hash(), straight.world().trace_hash());
    assert_eq!(player.current_narration().map(|n| n.narration.text.as_str()), Some("a new leader took over"));
}

#[test]
fn a_paused_narration_stops_advance_until_called_again() {
    let mut player = Player::from_scenario(&lesson()).unwrap();
    assert_eq!(player.advance(ms(3000), NEVER), Stop::Paused);
    assert_eq!(player.world().now(), ms(1000));
    assert_eq!(
        player.current_narration().map(|n| n.narration.text.as_str()),
        Some("x=1 is committed; now the leader dies")
    );
    assert_eq!(player.advance(ms(3000), NEVER), Stop::Reached);
    assert_eq!(player.world().now(), ms(3000));
    let mut straight = Player::from_scenario(&lesson()).unwrap();
    straight.run_through(ms(3000)).unwrap();
    assert_eq!(player.world().trace_hash(), straight.world().trace_hash());
}

#[test]
fn advance_stops_when_the_budget_runs_out_and_goes_on_next_time() {
    let mut player = Player::new(Config::default(), 2).unwrap();
    player.set_load(Some(40)).unwrap();
    let checks = Cell::new(0);
    let out_of_time = || {
        checks.set(checks.get() + 1);
        checks.get() > 3
    };
    assert_eq!(player.advance(ms(2000), &out_of_time), Stop::OutOfBudget);
    let now = player.world().now();
    assert!(now > 0 && now < ms(2000), "some progress, not all of it: {now}");
    assert_eq!(player.advance(ms(2000), NEVER), Stop::Reached);
    let mut straight = Player::new(Config::default(), 2).unwrap();
    straight.set_load(Some(40)).unwrap();
    straight.advance(ms(2000), NEVER);
    assert_eq!(player.world().trace_hash(), straight.world().trace_hash(), "the budget does not change the run");
}

#[test]
fn a_refused_script_command_is_reported_and_the_run_goes_on() {
    // At 0 ms there is no leader yet to take a membership change.
    let file = scenario(vec![narrate(0, "hello", false), step(0, StepKind::Do(Command::RemoveNode { node: 1 }))]);
    let mut player = Player::from_scenario(&file).unwrap();
    match player.advance(ms(1000), NEVER) {
        Stop::Refused(refusal) => {
            assert_eq!((refusal.step, refusal.at_ms), (1, 0));
            assert!(refusal.to_string().starts_with("steps[1] at 0 ms: remove-node: "), "{refusal}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(player.advance(ms(1000), NEVER), Stop::Reached);
    assert_eq!(player.world().now(), ms(1000));
    let mut player = Player::from_scenario(&file).unwrap();
    assert_eq!(player.run_through(ms(1000)).map_err(|r| r.step), Err(1));
}

#[test]
fn the_player_plays_a_scenario_as_commands_at_their_times() {
    let lesson = lesson();
    let mut world = World::new(lesson.config.clone(), lesson.seed).unwrap();
    for (at_ms, command) in lesson.commands() {
        world.run_until(ms(at_ms));
        world.apply(command.clone()).unwrap();
    }
    world.run_until(ms(lesson.end_ms()));
    let player = played(&lesson);
    assert_eq!(player.world().trace_hash(), world.trace_hash());
    assert_eq!(player.world().now(), world.now());
}

#[test]
fn stepping_and_next_interesting_run_script_steps_in_their_place() {
    let lesson = lesson();
    let mut player = Player::from_scenario(&lesson).unwrap();
    let mut stops = Vec::new();
    loop {
        match player.next_interesting(ms(100)) {
            Stop::Reached => {}
            Stop::Ended => break,
            stop => stops.push(stop),
        }
    }
    assert_eq!(stops, [Stop::Paused]);
    assert_eq!(player.world().now(), ms(lesson.end_ms()));
    player.lift_end();
    for _ in 0..50 {
        assert_eq!(player.step_forward(), Stop::Reached);
    }
    player.advance(ms(lesson.end_ms() + 1000), NEVER);
    let mut straight = played(&lesson);
    straight.lift_end();
    straight.advance(ms(lesson.end_ms() + 1000), NEVER);
    assert_eq!(player.world().trace_hash(), straight.world().trace_hash());
}

#[test]
fn an_exported_session_replays_bit_for_bit_with_its_narrations() {
    let mut player = Player::from_scenario(&lesson()).unwrap();
    player.advance(ms(1500), NEVER);
    player.advance(ms(1500), NEVER);
    player.apply(Command::Restart { node: 0 }).unwrap();
    player.advance(2_222_222, NEVER);
    let export = player.to_scenario("recorded", "a summary");
    let parsed = Scenario::from_json(&export.to_json_pretty()).expect("the export parses");
    assert_eq!(parsed.summary, "a summary");
    let narrations = parsed.steps.iter().filter(|s| matches!(s.kind, StepKind::Narrate { .. })).count();
    assert_eq!(narrations, 1, "the narration shown so far, not the one still to come");
    assert_eq!(parsed.steps[1], lesson().steps[1], "the narration comes before the crash of its instant");
    let replay = played(&parsed);
    assert_eq!(replay.world().now(), ms(2223));
    let mut original = player.clone();
    original.advance(ms(2223), NEVER);
    assert_eq!(replay.world().trace_hash(), original.world().trace_hash());
}

#[test]
fn a_restart_is_the_same_run_from_time_zero() {
    let lesson = lesson();
    let mut player = played(&lesson);
    player.apply(Command::SetLoss { probability: 0.5 }).unwrap();
    let mut again = player.restarted();
    assert_eq!(
        (again.world().now(), again.script_cursor(), again.current_narration().map(|n| n.narration.text.as_str())),
        (0, 0, None)
    );
    again.run_through(ms(lesson.end_ms())).unwrap();
    assert_eq!(again.world().trace_hash(), played(&lesson).world().trace_hash());
}
