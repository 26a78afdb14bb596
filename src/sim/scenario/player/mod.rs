//! The one scenario player: a running world, the script it follows (a scenario's own steps), checkpoints
//! for time travel, and the furthest run reached before a seek back. The CLI plays a file to its end with
//! it, the tests play every lesson with it, and the web UI drives it frame by frame (with a wall-clock
//! budget handed in as a closure, so nothing here knows about browsers).
//!
//! Architecture Invariant: the player only calls `World`'s public API, and every change to the cluster goes
//! through `World::apply`, so `World::recorded_commands` is always a complete, replayable account of the
//! run (that is what a seek replays and what an export writes).
//!
//! Architecture Invariant: a script step at time T runs after every event at or before T (`run_until(T)`
//! first), on every path (`advance`, `step`, `next_interesting`, `run_through`), so a scenario gives the same
//! run however it is played.

mod checkpoints;
mod recording;
mod script;
pub mod seek_bench;
#[cfg(test)]
mod tests;

pub use checkpoints::{Checkpoints, Moment, CHECKPOINTS_MAX, CHECKPOINT_BYTES_MAX, CHECKPOINT_EVENTS};
pub use script::{Refusal, Script, StepOutcome};

use crate::sim::config::Config;
use crate::sim::scenario::{Scenario, Step};
use crate::sim::types::{ms, Time};
use crate::sim::world::command::Command;
use crate::sim::world::World;

/// Longest chunk of virtual time a run goes through between two looks at the clock and the checkpoints.
const CHUNK_MS_MAX: u64 = 20;

/// Why a call that moves the run forward returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The target was reached (for `step`: one event or one step was processed).
    Reached,
    /// The wall-clock budget ran out first; the rest is done next time (the run lags behind its speed).
    OutOfBudget,
    /// A script step asked to pause (its narration is in [`Player::narration`]); calling again goes on.
    Paused,
    /// The world refused a script command; calling again goes on after it.
    Refused(Refusal),
    /// Nothing at all is scheduled and no step is left: the run is quiet for good (only `step` says so).
    Idle,
}

impl From<StepOutcome> for Stop {
    fn from(outcome: StepOutcome) -> Stop {
        match outcome {
            StepOutcome::Continue => Stop::Reached,
            StepOutcome::Pause => Stop::Paused,
            StepOutcome::Refused(refusal) => Stop::Refused(refusal),
        }
    }
}

/// The furthest run reached before the user travelled back in time: its world and its script cursor.
#[derive(Clone)]
struct Furthest {
    world: World,
    cursor: usize,
}

/// A world playing a script, with checkpoints and a remembered future for the time slider.
#[derive(Clone)]
pub struct Player {
    world: World,
    script: Script,
    checkpoints: Checkpoints,
    /// Set while showing the past of a longer run (replaying its recorded commands moves forward again);
    /// dropped as soon as the run goes on from the past (a fork). Invariant: its time is after `world`'s.
    future: Option<Furthest>,
}

impl Player {
    /// A fresh world with no script; the error names the invalid config field.
    pub fn new(config: Config, seed: u64) -> Result<Player, String> {
        Ok(Player::with_script(World::new(config, seed)?, Vec::new()))
    }

    /// The world a scenario describes, ready to play its steps; the error names the invalid config field.
    pub fn from_scenario(scenario: &Scenario) -> Result<Player, String> {
        Ok(Player::with_script(World::new(scenario.config.clone(), scenario.seed)?, scenario.steps.clone()))
    }

    fn with_script(world: World, steps: Vec<Step>) -> Player {
        Player { checkpoints: Checkpoints::new(world.clone()), world, script: Script::new(steps), future: None }
    }

    /// The same player with checkpoints under other limits (spacing in events, count, estimated bytes):
    /// benchmarks compare spacings with it. Only before the run has started (the checkpoints start here).
    pub fn with_checkpoint_limits(mut self, spacing: u64, max: usize, bytes_max: usize) -> Player {
        assert!(self.world.events() == 0 && self.world.recorded_commands().is_empty(), "a fresh player");
        self.checkpoints = Checkpoints::with_limits(self.world.clone(), spacing, max, bytes_max);
        self
    }

    /// The same run again from time zero: the configuration the world started from, its seed and the whole
    /// script (what the user did is not kept).
    pub fn restarted(&self) -> Player {
        let world = World::new(self.world.initial_config().clone(), self.world.seed())
            .expect("the configuration this world was built from is valid");
        Player::with_script(world, self.script.steps().to_vec())
    }

    /// The world, read-only.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Every step of the script, in time order.
    pub fn script(&self) -> &[Step] {
        self.script.steps()
    }

    /// How many steps of the script have run.
    pub fn script_cursor(&self) -> usize {
        self.script.cursor()
    }

    /// The newest narration the script has shown.
    pub fn narration(&self) -> Option<&str> {
        self.script.narration()
    }

    /// The furthest virtual time that the time slider can reach.
    pub fn horizon_us(&self) -> Time {
        self.future.as_ref().map_or(self.world.now(), |f| f.world.now().max(self.world.now()))
    }

    /// Whether the player shows the past of a longer run (the slider can move forward).
    pub fn in_past(&self) -> bool {
        self.future.is_some()
    }

    /// The checkpoints kept so far.
    pub fn checkpoints(&self) -> &Checkpoints {
        &self.checkpoints
    }

    /// The write load's rate in writes per virtual second, if one runs (the core generates it).
    pub fn load_rate(&self) -> Option<u64> {
        Some(self.world.write_load_per_second()).filter(|&rate| rate > 0)
    }

    /// Starts (`Some`) or stops (`None`) the world's write load: one recorded command, however long it runs.
    pub fn set_load(&mut self, writes_per_second: Option<u64>) -> Result<(), String> {
        self.apply(Command::SetWriteLoad { per_second: writes_per_second.unwrap_or(0), mix: None })
    }

    /// Applies a user's command now. Changing the past discards the future that was there (a fork). The
    /// command lands on the next whole millisecond (see `World::apply_at_next_ms`) so an export is exact.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        self.fork();
        self.world.apply_at_next_ms(command)
    }

    /// Processes exactly one event, or the next script step if it comes first (with every event up to it).
    pub fn step(&mut self) -> Stop {
        self.fork();
        if let Some(at) = self.script.next_at_us() {
            if self.world.next_event_time().is_none_or(|next| at <= next) {
                return self.run_step_at(at);
            }
        }
        let stepped = self.world.step();
        self.checkpoints.take_if_due(&self.world);
        if stepped {
            Stop::Reached
        } else {
            Stop::Idle
        }
    }

    /// Runs until just after the next interesting event (an election won, a commit, a crash…), the next
    /// script step, or `limit_us` of virtual time, whichever comes first.
    pub fn next_interesting(&mut self, limit_us: Time) -> Stop {
        self.fork();
        let now = self.world.now();
        let step_at = self.script.next_at_us().map(|at| at.max(now));
        let limit = step_at.map_or(now.saturating_add(limit_us), |at| at.min(now.saturating_add(limit_us)));
        let found = self.world.run_until_interesting(limit);
        self.checkpoints.take_if_due(&self.world);
        match step_at {
            Some(at) if !found && at <= self.world.now() => self.run_step_at(at),
            _ => Stop::Reached,
        }
    }

    /// Advances virtual time to `target_us`, running every script step due by then on the way, and asking
    /// `out_of_time()` between small chunks so that one animation frame never blocks the page for long.
    pub fn advance(&mut self, target_us: Time, out_of_time: &dyn Fn() -> bool) -> Stop {
        self.fork();
        while let Some(at) = self.script.next_at_us().filter(|&at| at <= target_us) {
            if !self.run_chunked(at, out_of_time) {
                return Stop::OutOfBudget;
            }
            match self.run_step_at(at) {
                Stop::Reached => {}
                stop => return stop,
            }
            if out_of_time() {
                return Stop::OutOfBudget;
            }
        }
        if self.run_chunked(target_us, out_of_time) {
            debug_assert!(self.world.now() >= target_us && self.script.next_at_us().is_none_or(|at| at > target_us));
            Stop::Reached
        } else {
            Stop::OutOfBudget
        }
    }

    /// Plays on to `end_us` without a budget and through every pause (the CLI and tests); the first refused
    /// command is the error.
    pub fn run_through(&mut self, end_us: Time) -> Result<(), Refusal> {
        loop {
            match self.advance(end_us, &|| false) {
                Stop::Reached => return Ok(()),
                Stop::Refused(refusal) => return Err(refusal),
                Stop::Paused | Stop::OutOfBudget | Stop::Idle => {}
            }
        }
    }

    /// Runs the world to `until_us` in chunks, asking `out_of_time()` between them; false if it ran out.
    fn run_chunked(&mut self, until_us: Time, out_of_time: &dyn Fn() -> bool) -> bool {
        let now = self.world.now();
        // Small chunks keep the budget check responsive under heavy load, and offer the checkpoints a world
        // often enough to keep them dense (they are spaced by events; a chunk is a few dozen events).
        let chunk_us = (until_us.saturating_sub(now) / 16).clamp(ms(1), ms(CHUNK_MS_MAX));
        let mut t = now;
        while t < until_us {
            t = t.saturating_add(chunk_us).min(until_us);
            self.world.run_until(t);
            self.checkpoints.take_if_due(&self.world);
            if t < until_us && out_of_time() {
                return false;
            }
        }
        // Events at `until_us` itself, when the clock was already there (after a single `step`).
        self.world.run_until(until_us);
        true
    }

    /// Runs the next script step, due at `at_us`, after every event up to its time.
    fn run_step_at(&mut self, at_us: Time) -> Stop {
        self.world.run_until(at_us.max(self.world.now()));
        let outcome = self.script.run_next(&mut self.world).expect("a step is due");
        self.checkpoints.take_if_due(&self.world);
        outcome.into()
    }

    /// Going on from a past position replaces the future that was there: forget it and its checkpoints.
    fn fork(&mut self) {
        if self.future.take().is_some() {
            self.checkpoints.forget_after(&self.world);
        }
    }

    /// Moves the player to virtual time `time_us` (clamped to 0 ..= horizon): restores the newest checkpoint
    /// at or before it and replays the furthest run's recorded commands up to that time. The state is the
    /// original run's (the world is deterministic) and each script step still runs exactly once.
    pub fn seek(&mut self, time_us: Time) {
        let time_us = time_us.min(self.horizon_us());
        let furthest =
            self.future.take().unwrap_or_else(|| Furthest { world: self.world.clone(), cursor: self.script.cursor() });
        if furthest.world.now() == time_us {
            self.world = furthest.world;
            self.script.rewind_to(furthest.cursor);
            return;
        }
        let world = self.checkpoints.restore(Moment::Time(time_us), furthest.world.recorded_commands());
        debug_assert_eq!(world.now(), time_us, "a seek lands exactly on its time");
        debug_assert!(world.recorded_commands().len() <= furthest.world.recorded_commands().len());
        self.world = world;
        // Steps before `time_us` have run; of those at `time_us` itself, the ones the furthest run reached
        // (it may have paused in the middle of an instant).
        self.script.rewind_to(self.script.due_by(time_us).min(furthest.cursor));
        debug_assert!(furthest.world.now() > time_us, "a remembered future lies ahead");
        self.future = Some(furthest);
    }
}
