//! Leadership transfer (Ongaro's dissertation §3.10; etcd's `MsgTransferLeader`/`MsgTimeoutNow`): the leader stops
//! taking client writes, brings the target's log up to its own, and sends it TimeoutNow; the target campaigns at
//! once, without pre-vote, and its RequestVote tells voters that still hear from the leader to vote anyway. The
//! new leader's higher term then deposes the old one. A transfer that has not finished within an election
//! timeout (the minimum, etcd's `electionTimeout`) is abandoned and the leader takes writes again. Planned
//! restarts use it: hand leadership away first, and the cluster never waits for an election timeout.

use crate::sim::raft::message::Body;
use crate::sim::raft::node::{Ctx, Node, Observation, TransferAbandon};
use crate::sim::raft::role::Role;
use crate::sim::types::{ms, NodeId, Term, Time};

/// A leadership transfer in progress. Invariant: `to` is a voter of the leader's configuration other than the
/// leader (membership changes wait while a transfer is in progress).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transfer {
    /// The node that should lead next.
    to: NodeId,
    /// When the transfer started, on the leader's clock.
    started: Time,
    /// TimeoutNow has been sent (once per transfer).
    timeout_now_sent: bool,
}

impl Node {
    /// Leader: the node it is handing leadership to, if a transfer is in progress.
    pub fn transfer_target(&self) -> Option<NodeId> {
        self.transfer.map(|t| t.to)
    }

    /// Why this node cannot hand leadership to `to` now (`None`: it can): it must lead, have no transfer in
    /// progress, and `to` must be another voter of its configuration (a learner cannot lead).
    pub fn transfer_blocker(&self, to: NodeId) -> Option<String> {
        if self.role != Role::Leader {
            return Some(format!("n{} is not the leader", self.id));
        }
        if let Some(current) = self.transfer_target() {
            return Some(format!("leader n{} is already handing leadership to n{current}", self.id));
        }
        if to == self.id {
            return Some(format!("n{to} already leads"));
        }
        if self.learners.contains(&to) {
            return Some(format!("n{to} is a learner; only a voter can lead (promote it first)"));
        }
        if !self.members.contains(&to) {
            return Some(format!("n{to} is not a voting member of the cluster"));
        }
        None
    }

    /// Leader: starts handing leadership to `to` (the caller checked [`Node::transfer_blocker`]). The leader
    /// stops taking writes and holds no lease from now on; if `to` already holds the whole log it gets TimeoutNow
    /// at once, else the entries it lacks first.
    pub fn start_transfer(&mut self, ctx: &mut Ctx, to: NodeId) {
        debug_assert!(self.transfer_blocker(to).is_none(), "a checked transfer");
        self.transfer = Some(Transfer { to, started: ctx.now, timeout_now_sent: false });
        self.observe(ctx, Observation::TransferStarted { to });
        self.maybe_send_timeout_now(ctx, to);
        if self.transfer.is_some_and(|t| !t.timeout_now_sent) {
            self.send_entries(ctx, to);
        }
    }

    /// Leader: if `peer` is the transfer's target and holds the leader's whole log durably, send it TimeoutNow.
    pub(super) fn maybe_send_timeout_now(&mut self, ctx: &mut Ctx, peer: NodeId) {
        let Some(transfer) = self.transfer.filter(|t| t.to == peer && !t.timeout_now_sent) else { return };
        if self.role != Role::Leader {
            return;
        }
        let index = ctx.disk.wal.last_index();
        if self.progress.get(peer).is_none_or(|pr| pr.match_index < index) {
            return;
        }
        self.transfer = Some(Transfer { timeout_now_sent: true, ..transfer });
        // Its voters will ignore their promise to this leader: no lease for the rest of the term.
        self.forgo_lease();
        self.observe(ctx, Observation::TimeoutNowSent { to: peer, index });
        self.send(ctx, peer, Body::TimeoutNow);
    }

    /// Leader, at a heartbeat tick: abandons a transfer older than the minimum election timeout.
    pub(super) fn expire_transfer(&mut self, ctx: &mut Ctx) {
        let Some(transfer) = self.transfer else { return };
        if ctx.now < transfer.started + ms(ctx.config.election_timeout_ms_min) {
            return;
        }
        self.abandon_transfer(ctx, TransferAbandon::Timeout);
    }

    fn abandon_transfer(&mut self, ctx: &mut Ctx, reason: TransferAbandon) {
        let Some(transfer) = self.transfer.take() else { return };
        self.observe(ctx, Observation::TransferAbandoned { to: transfer.to, reason });
    }

    /// TimeoutNow from the leader of `term`: campaign at once, skipping pre-vote, unless this node cannot lead
    /// (a learner, abstaining after lost records) or the message is from an older term.
    pub(super) fn on_timeout_now(&mut self, ctx: &mut Ctx, from: NodeId, term: Term) {
        if term < self.term || self.role == Role::Leader || !self.is_member() || self.abstaining() {
            return;
        }
        self.observe(ctx, Observation::TimeoutNowReceived { from });
        self.reset_election_timer(ctx);
        self.campaign(ctx, true);
    }
}
