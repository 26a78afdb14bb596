//! Changing the run: a command applied now. In the past that is a fork: the rest of the remembered run is
//! replaced by what follows from the change. The discarded future is kept, so [`Player::undo_fork`] can put
//! it back, until the next change.

use super::{Furthest, Player};
use crate::sim::scenario::player::{Checkpoints, Script};
use crate::sim::types::{ms, Time, US_PER_MS};
use crate::sim::world::command::Command;
use crate::sim::world::World;

/// What a fork discarded: the player as it was right before the change.
#[derive(Clone)]
pub(super) struct Discarded {
    world: World,
    script: Script,
    checkpoints: Checkpoints,
    future: Furthest,
}

/// The last fork, while it can be undone: the UI says "you changed the past: the rest of the run is replaced"
/// with an undo button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fork {
    /// When the past was changed.
    pub at_us: Time,
    /// How far the discarded run had reached.
    pub discarded_until_us: Time,
}

impl Player {
    /// Applies a user's command at the next whole millisecond (see `World::apply_at_next_ms`), so an export
    /// is exact. In the past this forks: the remembered run from here on is discarded (and kept for
    /// [`Player::undo_fork`]). A command the world refuses changes nothing, and forks nothing.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        self.move_to_next_ms();
        let forked = self.fork();
        let recorded = self.world.recorded_commands().len();
        let result = self.world.apply_at_next_ms(command);
        let changed = self.world.recorded_commands().len() != recorded;
        if forked && !changed {
            self.undo_fork();
        } else if !forked && changed {
            // Another change: the last fork can no longer be undone.
            self.undo = None;
        }
        result
    }

    /// Starts (`Some`) or stops (`None`) the world's write load: one recorded command, however long it runs.
    pub fn set_load(&mut self, writes_per_second: Option<u64>) -> Result<(), String> {
        self.apply(Command::SetWriteLoad { per_second: writes_per_second.unwrap_or(0), mix: None })
    }

    /// The last fork, while [`Player::undo_fork`] can still undo it.
    pub fn last_fork(&self) -> Option<Fork> {
        self.undo.as_ref().map(|d| Fork { at_us: d.world.now(), discarded_until_us: d.future.world.now() })
    }

    /// Puts back the run the last fork discarded: the player is again where it was right before the change,
    /// in the past of the remembered run. False if there is nothing to undo.
    pub fn undo_fork(&mut self) -> bool {
        let Some(discarded) = self.undo.take() else { return false };
        let Discarded { world, script, checkpoints, future } = *discarded;
        self.world = world;
        self.script = script;
        self.checkpoints = checkpoints;
        self.future = Some(future);
        true
    }

    /// In the past, a command lands where it would have landed live: at the next whole millisecond, after
    /// the remembered run's events up to it but before its commands and steps of that millisecond.
    fn move_to_next_ms(&mut self) {
        let now = self.world.now();
        if self.future.is_none() || now.is_multiple_of(US_PER_MS) {
            return;
        }
        let next = ms(now.div_ceil(US_PER_MS));
        if next >= self.horizon_us() {
            self.seek(self.horizon_us());
        } else {
            self.seek(next - 1);
            self.world.run_until(next);
        }
    }

    /// A change is about to be made: in the past, the remembered future and its checkpoints, marks and
    /// outcomes are discarded (kept for undo). True if it forked.
    fn fork(&mut self) -> bool {
        let Some(future) = self.future.take() else { return false };
        self.undo = Some(Box::new(Discarded {
            world: self.world.clone(),
            script: self.script.clone(),
            checkpoints: self.checkpoints.clone(),
            future,
        }));
        self.checkpoints.forget_after(&self.world);
        self.script.forget_from_cursor();
        true
    }
}
