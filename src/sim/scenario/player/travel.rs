//! Moving back and about in time: `seek` (the slider), `step_back` (one event), and the times of the
//! previous and next stops of the story (narrations and questions). A position in the past is the
//! remembered run's own state there (a checkpoint, then its recorded commands replayed), and the script's
//! cursor says which steps had run there, so what the lesson shows follows the clock.

use super::replay;
use super::{Moment, Player};
use crate::sim::scenario::StepKind;
use crate::sim::types::{ms, Time};

impl Player {
    /// Moves the player to virtual time `time_us` (clamped to 0 ..= horizon): the remembered run's state at
    /// that time, every step at or before it counted as run (of those at `time_us` itself, the ones the
    /// remembered run reached: it may have paused in the middle of an instant).
    pub fn seek(&mut self, time_us: Time) {
        let time_us = time_us.min(self.horizon_us());
        if self.future.is_none() && time_us == self.world.now() {
            return;
        }
        self.remember_future();
        let furthest = self.future.as_ref().expect("remembered");
        if time_us == furthest.world.now() {
            self.restore_furthest();
            return;
        }
        // Restore from a checkpoint unless the world already stands between the checkpoint and the target.
        if time_us < self.world.now() || self.checkpoints.start_time(Moment::Time(time_us)) > self.world.now() {
            self.world = self.checkpoints.restore(Moment::Time(time_us), furthest.world.recorded_commands());
        }
        replay::to_time(&mut self.world, furthest.world.recorded_commands(), time_us);
        debug_assert_eq!(self.world.now(), time_us, "a seek lands exactly on its time");
        self.script.rewind_to(self.script.due_by(time_us).min(furthest.cursor));
        debug_assert!(furthest.world.now() > time_us, "a remembered future lies ahead");
    }

    /// Goes exactly one world event back: to the state right before the newest event that has been
    /// processed, with everything the run did before that event (commands applied and script steps run
    /// between it and the one before, at their times). False at the start of the run (no event yet).
    /// [`Player::step_forward`] then returns to the state stepped back from.
    pub fn step_back(&mut self) -> bool {
        let Some(events) = self.world.events().checked_sub(1) else { return false };
        self.remember_future();
        let furthest = self.future.as_ref().expect("remembered");
        let commands = furthest.world.recorded_commands();
        let count = replay::applied_by(commands, events);
        let cursor = self.script.run_by_events(events).min(furthest.cursor);
        // Just after the `events`-th event, then the commands applied right after it.
        let mut world = self.checkpoints.restore(Moment::Events(events), commands);
        replay::to_position(&mut world, commands, events, count, &|| false);
        // The clock of the last step of that moment (a narration between two events has its own time).
        if let Some(mark) = cursor.checked_sub(1).and_then(|last| self.script.mark(last)) {
            if mark.events == events {
                world.run_until(mark.now.max(world.now()));
            }
        }
        self.world = world;
        self.script.rewind_to(cursor);
        true
    }

    /// The time of the newest narration or question before the clock (`Shift+←`: back to the previous stop
    /// of the story), if there is one.
    pub fn previous_stop(&self) -> Option<Time> {
        let now = self.world.now();
        self.stops().filter(|&at| at < now).last()
    }

    /// The time of the next narration or question after the clock, if there is one. Up to
    /// [`Player::horizon_us`] it can be seeked to; beyond it, `advance` plays there.
    pub fn next_stop(&self) -> Option<Time> {
        let now = self.world.now();
        self.stops().find(|&at| at > now)
    }

    /// The times of the narration and prediction steps, in order.
    fn stops(&self) -> impl Iterator<Item = Time> + '_ {
        self.script
            .steps()
            .iter()
            .filter(|s| matches!(s.kind, StepKind::Narrate(_) | StepKind::Predict(_)))
            .map(|s| ms(s.at_ms))
    }
}
