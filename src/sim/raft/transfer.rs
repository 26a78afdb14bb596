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

#[cfg(test)]
mod tests {
    use crate::sim::check::violation::Invariant;
    use crate::sim::config::Config;
    use crate::sim::raft::role::Role;
    use crate::sim::types::{ms, Time};
    use crate::sim::world::command::Command;
    use crate::sim::world::World;

    fn world(seed: u64, config: Config) -> (World, usize) {
        let mut world = World::new(Config { trace_capacity: 100_000, ..config }, seed).unwrap();
        world.run_until(ms(1_000));
        let leader = world.top_leader().expect("a leader after a second");
        (world, leader)
    }

    /// When the trace first has a line of `node` containing `text`, after `after`.
    fn first(world: &World, node: usize, text: &str, after: Time) -> Option<Time> {
        world.trace().find(|t| t.time >= after && t.node == Some(node) && t.text().contains(text)).map(|t| t.time)
    }

    #[test]
    fn a_transfer_hands_leadership_over_without_waiting_for_an_election_timeout() {
        let (mut world, leader) = world(3, Config::default());
        let to = (leader + 1) % 3;
        let term = world.servers()[leader].node().term();
        world.apply(Command::TransferLeadership { to }).unwrap();
        world.run_until(ms(1_200));
        assert_eq!(world.top_leader(), Some(to));
        assert_eq!(world.servers()[to].node().term(), term + 1, "one campaign, one term");
        assert_eq!(world.servers()[leader].node().role(), Role::Follower, "the higher term deposed the old leader");
        let elected = first(&world, to, "becomes leader", ms(1_000)).unwrap();
        assert!(elected < ms(1_000 + 150), "no election timeout was waited for ({elected} µs)");
        assert!(first(&world, leader, "sends TimeoutNow", ms(1_000)).is_some());
        assert!(first(&world, to, "campaigns at once, without pre-vote", ms(1_000)).is_some());
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    #[test]
    fn writes_during_a_transfer_are_dropped_and_land_at_the_new_leader() {
        let (mut world, leader) = world(3, Config::default());
        let to = (leader + 2) % 3;
        // Cut the target off so the transfer has to wait; the write arrives meanwhile.
        world.apply(Command::CutLink { from: leader, to }).unwrap();
        world.apply(Command::Put { client: 0, key: "x".into(), value: "1".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(1_100));
        world.apply(Command::TransferLeadership { to }).unwrap();
        world.apply(Command::Put { client: 1, key: "y".into(), value: "2".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(1_120));
        assert!(first(&world, leader, "drops write #1 of client 1", ms(1_100)).is_some());
        world.apply(Command::RepairLink { from: leader, to }).unwrap();
        world.run_until(ms(2_500));
        let done = world.completed_operations().find(|op| op.client == 1).expect("the write finished");
        assert_eq!(done.served_by, Some(to), "retried at the new leader");
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    #[test]
    fn a_lagging_target_is_caught_up_before_it_gets_timeout_now() {
        let (mut world, leader) = world(5, Config::default());
        let to = (leader + 1) % 3;
        world.apply(Command::Pause { node: to }).unwrap();
        for i in 0..6 {
            world
                .apply(Command::Put { client: 0, key: format!("k{i}"), value: "v".into(), node: Some(leader) })
                .unwrap();
        }
        world.run_until(ms(1_300));
        world.apply(Command::Resume { node: to }).unwrap();
        world.apply(Command::TransferLeadership { to }).unwrap();
        let last = world.servers()[leader].disk().wal.last_index();
        world.run_until(ms(1_600));
        let sent = world.trace().find(|t| t.text().contains("sends TimeoutNow")).expect("TimeoutNow sent");
        assert!(sent.text().contains(&format!("(up to {last})")), "{}", sent.text());
        assert_eq!(world.top_leader(), Some(to));
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    #[test]
    fn a_transfer_that_cannot_finish_is_abandoned_after_an_election_timeout() {
        let (mut world, leader) = world(7, Config::default());
        let to = (leader + 1) % 3;
        world.run_until(ms(1_050));
        // The target freezes right after the leader hands over: TimeoutNow waits in its inbox.
        world.apply(Command::TransferLeadership { to }).unwrap();
        world.apply(Command::Pause { node: to }).unwrap();
        world.run_until(ms(1_400));
        let abandoned = first(&world, leader, "abandons the transfer", ms(1_050)).expect("abandoned");
        assert!((ms(1_050 + 150)..=ms(1_050 + 150 + 50)).contains(&abandoned), "at the first tick after 150 ms");
        assert_eq!(world.top_leader(), Some(leader), "it still leads");
        assert_eq!(world.servers()[leader].node().transfer_target(), None);
        world.apply(Command::Put { client: 1, key: "y".into(), value: "2".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(1_600));
        assert!(world.completed_operations().any(|op| op.client == 1), "it takes writes again");
    }

    #[test]
    fn refusals_name_the_reason() {
        let (mut world, leader) = world(3, Config::default());
        let other = (leader + 1) % 3;
        let refusal = |world: &mut World, to| world.apply(Command::TransferLeadership { to }).unwrap_err();
        assert!(refusal(&mut world, leader).contains("already leads"));
        world.apply(Command::add_learner()).unwrap();
        assert!(refusal(&mut world, 3).contains("n3 is a learner"), "{}", refusal(&mut world, 3));
        world.apply(Command::Crash { node: other }).unwrap();
        assert!(refusal(&mut world, other).contains("is down (crashed)"));
        let third = 3 - leader - other;
        world.apply(Command::TransferLeadership { to: third }).unwrap();
        assert!(refusal(&mut world, third).contains("already handing leadership"));
        let mut fresh = World::new(Config::default(), 3).unwrap();
        assert!(refusal(&mut fresh, 1).contains("no leader"));
    }

    #[test]
    fn transfers_never_make_two_leaders_in_one_term() {
        // Transfers back and forth under loss and duplication; I1 (one leader per term) must hold throughout.
        for seed in 1..=20 {
            let config = Config { nodes: 5, loss: 0.05, duplicate: 0.1, pre_vote: seed % 2 == 0, ..Config::default() };
            let mut world = World::new(config, seed).unwrap();
            world.apply(Command::SetWriteLoad { per_second: 30, mix: None }).unwrap();
            let mut transfers = 0;
            for step in 0..40u64 {
                world.run_until(ms(500 + step * 100));
                let to = (step as usize * 3 + seed as usize) % 5;
                transfers += usize::from(world.apply(Command::TransferLeadership { to }).is_ok());
            }
            world.run_until(ms(5_000));
            assert!(transfers >= 10, "seed {seed}: {transfers} transfers");
            let elected = world.violations().iter().find(|v| v.invariant == Invariant::I1ElectionSafety);
            assert!(elected.is_none() && world.violations().is_empty(), "seed {seed}: {:?}", world.violations());
        }
    }
}
