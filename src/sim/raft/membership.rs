//! Cluster membership: Raft's single-server changes (Ongaro's dissertation §4.1). A configuration is an entry
//! in the log; a node uses the newest one in its log whether or not it is committed, so a truncation that
//! removes it puts the previous one back. Adding or removing one server at a time keeps every majority of
//! the old configuration overlapping every majority of the new one, which is what makes a single entry safe.
//! The leader takes one change at a time (the previous one must be committed) and only after it has committed
//! an entry of its own term (the dissertation's fix for a change racing a leader change).
//!
//! Learners (etcd's `tracker/`, the dissertation's §4.2.1 catch-up phase made explicit) are members that
//! receive the log and snapshots but never campaign and never count toward a commit, an election, a lease or a
//! read-index confirmation. Adding a server as a learner first and promoting it once it has caught up (a
//! second config entry) keeps the empty newcomer out of the quorum while it copies the log. A learner still
//! answers vote requests, as in etcd: a candidate whose configuration already promoted it counts its vote,
//! one that does not, ignores it; what counts is always decided by the counting node's configuration.

use crate::sim::breaks::Break;
use crate::sim::raft::node::{Ctx, Node, Observation};
use crate::sim::raft::role::Role;
use crate::sim::storage::disk::Disk;
use crate::sim::storage::entry::Payload;
use crate::sim::types::{Index, NodeId};

/// Most voting members a configuration may have (the cluster drawing and the lessons assume at most nine).
pub const MAX_MEMBERS: usize = 9;
/// Most servers one run may start (ids are never reused: a new server with an old id could meet votes and
/// messages addressed to its predecessor). Votes are a 32-bit mask, so this must stay below 32.
pub const MAX_NODE_IDS: usize = 16;

impl Node {
    /// Whether this node is a voting member in the configuration it knows. Non-members do not campaign.
    pub fn is_member(&self) -> bool {
        self.members.contains(&self.id)
    }

    /// Whether this node is a learner in the configuration it knows: it follows the log and never campaigns.
    pub fn is_learner(&self) -> bool {
        self.learners.contains(&self.id)
    }

    /// Learners in the newest configuration this node knows, in id order.
    pub fn learners(&self) -> &[NodeId] {
        &self.learners
    }

    /// Bit per member whose vote or acknowledgement counts: the voters of this node's configuration (and, with
    /// the `learner-votes` break, its learners too).
    pub(super) fn members_mask(&self, ctx: &Ctx) -> u32 {
        self.counted(ctx).fold(0, |mask, m| mask | (1 << m))
    }

    /// The members whose votes and acknowledgements count toward a quorum: the voters, plus the learners when
    /// the `learner-votes` break is on. The quorum size stays a majority of the voters.
    pub(super) fn counted<'a>(&'a self, ctx: &Ctx) -> impl Iterator<Item = NodeId> + 'a {
        let learners: &[NodeId] = if ctx.config.broken(Break::LearnerVotes) { &self.learners } else { &[] };
        self.members.iter().chain(learners).copied()
    }

    /// Whether `peer` is someone the leader replicates to (a voter or a learner of its configuration).
    pub(super) fn replicates_to(&self, peer: NodeId) -> bool {
        self.members.contains(&peer) || self.learners.contains(&peer)
    }

    /// Every other node the leader replicates to (voters and learners), in id order of each list.
    pub(super) fn replication_targets(&self) -> Vec<NodeId> {
        self.members.iter().chain(&self.learners).copied().filter(|&p| p != self.id).collect()
    }

    /// Re-derives `members` and `learners` from the log (after a truncation, an append carrying a config entry,
    /// a snapshot install or at boot): the newest config entry wins, then the durable snapshot's, then the
    /// bootstrap list.
    pub(super) fn refresh_members(&mut self, ctx: &Ctx) {
        let config = config_at(ctx.disk, &self.bootstrap, ctx.disk.wal.last_index());
        self.members = config.voters;
        self.learners = config.learners;
        self.config_index = config.index;
        if self.role == Role::Leader {
            self.ensure_progress(ctx);
        }
    }

    /// The configuration in force at `index` and the index of the entry that set it (0 if it came from the
    /// snapshot or the bootstrap list). Entries below the log's start are covered by the durable snapshot:
    /// segments are deleted only below the LWM, which never passes the durable snapshot.
    pub(super) fn config_as_of(&self, ctx: &Ctx, index: Index) -> Configuration {
        config_at(ctx.disk, &self.bootstrap, index)
    }

    /// Why this node cannot start a membership change now (`None`: it can). Only a leader with no change in
    /// progress and no leadership transfer under way that has committed an entry of its own term may.
    pub fn membership_change_blocker(&self, ctx_disk: &Disk) -> Option<String> {
        if self.role != Role::Leader {
            return Some(format!("n{} is not the leader", self.id));
        }
        if let Some(to) = self.transfer_target() {
            return Some(format!("leader n{} is handing leadership to n{to}; try again when that is done", self.id));
        }
        if self.config_index > self.commit {
            return Some(format!(
                "leader n{} is still committing the previous membership change (entry {}); one change at a time",
                self.id, self.config_index
            ));
        }
        if ctx_disk.wal.term_at(self.commit) != Some(self.term) {
            return Some(format!(
                "leader n{} has not committed an entry of its term {} yet; try again in a moment",
                self.id, self.term
            ));
        }
        None
    }

    /// Leader: appends a configuration entry that adds, removes or promotes one member. The caller has checked
    /// [`Node::membership_change_blocker`] and that the voters differ from the current ones by at most one
    /// server (a learner added or removed leaves them as they are).
    pub fn propose_members(&mut self, ctx: &mut Ctx, members: Vec<NodeId>, learners: Vec<NodeId>) -> Index {
        debug_assert!(self.membership_change_blocker(ctx.disk).is_none());
        debug_assert!(members.iter().all(|m| !learners.contains(m)), "a member is a voter or a learner");
        self.leader_append(ctx, Payload::Config { members, learners })
    }

    /// Why learner `node` cannot be promoted now (`None`: it can): it must be a learner of this leader's
    /// configuration whose durable log has reached the leader's commit index (the dissertation's catch-up
    /// rule: a voter that must first copy the log would stall commits while it does).
    pub fn promotion_blocker(&self, node: NodeId) -> Option<String> {
        if self.members.contains(&node) {
            return Some(format!("n{node} is already a voter"));
        }
        if !self.learners.contains(&node) {
            return Some(format!("n{node} is not a learner of the cluster (add it with add-node as learner first)"));
        }
        let matched = self.progress.get(node).map_or(0, |pr| pr.match_index);
        if matched < self.commit {
            return Some(format!(
                "learner n{node} has not caught up: it holds up to {matched}, the leader has committed {}; \
                 try again once it has",
                self.commit
            ));
        }
        None
    }

    /// After the commit index moved past the newest config entry: report it, and if it no longer includes
    /// this node while it leads, step down (it kept leading, without counting itself, until the change was
    /// committed, so the remaining members can elect a successor right away).
    pub(super) fn on_config_committed(&mut self, ctx: &mut Ctx, from: Index, to: Index) {
        if self.config_index == 0 || self.config_index <= from || self.config_index > to {
            return;
        }
        let (members, learners) = (self.members.clone(), self.learners.clone());
        self.observe(ctx, Observation::ConfigCommitted { index: self.config_index, members, learners });
        if self.role == Role::Leader && !self.is_member() {
            self.role = Role::Follower;
            self.leader = None;
            self.leader_contact = ctx.now;
            self.drop_leader_state(ctx);
            self.observe(ctx, Observation::LeftAsLeader { term: self.term });
        }
    }
}

/// A configuration: who votes, who only follows the log, and the index of the entry that set it (0 if it came
/// from the durable snapshot or the bootstrap list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// Voting members, in the entry's order (id order).
    pub voters: Vec<NodeId>,
    /// Learners, in the entry's order.
    pub learners: Vec<NodeId>,
    /// Index of the config entry (0: snapshot or bootstrap).
    pub index: Index,
}

/// The configuration in force at `index` on this disk: the newest config entry at or below it, else the durable
/// snapshot's, else `bootstrap` (voters only). Shared by the node and the checker.
pub fn config_at(disk: &Disk, bootstrap: &[NodeId], index: Index) -> Configuration {
    let wal = &disk.wal;
    let mut i = index.min(wal.last_index());
    while i >= wal.first_index().max(1) {
        if let Some(entry) = wal.entry(i) {
            if let (Some(voters), Some(learners)) = (entry.payload.members(), entry.payload.learners()) {
                return Configuration { voters: voters.to_vec(), learners: learners.to_vec(), index: i };
            }
        }
        i -= 1;
    }
    match disk.durable_snapshot() {
        Some(snapshot) if snapshot.last_index > 0 => {
            Configuration { voters: snapshot.members.clone(), learners: snapshot.learners.clone(), index: 0 }
        }
        _ => Configuration { voters: bootstrap.to_vec(), learners: Vec::new(), index: 0 },
    }
}

/// The configuration in force at `index` on this disk, and the index of the entry that set it (0 if it came
/// from the durable snapshot or from `bootstrap`). Shared by the node and the checker.
pub fn members_at(disk: &Disk, bootstrap: &[NodeId], index: Index) -> (Vec<NodeId>, Index) {
    let config = config_at(disk, bootstrap, index);
    (config.voters, config.index)
}

/// Every configuration in force on this disk's log from `index` to its end, oldest first: the one at
/// `index`, then each later config entry. An entry at `index` was committed under one of them.
pub fn configs_from(disk: &Disk, bootstrap: &[NodeId], index: Index) -> Vec<Vec<NodeId>> {
    let mut configs = vec![members_at(disk, bootstrap, index).0];
    let wal = &disk.wal;
    for i in (index + 1).max(wal.first_index())..=wal.last_index() {
        if let Some(members) = wal.entry(i).and_then(|e| e.payload.members()) {
            configs.push(members.to_vec());
        }
    }
    configs
}

#[cfg(test)]
mod tests {
    use crate::sim::breaks::Break;
    use crate::sim::check::violation::Invariant;
    use crate::sim::config::Config;
    use crate::sim::raft::role::Role;
    use crate::sim::types::ms;
    use crate::sim::world::command::Command;
    use crate::sim::world::World;

    fn with_learner(seed: u64, breaks: Vec<Break>) -> (World, usize) {
        let mut world = World::new(Config { breaks, trace_capacity: 100_000, ..Config::default() }, seed).unwrap();
        world.run_until(ms(1_000));
        let leader = world.top_leader().expect("a leader");
        world.apply(Command::add_learner()).unwrap();
        world.apply(Command::Put { client: 0, key: "x".into(), value: "1".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(1_500));
        (world, leader)
    }

    #[test]
    fn a_learner_copies_the_log_but_is_not_a_voter() {
        let (world, leader) = with_learner(3, vec![]);
        let view = world.view();
        assert_eq!((view.members.clone(), view.learners.clone()), (vec![0, 1, 2], vec![3]));
        let learner = &view.nodes[3];
        assert!(learner.learner && !learner.member);
        assert_eq!(learner.hwm, view.nodes[leader].hwm, "the learner caught up");
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    #[test]
    fn a_learner_never_counts_toward_a_commit_nor_campaigns() {
        let (mut world, leader) = with_learner(3, vec![]);
        let followers: Vec<usize> = (0..3).filter(|&n| n != leader).collect();
        world.apply(Command::Crash { node: followers[0] }).unwrap();
        world.apply(Command::Crash { node: followers[1] }).unwrap();
        let before = world.servers()[leader].node().commit();
        world.apply(Command::Put { client: 1, key: "y".into(), value: "2".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(2_500));
        assert_eq!(world.servers()[leader].node().commit(), before, "leader + learner are not a majority of 3");
        assert_eq!(world.servers()[3].disk().wal.last_index(), world.servers()[leader].disk().wal.last_index());
        world.apply(Command::Crash { node: leader }).unwrap();
        world.run_until(ms(4_000));
        assert_eq!(world.servers()[3].node().role(), Role::Follower, "a learner never campaigns");
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    #[test]
    fn a_caught_up_learner_is_promoted_and_a_voter_is_not() {
        let (mut world, leader) = with_learner(3, vec![]);
        let voter = (leader + 1) % 3;
        let refused = world.apply(Command::Promote { node: voter }).unwrap_err();
        assert!(refused.contains("already a voter"), "{refused}");
        world.apply(Command::Promote { node: 3 }).unwrap();
        world.run_until(ms(2_000));
        let view = world.view();
        assert_eq!((view.members.clone(), view.learners.clone()), (vec![0, 1, 2, 3], vec![]));
        assert!(world.trace().any(|t| t.text().contains("is promoted from learner to voter")));
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    #[test]
    fn a_learner_that_has_not_caught_up_is_not_promoted() {
        let mut world = World::new(Config::default(), 3).unwrap();
        world.run_until(ms(1_000));
        let leader = world.top_leader().unwrap();
        world.apply(Command::SetWriteLoad { per_second: 50, mix: None }).unwrap();
        world.run_until(ms(1_500));
        world.apply(Command::add_learner()).unwrap();
        world.apply(Command::Pause { node: 3 }).unwrap();
        world.run_until(ms(1_700));
        let refused = world.apply(Command::Promote { node: 3 }).unwrap_err();
        assert!(refused.contains("has not caught up"), "{refused}");
        assert!(refused.contains(&format!("leader has committed {}", world.servers()[leader].node().commit())));
    }

    #[test]
    fn with_the_learner_votes_break_a_commit_counts_the_learner_and_i20_says_so() {
        let (mut world, leader) = with_learner(3, vec![Break::LearnerVotes]);
        let followers: Vec<usize> = (0..3).filter(|&n| n != leader).collect();
        world.apply(Command::Crash { node: followers[0] }).unwrap();
        world.apply(Command::Crash { node: followers[1] }).unwrap();
        world.apply(Command::Put { client: 1, key: "y".into(), value: "2".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(2_000));
        let i20 = world.violations().iter().find(|v| v.invariant == Invariant::I20LearnersNeverCount);
        assert!(i20.is_some_and(|v| v.detail.contains("learner")), "{:?}", world.violations());
    }
}
