//! The session model: one running world plus what the UI adds around it — a script of timed steps (from a
//! lesson or a shared link), an optional write load, and checkpoints for the time slider. No Yew and no
//! web-sys here (STYLE 10): the browser supplies a wall-clock budget as a closure.
//!
//! Architecture Invariant: the session only calls `World`'s public API. Every change to the cluster goes
//! through `World::apply`, so `recorded_commands()` is always a complete, replayable account of the run.

use crate::sim::config::Config;
use crate::sim::types::{ms, Time, US_PER_MS};
use crate::sim::world::command::Command;
use crate::sim::world::World;

/// One timed step of a script: a command for the world, or a sentence for the audience.
#[derive(Clone, Debug, PartialEq)]
pub enum StepKind {
    /// Applied to the world when the clock reaches the step.
    Command(Command),
    /// Shown in the narration bar; `pause` stops the run so the teacher can talk.
    Narrate { text: String, pause: bool },
}

/// A script step at a virtual time.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptStep {
    /// Virtual time at which the step happens.
    pub at_us: Time,
    /// What happens.
    pub kind: StepKind,
}

/// Why `advance` returned before reaching its target.
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    /// The target time was reached.
    Reached,
    /// The wall-clock budget ran out first; the rest is done next frame (the simulation lags behind speed).
    OutOfBudget,
    /// A script step asked to pause (its narration is in `Session::narration`).
    ScriptPause,
    /// A command from the script was refused by the world; the message says why.
    ScriptError(String),
}

/// Checkpoints are taken this often at first; when the list is full every other one is dropped and the
/// interval doubles, so memory stays bounded however long the run.
const CHECKPOINT_INTERVAL_US: Time = 1_000_000;
/// At most this many checkpoints are kept.
const CHECKPOINTS_MAX: usize = 64;

/// A running world and everything the UI keeps beside it.
pub struct Session {
    world: World,
    /// Title of the lesson or scenario, if one is loaded.
    pub title: Option<String>,
    /// One-paragraph summary of the lesson.
    pub summary: Option<String>,
    /// The newest narration line from the script.
    pub narration: Option<String>,
    /// Every step of the script, in time order (kept whole so a seek can reposition it).
    script: Vec<ScriptStep>,
    /// Index in `script` of the next step to run.
    script_cursor: usize,
    checkpoints: Vec<World>,
    checkpoint_interval_us: Time,
    /// The furthest world reached before the user travelled back in time; replaying its recorded commands
    /// lets the slider move forward again. Dropped as soon as the user changes the past (a fork).
    future: Option<World>,
}

impl Session {
    /// A fresh session; the error names the invalid config field.
    pub fn new(config: Config, seed: u64) -> Result<Session, String> {
        let world = World::new(config, seed)?;
        Ok(Session::from_world(world))
    }

    fn from_world(world: World) -> Session {
        Session {
            checkpoints: vec![world.clone()],
            world,
            title: None,
            summary: None,
            narration: None,
            script: Vec::new(),
            script_cursor: 0,
            checkpoint_interval_us: CHECKPOINT_INTERVAL_US,
            future: None,
        }
    }

    /// Installs a script (steps are sorted by time; steps at time zero run on the first advance).
    pub fn set_script(&mut self, mut steps: Vec<ScriptStep>) {
        steps.sort_by_key(|s| s.at_us);
        self.script = steps;
        self.script_cursor = 0;
    }

    /// The whole script (for a restart).
    pub fn script(&self) -> &[ScriptStep] {
        &self.script
    }

    /// The world, read-only.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The furthest virtual time that the slider can reach.
    pub fn horizon_us(&self) -> Time {
        self.future.as_ref().map_or(self.world.now(), |f| f.now().max(self.world.now()))
    }

    /// Whether a write load is running, and its rate in writes per virtual second (the core generates it).
    pub fn load_rate(&self) -> Option<u64> {
        Some(self.world.write_load_per_second()).filter(|&r| r > 0)
    }

    /// Starts (Some) or stops (None) the core's write load: one recorded command, however long it runs.
    pub fn set_load(&mut self, writes_per_second: Option<u64>) {
        self.fork();
        // A refused rate is not worth a banner: the button only offers valid ones.
        let _ = self.world.apply_at_next_ms(Command::SetWriteLoad { per_second: writes_per_second.unwrap_or(0) });
    }

    /// Applies a user command now. Changing the past discards the future that was there (a fork).
    /// Commands are applied on whole milliseconds (the clock first runs to the next one) because scenario
    /// files count time in milliseconds: an exported session then replays bit for bit.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        self.fork();
        self.align_to_millisecond();
        self.world.apply(command)
    }

    fn align_to_millisecond(&mut self) {
        let now = self.world.now();
        let aligned = now.div_ceil(US_PER_MS) * US_PER_MS;
        if aligned > now {
            self.world.run_until(aligned);
        }
    }

    /// Processes exactly one event (or the next script step if it comes first). Returns false when nothing
    /// at all is scheduled.
    pub fn step(&mut self) -> Result<bool, String> {
        self.fork();
        if let Some(step) = self.script.get(self.script_cursor) {
            let next_event = self.world.next_event_time();
            if next_event.is_none_or(|t| step.at_us <= t) {
                let at = step.at_us.max(self.world.now());
                self.world.run_until(at);
                self.run_script_step()?;
                return Ok(true);
            }
        }
        let stepped = self.world.step();
        self.checkpoint_if_due();
        Ok(stepped)
    }

    /// Runs until just after the next interesting event, a script step, or `limit_us` of virtual time.
    pub fn next_interesting(&mut self, limit_us: Time) -> Result<bool, String> {
        self.fork();
        let mut limit = self.world.now().saturating_add(limit_us);
        if let Some(step) = self.script.get(self.script_cursor) {
            limit = limit.min(step.at_us.max(self.world.now()));
        }
        let found = self.world.run_until_interesting(limit);
        if !found && self.script.get(self.script_cursor).is_some_and(|s| s.at_us <= self.world.now()) {
            self.run_script_step()?;
        }
        self.checkpoint_if_due();
        Ok(found)
    }

    /// Advances virtual time towards `target_us`, interleaving script steps, and checking `out_of_time()`
    /// between small chunks so that one frame never blocks the page for long.
    pub fn advance(&mut self, target_us: Time, out_of_time: &dyn Fn() -> bool) -> Stop {
        self.fork();
        loop {
            let now = self.world.now();
            if now >= target_us {
                return Stop::Reached;
            }
            let script_at = self.script.get(self.script_cursor).map(|s| s.at_us.max(now));
            let stop_at = script_at.map_or(target_us, |s| s.min(target_us));
            // Small chunks keep the budget check responsive under heavy load.
            let chunk_us = ((stop_at - now) / 16).max(ms(1));
            let mut t = now;
            while t < stop_at {
                t = (t + chunk_us).min(stop_at);
                self.world.run_until(t);
                self.checkpoint_if_due();
                if t < stop_at && out_of_time() {
                    return Stop::OutOfBudget;
                }
            }
            if script_at == Some(stop_at) {
                match self.run_script_step() {
                    Ok(true) => return Stop::ScriptPause,
                    Ok(false) => {}
                    Err(e) => return Stop::ScriptError(e),
                }
            }
            if stop_at >= target_us {
                return Stop::Reached;
            }
            if out_of_time() {
                return Stop::OutOfBudget;
            }
        }
    }

    /// Runs the next script step; Ok(true) if it asks to pause.
    fn run_script_step(&mut self) -> Result<bool, String> {
        let Some(step) = self.script.get(self.script_cursor).cloned() else { return Ok(false) };
        self.script_cursor += 1;
        match step.kind {
            StepKind::Command(command) => {
                let text = command.describe();
                self.world.apply(command).map_err(|e| format!("scenario step `{text}`: {e}"))?;
                Ok(false)
            }
            StepKind::Narrate { text, pause } => {
                self.narration = Some(text);
                Ok(pause)
            }
        }
    }

    /// Running on from a past position replaces the future that was there: forget it and its checkpoints.
    fn fork(&mut self) {
        if self.future.take().is_some() {
            let now = self.world.now();
            self.checkpoints.retain(|w| w.now() <= now);
        }
    }

    /// Whether the session is showing the past of a longer run (the slider can move forward).
    pub fn in_past(&self) -> bool {
        self.future.is_some()
    }

    fn checkpoint_if_due(&mut self) {
        let last = self.checkpoints.last().map_or(0, |w| w.now());
        if self.world.now() < last + self.checkpoint_interval_us {
            return;
        }
        if self.checkpoints.len() >= CHECKPOINTS_MAX {
            // Keep the first (time zero) and every other one after it; double the interval.
            let mut index = 0;
            self.checkpoints.retain(|_| {
                index += 1;
                index == 1 || index % 2 == 1
            });
            self.checkpoint_interval_us *= 2;
        }
        self.checkpoints.push(self.world.clone());
    }

    /// Moves the session to virtual time `time_us` (0 ..= horizon): restores the nearest earlier checkpoint
    /// and replays the recorded commands of the furthest timeline up to that time. The clock is exact; the
    /// state is identical to the original run's because the world is deterministic.
    pub fn seek(&mut self, time_us: Time) -> Result<(), String> {
        let horizon = self.horizon_us();
        let time_us = time_us.min(horizon);
        let furthest = match self.future.take() {
            Some(f) if f.now() >= self.world.now() => f,
            _ => self.world.clone(),
        };
        let base = self
            .checkpoints
            .iter()
            .rev()
            .find(|w| w.now() <= time_us)
            .cloned()
            .ok_or_else(|| "no checkpoint before that time".to_string())?;
        let mut world = base;
        // The checkpoint already holds the first `done` commands of the furthest timeline (counting, rather
        // than comparing times, is exact when a command was applied at the checkpoint's own instant).
        let done = world.recorded_commands().len();
        let replay: Vec<(Time, Command)> = furthest
            .recorded_commands()
            .iter()
            .skip(done)
            .take_while(|c| c.at_us <= time_us)
            .map(|c| (c.at_us, c.command.clone()))
            .collect();
        for (at_us, command) in replay {
            world.run_until(at_us);
            world.apply(command)?;
        }
        world.run_until(time_us);
        self.world = world;
        self.script_cursor = self.script.iter().take_while(|s| s.at_us <= time_us).count();
        if furthest.now() > time_us {
            self.future = Some(furthest);
        }
        Ok(())
    }
}
