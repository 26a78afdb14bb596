//! Client requests at a node: writes go through the leader's log; reads are served according to the read
//! mode, never from above the serving node's HWM (unless the `read-above-hwm` break is on).

use crate::sim::breaks::Break;
use crate::sim::config::ReadMode;
use crate::sim::raft::message::{Body, ClientOp, Endpoint, Outcome};
use crate::sim::raft::node::{Ctx, Node, Observation, PendingRead};
use crate::sim::raft::role::Role;
use crate::sim::storage::entry::Payload;
use crate::sim::types::{ClientId, Index};
use std::rc::Rc;

impl Node {
    /// A request from a client.
    pub(super) fn on_client_request(&mut self, ctx: &mut Ctx, client: ClientId, seq: u64, op: &ClientOp) {
        match op {
            ClientOp::Put { key, value } => {
                let payload =
                    Payload::Put { client, seq, key: Rc::from(key.as_str()), value: Rc::from(value.as_str()) };
                self.accept_write(ctx, client, seq, payload);
            }
            ClientOp::Delete { key } => {
                let payload = Payload::Delete { client, seq, key: Rc::from(key.as_str()) };
                self.accept_write(ctx, client, seq, payload);
            }
            ClientOp::Cas { key, expected, value } => {
                let expected = expected.as_deref().map(Rc::from);
                let payload = Payload::Cas {
                    client,
                    seq,
                    key: Rc::from(key.as_str()),
                    expected,
                    value: Rc::from(value.as_str()),
                };
                self.accept_write(ctx, client, seq, payload);
            }
            ClientOp::Append { key, value } => {
                let payload =
                    Payload::Append { client, seq, key: Rc::from(key.as_str()), value: Rc::from(value.as_str()) };
                self.accept_write(ctx, client, seq, payload);
            }
            ClientOp::Get { key } => self.accept_read(ctx, client, seq, Rc::from(key.as_str())),
        }
    }

    fn reply(&self, ctx: &mut Ctx, client: ClientId, seq: u64, outcome: Outcome) {
        let message = self.message(Endpoint::Client(client), Body::Reply { seq, outcome });
        ctx.out.push(crate::sim::raft::node::Output::Send(message));
    }

    fn not_leader(&self, ctx: &mut Ctx, client: ClientId, seq: u64) {
        let hint = self.leader.filter(|&l| l != self.id);
        self.reply(ctx, client, seq, Outcome::NotLeader { hint });
    }

    /// Leader: append a client write, unless this `(client, seq)` was already applied (idempotent receiver)
    /// or is already in the log waiting.
    fn accept_write(&mut self, ctx: &mut Ctx, client: ClientId, seq: u64, payload: Payload) {
        if self.role != Role::Leader {
            return self.not_leader(ctx, client, seq);
        }
        if let Some(to) = self.transfer_target() {
            // A leader handing over takes no writes: the log must stop growing for the target to catch up.
            return self.observe(ctx, Observation::ProposalDropped { client, seq, to });
        }
        let dedup = !ctx.config.broken(Break::NoDedup);
        if dedup && self.state.already_applied(client, seq) {
            // A retried compare-and-set gets the decision it had, not a second one.
            let outcome = match self.state.cas_decision(client, seq) {
                Some(applied) => Outcome::Cas { applied, index: 0 },
                None => Outcome::Ok { value: None, index: 0 },
            };
            return self.reply(ctx, client, seq, outcome);
        }
        if dedup && self.waiting_writes.values().any(|&(c, s)| c == client && s == seq) {
            return;
        }
        let index = self.leader_append(ctx, payload);
        self.waiting_writes.insert(index, (client, seq));
    }

    /// Serve a read per the read mode.
    fn accept_read(&mut self, ctx: &mut Ctx, client: ClientId, seq: u64, key: Rc<str>) {
        match ctx.config.read_mode {
            ReadMode::Follower => self.serve_read(ctx, client, seq, &key, false),
            ReadMode::Leader if self.role == Role::Leader => self.serve_read(ctx, client, seq, &key, false),
            ReadMode::Lease if self.role == Role::Leader && self.can_read_under_lease(ctx) => {
                self.serve_read(ctx, client, seq, &key, true)
            }
            // Without a valid lease a lease-mode leader confirms its leadership as read-index does.
            ReadMode::ReadIndex | ReadMode::Lease if self.role == Role::Leader => {
                // Confirm leadership with a fresh heartbeat round, then answer at least at today's commit.
                self.pending_reads.push(PendingRead { client, seq, key, probe: self.probe_round + 1 });
                self.on_heartbeat_timer(ctx);
            }
            _ => self.not_leader(ctx, client, seq),
        }
    }

    /// Leader: answer read-index reads whose heartbeat round a quorum acknowledged, once the leader has
    /// committed an entry of its own term (before that its commit index may be behind the cluster's).
    pub(super) fn try_serve_reads(&mut self, ctx: &mut Ctx) {
        if self.pending_reads.is_empty() || self.role != Role::Leader {
            return;
        }
        if ctx.disk.wal.term_at(self.commit) != Some(self.term) || self.applied < self.commit {
            return;
        }
        let quorum = self.quorum();
        let mut still_waiting = Vec::new();
        for read in std::mem::take(&mut self.pending_reads) {
            if self.round_acks(ctx, read.probe) >= quorum {
                self.serve_read(ctx, read.client, read.seq, &read.key, false);
            } else {
                still_waiting.push(read);
            }
        }
        self.pending_reads = still_waiting;
    }

    /// Leader: how many counted members acknowledged heartbeat round `round` (or a later one), itself included
    /// if it is a voter (it sent the round).
    pub(super) fn round_acks(&self, ctx: &Ctx, round: u64) -> usize {
        self.counted(ctx)
            .filter(|&m| m == self.id || self.progress.get(m).is_some_and(|pr| pr.probe_acked >= round))
            .count()
    }

    /// Answer from the state machine (at `applied` ≤ HWM), or, broken, from the newest log entry for the key.
    /// `lease`: a leader answers at once, relying on its lease.
    fn serve_read(&mut self, ctx: &mut Ctx, client: ClientId, seq: u64, key: &str, lease: bool) {
        let (value, index) = if ctx.config.broken(Break::ReadAboveHwm) {
            self.dirty_read(ctx, key)
        } else {
            match self.state.get(key) {
                Some(v) => (Some(v.value.clone()), v.index),
                None => (None, 0),
            }
        };
        self.observe(ctx, Observation::ReadServed { client, seq, value_index: index, hwm: self.commit, lease });
        self.reply(ctx, client, seq, Outcome::Ok { value, index });
    }

    /// The broken read: the newest value in the log, committed or not (the applied state with every later
    /// entry of the log replayed on top).
    fn dirty_read(&self, ctx: &Ctx, key: &str) -> (Option<Rc<str>>, Index) {
        let wal = &ctx.disk.wal;
        let later = (self.applied + 1..=wal.last_index()).filter_map(|i| wal.entry(i).map(|e| (i, &e.payload)));
        self.state.value_after(key, later)
    }
}
