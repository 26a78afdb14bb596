//! Checkpoints for time travel: copies of the world taken as the run goes, from which a seek replays the
//! recorded commands forwards (RaftScope's `state.js` does the same). Memory stays bounded however long the
//! run: when the list is full every other checkpoint is dropped and the interval doubles, so the checkpoints
//! always cover the whole run, densest where it began.

use crate::sim::types::Time;
use crate::sim::world::World;

/// Checkpoints are taken this often at first (virtual microseconds).
pub const CHECKPOINT_INTERVAL_US: Time = 1_000_000;
/// At most this many checkpoints are kept.
pub const CHECKPOINTS_MAX: usize = 64;

/// Worlds at increasing times, the first one at time zero.
///
/// Invariants: `1 <= worlds.len() <= max`; times strictly increase; `worlds[0]` is the start of the run.
#[derive(Clone)]
pub struct Checkpoints {
    worlds: Vec<World>,
    interval_us: Time,
    max: usize,
}

impl Checkpoints {
    /// Starts with `first`, the world at the start of the run.
    pub fn new(first: World) -> Checkpoints {
        Checkpoints::with_limits(first, CHECKPOINT_INTERVAL_US, CHECKPOINTS_MAX)
    }

    /// Starts with `first`, taking one every `interval_us` at first and keeping at most `max` (at least 2).
    pub fn with_limits(first: World, interval_us: Time, max: usize) -> Checkpoints {
        assert!(max >= 2 && interval_us > 0, "checkpoints need room for two and a positive interval");
        Checkpoints { worlds: vec![first], interval_us, max }
    }

    /// How many are kept.
    pub fn len(&self) -> usize {
        self.worlds.len()
    }

    /// Never true: the start of the run is always kept (for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        self.worlds.is_empty()
    }

    /// The current interval between checkpoints (it doubles at each thinning).
    pub fn interval_us(&self) -> Time {
        self.interval_us
    }

    /// Copies `world` if an interval has passed since the newest checkpoint; thins the list first if full.
    pub fn take_if_due(&mut self, world: &World) {
        let newest = self.worlds.last().map_or(0, World::now);
        if world.now() < newest.saturating_add(self.interval_us) {
            return;
        }
        if self.worlds.len() >= self.max {
            // Keep the first (time zero) and every other one after it.
            let mut position = 0;
            self.worlds.retain(|_| {
                position += 1;
                position % 2 == 1
            });
            self.interval_us = self.interval_us.saturating_mul(2);
        }
        self.worlds.push(world.clone());
        debug_assert!(self.worlds.len() <= self.max);
    }

    /// The newest checkpoint at or before `time_us` (the first one always qualifies).
    pub fn at_or_before(&self, time_us: Time) -> &World {
        let after = self.worlds.partition_point(|w| w.now() <= time_us);
        &self.worlds[after.saturating_sub(1)]
    }

    /// The newest checkpoint that had processed at most `events` world events (the first one always
    /// qualifies): where a step back to a moment between two events starts its replay.
    pub fn at_or_before_events(&self, events: u64) -> &World {
        let after = self.worlds.partition_point(|w| w.events() <= events);
        &self.worlds[after.saturating_sub(1)]
    }

    /// Forgets the checkpoints after `time_us` (the future they belonged to was replaced).
    pub fn forget_after(&mut self, time_us: Time) {
        let keep = self.worlds.partition_point(|w| w.now() <= time_us).max(1);
        self.worlds.truncate(keep);
    }

    /// The times of the checkpoints (for tests and diagnostics).
    pub fn times(&self) -> impl Iterator<Item = Time> + '_ {
        self.worlds.iter().map(World::now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::config::Config;

    #[test]
    fn thinning_keeps_the_count_bounded_and_the_whole_run_covered() {
        let mut world = World::new(Config::default(), 5).unwrap();
        let mut checkpoints = Checkpoints::with_limits(world.clone(), 10_000, 8);
        for _ in 0..500 {
            world.run_until(world.now() + 10_000);
            checkpoints.take_if_due(&world);
            assert!(checkpoints.len() <= 8, "{} checkpoints", checkpoints.len());
        }
        let times: Vec<Time> = checkpoints.times().collect();
        assert_eq!(times[0], 0, "the start of the run is kept");
        assert!(times.windows(2).all(|w| w[0] < w[1]), "times increase: {times:?}");
        // 5 s of run in 8 checkpoints: the interval doubled until 8 of them span it.
        assert!(checkpoints.interval_us() >= 5_000_000 / 8, "interval {}", checkpoints.interval_us());
        assert!(*times.last().unwrap() + checkpoints.interval_us() > world.now(), "the newest is recent: {times:?}");
    }

    #[test]
    fn the_checkpoint_for_a_time_is_the_newest_not_after_it() {
        let mut world = World::new(Config::default(), 5).unwrap();
        let mut checkpoints = Checkpoints::with_limits(world.clone(), 100_000, 16);
        for _ in 0..10 {
            world.run_until(world.now() + 100_000);
            checkpoints.take_if_due(&world);
        }
        assert_eq!(checkpoints.at_or_before(0).now(), 0);
        assert_eq!(checkpoints.at_or_before(250_000).now(), 200_000);
        assert_eq!(checkpoints.at_or_before(300_000).now(), 300_000);
        checkpoints.forget_after(450_000);
        assert_eq!(checkpoints.times().collect::<Vec<_>>(), [0, 100_000, 200_000, 300_000, 400_000]);
        checkpoints.forget_after(0);
        assert_eq!(checkpoints.len(), 1, "the start is never forgotten");
    }
}
