//! One node's simulated disk: the WAL, the hard state (`current_term`, `voted_for`), a commit hint and the snapshot,
//! each with a written-but-unsynced version and a durable version. Fsync is an operation with latency that
//! covers every write issued before it started (group commit).

use crate::sim::storage::kv::KvState;
use crate::sim::storage::wal::Wal;
use crate::sim::types::{Index, NodeId, Term, Time};
use std::rc::Rc;

/// What Raft must persist before answering: the term and the vote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HardState {
    /// Current term.
    pub term: Term,
    /// Vote cast in `term`.
    pub voted_for: Option<NodeId>,
}

/// A point-in-time copy of the state machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Last entry covered.
    pub last_index: Index,
    /// Term of that entry.
    pub last_term: Term,
    /// State machine (and client sessions) after applying `last_index`.
    pub state: KvState,
    /// Voting members as of `last_index`: the configuration entry it may have compacted away.
    pub members: Vec<crate::sim::types::NodeId>,
    /// Learners as of `last_index` (non-voting members), for the same reason.
    pub learners: Vec<crate::sim::types::NodeId>,
}

/// An fsync that has started and not finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FsyncInFlight {
    /// Write sequence number covered: every write up to it becomes durable.
    pub covers_write: u64,
    /// WAL index covered.
    pub covers_index: Index,
    /// When it completes.
    pub done_at: Time,
}

/// Faults armed on a disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiskFaults {
    /// Next crash leaves the first unsynced record torn.
    pub torn_on_crash: bool,
    /// Next fsync fails (fsyncgate: the node must crash, not retry).
    pub fail_next_fsync: bool,
    /// Every fsync takes this long.
    pub slow_fsync_ms: Option<u64>,
}

/// How an fsync ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsyncOutcome {
    /// Everything it covered is durable.
    Done,
    /// The device reported an error; the written data's fate is unknown.
    Failed,
}

/// The disk.
#[derive(Clone, Debug)]
pub struct Disk {
    /// The segmented log.
    pub wal: Wal,
    hard_state: HardState,
    durable_hard_state: HardState,
    snapshot: Option<Rc<Snapshot>>,
    durable_snapshot: Option<Rc<Snapshot>>,
    /// Incremented by every write (append, hard state, snapshot).
    write_seq: u64,
    /// Highest write sequence number made durable.
    synced_seq: u64,
    /// Write sequence of the newest hard-state write.
    hard_state_seq: u64,
    fsync: Option<FsyncInFlight>,
    /// Commit index as last written; it rides along with the next fsync and never delays a reply.
    commit: Index,
    /// Commit index captured when the running fsync started.
    commit_in_fsync: Index,
    /// Hard state and snapshot as written when the running fsync started: exactly what it makes durable.
    hard_state_in_fsync: HardState,
    snapshot_in_fsync: Option<Rc<Snapshot>>,
    /// Commit index as it would survive a crash now.
    durable_commit: Index,
    /// Armed faults.
    pub faults: DiskFaults,
    /// A marker written (synchronously) when recovery cut corrupt records: until the log is back to this index
    /// the node must not vote. It is on disk so that a second crash does not forget it.
    pub abstain_until: Option<Index>,
    /// Fsyncs completed, for the view.
    pub fsyncs: u64,
}

impl Disk {
    /// A blank disk.
    pub fn new(segment_entries: usize) -> Disk {
        Disk {
            wal: Wal::new(segment_entries),
            hard_state: HardState::default(),
            durable_hard_state: HardState::default(),
            snapshot: None,
            durable_snapshot: None,
            write_seq: 0,
            synced_seq: 0,
            hard_state_seq: 0,
            fsync: None,
            commit: 0,
            commit_in_fsync: 0,
            hard_state_in_fsync: HardState::default(),
            snapshot_in_fsync: None,
            durable_commit: 0,
            faults: DiskFaults::default(),
            abstain_until: None,
            fsyncs: 0,
        }
    }

    /// Counts a write (the WAL itself is changed through `wal`); returns its sequence number.
    pub fn note_write(&mut self) -> u64 {
        self.write_seq += 1;
        self.write_seq
    }

    /// Writes the hard state (not yet durable).
    pub fn write_hard_state(&mut self, hard_state: HardState) {
        if hard_state != self.hard_state {
            self.hard_state = hard_state;
            self.hard_state_seq = self.note_write();
        }
    }

    /// The hard state as last written.
    pub fn hard_state(&self) -> HardState {
        self.hard_state
    }

    /// The hard state as it would survive a crash now.
    pub fn durable_hard_state(&self) -> HardState {
        self.durable_hard_state
    }

    /// Records the commit index; unlike term and vote it needs no fsync of its own (it is a hint for recovery).
    pub fn write_commit(&mut self, commit: Index) {
        self.commit = commit;
    }

    /// Commit index that survived the last crash (or is durable now).
    pub fn durable_commit(&self) -> Index {
        self.durable_commit
    }

    /// Whether a written term/vote is still waiting for an fsync.
    pub fn hard_state_dirty(&self) -> bool {
        self.hard_state_seq > self.synced_seq
    }

    /// Writes a snapshot (not yet durable).
    pub fn write_snapshot(&mut self, snapshot: Snapshot) {
        self.snapshot = Some(Rc::new(snapshot));
        self.note_write();
    }

    /// The newest snapshot written, durable or not.
    pub fn snapshot(&self) -> Option<&Rc<Snapshot>> {
        self.snapshot.as_ref()
    }

    /// The snapshot that would survive a crash now.
    pub fn durable_snapshot(&self) -> Option<&Rc<Snapshot>> {
        self.durable_snapshot.as_ref()
    }

    /// Last index covered by the durable snapshot (0 if none).
    pub fn durable_snapshot_index(&self) -> Index {
        self.durable_snapshot.as_ref().map_or(0, |s| s.last_index)
    }

    /// Write sequence number of the newest write.
    pub fn write_seq(&self) -> u64 {
        self.write_seq
    }

    /// Highest write sequence number made durable.
    pub fn synced_seq(&self) -> u64 {
        self.synced_seq
    }

    /// Writes not yet covered by a finished fsync.
    pub fn unsynced_writes(&self) -> u64 {
        self.write_seq - self.synced_seq
    }

    /// The fsync in progress, if any.
    pub fn fsync_in_flight(&self) -> Option<FsyncInFlight> {
        self.fsync
    }

    /// Starts an fsync covering every write so far; the caller schedules its completion at `done_at`.
    /// Returns false (and does nothing) if one is already running or there is nothing to sync.
    pub fn begin_fsync(&mut self, done_at: Time) -> bool {
        if self.fsync.is_some() || self.write_seq == self.synced_seq {
            return false;
        }
        self.commit_in_fsync = self.commit;
        self.hard_state_in_fsync = self.hard_state;
        self.snapshot_in_fsync = self.snapshot.clone();
        self.fsync = Some(FsyncInFlight { covers_write: self.write_seq, covers_index: self.wal.last_index(), done_at });
        true
    }

    /// A truncation must not let a running fsync claim entries that were replaced after it started.
    pub fn note_truncation(&mut self, from: Index) {
        if let Some(f) = self.fsync.as_mut() {
            f.covers_index = f.covers_index.min(from.saturating_sub(1));
        }
    }

    /// Finishes the running fsync. On success everything it covered is durable.
    pub fn complete_fsync(&mut self) -> Option<FsyncOutcome> {
        let f = self.fsync.take()?;
        // An fsync covers only what was written: a crash cancels it, a truncation shrinks what it covers.
        debug_assert!(f.covers_write <= self.write_seq && f.covers_index <= self.wal.last_index());
        if self.faults.fail_next_fsync {
            self.faults.fail_next_fsync = false;
            return Some(FsyncOutcome::Failed);
        }
        self.synced_seq = self.synced_seq.max(f.covers_write);
        self.durable_commit = self.durable_commit.max(self.commit_in_fsync);
        self.wal.mark_synced(f.covers_index);
        self.durable_hard_state = self.hard_state_in_fsync;
        if let Some(snapshot) = self.snapshot_in_fsync.take() {
            if snapshot.last_index >= self.durable_snapshot_index() {
                self.durable_snapshot = Some(snapshot);
            }
        }
        self.fsyncs += 1;
        debug_assert!(self.synced_seq <= self.write_seq && self.hard_state_seq <= self.write_seq);
        Some(FsyncOutcome::Done)
    }

    /// Power loss: everything not durable is gone, and an in-flight fsync never completes.
    pub fn crash(&mut self) -> u64 {
        self.fsync = None;
        let torn = std::mem::take(&mut self.faults.torn_on_crash);
        let lost = self.wal.crash(torn);
        self.hard_state = self.durable_hard_state;
        self.commit = self.durable_commit;
        self.snapshot = self.durable_snapshot.clone();
        self.write_seq = self.synced_seq;
        self.hard_state_seq = self.hard_state_seq.min(self.synced_seq);
        lost
    }

    /// Latency of the next fsync given a random draw in the configured range.
    pub fn fsync_latency_ms(&self, normal_ms: u64) -> u64 {
        self.faults.slow_fsync_ms.unwrap_or(normal_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::storage::entry::{Entry, Payload};

    #[test]
    fn hard_state_is_durable_only_after_the_fsync_that_covers_it() {
        let mut disk = Disk::new(8);
        disk.write_hard_state(HardState { term: 2, voted_for: Some(1) });
        assert!(disk.hard_state_dirty());
        assert!(disk.begin_fsync(10));
        disk.write_hard_state(HardState { term: 3, voted_for: None });
        assert_eq!(disk.complete_fsync(), Some(FsyncOutcome::Done));
        assert_eq!(disk.durable_hard_state().term, 2, "the later write was not covered");
        assert!(disk.hard_state_dirty());
        disk.crash();
        assert_eq!(disk.hard_state().term, 2);
    }

    #[test]
    fn group_commit_covers_every_append_issued_before_it() {
        let mut disk = Disk::new(8);
        for i in 1..=3 {
            disk.wal.append(Entry::new(i, 1, Payload::Noop));
            disk.note_write();
        }
        assert!(disk.begin_fsync(5));
        assert!(!disk.begin_fsync(6), "one fsync at a time");
        disk.wal.append(Entry::new(4, 1, Payload::Noop));
        disk.note_write();
        disk.complete_fsync();
        assert_eq!(disk.wal.synced_index(), 3);
        assert_eq!(disk.crash(), 1);
        assert_eq!(disk.wal.last_index(), 3);
    }

    #[test]
    fn a_failed_fsync_makes_nothing_durable() {
        let mut disk = Disk::new(8);
        disk.wal.append(Entry::new(1, 1, Payload::Noop));
        disk.note_write();
        disk.faults.fail_next_fsync = true;
        disk.begin_fsync(1);
        assert_eq!(disk.complete_fsync(), Some(FsyncOutcome::Failed));
        assert_eq!(disk.wal.synced_index(), 0);
    }
}
