//! A server: one node's process with its disk and its clock, and the lifecycle the world drives it through (up,
//! crashed, paused, removed). The world keeps, per server, what the node cannot: the epoch that tells this life's
//! timers and fsyncs from a previous one's, the timer deadlines, and what a paused process has not heard yet.
//! The node reads only its own clock (`clock.rs`): its timer deadlines are local times, and the server turns
//! them into the virtual instants its timer events are queued at.

use crate::sim::config::Config;
use crate::sim::raft::message::Message;
use crate::sim::raft::node::{Ctx, Node, Output, TimerKind};
use crate::sim::rng::SimRng;
use crate::sim::storage::disk::Disk;
use crate::sim::types::{NodeId, Time};
use crate::sim::world::clock::Clock;
use crate::sim::world::status::NodeStatus;
use std::collections::VecDeque;

/// A node with its disk and its lifecycle. Views, the checker and tests read it through the getters; only the
/// world changes it.
#[derive(Clone, Debug)]
pub struct Server {
    /// The state machine (volatile state; rebuilt from the disk at restart).
    pub(super) node: Node,
    /// The disk (survives crashes, minus what was not synced).
    pub(super) disk: Disk,
    /// Up, crashed, paused or removed.
    status: NodeStatus,
    /// Incremented at every stop of the process, so timers and fsyncs of a previous life are ignored.
    epoch: u32,
    /// Deadline per timer kind as the node last set it, on the node's clock.
    timer_deadline: [Option<Time>; 2],
    /// Virtual time of the queued timer event per kind (there is at most one live one). Invariant: never later
    /// than the virtual instant the clock reaches the deadline (an earlier deadline, or a clock that speeds up,
    /// queues a new event; a later one is found when the queued one fires).
    timer_queued: [Option<Time>; 2],
    /// Timers that expired while paused.
    timer_missed: [bool; 2],
    /// Messages that arrived while paused.
    inbox: VecDeque<Message>,
    /// An fsync finished while paused; the node hears of it on resume.
    disk_done_missed: bool,
    /// The node's local clock (hardware: it keeps running through crashes and pauses).
    clock: Clock,
}

/// What a timer event finds when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TimerDue {
    /// From a previous life, superseded by an earlier event, or the process is down: ignore it.
    Stale,
    /// The node pushed the deadline back: queue the event again at this time.
    Later(Time),
    /// Expired while paused: the node hears of it on resume.
    Missed,
    /// Expired: hand it to the node.
    Fire,
}

impl Server {
    /// Starts a server with a blank disk and boots its node (outputs go to `out`).
    pub(super) fn start(id: NodeId, now: Time, config: &Config, rng: &mut SimRng, out: &mut Vec<Output>) -> Server {
        let mut disk = Disk::new(config.segment_entries);
        let clock = Clock::default();
        let node = Node::boot(id, &mut Ctx { now: clock.local(now), config, disk: &mut disk, rng, out });
        Server {
            node,
            disk,
            status: NodeStatus::Up,
            epoch: 0,
            timer_deadline: [None; 2],
            timer_queued: [None; 2],
            timer_missed: [false; 2],
            inbox: VecDeque::new(),
            disk_done_missed: false,
            clock,
        }
    }

    /// The node (its volatile state; a crashed node shows the state it had).
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The disk.
    pub fn disk(&self) -> &Disk {
        &self.disk
    }

    /// Up, crashed, paused or removed.
    pub fn status(&self) -> NodeStatus {
        self.status
    }

    /// The node's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The node's local time at virtual time `now` (what its `Ctx::now` would read).
    pub fn local_now(&self, now: Time) -> Time {
        self.clock.local(now)
    }

    /// The life of the process: events scheduled under another epoch belong to a previous one.
    pub(super) fn epoch(&self) -> u32 {
        self.epoch
    }

    /// Runs one node handler with a context lent from the world and the server's disk.
    pub(super) fn run(
        &mut self,
        now: Time,
        config: &Config,
        rng: &mut SimRng,
        out: &mut Vec<Output>,
        handler: impl FnOnce(&mut Node, &mut Ctx),
    ) {
        debug_assert_eq!(self.status, NodeStatus::Up, "only a running process handles events");
        let now = self.clock.local(now);
        handler(&mut self.node, &mut Ctx { now, config, disk: &mut self.disk, rng, out });
    }

    /// Boots a crashed server's process again from its disk.
    pub(super) fn reboot(&mut self, now: Time, config: &Config, rng: &mut SimRng, out: &mut Vec<Output>) {
        assert_eq!(self.status, NodeStatus::Crashed, "only a crashed server reboots");
        debug_assert!(self.timer_deadline == [None; 2] && self.inbox.is_empty(), "a crash forgot everything");
        self.status = NodeStatus::Up;
        let id = self.node.id();
        let now = self.clock.local(now);
        self.node = Node::boot(id, &mut Ctx { now, config, disk: &mut self.disk, rng, out });
    }

    /// Power loss. Returns how many unsynced records were lost, or `None` if the server was already down.
    pub(super) fn crash(&mut self) -> Option<u64> {
        if self.status == NodeStatus::Crashed {
            return None;
        }
        self.status = NodeStatus::Crashed;
        let lost = self.disk.crash();
        self.stop_process();
        Some(lost)
    }

    /// Shuts the process down for good (it left the cluster). False if it had already left.
    pub(super) fn decommission(&mut self) -> bool {
        if self.status == NodeStatus::Removed {
            return false;
        }
        self.status = NodeStatus::Removed;
        self.stop_process();
        true
    }

    /// Freezes a running process. False if it was not running.
    pub(super) fn pause(&mut self) -> bool {
        if self.status != NodeStatus::Up {
            return false;
        }
        self.status = NodeStatus::Paused;
        true
    }

    /// Unfreezes a paused process; the world then hands it what it missed. False if it was not paused.
    pub(super) fn resume(&mut self) -> bool {
        if self.status != NodeStatus::Paused {
            return false;
        }
        self.status = NodeStatus::Up;
        true
    }

    /// The process stops (power loss or shutdown): a new epoch, so its pending timers and fsyncs are ignored,
    /// and everything volatile it was waiting on is gone.
    fn stop_process(&mut self) {
        self.epoch += 1;
        self.timer_deadline = [None; 2];
        self.timer_queued = [None; 2];
        self.timer_missed = [false; 2];
        self.inbox.clear();
        self.disk_done_missed = false;
        self.node.power_off();
    }

    /// The node (re)armed a timer for local time `at`. Returns the virtual time and the epoch to queue a timer
    /// event at if one must be queued (none is, or the queued one fires after the new deadline).
    pub(super) fn arm_timer(&mut self, kind: TimerKind, at: Time, now: Time) -> Option<(Time, u32)> {
        let k = kind as usize;
        self.timer_deadline[k] = Some(at);
        let due = self.clock.virtual_at(at).max(now);
        let queue = self.timer_queued[k].is_none_or(|queued| queued > due);
        if queue {
            self.timer_queued[k] = Some(due);
        }
        self.debug_check_timer(k);
        queue.then_some((due, self.epoch))
    }

    /// From virtual time `now` on, the node's clock runs at `rate_ppm`. Returns the timer events to queue (per
    /// kind, the virtual time and epoch): a clock that speeds up reaches its deadlines before the events queued
    /// for them (one that slows down finds them early and queues them again, as for a deadline pushed back).
    pub(super) fn set_clock_rate(&mut self, now: Time, rate_ppm: u64) -> [Option<(Time, u32)>; 2] {
        self.clock.set_rate(now, rate_ppm);
        let mut requeue = [None; 2];
        for (k, slot) in requeue.iter_mut().enumerate() {
            let (Some(deadline), Some(queued)) = (self.timer_deadline[k], self.timer_queued[k]) else { continue };
            let due = self.clock.virtual_at(deadline).max(now);
            if due < queued {
                self.timer_queued[k] = Some(due);
                *slot = Some((due, self.epoch));
            }
            self.debug_check_timer(k);
        }
        requeue
    }

    /// A timer event queued at `at` under `epoch` fires at `now`: what it means.
    pub(super) fn timer_due(&mut self, kind: TimerKind, at: Time, epoch: u32, now: Time) -> TimerDue {
        let k = kind as usize;
        if self.epoch != epoch || self.timer_queued[k] != Some(at) || self.status == NodeStatus::Crashed {
            return TimerDue::Stale;
        }
        debug_assert!(at <= now, "a timer event fires at its time");
        self.timer_queued[k] = None;
        let due = match self.timer_deadline[k] {
            Some(deadline) if deadline > self.clock.local(now) => {
                let later = self.clock.virtual_at(deadline);
                self.timer_queued[k] = Some(later);
                TimerDue::Later(later)
            }
            Some(_) => {
                self.timer_deadline[k] = None;
                if self.status == NodeStatus::Paused {
                    self.timer_missed[k] = true;
                    TimerDue::Missed
                } else {
                    TimerDue::Fire
                }
            }
            None => TimerDue::Stale,
        };
        self.debug_check_timer(k);
        due
    }

    /// Whether a timer of `kind` expired while paused (and forgets it).
    pub(super) fn take_missed_timer(&mut self, kind: TimerKind) -> bool {
        std::mem::take(&mut self.timer_missed[kind as usize])
    }

    /// A message arrived while paused: it waits in the inbox.
    pub(super) fn hold_while_paused(&mut self, message: Message) {
        debug_assert_eq!(self.status, NodeStatus::Paused);
        self.inbox.push_back(message);
    }

    /// The oldest message that arrived while paused.
    pub(super) fn next_missed_message(&mut self) -> Option<Message> {
        self.inbox.pop_front()
    }

    /// An fsync finished while paused.
    pub(super) fn miss_disk_done(&mut self) {
        debug_assert_eq!(self.status, NodeStatus::Paused);
        self.disk_done_missed = true;
    }

    /// Whether an fsync finished while paused (and forgets it).
    pub(super) fn take_missed_disk_done(&mut self) -> bool {
        std::mem::take(&mut self.disk_done_missed)
    }

    fn debug_check_timer(&self, k: usize) {
        if let Some(queued) = self.timer_queued[k] {
            debug_assert!(
                self.timer_deadline[k].is_some_and(
                    |deadline| queued <= self.clock.virtual_at(deadline) || self.clock.local(queued) >= deadline
                ),
                "queued timer {queued} after its deadline {:?}",
                self.timer_deadline[k]
            );
        }
    }
}
