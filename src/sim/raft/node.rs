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
//! deletion) and `reads.rs` (client requests and read modes).

use crate::sim::breaks::Break;
use crate::sim::config::Config;
use crate::sim::raft::kv::{ApplyEffect, KvState};
use crate::sim::raft::message::{Body, Endpoint, Message};
use crate::sim::raft::role::Role;
use crate::sim::storage::disk::{Disk, HardState};
use crate::sim::storage::entry::EntryRef;
use crate::sim::types::{ClientId, Index, NodeId, Term, Time};
use crate::sim::world::rng::SimRng;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// What a node is handed for one step: the time, its configuration, its disk and the world's RNG.
pub struct Ctx<'a> {
    /// Virtual time now.
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
    /// A read was answered with a value written at `value_index`; the node's HWM was `hwm`.
    ReadServed { client: ClientId, seq: u64, value_index: Index, hwm: Index },
    /// A client write was acknowledged after being committed at `index`.
    WriteAcked { client: ClientId, seq: u64, index: Index, term: Term },
    /// A leader whose own removal was committed stepped down (it led without counting itself until then).
    LeftAsLeader { term: Term },
    /// The commit index passed the newest configuration entry: these members are now the committed cluster.
    ConfigCommitted { index: Index, members: Vec<NodeId> },
    /// Boot-time recovery finished.
    Recovered { lost_from: Option<Index>, replayed_to: Index, truncated_to_hwm: bool },
}

/// The leader's view of one follower (etcd's `Progress`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgressState {
    /// Unsure where the follower's log ends: one append at a time.
    Probe,
    /// Streaming: up to `max_inflight` appends outstanding.
    Replicate,
    /// Waiting for the follower to install a snapshot.
    Snapshot,
}

/// Replication progress for one follower. Invariant: `match_index < next_index`.
#[derive(Clone, Debug)]
pub struct Progress {
    /// Highest index known durable on the follower.
    pub match_index: Index,
    /// Next index to send.
    pub next_index: Index,
    /// Flow-control state.
    pub state: ProgressState,
    /// Last index of each outstanding append (Replicate state).
    pub inflight: VecDeque<Index>,
    /// Probe state: an append is outstanding.
    pub paused: bool,
    /// Highest heartbeat round the follower acknowledged in this term.
    pub probe_acked: u64,
    /// When the follower last answered.
    pub last_heard: Time,
    /// When a snapshot was last sent.
    pub snapshot_sent_at: Time,
    /// `match_index` at the previous heartbeat, to notice stalled pipelines (lost appends).
    pub match_at_last_tick: Index,
}

impl Progress {
    fn new(next_index: Index, now: Time) -> Progress {
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
}

/// A message waiting for the fsync that covers disk write `after_write`.
#[derive(Clone, Debug)]
pub struct HeldMessage {
    /// Disk write sequence number that must be durable first.
    pub after_write: u64,
    /// Log index the message vouches for; if a truncation removed it meanwhile, the message is dropped.
    pub needs_index: Index,
    /// The message.
    pub message: Message,
}

/// A read-index read waiting for leadership confirmation and for the state machine to catch up.
#[derive(Clone, Debug)]
pub struct PendingRead {
    /// Who asked.
    pub client: ClientId,
    /// Their sequence number.
    pub seq: u64,
    /// Key to read.
    pub key: Rc<str>,
    /// Heartbeat round that must be acknowledged by a quorum.
    pub probe: u64,
}

/// The node. Fields are public for views and the checker; only `impl Node` code changes them.
#[derive(Clone, Debug)]
pub struct Node {
    /// Own id.
    pub id: NodeId,
    /// Voting members in the newest configuration this node knows (its log's last config entry, else its
    /// snapshot's, else `bootstrap`), in id order. Quorums, peers and replication targets come from here.
    pub members: Vec<NodeId>,
    /// Index of the config entry `members` came from (0: from the snapshot or the bootstrap list).
    pub config_index: Index,
    /// Members this process was started with: the initial cluster for the first nodes, none for a node that
    /// joins later (it waits to hear a configuration that includes it).
    pub bootstrap: Vec<NodeId>,
    /// Role.
    pub role: Role,
    /// Current term (a volatile copy of the persisted one, ahead of it until the fsync completes).
    pub term: Term,
    /// Vote in `term`.
    pub voted_for: Option<NodeId>,
    /// Who we believe leads.
    pub leader: Option<NodeId>,
    /// Commit index = this node's high-water mark.
    pub commit: Index,
    /// Last applied index. Invariant: `snapshot ≤ applied ≤ commit`.
    pub applied: Index,
    /// The state machine.
    pub state: KvState,
    /// Votes received in the current election (bit per node).
    pub votes: u32,
    /// Per follower (leader only; the own slot is unused).
    pub progress: Vec<Progress>,
    /// Highest index verified to match the current leader's log in this term (bounds the follower's HWM).
    pub verified_from_leader: Index,
    /// Messages waiting for an fsync.
    pub held: Vec<HeldMessage>,
    /// Leader: client writes waiting for their entry to be applied, by index.
    pub waiting_writes: BTreeMap<Index, (ClientId, u64)>,
    /// Leader: read-index reads waiting.
    pub pending_reads: Vec<PendingRead>,
    /// Leader: number of the latest heartbeat round.
    pub probe_round: u64,
    /// When the election timer fires.
    pub election_deadline: Time,
    /// After recovery cut corrupt records, do not vote or campaign until the log is back to this index.
    pub abstain_until: Option<Index>,
    /// Term in which abstention started.
    pub abstain_term: Term,
    /// Applied index of the newest snapshot taken or installed.
    pub last_snapshot_index: Index,
    /// Low-water mark computed by the last cleaner run.
    pub lwm: Index,
    /// A snapshot from the leader waiting for its own fsync before it replaces the log.
    pub installing: Option<Rc<crate::sim::storage::disk::Snapshot>>,
}

impl Node {
    /// Boots a node from whatever its disk holds (a blank disk on first start): the recovery procedure of the
    /// WAL pattern. Scans and verifies the log, cuts it at the first bad record, loads the durable snapshot and
    /// replays committed entries into the state machine.
    pub fn boot(id: NodeId, ctx: &mut Ctx) -> Node {
        let hard = ctx.disk.durable_hard_state();
        let scan = ctx.disk.wal.recover();
        let snapshot = ctx.disk.durable_snapshot().cloned();
        let (state, snap_index) = match &snapshot {
            Some(s) => {
                let matches = ctx.disk.wal.term_at(s.last_index) == Some(s.last_term);
                if ctx.disk.wal.start() < s.last_index && !matches {
                    ctx.disk.wal.reset_to(s.last_index, s.last_term);
                }
                (s.state.clone(), s.last_index)
            }
            None => (KvState::default(), 0),
        };
        let last = ctx.disk.wal.last_index();
        let bootstrap: Vec<NodeId> = if id < ctx.config.nodes { (0..ctx.config.nodes).collect() } else { Vec::new() };
        let mut node = Node {
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
        };
        // A bad *last* record is a torn write: it was never fully written, so never acknowledged, and cutting it
        // loses nothing anyone was promised. (A bit flip in the last record looks the same; see ARCHITECTURE.md.)
        let torn_tail_only = scan.bad_record == Some(scan.last_before_cut);
        if scan.bad_record.is_some() && !torn_tail_only {
            // Records this node once held (and may have acknowledged) are gone: until it has them back, its vote
            // could help elect a leader that lacks them (protocol-aware recovery).
            let until = ctx.disk.abstain_until.unwrap_or(0).max(scan.last_before_cut);
            ctx.disk.abstain_until = Some(until);
        }
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
        node
    }

    /// Entry point for a message from the network.
    pub fn on_message(&mut self, ctx: &mut Ctx, message: Message) {
        let from = message.from;
        match (from, message.body) {
            (Endpoint::Node(peer), body) => {
                if message.term > self.term {
                    let leader = matches!(body, Body::Append { .. } | Body::InstallSnapshot { .. }).then_some(peer);
                    self.become_follower(ctx, message.term, leader);
                }
                match body {
                    Body::RequestVote { last_index, last_term } => {
                        self.on_request_vote(ctx, peer, message.term, last_index, last_term)
                    }
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
    }

    /// Entry point for a timer.
    pub fn on_timer(&mut self, ctx: &mut Ctx, kind: TimerKind) {
        match kind {
            TimerKind::Election => self.on_election_timeout(ctx),
            TimerKind::Heartbeat => self.on_heartbeat_timer(ctx),
        }
    }

    /// Entry point for an fsync completion: release what waited for it, then do what durability unlocks.
    pub fn on_disk_done(&mut self, ctx: &mut Ctx) {
        let synced = ctx.disk.synced_seq();
        if !self.held.is_empty() {
            let (ready, waiting): (Vec<HeldMessage>, Vec<HeldMessage>) =
                std::mem::take(&mut self.held).into_iter().partition(|h| h.after_write <= synced);
            self.held = waiting;
            let durable = ctx.disk.wal.synced_index();
            ctx.out.extend(ready.into_iter().filter(|h| h.needs_index <= durable).map(|h| Output::Send(h.message)));
        }
        if self.role == Role::Candidate {
            self.maybe_win(ctx);
        }
        self.finish_install(ctx);
        self.maybe_end_abstention(ctx);
        if self.role == Role::Leader {
            self.maybe_commit(ctx);
        }
        self.collect_garbage(ctx);
    }

    /// Ends the abstention that follows lost records once the node holds them again *durably* (records
    /// received but not yet fsynced would vanish in the next crash, and the vote with them).
    pub(crate) fn maybe_end_abstention(&mut self, ctx: &mut Ctx) {
        if let Some(until) = self.abstain_until {
            if ctx.disk.wal.synced_index() >= until && self.verified_from_leader >= until {
                self.abstain_until = None;
                ctx.disk.abstain_until = None;
            }
        }
    }

    /// Sends now, or holds the message until the disk writes it depends on are durable.
    pub(crate) fn send_after_durable(&mut self, ctx: &mut Ctx, message: Message, needs_index: Index) {
        // ack-before-fsync skips only the wait for appended entries; term and vote still go to disk first.
        let entries_durable = needs_index <= ctx.disk.wal.synced_index() || ctx.config.broken(Break::AckBeforeFsync);
        if !ctx.disk.hard_state_dirty() && entries_durable {
            ctx.out.push(Output::Send(message));
        } else {
            let after_write = ctx.disk.write_seq();
            self.held.push(HeldMessage { after_write, needs_index, message });
            ctx.out.push(Output::Sync);
        }
    }

    /// Sends immediately.
    pub(crate) fn send(&self, ctx: &mut Ctx, to: NodeId, body: Body) {
        ctx.out.push(Output::Send(Message {
            from: Endpoint::Node(self.id),
            to: Endpoint::Node(to),
            term: self.term,
            body,
        }));
    }

    /// Builds a message from this node.
    pub(crate) fn message(&self, to: Endpoint, body: Body) -> Message {
        Message { from: Endpoint::Node(self.id), to, term: self.term, body }
    }

    /// Writes term and vote to disk (durable at the next fsync) and asks for that fsync.
    pub(crate) fn persist_hard_state(&self, ctx: &mut Ctx) {
        ctx.disk.write_hard_state(HardState { term: self.term, voted_for: self.voted_for });
        ctx.out.push(Output::Sync);
    }

    /// Reports a fact.
    pub(crate) fn observe(&self, ctx: &mut Ctx, observation: Observation) {
        ctx.out.push(Output::Observe(observation));
    }

    /// Other members, in id order.
    pub(crate) fn peers(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.members.iter().copied().filter(move |&p| p != self.id)
    }

    /// Votes or acks needed: a majority of the members, ⌊n/2⌋+1.
    pub(crate) fn quorum(&self) -> usize {
        self.members.len() / 2 + 1
    }

    /// Highest index on this node's disk for good (the leader's own match index).
    pub(crate) fn own_match(&self, ctx: &Ctx) -> Index {
        if ctx.config.broken(Break::AckBeforeFsync) {
            ctx.disk.wal.last_index()
        } else {
            ctx.disk.wal.synced_index()
        }
    }

    /// Creates a fresh progress table after winning an election.
    pub(crate) fn reset_progress(&mut self, ctx: &Ctx) {
        self.progress.clear();
        self.ensure_progress(ctx);
    }

    /// Leader: a progress slot for every member (a member that just joined starts probing at our end).
    pub(crate) fn ensure_progress(&mut self, ctx: &Ctx) {
        let slots = self.members.iter().copied().chain([self.id]).max().map_or(0, |m| m + 1);
        let next = ctx.disk.wal.last_index() + 1;
        while self.progress.len() < slots {
            self.progress.push(Progress::new(next, ctx.now));
        }
    }
}
