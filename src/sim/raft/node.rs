//! A Raft node as a sans-IO state machine.
//!
//! The world feeds it one thing at a time — a message, a timer firing, an fsync completion, a boot — through a
//! [`Ctx`] that lends it the clock reading, its disk and the world's RNG; the node answers with [`Output`]s.
//! It never sees the network, the event queue or other nodes. Messages that must wait for durability
//! (votes, append acknowledgements, snapshot acknowledgements) are held inside the node and released only
//! when the fsync covering them completes (etcd's `msgsAfterAppend`).
//!
//! The rules live in sibling files, each an `impl Node` block: `election.rs` (terms and votes),
//! `replication.rs` (AppendEntries and InstallSnapshot), `commit.rs` (HWM, apply, snapshots, LWM and segment
//! deletion), `reads.rs` (client requests and read modes), `membership.rs` (configurations and learners), and
//! the extensions of DESIGN §3a, each switched by the configuration: `prevote.rs`, `check_quorum.rs`,
//! `lease.rs` (lease reads and leader stickiness) and `transfer.rs` (leadership transfer).

use crate::sim::breaks::Break;
use crate::sim::config::Config;
use crate::sim::raft::lease::Lease;
use crate::sim::raft::message::{Body, Endpoint, Message};
use crate::sim::raft::role::Role;
use crate::sim::raft::transfer::Transfer;
use crate::sim::rng::SimRng;
use crate::sim::storage::disk::{Disk, HardState, Snapshot};
use crate::sim::storage::entry::EntryRef;
use crate::sim::storage::kv::{ApplyEffect, KvState};
use crate::sim::storage::wal::RecoveryScan;
use crate::sim::types::{ClientId, Index, NodeId, Term, Time};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// What a node is handed for one step: the time, its configuration, its disk and the world's RNG.
pub struct Ctx<'a> {
    /// The node's own clock now (`world/clock.rs`): virtual time unless a `set-clock-rate` made it drift. Every
    /// time a node keeps (timer deadlines, when it last heard a peer, its lease) is on this clock.
    pub now: Time,
    /// Cluster configuration.
    pub config: &'a Config,
    /// This node's disk.
    pub disk: &'a mut Disk,
    /// The world's seeded RNG (the only source of randomness).
    pub rng: &'a mut SimRng,
    /// Where outputs go, in order.
    pub out: &'a mut Vec<Output>,
}

/// Timers a node can set. The world keeps one deadline per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimerKind {
    /// Followers and candidates start an election when it fires.
    Election,
    /// Leaders send heartbeats when it fires.
    Heartbeat,
}

/// What a node asks the world to do, or tells it.
#[derive(Clone, Debug)]
pub enum Output {
    /// Put a message on the network now.
    Send(Message),
    /// Start an fsync covering every write so far (joins the next one if one is running: group commit).
    Sync,
    /// (Re)arm a timer to fire at an absolute time.
    Timer(TimerKind, Time),
    /// Something happened that the trace and the checker want to know.
    Observe(Observation),
    /// The node must stop and be restarted from its disk (failed fsync, corrupt record found).
    FailStop(String),
}

/// Facts a node reports about itself: they drive the trace, the UI's animations and the checker.
#[derive(Clone, Debug)]
pub enum Observation {
    /// Started an election.
    BecameCandidate { term: Term },
    /// Won an election.
    BecameLeader { term: Term },
    /// Left leadership or candidacy because of a higher term.
    SteppedDown { term: Term, from: Role },
    /// Granted its vote. `persisted`: the grant waits for its fsync (the checker then learns the vote from the
    /// durable hard state; an unpersisted grant leaves at once and counts as cast right away).
    VoteGranted { term: Term, candidate: NodeId, persisted: bool },
    /// Appended entries after an entry of term `prev_term`.
    Appended { prev_term: Term, entries: Vec<EntryRef> },
    /// Removed `from..` because of a conflict (or a broken recovery rule).
    Truncated { from: Index, removed: u64, while_leader: bool },
    /// The commit index (this node's HWM) moved.
    CommitAdvanced { from: Index, to: Index, term_of_entry: Term },
    /// An entry was applied to the state machine. `repeat`: its `(client, seq)` had been applied before
    /// (by the session table, which records history whatever the dedup rule).
    Applied { entry: EntryRef, effect: ApplyEffect, repeat: bool },
    /// A snapshot was written (durable later).
    SnapshotWritten { last_index: Index },
    /// A snapshot from the leader replaced (part of) the log.
    SnapshotInstalled { last_index: Index, last_term: Term, kept_suffix: bool },
    /// The cleaner deleted sealed segments below the LWM.
    SegmentsDeleted { segments: Vec<(Index, Index)>, lwm: Index },
    /// A read was answered with a value written at `value_index`; the node's HWM was `hwm`. `lease`: a leader
    /// answered at once, relying on its lease (read mode `lease`).
    ReadServed { client: ClientId, seq: u64, value_index: Index, hwm: Index, lease: bool },
    /// A client write was acknowledged after being committed at `index`.
    WriteAcked { client: ClientId, seq: u64, index: Index, term: Term },
    /// A leader whose own removal was committed stepped down (it led without counting itself until then).
    LeftAsLeader { term: Term },
    /// The commit index passed the newest configuration entry: these voters (and learners) are now the
    /// committed cluster.
    ConfigCommitted { index: Index, members: Vec<NodeId>, learners: Vec<NodeId> },
    /// Boot-time recovery finished.
    Recovered { lost_from: Option<Index>, replayed_to: Index, truncated_to_hwm: bool },
    // Raft beyond Figure 2 (DESIGN §3a): reported only when the option that causes them is on.
    /// Pre-vote: asks whether it could win `term` (its own term `own` + 1, which it does not adopt).
    PreVoteStarted { term: Term, own: Term },
    /// Pre-vote: would vote for `candidate` in `term`; its own term and vote do not change.
    PreVoteGranted { term: Term, candidate: NodeId },
    /// Pre-vote: would not vote for `candidate` in `term`, and why.
    PreVoteRefused { term: Term, candidate: NodeId, reason: VoteRefusal },
    /// Leader stickiness: ignored `candidate`'s RequestVote for the higher `term` without adopting it, because
    /// it heard from a leader within the minimum election timeout (check-quorum or lease mode).
    VoteIgnored { term: Term, candidate: NodeId },
    /// Check-quorum: a leader that heard from only `heard` of the `needed` voters (itself included) within an
    /// election timeout stepped down.
    CheckQuorumFailed { term: Term, heard: usize, needed: usize },
    /// Lease mode: a leader without a valid lease obtained one, valid until `until` on its own clock.
    LeaseGranted { until: Time },
    /// Lease mode: the leader's lease ran out at `until` (its clock) without a renewal.
    LeaseExpired { until: Time },
    /// Leadership transfer: the leader started handing leadership to `to`; it takes no writes meanwhile and
    /// holds no lease.
    TransferStarted { to: NodeId },
    /// Leadership transfer: `to` holds the leader's whole log (up to `index`); the leader sent it TimeoutNow and
    /// gives up leases for the rest of its term.
    TimeoutNowSent { to: NodeId, index: Index },
    /// Leadership transfer: it did not finish, and why; the leader takes writes again.
    TransferAbandoned { to: NodeId, reason: TransferAbandon },
    /// Leadership transfer: this node got TimeoutNow from the leader and campaigns at once, without pre-vote.
    TimeoutNowReceived { from: NodeId },
    /// Leadership transfer: a client write reached the leader during a transfer and was dropped (the client
    /// times out and retries, by then at the new leader; etcd's `ErrProposalDropped`).
    ProposalDropped { client: ClientId, seq: u64, to: NodeId },
}

/// Why a node would not grant a pre-vote (the trace says it; RequestPreVote's answer only says "refused").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteRefusal {
    /// It heard from a leader within the minimum election timeout (or leads itself).
    LeaderAlive,
    /// The candidate's log is behind this node's.
    LogBehind,
    /// This node lost records to corruption and stays out of elections until it has them back.
    Abstaining,
    /// The asked term is not above this node's, and it voted for another candidate in it.
    VotedElsewhere,
    /// The candidate's term is behind this node's.
    StaleTerm,
}

impl VoteRefusal {
    /// The reason in words, for the trace.
    pub fn describe(self) -> &'static str {
        match self {
            VoteRefusal::LeaderAlive => "it heard from a leader within the election timeout",
            VoteRefusal::LogBehind => "the candidate's log is behind",
            VoteRefusal::Abstaining => "it abstains after losing records",
            VoteRefusal::VotedElsewhere => "it voted for another candidate in that term",
            VoteRefusal::StaleTerm => "the candidate's term is behind",
        }
    }
}

/// Why a leadership transfer was abandoned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferAbandon {
    /// It did not finish within an election timeout (the target did not catch up, or its election failed).
    Timeout,
}

/// The leader's view of one follower (etcd's `Progress`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressState {
    /// Unsure where the follower's log ends: one append at a time.
    Probe,
    /// Streaming: up to `max_inflight` appends outstanding.
    Replicate,
    /// Waiting for the follower to install a snapshot.
    Snapshot,
}

impl ProgressState {
    /// `probe`, `replicate`, `snapshot` (the view's and the golden files' words).
    pub fn name(self) -> &'static str {
        match self {
            ProgressState::Probe => "probe",
            ProgressState::Replicate => "replicate",
            ProgressState::Snapshot => "snapshot",
        }
    }
}

/// Replication progress for one follower. Invariant: `match_index < next_index`; in Replicate state the
/// outstanding appends' last indexes are increasing, above `match_index` and below `next_index`.
/// Only the leader's rules (`impl Node` in this folder) change it; everyone else reads it through the getters.
#[derive(Clone, Debug)]
pub struct Progress {
    /// Highest index known durable on the follower.
    pub(super) match_index: Index,
    /// Next index to send.
    pub(super) next_index: Index,
    /// Flow-control state.
    pub(super) state: ProgressState,
    /// Last index of each outstanding append (Replicate state).
    pub(super) inflight: VecDeque<Index>,
    /// Probe state: an append is outstanding.
    pub(super) paused: bool,
    /// Highest heartbeat round the follower acknowledged in this term.
    pub(super) probe_acked: u64,
    /// When the follower last answered.
    pub(super) last_heard: Time,
    /// When a snapshot was last sent.
    pub(super) snapshot_sent_at: Time,
    /// `match_index` at the previous heartbeat, to notice stalled pipelines (lost appends).
    pub(super) match_at_last_tick: Index,
}

impl Progress {
    fn new(next_index: Index, now: Time) -> Progress {
        debug_assert!(next_index >= 1, "the first index of any log is 1");
        Progress {
            match_index: 0,
            next_index,
            state: ProgressState::Probe,
            inflight: VecDeque::new(),
            paused: false,
            probe_acked: 0,
            last_heard: now,
            snapshot_sent_at: 0,
            match_at_last_tick: 0,
        }
    }

    /// Highest index known durable on the follower.
    pub fn match_index(&self) -> Index {
        self.match_index
    }

    /// Next index the leader will send.
    pub fn next_index(&self) -> Index {
        self.next_index
    }

    /// Flow-control state.
    pub fn state(&self) -> ProgressState {
        self.state
    }

    /// Appends sent and not yet acknowledged.
    pub fn inflight(&self) -> usize {
        self.inflight.len()
    }

    /// Asserts the invariants written on the fields (debug builds; no break switch touches flow control).
    pub(super) fn debug_check(&self, max_inflight: usize) {
        debug_assert!(self.match_index < self.next_index, "match {} < next {}", self.match_index, self.next_index);
        if cfg!(debug_assertions) {
            let mut previous = self.match_index;
            for &last in &self.inflight {
                assert!(last > previous && last < self.next_index, "inflight {:?} out of order", self.inflight);
                previous = last;
            }
            match self.state {
                ProgressState::Replicate => assert!(self.inflight.len() <= max_inflight.max(1)),
                ProgressState::Probe | ProgressState::Snapshot => assert!(self.inflight.is_empty()),
            }
        }
    }
}

/// A message waiting for the fsync that covers disk write `after_write`.
#[derive(Clone, Debug)]
pub(super) struct HeldMessage {
    /// Disk write sequence number that must be durable first. Invariant: above the disk's synced sequence
    /// number (once it is not, the fsync-completion handler releases the message).
    pub(super) after_write: u64,
    /// Log index the message vouches for; if a truncation removed it meanwhile, the message is dropped.
    pub(super) needs_index: Index,
    /// The message.
    pub(super) message: Message,
}

/// A read-index read waiting for leadership confirmation and for the state machine to catch up.
#[derive(Clone, Debug)]
pub(super) struct PendingRead {
    /// Who asked.
    pub(super) client: ClientId,
    /// Their sequence number.
    pub(super) seq: u64,
    /// Key to read.
    pub(super) key: Rc<str>,
    /// Heartbeat round that must be acknowledged by a quorum.
    pub(super) probe: u64,
}

/// The node. Its fields are private to the Raft rules (the `impl Node` blocks in this folder); the world,
/// the checker and the views read it through the getters below (etcd's `Status()`, without the copy) and
/// drive it only through the entry points (`boot`, `on_message`, `on_timer`, `on_disk_done`,
/// `propose_members`, `power_off`).
#[derive(Clone, Debug)]
pub struct Node {
    /// Own id.
    pub(super) id: NodeId,
    /// Voting members in the newest configuration this node knows (its log's last config entry, else its
    /// snapshot's, else `bootstrap`), in id order. Quorums, peers and replication targets come from here.
    pub(super) members: Vec<NodeId>,
    /// Index of the config entry `members` came from (0: from the snapshot or the bootstrap list).
    pub(super) config_index: Index,
    /// Members this process was started with: the initial cluster for the first nodes, none for a node that
    /// joins later (it waits to hear a configuration that includes it).
    pub(super) bootstrap: Vec<NodeId>,
    /// Role. Invariant: a leader believes it leads itself, and has a progress slot for every member.
    pub(super) role: Role,
    /// Current term (a volatile copy of the persisted one, ahead of it until the fsync completes).
    pub(super) term: Term,
    /// Vote in `term`.
    pub(super) voted_for: Option<NodeId>,
    /// Who we believe leads.
    pub(super) leader: Option<NodeId>,
    /// Commit index = this node's high-water mark.
    pub(super) commit: Index,
    /// Last applied index. Invariant: `last_snapshot_index ≤ applied ≤ commit`.
    pub(super) applied: Index,
    /// The state machine.
    pub(super) state: KvState,
    /// Votes received in the current election (bit per node). Invariant: empty unless a candidate.
    pub(super) votes: u32,
    /// Per follower (leader only; the own slot is unused). Invariant: empty unless a leader.
    pub(super) progress: Vec<Progress>,
    /// Highest index verified to match the current leader's log in this term (bounds the follower's HWM).
    pub(super) verified_from_leader: Index,
    /// Messages waiting for an fsync.
    pub(super) held: Vec<HeldMessage>,
    /// Leader: client writes waiting for their entry to be applied, by index. Invariant: every index is above
    /// `applied` (an applied write is acknowledged and forgotten).
    pub(super) waiting_writes: BTreeMap<Index, (ClientId, u64)>,
    /// Leader: read-index reads waiting. Invariant: empty unless a leader.
    pub(super) pending_reads: Vec<PendingRead>,
    /// Leader: number of the latest heartbeat round.
    pub(super) probe_round: u64,
    /// When the election timer fires.
    pub(super) election_deadline: Time,
    /// After recovery cut corrupt records, do not vote or campaign until the log is back to this index.
    pub(super) abstain_until: Option<Index>,
    /// Term in which abstention started.
    pub(super) abstain_term: Term,
    /// Applied index of the newest snapshot taken or installed.
    pub(super) last_snapshot_index: Index,
    /// Low-water mark computed by the last cleaner run.
    pub(super) lwm: Index,
    /// A snapshot from the leader waiting for its own fsync before it replaces the log.
    pub(super) installing: Option<Rc<Snapshot>>,
    // Raft beyond Figure 2 (DESIGN §3a).
    /// Learners in the newest configuration this node knows, in the entry's order (`membership.rs`).
    /// Invariant: no node is both in `members` and in `learners`.
    pub(super) learners: Vec<NodeId>,
    /// When this node last heard from a leader of its term, on its own clock: a leader hears from itself, a
    /// leader that steps down heard from itself until then, and a booting node counts its boot (it may have
    /// promised a leader not to vote and cannot know). Pre-votes and, with leader stickiness, votes are refused
    /// until the minimum election timeout has passed since.
    pub(super) leader_contact: Time,
    /// Leader, read mode `lease`: its lease (`lease.rs`). Invariant: empty unless a leader.
    pub(super) lease: Lease,
    /// Leader: a leadership transfer in progress (`transfer.rs`). Invariant: `None` unless a leader.
    pub(super) transfer: Option<Transfer>,
}

/// The read-only door: what the world, the checker, the views and tests may know about a node. Each getter
/// is a field read (no copies on the paths that run every event and every frame).
impl Node {
    /// Own id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// Role now (a crashed node keeps the role it had, for the view).
    pub fn role(&self) -> Role {
        self.role
    }

    /// Current term (volatile: ahead of the disk's until the fsync of the hard state completes).
    pub fn term(&self) -> Term {
        self.term
    }

    /// Vote cast in the current term (volatile, like `term`).
    pub fn voted_for(&self) -> Option<NodeId> {
        self.voted_for
    }

    /// Who this node believes leads.
    pub fn leader(&self) -> Option<NodeId> {
        self.leader
    }

    /// Commit index: this node's high-water mark.
    pub fn commit(&self) -> Index {
        self.commit
    }

    /// Highest index applied to the state machine (≤ `commit`).
    pub fn applied(&self) -> Index {
        self.applied
    }

    /// The state machine at `applied`.
    pub fn state(&self) -> &KvState {
        &self.state
    }

    /// Voting members of the newest configuration in this node's log (committed or not), in id order.
    pub fn members(&self) -> &[NodeId] {
        &self.members
    }

    /// Index of the config entry `members` came from (0: the snapshot's or the bootstrap list).
    pub fn config_index(&self) -> Index {
        self.config_index
    }

    /// Members this process was started with (empty for a server that joined later).
    pub fn bootstrap(&self) -> &[NodeId] {
        &self.bootstrap
    }

    /// Leader: replication progress of each other member, voter or learner, in id order (empty for followers
    /// and candidates).
    pub fn follower_progress(&self) -> impl Iterator<Item = (NodeId, &Progress)> + '_ {
        self.progress.iter().enumerate().filter(move |(peer, _)| *peer != self.id && self.replicates_to(*peer))
    }

    /// Messages waiting for an fsync before they may leave (acks, votes).
    pub fn held_messages(&self) -> usize {
        self.held.len()
    }

    /// When the election timer fires (meaningful for followers and candidates).
    pub fn election_deadline(&self) -> Time {
        self.election_deadline
    }

    /// After losing records to corruption: the index the log must reach before this node votes again.
    pub fn abstain_until(&self) -> Option<Index> {
        self.abstain_until
    }

    /// Applied index of the newest snapshot taken or installed.
    pub fn last_snapshot_index(&self) -> Index {
        self.last_snapshot_index
    }

    /// Low-water mark computed by the last cleaner run.
    pub fn lwm(&self) -> Index {
        self.lwm
    }
}

impl Node {
    /// Boots a node from whatever its disk holds (a blank disk on first start): the recovery procedure of the
    /// WAL pattern. Scans and verifies the log, cuts it at the first bad record, loads the durable snapshot and
    /// replays committed entries into the state machine.
    pub fn boot(id: NodeId, ctx: &mut Ctx) -> Node {
        debug_assert!(ctx.disk.fsync_in_flight().is_none(), "a process boots with no fsync of a previous life");
        let scan = ctx.disk.wal.recover();
        let (state, snap_index) = restore_snapshot(ctx);
        let last = ctx.disk.wal.last_index();
        let mut node = Node::fresh(id, ctx, state, snap_index);
        note_lost_records(ctx, &scan);
        node.abstain_until = ctx.disk.abstain_until;
        let known_commit = ctx.disk.durable_commit().min(ctx.disk.wal.last_index()).max(snap_index);
        let mut truncated_to_hwm = false;
        if ctx.config.broken(Break::TruncateToHwmOnRestart) && last > known_commit {
            ctx.disk.wal.truncate_from(known_commit + 1);
            truncated_to_hwm = true;
        }
        node.refresh_members(ctx);
        node.commit = known_commit;
        node.apply_committed(ctx);
        node.reset_election_timer(ctx);
        ctx.out.push(Output::Observe(Observation::Recovered {
            lost_from: scan.bad_record,
            replayed_to: node.applied,
            truncated_to_hwm,
        }));
        node.debug_check(ctx);
        node
    }

    /// A follower with the durable hard state, the snapshot's state machine and nothing volatile yet.
    fn fresh(id: NodeId, ctx: &Ctx, state: KvState, snap_index: Index) -> Node {
        let hard = ctx.disk.durable_hard_state();
        let bootstrap: Vec<NodeId> = if id < ctx.config.nodes { (0..ctx.config.nodes).collect() } else { Vec::new() };
        Node {
            id,
            members: Vec::new(),
            config_index: 0,
            bootstrap,
            role: Role::Follower,
            term: hard.term,
            voted_for: hard.voted_for,
            leader: None,
            commit: snap_index,
            applied: snap_index,
            state,
            votes: 0,
            progress: Vec::new(),
            verified_from_leader: 0,
            held: Vec::new(),
            waiting_writes: BTreeMap::new(),
            pending_reads: Vec::new(),
            probe_round: 0,
            election_deadline: 0,
            abstain_until: None,
            abstain_term: hard.term,
            last_snapshot_index: snap_index,
            lwm: ctx.disk.wal.first_index(),
            installing: None,
            learners: Vec::new(),
            leader_contact: ctx.now,
            lease: Lease::default(),
            transfer: None,
        }
    }

    /// Entry point for a message from the network.
    pub fn on_message(&mut self, ctx: &mut Ctx, message: Message) {
        debug_assert_eq!(message.to, Endpoint::Node(self.id), "the world delivers a message to its receiver");
        let from = message.from;
        let pre_vote_poll = message.is_pre_vote_poll();
        match (from, message.body) {
            (Endpoint::Node(peer), body) => {
                // A pre-vote poll carries the candidate's *next* term, which nobody holds: never adopt it.
                if message.term > self.term && !pre_vote_poll {
                    if self.ignores_vote_request(ctx, peer, message.term, &body) {
                        self.debug_check(ctx);
                        return;
                    }
                    let leader = matches!(body, Body::Append { .. } | Body::InstallSnapshot { .. }).then_some(peer);
                    self.become_follower(ctx, message.term, leader);
                }
                match body {
                    Body::RequestVote { last_index, last_term, .. } => {
                        self.on_request_vote(ctx, peer, message.term, last_index, last_term)
                    }
                    Body::RequestPreVote { last_index, last_term } => {
                        self.on_request_pre_vote(ctx, peer, message.term, last_index, last_term)
                    }
                    Body::PreVote { granted } => self.on_pre_vote(ctx, peer, message.term, granted),
                    Body::TimeoutNow => self.on_timeout_now(ctx, peer, message.term),
                    Body::Vote { granted } => self.on_vote(ctx, peer, message.term, granted),
                    Body::Append { prev_index, prev_term, entries, commit, probe } => {
                        self.on_append(ctx, peer, message.term, prev_index, prev_term, entries, commit, probe)
                    }
                    Body::AppendReply { success, match_index, probe } => {
                        self.on_append_reply(ctx, peer, message.term, success, match_index, probe)
                    }
                    Body::InstallSnapshot { snapshot } => self.on_install_snapshot(ctx, peer, message.term, snapshot),
                    Body::SnapshotReply { last_index } => self.on_snapshot_reply(ctx, peer, message.term, last_index),
                    Body::Request { .. } | Body::Reply { .. } => {}
                }
            }
            (Endpoint::Client(client), Body::Request { seq, op, .. }) => self.on_client_request(ctx, client, seq, &op),
            (Endpoint::Client(_), _) => {}
        }
        self.debug_check(ctx);
    }

    /// Entry point for a timer.
    pub fn on_timer(&mut self, ctx: &mut Ctx, kind: TimerKind) {
        match kind {
            TimerKind::Election => self.on_election_timeout(ctx),
            TimerKind::Heartbeat => self.on_heartbeat_timer(ctx),
        }
        self.debug_check(ctx);
    }

    /// Entry point for an fsync completion: release what waited for it, then do what durability unlocks.
    pub fn on_disk_done(&mut self, ctx: &mut Ctx) {
        self.release_held(ctx);
        if self.role == Role::Candidate {
            self.maybe_win(ctx);
        }
        self.finish_install(ctx);
        self.maybe_end_abstention(ctx);
        if self.role == Role::Leader {
            self.maybe_commit(ctx);
        }
        self.collect_garbage(ctx);
        self.debug_check(ctx);
    }

    /// The process stopped (power loss, fail-stop, shutdown): what waited in its memory for an fsync is gone.
    /// The rest of the volatile state stays as it was, for the view, until a boot replaces the node.
    pub fn power_off(&mut self) {
        self.held.clear();
    }

    /// Sends the held messages whose fsync is done; drops those whose entries a truncation removed meanwhile.
    fn release_held(&mut self, ctx: &mut Ctx) {
        if self.held.is_empty() {
            return;
        }
        let synced = ctx.disk.synced_seq();
        let (ready, waiting): (Vec<HeldMessage>, Vec<HeldMessage>) =
            std::mem::take(&mut self.held).into_iter().partition(|h| h.after_write <= synced);
        self.held = waiting;
        let durable = ctx.disk.wal.synced_index();
        ctx.out.extend(ready.into_iter().filter(|h| h.needs_index <= durable).map(|h| Output::Send(h.message)));
    }

    /// Asserts the invariants written on the fields, after every entry point (debug builds only). Each one
    /// holds with every break switch on: the switches break rules the checker must catch, not these.
    fn debug_check(&self, ctx: &Ctx) {
        if !cfg!(debug_assertions) {
            return;
        }
        assert!(
            self.last_snapshot_index <= self.applied && self.applied <= self.commit,
            "n{}: snapshot {} ≤ applied {} ≤ commit {}",
            self.id,
            self.last_snapshot_index,
            self.applied,
            self.commit
        );
        assert!(self.waiting_writes.keys().next().is_none_or(|&index| index > self.applied), "an applied write waits");
        let (written, synced) = (ctx.disk.write_seq(), ctx.disk.synced_seq());
        for held in &self.held {
            // Past `synced` the fsync completion would have released it; past `written` it waits for nothing.
            assert!(synced < held.after_write && held.after_write <= written, "held message out of range");
        }
        match self.role {
            Role::Leader => {
                assert_eq!(self.leader, Some(self.id), "a leader follows itself");
                assert!(self.members.iter().all(|&m| m < self.progress.len()), "a progress slot per member");
                for (_, progress) in self.follower_progress() {
                    progress.debug_check(ctx.config.max_inflight);
                }
            }
            Role::Candidate | Role::PreCandidate | Role::Follower => {
                assert!(self.progress.is_empty() && self.pending_reads.is_empty() && self.waiting_writes.is_empty());
                assert!(self.role != Role::Follower || self.votes == 0, "only a (pre-)candidate counts votes");
                assert!(self.lease.is_empty() && self.transfer.is_none(), "only a leader holds a lease or transfers");
            }
        }
        assert!(self.members.iter().all(|m| !self.learners.contains(m)), "n{}: a voter and a learner", self.id);
    }

    /// Ends the abstention that follows lost records once the node holds them again *durably* (records
    /// received but not yet fsynced would vanish in the next crash, and the vote with them).
    pub(super) fn maybe_end_abstention(&mut self, ctx: &mut Ctx) {
        if let Some(until) = self.abstain_until {
            if ctx.disk.wal.synced_index() >= until && self.verified_from_leader >= until {
                self.abstain_until = None;
                ctx.disk.abstain_until = None;
            }
        }
    }

    /// Sends now, or holds the message until the disk writes it depends on are durable.
    pub(super) fn send_after_durable(&mut self, ctx: &mut Ctx, message: Message, needs_index: Index) {
        // ack-before-fsync skips only the wait for appended entries; term and vote still go to disk first.
        let entries_durable = needs_index <= ctx.disk.wal.synced_index() || ctx.config.broken(Break::AckBeforeFsync);
        if !ctx.disk.hard_state_dirty() && entries_durable {
            ctx.out.push(Output::Send(message));
        } else {
            let after_write = ctx.disk.write_seq();
            // A message held for nothing would wait for ever: there must be a write for the fsync to cover.
            debug_assert!(after_write > ctx.disk.synced_seq(), "held for a write that is already durable");
            self.held.push(HeldMessage { after_write, needs_index, message });
            ctx.out.push(Output::Sync);
        }
    }

    /// Sends immediately.
    pub(super) fn send(&self, ctx: &mut Ctx, to: NodeId, body: Body) {
        ctx.out.push(Output::Send(Message {
            from: Endpoint::Node(self.id),
            to: Endpoint::Node(to),
            term: self.term,
            body,
        }));
    }

    /// Builds a message from this node.
    pub(super) fn message(&self, to: Endpoint, body: Body) -> Message {
        Message { from: Endpoint::Node(self.id), to, term: self.term, body }
    }

    /// Writes term and vote to disk (durable at the next fsync) and asks for that fsync.
    pub(super) fn persist_hard_state(&self, ctx: &mut Ctx) {
        ctx.disk.write_hard_state(HardState { term: self.term, voted_for: self.voted_for });
        ctx.out.push(Output::Sync);
    }

    /// Reports a fact.
    pub(super) fn observe(&self, ctx: &mut Ctx, observation: Observation) {
        ctx.out.push(Output::Observe(observation));
    }

    /// Votes or acks needed: a majority of the voting members, ⌊n/2⌋+1 (learners never count).
    pub(super) fn quorum(&self) -> usize {
        self.members.len() / 2 + 1
    }

    /// Highest index on this node's disk for good (the leader's own match index).
    pub(super) fn own_match(&self, ctx: &Ctx) -> Index {
        if ctx.config.broken(Break::AckBeforeFsync) {
            ctx.disk.wal.last_index()
        } else {
            ctx.disk.wal.synced_index()
        }
    }

    /// Creates a fresh progress table after winning an election.
    pub(super) fn reset_progress(&mut self, ctx: &Ctx) {
        self.progress.clear();
        self.ensure_progress(ctx);
    }

    /// Leader: a progress slot for every voter and learner (one that just joined starts probing at our end).
    pub(super) fn ensure_progress(&mut self, ctx: &Ctx) {
        let slots = self.members.iter().chain(&self.learners).copied().chain([self.id]).max().map_or(0, |m| m + 1);
        let next = ctx.disk.wal.last_index() + 1;
        while self.progress.len() < slots {
            self.progress.push(Progress::new(next, ctx.now));
        }
    }
}

/// Loads the durable snapshot into a state machine; a log that does not continue it is thrown away (the
/// snapshot is newer than anything the log can still prove). Returns the state and the snapshot's index.
fn restore_snapshot(ctx: &mut Ctx) -> (KvState, Index) {
    let Some(snapshot) = ctx.disk.durable_snapshot().cloned() else { return (KvState::default(), 0) };
    let matches = ctx.disk.wal.term_at(snapshot.last_index) == Some(snapshot.last_term);
    if ctx.disk.wal.start() < snapshot.last_index && !matches {
        ctx.disk.wal.reset_to(snapshot.last_index, snapshot.last_term);
    }
    (snapshot.state.clone(), snapshot.last_index)
}

/// Recovery cut records: unless only a torn tail was cut, mark the disk "abstain until" the index the log
/// reached before the cut.
fn note_lost_records(ctx: &mut Ctx, scan: &RecoveryScan) {
    // A bad *last* record is a torn write: it was never fully written, so never acknowledged, and cutting it
    // loses nothing anyone was promised. (A bit flip in the last record looks the same; see ARCHITECTURE.md.)
    let torn_tail_only = scan.bad_record == Some(scan.last_before_cut);
    if scan.bad_record.is_some() && !torn_tail_only {
        // Records this node once held (and may have acknowledged) are gone: until it has them back, its vote
        // could help elect a leader that lacks them (protocol-aware recovery).
        let until = ctx.disk.abstain_until.unwrap_or(0).max(scan.last_before_cut);
        ctx.disk.abstain_until = Some(until);
    }
}
