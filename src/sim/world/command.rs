//! Commands: the only way anything outside the core (a scenario, the UI, the CLI) changes the world.
//! Recording them is enough to replay a session bit for bit.
//!
//! This enum is the one schema of the actions: their names (serde's kebab-case of the variants), their fields
//! and, in [`Command::validate`] (`command/validate.rs`), their limits. The scenario parser, `World::apply`,
//! the golden-test interpreter and the UI's forms all use it; `command/json.rs` gives it its JSON shape.

#[cfg(test)]
pub(crate) mod examples;
mod json;
mod schema;
#[cfg(test)]
mod tests;
mod validate;

pub use validate::CommandContext;

use crate::sim::config::ReadMode;
use crate::sim::types::{ClientId, Index, NodeId};
use schema::command_schema;
use serde::{Deserialize, Serialize};

command_schema! {
    /// One action a user or scenario takes. In JSON it is an object tagged by `action`, e.g.
    /// `{"action": "put", "client": 0, "key": "x", "value": "1"}`; optional fields may be absent or `null`,
    /// unknown fields are refused (`command/json.rs`).
    ///
    /// Declared with [`command_schema!`](schema::command_schema) (`Variant = "action" { fields }`), which also
    /// generates the reading and writing of each action's fields; read and write commands with the serde traits,
    /// [`Command::from_json`] or [`Command::to_json`].
    #[derive(Clone, Debug, PartialEq)]
    pub enum Command {
        /// A client writes `key = value`. `node` forces the first attempt's target (else the client's guess).
        Put = "put" {
            client: ClientId,
            key: String,
            value: String,
            node: Option<NodeId>,
        },
        /// A client reads `key`, served according to the read mode.
        Get = "get" {
            client: ClientId,
            key: String,
            node: Option<NodeId>,
        },
        /// A client deletes `key`.
        Delete = "delete" {
            client: ClientId,
            key: String,
            node: Option<NodeId>,
        },
        /// A client's compare-and-set: `key` becomes `value` only if it holds `expected` when the entry is applied
        /// (`expected` null or absent: only if the key is absent). The answer says whether it applied.
        Cas = "cas" {
            client: ClientId,
            key: String,
            expected: Option<String>,
            value: String,
            node: Option<NodeId>,
        },
        /// A client appends `value` to the string at `key` (an absent key counts as empty).
        Append = "append" {
            client: ClientId,
            key: String,
            value: String,
            node: Option<NodeId>,
        },
        /// Power loss: volatile state and unsynced writes are lost.
        Crash = "crash" { node: NodeId },
        /// Boot a crashed node: it recovers from its disk.
        Restart = "restart" { node: NodeId },
        /// Freeze a node (a GC pause): timers stop, incoming messages wait.
        Pause = "pause" { node: NodeId },
        /// Unfreeze a paused node; queued messages and expired timers are handled at once.
        Resume = "resume" { node: NodeId },
        /// Split the cluster: nodes in different groups cannot talk. Nodes in no group form one more group.
        Partition = "partition" { groups: Vec<Vec<NodeId>> },
        /// Remove every partition, cut and slow link.
        Heal = "heal",
        /// Drop every message from `from` to `to` (one way).
        CutLink = "cut-link" { from: NodeId, to: NodeId },
        /// Restore the link from `from` to `to` (one way).
        RepairLink = "repair-link" { from: NodeId, to: NodeId },
        /// Add `extra_ms` of latency to messages from `from` to `to` (0 makes it normal again).
        SlowLink = "slow-link" { from: NodeId, to: NodeId, extra_ms: u64 },
        /// Set the probability that any message is lost.
        SetLoss = "set-loss" { probability: f64 },
        /// Set the probability that any message is delivered twice.
        SetDuplicate = "set-duplicate" { probability: f64 },
        /// Set the one-way latency range.
        SetLatency = "set-latency" { min_ms: u64, max_ms: u64 },
        /// Arm a torn write: at the node's next crash, the first unsynced record is left half-written.
        TornWrite = "torn-write" { node: NodeId },
        /// Flip one bit of the stored record at `index` on the node's disk.
        BitFlip = "bit-flip" { node: NodeId, index: Index },
        /// Make the node's next fsync fail; the node then crashes and recovers (it must not retry).
        FailFsync = "fail-fsync" { node: NodeId },
        /// Make every fsync on this node take `fsync_ms` (None restores the normal range).
        SlowDisk = "slow-disk" {
            node: NodeId,
            fsync_ms: Option<u64>,
        },
        /// Change how reads are served from now on.
        SetReadMode = "set-read-mode" { mode: ReadMode },
        /// Keep the clients busy: every `1/per_second` s the next client (round robin) writes one of 8 keys,
        /// unless it already has two operations waiting. 0 stops the load. The writes are generated by the world,
        /// so a long soak records one command, not one per write. `mix` weighs the kinds of operation generated
        /// (absent: puts only, as before mixes existed).
        SetWriteLoad = "set-write-load" {
            per_second: u64,
            mix: Option<WriteMix>,
        },
        /// Set the seconds-scale knobs a lesson may turn live: heartbeat and election timeouts.
        SetTimeouts = "set-timeouts" { heartbeat_ms: u64, election_timeout_ms_min: u64, election_timeout_ms_max: u64 },
        /// Start a new, empty server (the next unused id) and have the leader append a configuration adding it,
        /// as a voter or (`"as": "learner"`) as a learner that receives the log but never votes.
        AddNode = "add-node" {
            join as "as": Option<JoinAs>,
        },
        /// Have the leader append a configuration without `node` (a voter or a learner); the node shuts down once
        /// that is committed.
        RemoveNode = "remove-node" { node: NodeId },
        // Raft beyond the paper's Figure 2 (DESIGN §3a).
        /// From now on `node`'s clock runs at `rate` × virtual time (1 = no drift; above 0, at most
        /// `MAX_CLOCK_RATE`); its timers and its lease run on it.
        SetClockRate = "set-clock-rate" { node: NodeId, rate: f64 },
        /// The leader hands leadership to voter `to`: it stops taking writes, catches `to` up and sends it
        /// TimeoutNow; abandoned if not done within an election timeout.
        TransferLeadership = "transfer-leadership" { to: NodeId },
        /// The leader appends a configuration that makes learner `node` a voter (once it has caught up).
        Promote = "promote" { node: NodeId },
}
}

/// How `add-node` adds its server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JoinAs {
    /// A voting member at once (the dissertation's plain single-server change).
    #[default]
    Voter,
    /// A learner: it copies the log without counting toward any quorum, until `promote` makes it a voter.
    Learner,
}

crate::sim::json_fields::json_struct! {
    /// How often each kind of operation appears in a generated load: weights, e.g. `{"put": 6, "get": 2,
    /// "cas": 1, "append": 1}`; an absent kind weighs 0. The world interleaves the kinds by these weights
    /// without drawing from the RNG (`world/write_load.rs`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct WriteMix {
        /// Weight of `put k = n`.
        pub put: u64,
        /// Weight of `get k`.
        pub get: u64,
        /// Weight of `cas k (what the previous generated put to k wrote) → n`.
        pub cas: u64,
        /// Weight of `append k += "n;"`.
        pub append: u64,
    }
}

impl WriteMix {
    /// The weights in a fixed order (put, get, cas, append), for the generator and the checks.
    pub fn weights(&self) -> [u64; 4] {
        [self.put, self.get, self.cas, self.append]
    }
}

impl std::fmt::Display for WriteMix {
    /// `put 6, get 2, cas 1, append 1` (kinds of weight 0 left out).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = ["put", "get", "cas", "append"];
        let parts: Vec<String> =
            names.iter().zip(self.weights()).filter(|(_, w)| *w > 0).map(|(n, w)| format!("{n} {w}")).collect();
        f.write_str(&parts.join(", "))
    }
}

impl Command {
    /// `add-node` adding a voter, the default (`{"action": "add-node"}`).
    pub fn add_voter() -> Command {
        Command::AddNode { join: None }
    }

    /// `add-node` adding a learner (`{"action": "add-node", "as": "learner"}`).
    pub fn add_learner() -> Command {
        Command::AddNode { join: Some(JoinAs::Learner) }
    }

    /// The nodes a command names (the world refuses commands naming a node that has left the cluster).
    pub fn nodes(&self) -> Vec<NodeId> {
        match self {
            Command::Put { node, .. }
            | Command::Get { node, .. }
            | Command::Delete { node, .. }
            | Command::Cas { node, .. }
            | Command::Append { node, .. } => node.iter().copied().collect(),
            Command::Crash { node }
            | Command::Restart { node }
            | Command::Pause { node }
            | Command::Resume { node }
            | Command::TornWrite { node }
            | Command::BitFlip { node, .. }
            | Command::FailFsync { node }
            | Command::SlowDisk { node, .. }
            | Command::RemoveNode { node }
            | Command::SetClockRate { node, .. }
            | Command::Promote { node } => vec![*node],
            Command::TransferLeadership { to } => vec![*to],
            Command::Partition { groups } => groups.iter().flatten().copied().collect(),
            Command::CutLink { from, to } | Command::RepairLink { from, to } | Command::SlowLink { from, to, .. } => {
                vec![*from, *to]
            }
            _ => Vec::new(),
        }
    }

    /// A short description for traces and the event log.
    pub fn describe(&self) -> String {
        match self {
            Command::Put { client, key, value, .. } => format!("client {client}: put {key}={value}"),
            Command::Get { client, key, .. } => format!("client {client}: get {key}"),
            Command::Delete { client, key, .. } => format!("client {client}: delete {key}"),
            Command::Cas { client, key, expected: Some(expected), value, .. } => {
                format!("client {client}: cas {key} {expected}→{value}")
            }
            Command::Cas { client, key, expected: None, value, .. } => format!("client {client}: cas {key} ∅→{value}"),
            Command::Append { client, key, value, .. } => format!("client {client}: append {key}+={value}"),
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
            Command::SetWriteLoad { per_second: 0, .. } => "stop the write load".to_string(),
            Command::SetWriteLoad { per_second, mix: None } => format!("write load {per_second}/s"),
            Command::SetWriteLoad { per_second, mix: Some(mix) } => format!("write load {per_second}/s ({mix})"),
            Command::SetTimeouts { heartbeat_ms, election_timeout_ms_min, election_timeout_ms_max } => {
                format!("heartbeat {heartbeat_ms}ms, election {election_timeout_ms_min}–{election_timeout_ms_max}ms")
            }
            Command::AddNode { join: Some(JoinAs::Learner) } => "add a node as a learner".to_string(),
            Command::AddNode { .. } => "add a node".to_string(),
            Command::RemoveNode { node } => format!("remove n{node} from the cluster"),
            Command::SetClockRate { node, rate } => format!("n{node}'s clock runs at {rate}× virtual time"),
            Command::TransferLeadership { to } => format!("transfer leadership to n{to}"),
            Command::Promote { node } => format!("promote learner n{node} to voter"),
        }
    }
}
