//! The script a player follows: a scenario's own steps in time order, a cursor at the next one to run, and
//! what the steps so far have put on screen (the newest narration).
//!
//! [`Script::run_next`] is the one place that knows what each step kind does, so a new kind of step (an
//! expectation, a prediction) is one more arm of its `match`.

use crate::sim::scenario::{Step, StepKind};
use crate::sim::types::{ms, Time};
use crate::sim::world::World;
use std::fmt;

/// A command from the script that the world refused when its time came. Only refusals that depend on the
/// state of the run are left (say, `remove-node` while there is no leader): everything that can be known
/// from the file alone is a parse error. A refusal is reported, never dropped: the CLI exits with it, the UI
/// shows it and plays on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Index of the step in the scenario's `steps` (the field path `steps[N]`).
    pub step: usize,
    /// The step's time, as the file gives it.
    pub at_ms: u64,
    /// The world's reason, which names the action (`remove-node: there is no leader …`).
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "steps[{}] at {} ms: {}", self.step, self.at_ms, self.reason)
    }
}

impl std::error::Error for Refusal {}

/// What running one step did, and so what the player does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// Nothing that stops the run: carry on.
    Continue,
    /// The step asks the player to stop the clock (a narration with `pause`).
    Pause,
    /// The world refused the step's command.
    Refused(Refusal),
}

/// A scenario's steps with a cursor.
///
/// Invariant: `cursor <= steps.len()`, and `steps` is sorted by `at_ms` (stable, so a scenario's own order,
/// which the parser already requires to be non-decreasing, and hence its step indices, are kept).
#[derive(Clone, Debug, Default)]
pub struct Script {
    steps: Vec<Step>,
    /// Index of the next step to run.
    cursor: usize,
    /// The newest narration among the steps already run.
    narration: Option<String>,
}

impl Script {
    /// A script over `steps`, none of them run yet.
    pub fn new(mut steps: Vec<Step>) -> Script {
        steps.sort_by_key(|s| s.at_ms);
        Script { steps, cursor: 0, narration: None }
    }

    /// Every step, in time order (kept whole so that a seek can move the cursor back).
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Index of the next step to run (`steps().len()` when all have run).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Virtual time of the next step to run, if any is left.
    pub fn next_at_us(&self) -> Option<Time> {
        self.steps.get(self.cursor).map(|s| ms(s.at_ms))
    }

    /// The newest narration shown so far.
    pub fn narration(&self) -> Option<&str> {
        self.narration.as_deref()
    }

    /// How many steps are due by `time_us` (those at or before it).
    pub fn due_by(&self, time_us: Time) -> usize {
        self.steps.partition_point(|s| ms(s.at_ms) <= time_us)
    }

    /// Moves the cursor to `cursor` (a seek) and recomputes what the steps before it put on screen.
    pub fn rewind_to(&mut self, cursor: usize) {
        assert!(cursor <= self.steps.len(), "cursor {cursor} beyond {} steps", self.steps.len());
        self.cursor = cursor;
        self.narration = self.steps[..cursor].iter().rev().find_map(|s| match &s.kind {
            StepKind::Narrate { text, .. } => Some(text.clone()),
            StepKind::Do(_) => None,
        });
    }

    /// Runs the next step on `world`, whose clock must have reached the step's time with every event up to
    /// it processed (`World::run_until`); `None` if every step has run.
    pub fn run_next(&mut self, world: &mut World) -> Option<StepOutcome> {
        let index = self.cursor;
        let step = self.steps.get(index)?;
        debug_assert!(world.now() >= ms(step.at_ms), "step {index} run before its time");
        self.cursor += 1;
        Some(match &step.kind {
            StepKind::Do(command) => match world.apply(command.clone()) {
                Ok(()) => StepOutcome::Continue,
                Err(reason) => StepOutcome::Refused(Refusal { step: index, at_ms: step.at_ms, reason }),
            },
            StepKind::Narrate { text, pause } => {
                self.narration = Some(text.clone());
                if *pause {
                    StepOutcome::Pause
                } else {
                    StepOutcome::Continue
                }
            }
        })
    }
}
