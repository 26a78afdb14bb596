//! Checkpoints for time travel: copies of the world taken as the run goes, from which a seek replays the
//! recorded commands forwards (RaftScope's `state.js` does the same).
//!
//! A seek costs one copy and the replay of what happened since the checkpoint, so checkpoints are spaced by
//! work, not by time: one every `spacing` events (a recorded command counts as one), which bounds the
//! replay however busy the cluster is. Copies are cheap because the world keeps its long records in shared
//! chunks (`world/chunked.rs`), so a checkpoint owns only what changed since the one before it. The trace
//! records are not kept when replaying them is cheaper: a restore replays far enough to refill the ring.
//!
//! Memory stays bounded however long the run: the checkpoints' estimated bytes (`World::heap_bytes_beyond`,
//! counting only what a checkpoint does not share with the one before it) and their number have ceilings;
//! at either one every other checkpoint is dropped and the spacing doubles, so the checkpoints always cover
//! the whole run and the replay stays bounded (by the doubled spacing).

use crate::sim::types::Time;
use crate::sim::world::chunked::ChunkedDeque;
use crate::sim::world::{TimedCommand, World};

/// A checkpoint every this many events (and recorded commands) at first: a seek replays at most this many
/// (plus a trace ring's worth when the checkpoint has no records). A one-hour run of 9 nodes under the UI's
/// write load makes 5.7 M events: 695 checkpoints at this spacing, 47 MiB estimated in the browser (wasm32),
/// within the ceiling; natively (64-bit pointers) they would ask for 64 MiB, and that run is thinned to one
/// every 16,384 events (docs/PERFORMANCE.md).
pub const CHECKPOINT_EVENTS: u64 = 8_192;
/// At most this many checkpoints are kept.
pub const CHECKPOINTS_MAX: usize = 4_096;
/// The checkpoints' estimated bytes stay below this. DESIGN §6 allows 64 MB (61 MiB); the estimate counts
/// the bytes asked for (within a few percent, `tests/checkpoint_memory.rs`), and glibc's headers and
/// rounding add about 25 % to what the checkpoints of the benchmark run ask for, hence the margin.
pub const CHECKPOINT_BYTES_MAX: usize = 48 << 20;
/// A checkpoint keeps the trace records only if the ring holds more than this many (a restore then has
/// fewer to replay than the ring is long; below it, replaying the records is cheaper than keeping them).
pub const TRACE_REBUILD_MAX: usize = 2_000;

/// Samples of the run's trace count are taken this many times per checkpoint spacing.
const SAMPLES_PER_SPACING: u64 = 16;

/// How far the run had come at a point: a lower bound of the trace records made by any later moment.
#[derive(Clone, Copy, Debug)]
struct Sample {
    time_us: Time,
    events: u64,
    records: u64,
}

/// Where a restore should land.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// After every event and every command up to and including this virtual time.
    Time(Time),
    /// Just after the run's n-th event (commands recorded before it applied, none after it).
    Events(u64),
}

/// One kept copy and what it costs.
#[derive(Clone)]
struct Checkpoint {
    world: World,
    /// Estimated bytes this copy holds beyond the checkpoint before it (all of them for the first).
    bytes: usize,
    /// Whether the copy has its trace records (else a restore must replay a ring's worth of records).
    trace_kept: bool,
}

/// Copies of the world at increasing points of one run, the first one at its start.
///
/// Invariants: `1 <= list.len() <= max`; `(events, commands)` strictly increase along the list; `list[0]`
/// is the start of the run and keeps its trace records; `bytes` is the sum of the checkpoints' `bytes`.
#[derive(Clone)]
pub struct Checkpoints {
    list: Vec<Checkpoint>,
    /// The run's trace count every `spacing / SAMPLES_PER_SPACING` events, oldest first: a restore skips
    /// copying the trace records that will have left the ring by its target (most of a replay's records).
    samples: Vec<Sample>,
    spacing: u64,
    max: usize,
    bytes: usize,
    bytes_max: usize,
}

/// Work done so far: events processed plus commands applied (each command is replayed like an event).
fn work(world: &World) -> u64 {
    world.events() + world.recorded_commands().len() as u64
}

impl Checkpoints {
    /// Starts with `first`, the world at the start of the run, with the default limits.
    pub fn new(first: World) -> Checkpoints {
        Checkpoints::with_limits(first, CHECKPOINT_EVENTS, CHECKPOINTS_MAX, CHECKPOINT_BYTES_MAX)
    }

    /// Starts with `first`, taking one every `spacing` events at first, keeping at most `max` (at least 2)
    /// and about `bytes_max` bytes.
    pub fn with_limits(first: World, spacing: u64, max: usize, bytes_max: usize) -> Checkpoints {
        assert!(max >= 2 && spacing > 0, "checkpoints need room for two and a positive spacing");
        let bytes = first.heap_bytes_beyond(None);
        Checkpoints {
            list: vec![Checkpoint { world: first, bytes, trace_kept: true }],
            samples: Vec::new(),
            spacing,
            max,
            bytes,
            bytes_max,
        }
    }

    /// How many are kept.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Never true: the start of the run is always kept (for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Events (and commands) between checkpoints now: what a restore replays at most, plus a trace ring.
    pub fn spacing(&self) -> u64 {
        self.spacing
    }

    /// Estimated bytes the checkpoints hold beyond one another (what they cost together).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many events the run had made at each checkpoint (for tests and diagnostics).
    pub fn events(&self) -> impl Iterator<Item = u64> + '_ {
        self.list.iter().map(|c| c.world.events())
    }

    /// The times of the checkpoints (for tests and diagnostics).
    pub fn times(&self) -> impl Iterator<Item = Time> + '_ {
        self.list.iter().map(|c| c.world.now())
    }

    /// Offers the world as it is now: copied if `spacing` events have passed since the newest checkpoint
    /// (thinning the list first when it is full). Cheap when it is not due: call it as often as you like.
    pub fn take_if_due(&mut self, world: &World) {
        let sampled = self.samples.last().map_or(0, |s| s.events);
        if world.events() >= sampled + (self.spacing / SAMPLES_PER_SPACING).max(1) {
            let sample = Sample { time_us: world.now(), events: world.events(), records: world.trace_records_made() };
            self.samples.push(sample);
        }
        let newest = &self.list.last().expect("the start is always kept").world;
        if work(world) < work(newest).saturating_add(self.spacing) {
            return;
        }
        let trace_kept = world.config().trace_capacity > TRACE_REBUILD_MAX;
        let copy = if trace_kept { world.clone() } else { world.clone_without_trace_records() };
        let mut bytes = copy.heap_bytes_beyond(Some(newest));
        while self.list.len() > 1 && (self.list.len() >= self.max || self.bytes + bytes > self.bytes_max) {
            self.thin();
            bytes = copy.heap_bytes_beyond(self.list.last().map(|c| &c.world));
        }
        self.bytes += bytes;
        self.list.push(Checkpoint { world: copy, bytes, trace_kept });
        debug_assert!(self.list.len() <= self.max);
    }

    /// Keeps the first checkpoint and every other one after it (and every other sample), and doubles the
    /// spacing.
    fn thin(&mut self) {
        let mut position = 0;
        self.list.retain(|_| {
            position += 1;
            position % 2 == 1
        });
        let mut position = 0;
        self.samples.retain(|_| {
            position += 1;
            position % 2 == 1
        });
        for i in 1..self.list.len() {
            let bytes = self.list[i].world.heap_bytes_beyond(Some(&self.list[i - 1].world));
            self.list[i].bytes = bytes;
        }
        self.bytes = self.list.iter().map(|c| c.bytes).sum();
        self.spacing = self.spacing.saturating_mul(2);
    }

    /// Forgets the checkpoints past `world` (the future they belonged to was replaced by a fork from it).
    pub fn forget_after(&mut self, world: &World) {
        let position = (world.events(), world.recorded_commands().len());
        let keep =
            self.list.partition_point(|c| (c.world.events(), c.world.recorded_commands().len()) <= position).max(1);
        self.list.truncate(keep);
        self.bytes = self.list.iter().map(|c| c.bytes).sum();
        self.samples.truncate(self.samples.partition_point(|s| s.events <= world.events()));
    }

    /// The world at `moment` of the run whose commands are `commands` (the run these checkpoints were taken
    /// from, or one that has the same past up to `moment`): the newest checkpoint before it, with the
    /// commands after it replayed. The result equals the run itself at that moment, trace records included.
    pub fn restore(&self, moment: Moment, commands: &ChunkedDeque<TimedCommand>) -> World {
        let start = self.newest_before(moment);
        let records_by_then = self.records_at_least(moment);
        let world = replay(&self.list[start], moment, commands, records_by_then);
        let capacity = world.config().trace_capacity as u64;
        let made = world.trace_records_made() - self.list[start].world.trace_records_made();
        if self.list[start].trace_kept || made >= capacity {
            return world;
        }
        // The ring is not full of this run's newest records yet: start early enough to make them all.
        let needed = world.trace_records_made().saturating_sub(capacity);
        let earlier = self.list[..start]
            .iter()
            .rposition(|c| c.trace_kept || c.world.trace_records_made() <= needed)
            .expect("the first checkpoint keeps its records");
        let world = replay(&self.list[earlier], moment, commands, records_by_then);
        debug_assert!(world.trace().count() == world.trace_records_made().min(capacity) as usize);
        world
    }

    /// The time of the checkpoint a restore to `moment` starts from: when a world already stands between it
    /// and `moment` on the same run, going on from that world replays less.
    pub fn start_time(&self, moment: Moment) -> Time {
        self.list[self.newest_before(moment)].world.now()
    }

    /// A number of trace records the run had certainly made by `moment` (from the newest sample before it).
    fn records_at_least(&self, moment: Moment) -> u64 {
        let before = match moment {
            Moment::Time(time_us) => self.samples.partition_point(|s| s.time_us <= time_us),
            // Strictly before, as for the checkpoints: a sample at the n-th event may count later commands.
            Moment::Events(n) => self.samples.partition_point(|s| s.events < n),
        };
        before.checked_sub(1).map_or(0, |i| self.samples[i].records)
    }

    /// Index of the newest checkpoint from which `moment` can be reached by going forwards.
    fn newest_before(&self, moment: Moment) -> usize {
        let after = match moment {
            Moment::Time(time_us) => self.list.partition_point(|c| c.world.now() <= time_us),
            // Strictly before: a checkpoint at the n-th event may already hold commands applied after it.
            Moment::Events(n) => self.list.partition_point(|c| c.world.events() < n),
        };
        after.saturating_sub(1)
    }
}

/// Replays the commands after `from` up to `moment` on a copy of it, each after the events before it, as
/// the run applied them. `records_by_then` is a number of trace records the run has made by `moment` at least.
fn replay(from: &Checkpoint, moment: Moment, commands: &ChunkedDeque<TimedCommand>, records_by_then: u64) -> World {
    let mut world = from.world.clone();
    // Records older than the ring's capacity before `records_by_then` leave the ring before the end.
    world.skip_trace_records_until(records_by_then.saturating_sub(world.config().trace_capacity as u64));
    let (until_us, limit) = match moment {
        Moment::Time(time_us) => (time_us, u64::MAX),
        Moment::Events(n) => (Time::MAX, n),
    };
    // The checkpoint already holds the first `done` commands of the run (counting, rather than comparing
    // times, is exact when a command was applied at the checkpoint's own instant).
    let done = world.recorded_commands().len();
    for recorded in commands.iter().skip(done).take_while(|c| c.at_us <= until_us) {
        run_limited(&mut world, recorded.at_us, limit);
        if world.events() >= limit {
            return world;
        }
        // Replayed as it was applied: a command the world recorded and then refused (a bit flip on a
        // record that is gone) is refused again in the same way, and changes nothing either time.
        let _ = world.apply(recorded.command.clone());
    }
    run_limited(&mut world, until_us, limit);
    debug_assert!(world.recorded_commands().len() <= commands.len());
    world
}

/// `World::run_until(time_us)` (`Time::MAX`: no time limit, the clock stays at the last event), except
/// that it stops after the run's `limit`-th event.
fn run_limited(world: &mut World, time_us: Time, limit: u64) {
    while world.events() < limit && world.next_event_time().is_some_and(|at| at <= time_us) {
        world.step();
    }
    if world.events() < limit && time_us != Time::MAX {
        world.run_until(time_us);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::config::Config;
    use crate::sim::world::command::Command;

    fn loaded_world() -> World {
        let mut world = World::new(Config { nodes: 5, clients: 4, ..Config::default() }, 5).unwrap();
        world.apply(Command::SetWriteLoad { per_second: 40, mix: None }).unwrap();
        world
    }

    #[test]
    fn thinning_keeps_the_count_bounded_and_the_whole_run_covered() {
        let mut world = loaded_world();
        let mut checkpoints = Checkpoints::with_limits(world.clone(), 500, 8, usize::MAX);
        for _ in 0..500 {
            world.run_until(world.now() + 10_000);
            checkpoints.take_if_due(&world);
            assert!(checkpoints.len() <= 8, "{} checkpoints", checkpoints.len());
        }
        let times: Vec<Time> = checkpoints.times().collect();
        assert_eq!(times[0], 0, "the start of the run is kept");
        assert!(times.windows(2).all(|w| w[0] < w[1]), "times increase: {times:?}");
        // The spacing doubled until 8 checkpoints span the run's events.
        assert!(checkpoints.spacing() >= world.events() / 8, "spacing {}", checkpoints.spacing());
        let newest = checkpoints.list.last().unwrap().world.events();
        assert!(newest + checkpoints.spacing() > world.events(), "the newest is recent");
    }

    #[test]
    fn the_byte_ceiling_thins_too_and_the_sum_is_kept() {
        let mut world = loaded_world();
        let mut checkpoints = Checkpoints::with_limits(world.clone(), 300, 1_000, 400_000);
        for _ in 0..400 {
            world.run_until(world.now() + 10_000);
            checkpoints.take_if_due(&world);
            assert!(checkpoints.bytes() <= 400_000 || checkpoints.len() == 1, "{} bytes", checkpoints.bytes());
            assert_eq!(checkpoints.bytes(), checkpoints.list.iter().map(|c| c.bytes).sum::<usize>());
        }
        assert!(checkpoints.spacing() > 300, "the ceiling was reached and the spacing doubled");
        assert!(checkpoints.len() > 2);
    }

    #[test]
    fn a_restore_equals_the_run_at_that_moment_trace_records_included() {
        let mut world = loaded_world();
        let mut checkpoints = Checkpoints::with_limits(world.clone(), 700, 64, usize::MAX);
        let mut reference = Vec::new();
        for i in 0..300u64 {
            world.run_until(world.now() + 7_919);
            if i % 50 == 7 {
                world.apply(Command::Crash { node: (i % 5) as usize }).unwrap();
            }
            if i % 50 == 20 {
                world.apply(Command::Restart { node: ((i - 13) % 5) as usize }).unwrap();
            }
            checkpoints.take_if_due(&world);
            if i % 23 == 0 {
                // A world just after a command is not "just after an event": Events(n) leaves it out.
                let command_last = matches!(i % 50, 7 | 20);
                reference.push((world.clone(), command_last));
            }
        }
        assert!(checkpoints.list.iter().skip(1).all(|c| !c.trace_kept), "500 records are cheaper to replay");
        assert!(reference.iter().any(|(_, command_last)| *command_last), "a command at the very end is covered");
        for (expected, command_last) in &reference {
            let restored = checkpoints.restore(Moment::Time(expected.now()), world.recorded_commands());
            assert_eq!(restored.now(), expected.now());
            assert_eq!((restored.events(), restored.trace_hash()), (expected.events(), expected.trace_hash()));
            assert_eq!(restored.view(), expected.view(), "at {} µs", expected.now());
            let by_events = checkpoints.restore(Moment::Events(expected.events()), world.recorded_commands());
            assert_eq!(by_events.events(), expected.events());
            assert_eq!(by_events.trace_hash() == expected.trace_hash(), !command_last);
            if !command_last {
                // The same world; only its clock may stand earlier (at the event rather than after it).
                let mut view = by_events.view();
                assert!(view.time_us <= expected.now());
                view.time_us = expected.now();
                // The nodes' clocks are read at the world's clock too (every node runs at 1× here).
                for node in &mut view.nodes {
                    node.local_time_us = expected.now();
                }
                assert_eq!(view, expected.view());
            }
        }
    }

    #[test]
    fn forgetting_after_a_fork_keeps_the_past_and_the_start() {
        let mut world = loaded_world();
        let mut checkpoints = Checkpoints::with_limits(world.clone(), 400, 64, usize::MAX);
        let mut middle = None;
        for i in 0..100 {
            world.run_until(world.now() + 10_000);
            checkpoints.take_if_due(&world);
            if i == 50 {
                middle = Some(world.clone());
            }
        }
        let middle = middle.unwrap();
        let before = checkpoints.len();
        checkpoints.forget_after(&middle);
        assert!(checkpoints.len() < before);
        assert!(checkpoints.list.iter().all(|c| c.world.events() <= middle.events()));
        checkpoints.forget_after(&loaded_world());
        assert_eq!(checkpoints.len(), 1, "the start is never forgotten");
    }
}
