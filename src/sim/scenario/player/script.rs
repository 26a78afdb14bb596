//! The script a player follows: a scenario's own steps in time order, a cursor at the next one to run, and,
//! per step that has run, where the run was right after it ([`Mark`]) and, for an `expect`, its outcome.
//!
//! [`Script::run_next`] is the one place that knows what each step kind does to a live run (a command is
//! applied, a claim checked, a narration or a question may pause); [`Script::replay_next`] is what it does
//! when the player replays its own past (nothing to the world: the recorded commands carry the run).
//!
//! Marks and outcomes belong to the furthest run the player has (the past the slider shows is that run's
//! past); a fork forgets those of the steps it will run again.

use crate::sim::scenario::lesson::{ExpectOutcome, Narration, Predict};
use crate::sim::scenario::{Step, StepKind};
use crate::sim::types::{ms, Time};
use crate::sim::world::World;
use std::fmt;
use std::rc::Rc;

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
    /// The step asks the player to stop the clock (a narration with `pause`, a prediction).
    Pause,
    /// The world refused the step's command.
    Refused(Refusal),
}

/// Where a run was right after a step ran: enough to bring a replay of the same run to exactly that moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// World events processed.
    pub events: u64,
    /// Commands the world had recorded (the step's own included).
    pub commands: usize,
    /// The clock.
    pub now: Time,
}

impl Mark {
    /// Where `world` is.
    pub fn of(world: &World) -> Mark {
        Mark { events: world.events(), commands: world.recorded_commands().len(), now: world.now() }
    }
}

/// The narration on screen: the newest narration step that has run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShownNarration<'a> {
    /// Its index in the script.
    pub step: usize,
    /// Its time.
    pub at_ms: u64,
    /// What it says and asks for.
    pub narration: &'a Narration,
}

/// The question on screen (see [`Script::question`] for how long it stays).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShownQuestion<'a> {
    /// Its index in the script.
    pub step: usize,
    /// Its time.
    pub at_ms: u64,
    /// The question, its choices and answer.
    pub predict: &'a Predict,
    /// Whether the run has reached the time its explanation may show.
    pub revealed: bool,
}

/// A scenario's steps with a cursor, marks and outcomes.
///
/// Invariants: `cursor <= steps.len()`; `steps` is sorted by `at_ms` (stable, so a scenario's own order, which
/// the parser already requires to be non-decreasing, and hence its step indices, are kept); `marks` and
/// `outcomes` have one slot per step; every step before the cursor has a mark, and the marks that are set
/// form a prefix whose positions never decrease.
#[derive(Clone, Debug, Default)]
pub struct Script {
    steps: Rc<[Step]>,
    /// Index of the next step to run.
    cursor: usize,
    /// Per step: where the furthest run was right after it ran (`None`: it has not run there).
    marks: Vec<Option<Mark>>,
    /// Per `expect` step: its outcome in the furthest run.
    outcomes: Vec<Option<ExpectOutcome>>,
}

impl Script {
    /// A script over `steps`, none of them run yet.
    pub fn new(mut steps: Vec<Step>) -> Script {
        steps.sort_by_key(|s| s.at_ms);
        let count = steps.len();
        Script { steps: steps.into(), cursor: 0, marks: vec![None; count], outcomes: vec![None; count] }
    }

    /// The same steps with none run (a restart).
    pub fn restarted(&self) -> Script {
        let count = self.steps.len();
        Script { steps: self.steps.clone(), cursor: 0, marks: vec![None; count], outcomes: vec![None; count] }
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

    /// Where the furthest run was right after step `index` ran (`None` if it has not run there).
    pub fn mark(&self, index: usize) -> Option<Mark> {
        self.marks.get(index).copied().flatten()
    }

    /// How many steps are due by `time_us` (those at or before it).
    pub fn due_by(&self, time_us: Time) -> usize {
        self.steps.partition_point(|s| ms(s.at_ms) <= time_us)
    }

    /// How many steps had run, in the furthest run, by the time `events` events had been processed and before
    /// the next one (steps without a mark have not run there).
    pub fn run_by_events(&self, events: u64) -> usize {
        self.marks.partition_point(|m| m.is_some_and(|m| m.events <= events))
    }

    /// Moves the cursor to `cursor` (a seek or a replay): the steps before it have run, as the marks say.
    pub fn rewind_to(&mut self, cursor: usize) {
        assert!(cursor <= self.steps.len(), "cursor {cursor} beyond {} steps", self.steps.len());
        debug_assert!(self.marks[..cursor].iter().all(Option::is_some), "every step before the cursor has run");
        self.cursor = cursor;
    }

    /// Forgets the marks and outcomes of the steps from the cursor on: the run they belonged to was replaced
    /// (a fork), so they will run again.
    pub fn forget_from_cursor(&mut self) {
        let cursor = self.cursor;
        self.marks[cursor..].fill(None);
        self.outcomes[cursor..].fill(None);
    }

    /// Runs the next step on `world`, whose clock must have reached the step's time with every event up to
    /// it processed (`World::run_until`); `None` if every step has run.
    pub fn run_next(&mut self, world: &mut World) -> Option<StepOutcome> {
        let index = self.cursor;
        let step = self.steps.get(index)?;
        debug_assert!(world.now() >= ms(step.at_ms), "step {index} run before its time");
        let outcome = match &step.kind {
            StepKind::Do(command) => match world.apply(command.clone()) {
                Ok(()) => StepOutcome::Continue,
                Err(reason) => StepOutcome::Refused(Refusal { step: index, at_ms: step.at_ms, reason }),
            },
            StepKind::Expect(claim) => {
                self.outcomes[index] = Some(claim.check(world));
                StepOutcome::Continue
            }
            StepKind::Narrate(_) | StepKind::Predict(_) => pause_of(&step.kind),
        };
        self.marks[index] = Some(Mark::of(world));
        self.cursor += 1;
        Some(outcome)
    }

    /// Replays the next step on `world`, which a replay of the furthest run has brought to the step's
    /// mark: the world is not touched (the step's command is among the recorded ones), a claim's outcome is
    /// the one kept (checked again in debug builds: the run is deterministic), a pause pauses again.
    pub fn replay_next(&mut self, world: &World) -> StepOutcome {
        let index = self.cursor;
        let step = &self.steps[index];
        debug_assert_eq!(self.mark(index), Some(Mark::of(world)), "step {index} replayed at its mark");
        if let StepKind::Expect(claim) = &step.kind {
            debug_assert_eq!(self.outcomes[index].as_ref(), Some(&claim.check(world)), "step {index} checks the same");
        }
        self.cursor += 1;
        pause_of(&step.kind)
    }

    /// The newest narration among the steps that have run.
    pub fn narration(&self) -> Option<ShownNarration<'_>> {
        self.steps[..self.cursor].iter().enumerate().rev().find_map(|(step, s)| match &s.kind {
            StepKind::Narrate(narration) => Some(ShownNarration { step, at_ms: s.at_ms, narration }),
            _ => None,
        })
    }

    /// The question on screen at `now_us`: the newest prediction that has run, until the story moves on past
    /// its reveal (a narration or prediction later than its `reveal_at_ms` has run). `revealed` once the
    /// clock is at or after the reveal time.
    pub fn question(&self, now_us: Time) -> Option<ShownQuestion<'_>> {
        let ran = &self.steps[..self.cursor];
        let (step, s, predict) = ran.iter().enumerate().rev().find_map(|(i, s)| match &s.kind {
            StepKind::Predict(predict) => Some((i, s, predict)),
            _ => None,
        })?;
        let reveal_ms = predict.reveal_ms(s.at_ms);
        let moved_on = ran[step + 1..]
            .iter()
            .any(|later| later.at_ms > reveal_ms && matches!(later.kind, StepKind::Narrate(_) | StepKind::Predict(_)));
        (!moved_on).then_some(ShownQuestion { step, at_ms: s.at_ms, predict, revealed: now_us >= ms(reveal_ms) })
    }

    /// The outcomes of the `expect` steps that have run, by step index.
    pub fn outcomes(&self) -> impl Iterator<Item = (usize, &ExpectOutcome)> + '_ {
        self.outcomes[..self.cursor].iter().enumerate().filter_map(|(i, o)| o.as_ref().map(|o| (i, o)))
    }
}

/// Whether a step of this kind stops the clock.
fn pause_of(kind: &StepKind) -> StepOutcome {
    match kind {
        StepKind::Narrate(Narration { pause: true, .. }) | StepKind::Predict(_) => StepOutcome::Pause,
        _ => StepOutcome::Continue,
    }
}
