//! Commands: the only way anything outside the core (a scenario, the UI, the CLI) changes the world.
//! Recording them is enough to replay a session bit for bit.

use crate::sim::config::ReadMode;
use crate::sim::types::{ClientId, Index, NodeId};
use serde::{Deserialize, Serialize};

/// One action a user or scenario takes. Serialized with an `action` tag, e.g.
/// `{"action":"put","client":0,"key":"x","value":"1"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Command {
    /// A client writes `key = value`. `node` forces the first attempt's target (else the client's guess).
    Put {
        client: ClientId,
        key: String,
        value: String,
        #[serde(default)]
        node: Option<NodeId>,
    },
    /// A client reads `key`, served according to the read mode.
    Get {
        client: ClientId,
        key: String,
        #[serde(default)]
        node: Option<NodeId>,
    },
    /// A client deletes `key`.
    Delete {
        client: ClientId,
        key: String,
        #[serde(default)]
        node: Option<NodeId>,
    },
    /// Power loss: volatile state and unsynced writes are lost.
    Crash { node: NodeId },
    /// Boot a crashed node: it recovers from its disk.
    Restart { node: NodeId },
    /// Freeze a node (a GC pause): timers stop, incoming messages wait.
    Pause { node: NodeId },
    /// Unfreeze a paused node; queued messages and expired timers are handled at once.
    Resume { node: NodeId },
    /// Split the cluster: nodes in different groups cannot talk. Nodes in no group form one more group.
    Partition { groups: Vec<Vec<NodeId>> },
    /// Remove every partition, cut and slow link.
    Heal,
    /// Drop every message from `from` to `to` (one way).
    CutLink { from: NodeId, to: NodeId },
    /// Restore the link from `from` to `to` (one way).
    RepairLink { from: NodeId, to: NodeId },
    /// Add `extra_ms` of latency to messages from `from` to `to` (0 makes it normal again).
    SlowLink { from: NodeId, to: NodeId, extra_ms: u64 },
    /// Set the probability that any message is lost.
    SetLoss { probability: f64 },
    /// Set the probability that any message is delivered twice.
    SetDuplicate { probability: f64 },
    /// Set the one-way latency range.
    SetLatency { min_ms: u64, max_ms: u64 },
    /// Arm a torn write: at the node's next crash, the first unsynced record is left half-written.
    TornWrite { node: NodeId },
    /// Flip one bit of the stored record at `index` on the node's disk.
    BitFlip { node: NodeId, index: Index },
    /// Make the node's next fsync fail; the node then crashes and recovers (it must not retry).
    FailFsync { node: NodeId },
    /// Make every fsync on this node take `fsync_ms` (None restores the normal range).
    SlowDisk {
        node: NodeId,
        #[serde(default)]
        fsync_ms: Option<u64>,
    },
    /// Change how reads are served from now on.
    SetReadMode { mode: ReadMode },
    /// Set the seconds-scale knobs a lesson may turn live: heartbeat and election timeouts.
    SetTimeouts { heartbeat_ms: u64, election_timeout_ms_min: u64, election_timeout_ms_max: u64 },
}

impl Command {
    /// The nodes a command names, for validation against the cluster size.
    pub fn nodes(&self) -> Vec<NodeId> {
        match self {
            Command::Put { node, .. } | Command::Get { node, .. } | Command::Delete { node, .. } => {
                node.iter().copied().collect()
            }
            Command::Crash { node }
            | Command::Restart { node }
            | Command::Pause { node }
            | Command::Resume { node }
            | Command::TornWrite { node }
            | Command::BitFlip { node, .. }
            | Command::FailFsync { node }
            | Command::SlowDisk { node, .. } => vec![*node],
            Command::Partition { groups } => groups.iter().flatten().copied().collect(),
            Command::CutLink { from, to } | Command::RepairLink { from, to } | Command::SlowLink { from, to, .. } => {
                vec![*from, *to]
            }
            _ => Vec::new(),
        }
    }

    /// The client a command names, if any.
    pub fn client(&self) -> Option<ClientId> {
        match self {
            Command::Put { client, .. } | Command::Get { client, .. } | Command::Delete { client, .. } => Some(*client),
            _ => None,
        }
    }

    /// A short description for traces and the event log.
    pub fn describe(&self) -> String {
        match self {
            Command::Put { client, key, value, .. } => format!("client {client}: put {key}={value}"),
            Command::Get { client, key, .. } => format!("client {client}: get {key}"),
            Command::Delete { client, key, .. } => format!("client {client}: delete {key}"),
            Command::Crash { node } => format!("crash n{node}"),
            Command::Restart { node } => format!("restart n{node}"),
            Command::Pause { node } => format!("pause n{node}"),
            Command::Resume { node } => format!("resume n{node}"),
            Command::Partition { groups } => format!("partition {groups:?}"),
            Command::Heal => "heal the network".to_string(),
            Command::CutLink { from, to } => format!("cut link n{from}→n{to}"),
            Command::RepairLink { from, to } => format!("repair link n{from}→n{to}"),
            Command::SlowLink { from, to, extra_ms } => format!("slow link n{from}→n{to} by {extra_ms}ms"),
            Command::SetLoss { probability } => format!("message loss {:.0}%", probability * 100.0),
            Command::SetDuplicate { probability } => format!("message duplication {:.0}%", probability * 100.0),
            Command::SetLatency { min_ms, max_ms } => format!("latency {min_ms}–{max_ms}ms"),
            Command::TornWrite { node } => format!("arm torn write on n{node}"),
            Command::BitFlip { node, index } => format!("flip a bit in n{node}'s entry {index}"),
            Command::FailFsync { node } => format!("fail n{node}'s next fsync"),
            Command::SlowDisk { node, fsync_ms: Some(ms) } => format!("slow disk on n{node}: fsync {ms}ms"),
            Command::SlowDisk { node, fsync_ms: None } => format!("normal disk on n{node}"),
            Command::SetReadMode { mode } => format!("read mode {mode:?}"),
            Command::SetTimeouts { heartbeat_ms, election_timeout_ms_min, election_timeout_ms_max } => {
                format!("heartbeat {heartbeat_ms}ms, election {election_timeout_ms_min}–{election_timeout_ms_max}ms")
            }
        }
    }
}
