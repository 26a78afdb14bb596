//! The one scenario player: a running world, the script it follows (a scenario's own steps), checkpoints
//! for time travel, and the furthest run reached before a seek back. The CLI plays a file to its end with
//! it, the tests play every lesson with it, and the web UI drives it frame by frame (with a wall-clock
//! budget handed in as a closure, so nothing here knows about browsers).
//!
//! What the lesson shows is a function of the clock: the narration, the open question and the outcomes of
//! the `expect` steps are those of the steps that have run at the player's position, wherever a seek, a step
//! back or a replay put it. Moving forward in the past replays the remembered run (pausing where it paused);
//! changing the past (a command) forks: the rest of the run is replaced, and kept for [`Player::undo_fork`].
//!
//! Files: `play.rs` (advance, step forward, next interesting, run through), `travel.rs` (seek, step back,
//! the stops), `fork.rs` (commands, forks and their undo), `replay.rs` (bringing a world forward along a
//! recorded run), `script.rs` (the steps, their marks and outcomes), `report.rs` (a finished lesson's
//! verdict), `checkpoints.rs`, `recording.rs`.
//!
//! Architecture Invariant: the player only calls `World`'s public API, and every change to the cluster goes
//! through `World::apply`, so `World::recorded_commands` is always a complete, replayable account of the
//! run (that is what a seek replays and what an export writes).
//!
//! Architecture Invariant: a script step at time T runs after every event at or before T (`run_until(T)`
//! first), on every path (`advance`, `step_forward`, `next_interesting`, `run_through`), so a scenario gives
//! the same run however it is played.

mod checkpoints;
mod fork;
mod play;
mod recording;
mod replay;
mod report;
mod script;
pub mod seek_bench;
#[cfg(test)]
mod tests;
mod travel;

pub use checkpoints::{Checkpoints, Moment, CHECKPOINTS_MAX, CHECKPOINT_BYTES_MAX, CHECKPOINT_EVENTS};
pub use fork::Fork;
pub use report::{Expectation, Report};
pub use script::{Mark, Refusal, Script, ShownNarration, ShownQuestion, StepOutcome};

use crate::sim::config::Config;
use crate::sim::scenario::lesson::ExpectOutcome;
use crate::sim::scenario::{Scenario, Step};
use crate::sim::types::{ms, Time};
use crate::sim::world::World;

/// Longest chunk of virtual time a run goes through between two looks at the clock and the checkpoints.
const CHUNK_MS_MAX: u64 = 20;

/// Why a call that moves the run forward returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The target was reached (for `step_forward`: one event and what followed it before the next).
    Reached,
    /// The wall-clock budget ran out first; the rest is done next time (the run lags behind its speed).
    OutOfBudget,
    /// A script step asked to pause (a narration in [`Player::current_narration`], a question in
    /// [`Player::current_question`]); calling again goes on.
    Paused,
    /// The world refused a script command; calling again goes on after it.
    Refused(Refusal),
    /// Nothing at all is scheduled and no step is left: the run is quiet for good (only `step_forward`).
    Idle,
    /// The lesson reached its end ([`Player::end_us`]); it goes no further until [`Player::lift_end`].
    Ended,
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
    /// Set while showing the past of a longer run (moving forward replays it); dropped when the past is
    /// changed (a fork, kept in `undo`) or when the position reaches it again. Invariant: `world` lies on its
    /// way, at or before it.
    future: Option<Furthest>,
    /// Where the lesson ends, as its scenario says (`None`: free play).
    lesson_end_us: Option<Time>,
    /// "Explore from here": the end no longer stops the run.
    end_lifted: bool,
    /// What the last fork discarded, until the next change.
    undo: Option<Box<fork::Discarded>>,
}

impl Player {
    /// A fresh world with no script and no end (free play); the error names the invalid config field.
    pub fn new(config: Config, seed: u64) -> Result<Player, String> {
        Ok(Player::with_script(World::new(config, seed)?, Script::new(Vec::new()), None))
    }

    /// The world a scenario describes, ready to play its steps up to its end; the error names the invalid
    /// config field.
    pub fn from_scenario(scenario: &Scenario) -> Result<Player, String> {
        let world = World::new(scenario.config.clone(), scenario.seed)?;
        Ok(Player::with_script(world, Script::new(scenario.steps.clone()), Some(ms(scenario.end_ms()))))
    }

    fn with_script(world: World, script: Script, end_us: Option<Time>) -> Player {
        Player {
            checkpoints: Checkpoints::new(world.clone()),
            world,
            script,
            future: None,
            lesson_end_us: end_us,
            end_lifted: false,
            undo: None,
        }
    }

    /// The same player with checkpoints under other limits (spacing in events, count, estimated bytes):
    /// benchmarks compare spacings with it. Only before the run has started (the checkpoints start here).
    pub fn with_checkpoint_limits(mut self, spacing: u64, max: usize, bytes_max: usize) -> Player {
        assert!(self.world.events() == 0 && self.world.recorded_commands().is_empty(), "a fresh player");
        self.checkpoints = Checkpoints::with_limits(self.world.clone(), spacing, max, bytes_max);
        self
    }

    /// The same run again from time zero: the configuration the world started from, its seed, the whole
    /// script and the lesson's end (what the user did is not kept, and a lifted end is back).
    pub fn restarted(&self) -> Player {
        let world = World::new(self.world.initial_config().clone(), self.world.seed())
            .expect("the configuration this world was built from is valid");
        Player::with_script(world, self.script.restarted(), self.lesson_end_us)
    }

    /// The world, read-only.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Every step of the script, in time order.
    pub fn script(&self) -> &[Step] {
        self.script.steps()
    }

    /// How many steps of the script have run at the player's position.
    pub fn script_cursor(&self) -> usize {
        self.script.cursor()
    }

    /// The narration on screen: the newest narration step that has run at the player's position (with its
    /// speaker note and focus).
    pub fn current_narration(&self) -> Option<ShownNarration<'_>> {
        self.script.narration()
    }

    /// The question on screen: the newest prediction that has run, until a narration or prediction after its
    /// reveal time has run; `revealed` once the clock reached its reveal time.
    pub fn current_question(&self) -> Option<ShownQuestion<'_>> {
        self.script.question(self.world.now())
    }

    /// The outcomes of the `expect` steps that have run at the player's position, by step index.
    pub fn outcomes(&self) -> impl Iterator<Item = (usize, &ExpectOutcome)> + '_ {
        self.script.outcomes()
    }

    /// Where the run stops, if it does: the scenario's end (`Scenario::end_ms`); `None` in free play and
    /// once lifted.
    pub fn end_us(&self) -> Option<Time> {
        self.lesson_end_us.filter(|_| !self.end_lifted)
    }

    /// Whether the clock has reached the end ([`Player::end_us`]).
    pub fn at_end(&self) -> bool {
        self.end_us().is_some_and(|end| self.world.now() >= end)
    }

    /// "Explore from here": the lesson's end no longer stops the run (free play from wherever it is, with the
    /// lesson's remaining steps, if any, still playing at their times).
    pub fn lift_end(&mut self) {
        self.end_lifted = true;
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

    /// The end of the run as far as a call may go: `target_us`, or the lesson's end if that comes first.
    fn clamp_to_end(&self, target_us: Time) -> Time {
        self.end_us().map_or(target_us, |end| target_us.min(end.max(self.world.now())))
    }

    /// Makes the current run the remembered future (before moving back in it); no-op in the past already.
    fn remember_future(&mut self) {
        if self.future.is_none() {
            self.future = Some(Furthest { world: self.world.clone(), cursor: self.script.cursor() });
        }
    }

    /// The position has caught up with the remembered future: it becomes the present again, exactly.
    fn restore_furthest(&mut self) {
        if let Some(furthest) = self.future.take() {
            self.world = furthest.world;
            self.script.rewind_to(furthest.cursor);
        }
    }
}
