//! Per-node event counters since the start of the run: how many elections a node started, snapshots it
//! installed, crashes it went through, and so on. A lesson's `expect` claims them ("n2 installed a snapshot",
//! "no segment was deleted on n1") without re-deriving anything from the log.
//!
//! They are derived from the records the world makes anyway (`World::record`), so they can never disagree
//! with the event log, and they are not part of the trace hash: counting changes nothing of the run.

use crate::sim::raft::node::Observation;
use crate::sim::types::NodeId;
use crate::sim::world::trace::What;
use serde::{Deserialize, Serialize};

/// What happened to one node since the start of the run, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeCounters {
    /// Elections it started (each candidacy in a new term).
    pub elections_started: u64,
    /// Snapshots received from a leader that replaced (part of) its log (InstallSnapshot).
    pub snapshots_installed: u64,
    /// Times it removed a tail of its log (a conflict with the leader, or a broken recovery rule).
    pub truncations: u64,
    /// Sealed segments its cleaner deleted below the low-water mark.
    pub segments_deleted: u64,
    /// Fsyncs that completed on its disk.
    pub fsyncs: u64,
    /// Times it lost power or stopped itself (a failed fsync, a corrupt record).
    pub crashes: u64,
    /// Restarts from its disk after a crash (the first boot is not one).
    pub recoveries: u64,
    /// Client reads it answered.
    pub reads_served: u64,
    /// Client writes it acknowledged as leader.
    pub writes_acked: u64,
}

impl NodeCounters {
    /// Counts one record about this node.
    fn count(&mut self, what: &What) {
        match what {
            What::FsyncDone { .. } => self.fsyncs += 1,
            What::Crashed { .. } => self.crashes += 1,
            What::Restarted => self.recoveries += 1,
            What::Observed(observation) => match observation {
                Observation::BecameCandidate { .. } => self.elections_started += 1,
                Observation::SnapshotInstalled { .. } => self.snapshots_installed += 1,
                Observation::Truncated { .. } => self.truncations += 1,
                Observation::SegmentsDeleted { segments, .. } => self.segments_deleted += segments.len() as u64,
                Observation::ReadServed { .. } => self.reads_served += 1,
                Observation::WriteAcked { .. } => self.writes_acked += 1,
                _ => {}
            },
            _ => {}
        }
    }
}

/// The counters of every server, by node id (a node nothing has happened to yet has no entry: all zero).
#[derive(Clone, Debug, Default)]
pub struct Counters {
    nodes: Vec<NodeCounters>,
}

impl Counters {
    /// Counts a record the world made about `node` (records about no node count nothing).
    pub fn count(&mut self, node: Option<NodeId>, what: &What) {
        let Some(node) = node else { return };
        if self.nodes.len() <= node {
            self.nodes.resize(node + 1, NodeCounters::default());
        }
        self.nodes[node].count(what);
    }

    /// The counters of `node` (all zero for a node nothing has happened to yet).
    pub fn of(&self, node: NodeId) -> NodeCounters {
        self.nodes.get(node).copied().unwrap_or_default()
    }
}
