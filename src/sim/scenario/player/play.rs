//! Moving forward: `advance` (to a time, within a wall-clock budget), `step_forward` (one event),
//! `next_interesting` and `run_through`. In the past they replay the remembered run, pausing where it paused;
//! once the position catches up with it, the run goes on live.

use super::replay;
use super::{Player, Stop, CHUNK_MS_MAX};
use crate::sim::types::{ms, Time};

impl Player {
    /// Advances virtual time to `target_us` (or the lesson's end, if that comes first), running every script
    /// step due by then on the way, and asking `out_of_time()` between small chunks so that one animation
    /// frame never blocks the page for long.
    pub fn advance(&mut self, target_us: Time, out_of_time: &dyn Fn() -> bool) -> Stop {
        let target = self.clamp_to_end(target_us);
        if self.future.is_some() {
            if let Some(stop) = self.advance_in_past(target, out_of_time) {
                return stop;
            }
        }
        let stop = self.advance_live(target, out_of_time);
        self.ended_or(stop)
    }

    /// `Ended` instead of `Reached` once the clock is at the lesson's end with every step of it run.
    fn ended_or(&self, stop: Stop) -> Stop {
        let steps_left = self.script.next_at_us().is_some_and(|at| self.end_us().is_none_or(|end| at <= end));
        if stop == Stop::Reached && self.at_end() && !steps_left {
            Stop::Ended
        } else {
            stop
        }
    }

    /// Replays the remembered run towards `target_us`; `None` once it caught up with it (the rest is live).
    fn advance_in_past(&mut self, target_us: Time, out_of_time: &dyn Fn() -> bool) -> Option<Stop> {
        let furthest = self.future.as_ref().expect("in the past");
        let commands = furthest.world.recorded_commands();
        while self.script.cursor() < furthest.cursor && self.script.next_at_us().is_some_and(|at| at <= target_us) {
            let mark = self.script.mark(self.script.cursor()).expect("the furthest run ran this step");
            if !replay::to_position(&mut self.world, commands, mark.events, mark.commands, out_of_time) {
                return Some(Stop::OutOfBudget);
            }
            self.world.run_until(mark.now);
            if let stop @ Stop::Paused = Stop::from(self.script.replay_next(&self.world)) {
                return Some(stop);
            }
            if out_of_time() {
                return Some(Stop::OutOfBudget);
            }
        }
        if target_us >= furthest.world.now() {
            self.restore_furthest();
            return None;
        }
        if !replay::to_time_within(&mut self.world, commands, target_us, out_of_time) {
            return Some(Stop::OutOfBudget);
        }
        debug_assert_eq!(self.script.cursor(), self.script.due_by(target_us).min(furthest.cursor));
        Some(Stop::Reached)
    }

    /// Advances the live run (the present, not a replay) to `target_us`.
    fn advance_live(&mut self, target_us: Time, out_of_time: &dyn Fn() -> bool) -> Stop {
        debug_assert!(self.future.is_none(), "live runs are not replays");
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

    /// Plays on to `end_us` (or the lesson's end, if that comes first) without a budget and through every
    /// pause (the CLI and tests); the first refused command is the error.
    pub fn run_through(&mut self, end_us: Time) -> Result<(), super::Refusal> {
        loop {
            match self.advance(end_us, &|| false) {
                Stop::Reached | Stop::Ended => return Ok(()),
                Stop::Refused(refusal) => return Err(refusal),
                Stop::Paused | Stop::OutOfBudget | Stop::Idle => {}
            }
        }
    }

    /// Processes exactly one world event, with what belongs to the moments around it: first what is left of
    /// the current moment (script steps due before that event, and, in the past, the commands and steps the
    /// remembered run had there), then the event, then the steps (and remembered commands) due before the
    /// event after it. Pausing steps do not stop it (their narration or question is then on screen): the
    /// stop says `Paused` (or `Refused`) if one of them asked. After a [`Player::step_back`], this returns
    /// to exactly the state stepped back from.
    pub fn step_forward(&mut self) -> Stop {
        if self.future.is_some() {
            return self.step_forward_in_past();
        }
        let mut stop = self.run_steps_before_next_event(Stop::Reached);
        match self.world.next_event_time() {
            Some(at) if self.end_us().is_none_or(|end| at <= end) => {
                self.world.step();
                self.checkpoints.take_if_due(&self.world);
            }
            Some(_) => {
                let end = self.end_us().expect("an event beyond the end");
                let _ = self.advance_live(end, &|| false);
                return self.ended_or(stop);
            }
            None if self.script.next_at_us().is_none() => return Stop::Idle,
            None => {
                let at = self.script.next_at_us().expect("a step is left");
                return first(stop, self.run_step_at(at));
            }
        }
        stop = self.run_steps_before_next_event(stop);
        self.ended_or(stop)
    }

    /// Runs the script steps due before the next world event (and not after the end); `stop` is the stop so
    /// far, the first pause or refusal wins.
    fn run_steps_before_next_event(&mut self, mut stop: Stop) -> Stop {
        while let Some(at) = self.script.next_at_us() {
            let before_event = self.world.next_event_time().is_some_and(|next| at < next);
            let before_end = self.end_us().is_none_or(|end| at <= end);
            if !before_event || !before_end {
                break;
            }
            stop = first(stop, self.run_step_at(at));
        }
        stop
    }

    /// [`Player::step_forward`] along the remembered run: to the moment right before its next event but
    /// one, or to the remembered run itself once that is reached.
    fn step_forward_in_past(&mut self) -> Stop {
        let furthest = self.future.as_ref().expect("in the past");
        let events = self.world.events() + 1;
        let cursor_target = if events >= furthest.world.events() {
            furthest.cursor
        } else {
            self.script.run_by_events(events).min(furthest.cursor)
        };
        let mut stop = Stop::Reached;
        let commands = furthest.world.recorded_commands();
        while self.script.cursor() < cursor_target {
            let mark = self.script.mark(self.script.cursor()).expect("the furthest run ran this step");
            replay::to_position(&mut self.world, commands, mark.events, mark.commands, &|| false);
            self.world.run_until(mark.now);
            stop = first(stop, self.script.replay_next(&self.world).into());
        }
        if events >= furthest.world.events() {
            self.restore_furthest();
            return stop;
        }
        let count = replay::applied_by(commands, events);
        replay::to_position(&mut self.world, commands, events, count, &|| false);
        stop
    }

    /// Runs until just after the next interesting event (an election won, a commit, a crash…), the next
    /// script step, the lesson's end or `limit_us` of virtual time, whichever comes first. In the past it
    /// replays event by event.
    pub fn next_interesting(&mut self, limit_us: Time) -> Stop {
        let limit = self.clamp_to_end(self.world.now().saturating_add(limit_us));
        while self.future.is_some() {
            let before = self.world.last_interesting_seq();
            let stop = self.step_forward_in_past();
            if stop != Stop::Reached || self.world.last_interesting_seq() != before || self.world.now() >= limit {
                return stop;
            }
        }
        let now = self.world.now();
        let step_at = self.script.next_at_us().map(|at| at.max(now));
        let limit = step_at.map_or(limit, |at| at.min(limit));
        let found = self.world.run_until_interesting(limit);
        self.checkpoints.take_if_due(&self.world);
        match step_at {
            Some(at) if !found && at <= self.world.now() => self.run_step_at(at),
            _ => self.ended_or(Stop::Reached),
        }
    }

    /// Runs the world to `until_us` in chunks, asking `out_of_time()` between them; false if it ran out.
    pub(super) fn run_chunked(&mut self, until_us: Time, out_of_time: &dyn Fn() -> bool) -> bool {
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
        // Events at `until_us` itself, when the clock was already there (after a single step).
        self.world.run_until(until_us);
        true
    }

    /// Runs the next script step, due at `at_us`, after every event up to its time.
    pub(super) fn run_step_at(&mut self, at_us: Time) -> Stop {
        self.world.run_until(at_us.max(self.world.now()));
        let outcome = self.script.run_next(&mut self.world).expect("a step is due");
        self.checkpoints.take_if_due(&self.world);
        outcome.into()
    }
}

/// The stop that matters of two: the first that is not `Reached`.
fn first(so_far: Stop, next: Stop) -> Stop {
    if so_far == Stop::Reached {
        next
    } else {
        so_far
    }
}
