//! Replaying the player's own past: bringing a world that lies on the way of a recorded run (a checkpoint of
//! it, or the player's world while it shows that run's past) forward along it, by applying the run's
//! recorded commands where they were applied. The world is deterministic, so the state reached is the
//! recorded run's own; nothing here runs a script step (the commands of the steps are among the recorded
//! ones).
//!
//! Two ways to say where to stop: a time (every command and event at or before it), or a position (so many
//! events processed and so many commands applied: a moment between two events, which a time cannot name when
//! a command and events share an instant).

use crate::sim::types::{ms, Time};
use crate::sim::world::chunked::ChunkedDeque;
use crate::sim::world::{TimedCommand, World};

/// How many events run between two looks at the budget during a replay by position.
const EVENTS_PER_BUDGET_CHECK: u64 = 256;

/// Applies the recorded command that is next for `world`, at its time (after the events up to it).
fn apply_next(world: &mut World, commands: &ChunkedDeque<TimedCommand>) {
    let recorded = commands.get(world.recorded_commands().len()).expect("a command is next");
    world.run_until(recorded.at_us);
    debug_assert_eq!(world.events(), recorded.events, "the command meets the events it met when recorded");
    // Replayed as it was applied: a command the world recorded and then refused (a bit flip on a record that
    // is gone) is refused again in the same way, and changes nothing either time.
    let _ = world.apply(recorded.command.clone());
}

/// Brings `world` to `time_us` along the run that recorded `commands`: every command at or before that time
/// applied at its own time, every event at or before it processed.
pub fn to_time(world: &mut World, commands: &ChunkedDeque<TimedCommand>, time_us: Time) {
    debug_assert!(world.now() <= time_us, "a replay only moves forward");
    while commands.get(world.recorded_commands().len()).is_some_and(|c| c.at_us <= time_us) {
        apply_next(world, commands);
    }
    world.run_until(time_us);
}

/// [`to_time`] in small chunks, asking `out_of_time()` between them; false if it ran out first (the world is
/// then part of the way, still on the recorded run).
pub fn to_time_within(
    world: &mut World,
    commands: &ChunkedDeque<TimedCommand>,
    time_us: Time,
    out_of_time: &dyn Fn() -> bool,
) -> bool {
    let chunk_us = (time_us.saturating_sub(world.now()) / 16).max(ms(1));
    while world.now() < time_us {
        let t = world.now().saturating_add(chunk_us).min(time_us);
        to_time(world, commands, t);
        if t < time_us && out_of_time() {
            return false;
        }
    }
    to_time(world, commands, time_us);
    true
}

/// Brings `world` to the moment of the recorded run when `events` events had been processed and `count`
/// commands applied (a moment the run passed through, such as a script step's mark), asking `out_of_time()`
/// every few hundred events; false if it ran out first.
pub fn to_position(
    world: &mut World,
    commands: &ChunkedDeque<TimedCommand>,
    events: u64,
    count: usize,
    out_of_time: &dyn Fn() -> bool,
) -> bool {
    debug_assert!(world.events() <= events && world.recorded_commands().len() <= count, "a replay only moves forward");
    loop {
        let done = world.recorded_commands().len();
        if done < count && commands.get(done).is_some_and(|c| c.events == world.events()) {
            apply_next(world, commands);
        } else if world.events() < events {
            if !world.step() {
                break;
            }
            if world.events().is_multiple_of(EVENTS_PER_BUDGET_CHECK) && out_of_time() {
                return false;
            }
        } else {
            break;
        }
    }
    debug_assert_eq!((world.events(), world.recorded_commands().len()), (events, count), "the position was on the run");
    true
}

/// How many of the run's `commands` had been applied by the time `events` events were processed (they are
/// in the order they were applied, so their `events` never decrease).
pub fn applied_by(commands: &ChunkedDeque<TimedCommand>, events: u64) -> usize {
    commands.iter().take_while(|c| c.events <= events).count()
}
