//! Client history: every call and return with virtual times. This is what a linearizability checker reads.

use crate::sim::raft::message::ClientOp;
use crate::sim::types::{ClientId, Index, NodeId, Time};
use serde::{Deserialize, Serialize};

/// How an operation ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum OpStatus {
    /// Still waiting for an answer.
    Pending,
    /// Acknowledged. For a write, `index` is the log index it was committed at; for a read, `value` is what
    /// was returned and `index` the index of the entry that wrote it (0 if the key was absent). For a
    /// compare-and-set, `applied` says whether it wrote (absent for every other operation).
    Ok {
        value: Option<String>,
        index: Index,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        applied: Option<bool>,
    },
    /// The client gave up: a write may or may not have taken effect, a read had no effect.
    Unknown { reason: String },
}

/// One client operation from call to return.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryOp {
    /// Client that issued it.
    pub client: ClientId,
    /// The client's sequence number for it (retries reuse it).
    pub seq: u64,
    /// The request.
    pub op: ClientOp,
    /// When the client issued it.
    pub invoked_us: Time,
    /// When the client got the final answer (or gave up).
    pub completed_us: Option<Time>,
    /// Outcome so far.
    pub status: OpStatus,
    /// Attempts made (1 = no retry).
    pub attempts: u32,
    /// Node that gave the final answer.
    pub served_by: Option<NodeId>,
}

impl HistoryOp {
    /// True once the client has its answer or gave up.
    pub fn is_finished(&self) -> bool {
        !matches!(self.status, OpStatus::Pending)
    }
}
