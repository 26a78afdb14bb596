//! Views: plain, serializable snapshots of everything the UI draws. Computed from the world on demand;
//! the UI never reaches into the world's internals and never re-derives a rule from these.

pub mod build;

/// A message's kind is the protocol's; the view carries it as it is.
pub use crate::sim::raft::message::MessageKind;

use crate::sim::check::violation::Violation;
use crate::sim::config::{LwmPolicy, ReadMode};
use crate::sim::raft::role::Role;
use crate::sim::types::{ClientId, Index, NodeId, Term, Time};
use crate::sim::world::history::HistoryOp;
use crate::sim::world::status::NodeStatus;
use serde::{Deserialize, Serialize};

/// The whole cluster at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    /// Virtual time of this view.
    pub time_us: Time,
    /// World events processed so far.
    pub events: u64,
    /// Seed of the run.
    pub seed: u64,
    /// Read mode now in force.
    pub read_mode: ReadMode,
    /// Low-water-mark policy.
    pub lwm_policy: LwmPolicy,
    /// Per node, in id order.
    pub nodes: Vec<NodeView>,
    /// Messages on the wire (including ones that will be dropped on arrival).
    pub messages: Vec<MessageView>,
    /// Directed links whose state is not plain "up".
    pub links: Vec<LinkView>,
    /// Network-wide loss probability.
    pub loss: f64,
    /// Network-wide duplication probability.
    pub duplicate: f64,
    /// One-way latency range now in force, in milliseconds.
    pub latency_ms: (u64, u64),
    /// Generated client writes per second (0 = no load).
    pub write_load_per_second: u64,
    /// Client endpoints and their operations.
    pub clients: Vec<ClientView>,
    /// The newest trace events, oldest first.
    pub trace: Vec<TraceLine>,
    /// Every invariant violation found so far (empty while the run is correct).
    pub violations: Vec<Violation>,
    /// Whether the checker is on.
    pub checker_on: bool,
    /// The highest commit index any leader has reached (the cluster's HWM).
    pub cluster_hwm: Index,
    /// The node that is leader in the highest term, if any.
    pub leader: Option<NodeId>,
    /// Voting members as that leader's log says (else as the first running node's log says).
    pub members: Vec<NodeId>,
    // DESIGN §3a.
    /// Learners as the same log says (members that copy the log and never vote).
    pub learners: Vec<NodeId>,
    /// Pre-vote is on.
    pub pre_vote: bool,
    /// Check-quorum is on.
    pub check_quorum: bool,
    /// Read mode `lease`: the lease before the drift allowance, ms.
    pub lease_ms: u64,
    /// Read mode `lease`: the drift bound ρ the lease allows for (clocks within `[1 − ρ, 1 + ρ]`).
    pub clock_drift_bound: f64,
    /// Read mode `lease`: a whole lease on the leader's clock, µs (`lease_ms × (1 − ρ)/(1 + ρ)`): with a node's
    /// `lease_left_us`, the fraction of its lease left (the draining arc).
    pub lease_us: Time,
}

/// One node: its Raft state, its disk and its watermarks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeView {
    /// Node id.
    pub id: NodeId,
    /// Up, crashed or paused.
    pub status: NodeStatus,
    /// Role (a crashed node shows the role it had).
    pub role: Role,
    /// Current term (volatile copy; the durable one is in `durable_term`).
    pub term: Term,
    /// Vote in the current term.
    pub voted_for: Option<NodeId>,
    /// Term as it is on disk.
    pub durable_term: Term,
    /// Vote as it is on disk.
    pub durable_vote: Option<NodeId>,
    /// Who this node believes leads.
    pub leader_hint: Option<NodeId>,
    /// First entry still in the log (entries below are covered by the snapshot).
    pub first_index: Index,
    /// Last entry in the log, synced or not.
    pub last_index: Index,
    /// Highest entry that is durable on this node's disk.
    pub durable_index: Index,
    /// Commit index = this node's high-water mark: reads see nothing above it.
    pub hwm: Index,
    /// Highest entry applied to the state machine.
    pub applied: Index,
    /// Low-water mark: the oldest entry still needed; sealed segments wholly below it are deleted.
    pub lwm: Index,
    /// The durable snapshot, if any.
    pub snapshot: Option<SnapshotView>,
    /// A snapshot written but not yet fsynced.
    pub pending_snapshot: Option<SnapshotView>,
    /// WAL segments, oldest first.
    pub segments: Vec<SegmentView>,
    /// Leader only: what it knows about each follower.
    pub progress: Vec<ProgressView>,
    /// State machine contents at `applied` (≤ HWM), sorted by key.
    pub kv: Vec<(String, String)>,
    /// Disk state and armed faults.
    pub disk: DiskView,
    /// When the election timer fires (followers and candidates).
    pub election_deadline_us: Option<Time>,
    /// Messages waiting for an fsync before they may leave (acks, votes).
    pub held_messages: usize,
    /// After losing records to corruption, the node does not vote until its log reaches this index.
    pub abstain_until: Option<Index>,
    /// Voting members in the newest configuration in this node's log (committed or not).
    pub members: Vec<NodeId>,
    /// Whether this node is among its own `members` (a joining node is not until it hears the change).
    pub member: bool,
    /// Index of the config entry `members` came from (0: initial cluster or snapshot).
    pub config_index: Index,
    /// The leader appended a configuration without this node; it shuts down once that is committed.
    pub leaving: bool,
    // DESIGN §3a.
    /// Learners in the newest configuration in this node's log.
    pub learners: Vec<NodeId>,
    /// Whether this node is a learner in its own newest configuration (it copies the log, never votes).
    pub learner: bool,
    /// The node's clock rate (× virtual time; 1 = no drift).
    pub clock_rate: f64,
    /// The node's clock now (µs; virtual time unless its clock drifted).
    pub local_time_us: Time,
    /// Leader with a read lease: the virtual time its lease runs out (its clock reaching the lease's end).
    pub lease_until_us: Option<Time>,
    /// Leader with a read lease: how much of it is left on its own clock, µs.
    pub lease_left_us: Option<Time>,
    /// Leader handing leadership over: the target.
    pub transfer_to: Option<NodeId>,
}

/// A snapshot's coordinates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotView {
    /// Last entry the snapshot covers.
    pub last_index: Index,
    /// Term of that entry.
    pub last_term: Term,
    /// Keys in the snapshot.
    pub keys: usize,
}

/// One WAL segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentView {
    /// First index in the segment.
    pub base_index: Index,
    /// Last index in the segment (base - 1 if empty).
    pub last_index: Index,
    /// Sealed segments never change again except by deletion or conflict truncation.
    pub sealed: bool,
    /// Entries in order.
    pub entries: Vec<EntryView>,
}

/// One log entry as drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    /// Index.
    pub index: Index,
    /// Term (colour).
    pub term: Term,
    /// `x=1`, `del x`, `no-op`.
    pub summary: String,
    /// Client and sequence number of a client write.
    pub client_seq: Option<(ClientId, u64)>,
    /// On disk for good (fsynced).
    pub durable: bool,
    /// Stored CRC does not match the contents.
    pub corrupt: bool,
    /// At or below this node's HWM.
    pub committed: bool,
}

/// Leader's replication state for one follower.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    /// Follower id.
    pub peer: NodeId,
    /// Highest index known to be durable on the follower.
    pub match_index: Index,
    /// Next index to send.
    pub next_index: Index,
    /// `probe`, `replicate` or `snapshot`.
    pub state: String,
    /// Appends sent and not yet acknowledged.
    pub inflight: usize,
}

/// A node's disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskView {
    /// An fsync is running and will finish at this time.
    pub fsync_done_at_us: Option<Time>,
    /// Highest index the running fsync will make durable.
    pub fsync_covers_index: Option<Index>,
    /// Writes not yet covered by any finished fsync.
    pub unsynced_writes: u64,
    /// Fixed fsync latency of a slow disk.
    pub slow_fsync_ms: Option<u64>,
    /// The next fsync will fail.
    pub fail_next_fsync: bool,
    /// The next crash tears the first unsynced record.
    pub torn_write_armed: bool,
    /// Fsyncs completed so far.
    pub fsyncs: u64,
}

/// One message on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    /// Stable id while in flight (for animation keys).
    pub id: u64,
    /// Sender: `n0`, `c1`.
    pub from: String,
    /// Receiver.
    pub to: String,
    /// Sender node, if a node.
    pub from_node: Option<NodeId>,
    /// Receiver node, if a node.
    pub to_node: Option<NodeId>,
    /// Colour class.
    pub kind: MessageKind,
    /// One line: `AppendEntries t3 prev=4/2 [5..7] commit=4`.
    pub summary: String,
    /// Log entries carried (AppendEntries); 0 for a heartbeat and for every other kind.
    pub entries: usize,
    /// When it left.
    pub sent_us: Time,
    /// When it arrives (or is dropped).
    pub deliver_us: Time,
    /// Will be dropped on arrival (loss or a cut link).
    pub dropped: bool,
    /// A duplicate copy made by the network.
    pub duplicate: bool,
}

/// State of one directed link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    /// Sender side.
    pub from: NodeId,
    /// Receiver side.
    pub to: NodeId,
    /// Messages from → to are dropped.
    pub cut: bool,
    /// Extra latency on this link.
    pub extra_ms: u64,
}

/// One client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientView {
    /// Client id.
    pub id: ClientId,
    /// Node the client will try first.
    pub leader_guess: Option<NodeId>,
    /// The operation in progress.
    pub current: Option<HistoryOp>,
    /// Operations waiting behind it.
    pub queued: usize,
    /// The newest finished operations, newest last.
    pub recent: Vec<HistoryOp>,
}

/// One trace line for the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceLine {
    /// Sequence number of the event.
    pub seq: u64,
    /// Virtual time.
    pub time_us: Time,
    /// Node concerned, if any.
    pub node: Option<NodeId>,
    /// Filter category: `message`, `timer`, `disk`, `election`, `commit`, `snapshot`, `segment`, `client`,
    /// `fault`, `violation`.
    pub category: String,
    /// Human sentence.
    pub text: String,
    /// Whether the "run until next interesting event" control should stop here.
    pub interesting: bool,
}
