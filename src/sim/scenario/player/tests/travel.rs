//! Stepping one event back and forth, the stops of the story, forks and their undo, the lesson's end.

use super::*;

/// `busy_player`'s run as a fresh world: the same commands at their times, then `events` events in all.
fn straight_after(seed: u64, events: u64) -> World {
    let original = busy_player(seed);
    let mut world = World::new(Config::default(), seed).unwrap();
    for recorded in original.world().recorded_commands().iter() {
        world.run_until(recorded.at_us);
        world.apply(recorded.command.clone()).unwrap();
    }
    assert!(world.events() <= events, "the commands come before the events compared");
    world.run_events(events - world.events());
    world
}

#[test]
fn step_back_is_exactly_one_event_back_and_step_forward_returns() {
    let mut player = busy_player(6);
    let (hash, events, now) = (player.world().trace_hash(), player.world().events(), player.world().now());
    assert!(player.step_back());
    assert!(player.in_past());
    assert_eq!(player.world().events(), events - 1);
    assert_eq!(player.world().trace_hash(), straight_after(6, events - 1).trace_hash());
    assert_eq!(player.step_forward(), Stop::Reached);
    assert_eq!((player.world().trace_hash(), player.world().events(), player.world().now()), (hash, events, now));
    assert!(!player.in_past(), "back at the present");
    // Several at once, each exactly one event.
    for back in 1..=5 {
        assert!(player.step_back());
        assert_eq!(player.world().events(), events - back);
    }
    assert_eq!(player.world().trace_hash(), straight_after(6, events - 5).trace_hash());
    for _ in 0..5 {
        player.step_forward();
    }
    assert_eq!((player.world().trace_hash(), player.world().events()), (hash, events));
}

#[test]
fn a_command_between_two_events_goes_back_with_the_event_before_it() {
    let mut player = Player::new(Config::default(), 9).unwrap();
    player.advance(600_250, NEVER);
    player.apply(Command::Crash { node: 1 }).unwrap();
    let (hash, events, commands) =
        (player.world().trace_hash(), player.world().events(), player.world().recorded_commands().len());
    assert_eq!(
        player.world().recorded_commands().get(commands - 1).unwrap().events,
        events,
        "applied after `events` events"
    );
    assert!(player.step_back());
    assert_eq!(player.world().recorded_commands().len(), commands - 1, "the crash came after the last event");
    assert_eq!(player.step_forward(), Stop::Reached);
    assert_eq!((player.world().trace_hash(), player.world().recorded_commands().len()), (hash, commands));
    // Back to the start, and nothing before it.
    let mut start = Player::new(Config::default(), 9).unwrap();
    assert!(!start.step_back(), "no event yet");
    start.step_forward();
    assert!(start.step_back());
    assert_eq!(start.world().events(), 0);
    assert!(!start.step_back());
}

#[test]
fn step_forward_runs_the_script_steps_due_before_the_next_event() {
    let lesson = lesson();
    let mut player = Player::from_scenario(&lesson).unwrap();
    let mut paused_at = Vec::new();
    while player.world().now() < ms(1500) {
        if player.step_forward() == Stop::Paused {
            paused_at.push(player.world().now());
        }
        let next_event = player.world().next_event_time().unwrap();
        let due = player.script().iter().filter(|s| ms(s.at_ms) < next_event).count();
        assert_eq!(player.script_cursor(), due, "at {}: every step before the next event ran", player.world().now());
    }
    assert_eq!(paused_at, [ms(1000)], "the pausing narration was reached, and reported, once");
    // The same steps backwards: each step back is one event, the narration goes with the clock.
    while player.world().now() > ms(1000) {
        assert!(player.step_back());
    }
    assert!(player.world().now() <= ms(1000));
    let shown = player.current_narration().map(|n| n.at_ms);
    assert_eq!(shown, (player.world().now() == ms(1000)).then_some(1000));
}

#[test]
fn the_stops_are_the_narrations_and_questions_around_the_clock() {
    let mut player = played(&lesson());
    player.seek(ms(1500));
    assert_eq!((player.previous_stop(), player.next_stop()), (Some(ms(1000)), Some(ms(2500))));
    player.seek(ms(1000));
    assert_eq!((player.previous_stop(), player.next_stop()), (None, Some(ms(2500))));
    player.seek(ms(2500));
    assert_eq!((player.previous_stop(), player.next_stop()), (Some(ms(1000)), None));
}

#[test]
fn a_fork_can_be_undone_until_the_next_change() {
    let original = busy_player(4);
    let mut player = busy_player(4);
    player.seek(1_000_000);
    assert_eq!(player.apply(Command::Crash { node: 99 }).map_err(|e| e.contains("does not exist")), Err(true));
    assert!(player.in_past() && player.last_fork().is_none(), "a refused command forks nothing");
    player.apply(put(1, "y", "fork")).unwrap();
    assert_eq!(player.last_fork(), Some(Fork { at_us: 1_000_000, discarded_until_us: 3_500_000 }));
    player.advance(2_000_000, NEVER);
    assert!(player.undo_fork());
    assert_eq!((player.world().now(), player.horizon_us(), player.in_past()), (1_000_000, 3_500_000, true));
    player.seek(3_500_000);
    assert_eq!(player.world().trace_hash(), original.world().trace_hash(), "the discarded run is back, exactly");
    assert!(!player.undo_fork(), "undone once");
    // Another change makes the last fork final.
    player.seek(1_000_000);
    player.apply(put(1, "y", "fork")).unwrap();
    player.apply(put(1, "y", "again")).unwrap();
    assert_eq!(player.last_fork(), None);
    assert!(!player.undo_fork());
}

#[test]
fn a_command_in_the_past_lands_where_it_would_have_landed_live() {
    let mut live = busy_player(3);
    live.seek(2_000_500);
    live.apply(Command::Pause { node: 2 }).unwrap();
    assert_eq!(live.world().recorded_commands().iter().last().map(|c| c.at_us), Some(2_001_000));
    live.advance(3_000_000, NEVER);
    // The same click in a run that never went further than 2000.5 ms.
    let mut fresh = Player::new(Config::default(), 3).unwrap();
    for recorded in busy_player(3).world().recorded_commands().iter().filter(|c| c.at_us <= 2_000_500) {
        fresh.advance(recorded.at_us, NEVER);
        fresh.apply(recorded.command.clone()).unwrap();
    }
    fresh.advance(2_000_500, NEVER);
    fresh.apply(Command::Pause { node: 2 }).unwrap();
    fresh.advance(3_000_000, NEVER);
    assert_eq!(live.world().trace_hash(), fresh.world().trace_hash());
}

#[test]
fn a_lesson_stops_at_its_end_until_the_end_is_lifted() {
    let lesson = lesson();
    let end = ms(lesson.end_ms());
    let mut player = Player::from_scenario(&lesson).unwrap();
    assert_eq!(player.end_us(), Some(end));
    while player.advance(end + ms(5000), NEVER) != Stop::Ended {}
    assert_eq!(player.world().now(), end);
    assert!(player.at_end());
    assert_eq!(player.step_forward(), Stop::Ended);
    assert_eq!(player.next_interesting(ms(100)), Stop::Ended);
    assert_eq!(player.world().now(), end, "nothing moves past the end");
    player.lift_end();
    assert_eq!((player.end_us(), player.at_end()), (None, false));
    assert_eq!(player.advance(end + ms(500), NEVER), Stop::Reached);
    assert_eq!(player.world().now(), end + ms(500));
    assert_eq!(player.restarted().end_us(), Some(end), "a replay of the lesson ends again");
    assert_eq!(Player::new(Config::default(), 1).unwrap().end_us(), None, "free play never ends");
}
