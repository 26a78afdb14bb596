//! The operator: membership changes as an administrator carries them out (`etcdctl member add/remove/promote`).
//! It hands a change to the leader, remembers which servers are joining or leaving until the change is
//! committed, and says which servers to shut down: a removed node once a configuration without it is
//! committed, a joiner whose configuration entry was truncated away (left running, it would campaign with a
//! configuration nobody else has). A joiner may come in as a learner and be promoted later; a promotion whose
//! entry is lost leaves the node a learner, so it needs no bookkeeping. The world carries out what it decides.

use crate::sim::raft::membership::{MAX_MEMBERS, MAX_NODE_IDS};
use crate::sim::raft::role::Role;
use crate::sim::types::{Index, NodeId};
use crate::sim::world::command::{Command, JoinAs};
use crate::sim::world::server::Server;
use crate::sim::world::status::NodeStatus;

/// Pending membership changes, each with the index of the config entry that carries it.
/// Invariant: a node appears at most once in each list, and every index is at least 1.
#[derive(Clone, Debug, Default)]
pub struct Operator {
    /// Nodes the leader was asked to remove whose removal is not committed yet.
    removing: Vec<(NodeId, Index)>,
    /// Servers started by `add-node` whose addition is not committed yet.
    joining: Vec<(NodeId, Index)>,
}

/// A membership change ready for the leader: who takes it and the configuration it appends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Plan {
    /// The leader that appends the entry.
    pub(super) leader: NodeId,
    /// The voters of the new configuration, in id order.
    pub(super) members: Vec<NodeId>,
    /// Its learners.
    pub(super) learners: Vec<NodeId>,
}

/// A server the operator shuts down for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Shutdown {
    /// The server.
    pub(super) node: NodeId,
    /// Its addition was lost (true) rather than its removal committed.
    pub(super) join_lost: bool,
}

impl Operator {
    /// Whether `node` was asked to leave and its removal is not committed yet.
    pub fn is_leaving(&self, node: NodeId) -> bool {
        self.removing.iter().any(|&(n, _)| n == node)
    }

    /// Whether any change waits for its commit (the world then tells the operator about commits).
    pub(super) fn has_pending(&self) -> bool {
        !self.removing.is_empty() || !self.joining.is_empty()
    }

    /// The membership change `command` asks for, checked against the leader's state, or why it cannot be done
    /// now.
    pub(super) fn plan(&self, command: &Command, servers: &[Server]) -> Result<Plan, String> {
        let name = command.action();
        let leader = admin_leader(servers)
            .ok_or_else(|| format!("{name}: there is no leader to take the change; wait for an election"))?;
        let server = &servers[leader];
        if let Some(why) = server.node().membership_change_blocker(server.disk()) {
            return Err(format!("{name}: {why}"));
        }
        let mut members = server.node().members().to_vec();
        let mut learners = server.node().learners().to_vec();
        match command {
            Command::AddNode { join } => {
                if servers.len() >= MAX_NODE_IDS {
                    return Err(format!("add-node: a run can start at most {MAX_NODE_IDS} servers"));
                }
                if members.len() + learners.len() >= MAX_MEMBERS {
                    return Err(format!(
                        "add-node: the cluster already has {MAX_MEMBERS} members (voters and learners), the most it can have"
                    ));
                }
                match join.unwrap_or_default() {
                    JoinAs::Voter => members.push(servers.len()),
                    JoinAs::Learner => learners.push(servers.len()),
                }
            }
            Command::RemoveNode { node } if learners.contains(node) => learners.retain(|l| l != node),
            Command::RemoveNode { node } => {
                if !members.contains(node) {
                    return Err(format!("remove-node: n{node} is not a member of the cluster"));
                }
                if members.len() == 1 {
                    return Err(format!("remove-node: n{node} is the only member; a cluster needs at least one"));
                }
                members.retain(|m| m != node);
            }
            Command::Promote { node } => {
                if let Some(why) = server.node().promotion_blocker(*node) {
                    return Err(format!("promote: {why}"));
                }
                learners.retain(|l| l != node);
                // Voters stay in id order (a sort would link a sort routine for ids into the web bundle).
                members.insert(members.partition_point(|m| m < node), *node);
            }
            _ => unreachable!("only membership commands are planned"),
        }
        Ok(Plan { leader, members, learners })
    }

    /// The leader appended the config entry at `index` that adds (`joining`) or removes `node`.
    pub(super) fn proposed(&mut self, node: NodeId, joining: bool, index: Index) {
        assert!(index >= 1, "a config entry has a log index");
        if joining {
            debug_assert!(self.joining.iter().all(|&(n, _)| n != node), "ids are never reused");
            self.joining.push((node, index));
        } else {
            self.removing.retain(|&(n, _)| n != node);
            self.removing.push((node, index));
        }
    }

    /// A configuration was committed at `index` (`members`: its voters and learners): every node whose removal
    /// it completes is shut down for good; a pending removal the committed configuration still includes was lost
    /// (its entry was truncated) and is dropped. A server whose addition was lost (its entry truncated, a newer
    /// configuration without it committed) is shut down too. Returns the shutdowns, removals first.
    pub(super) fn on_config_committed(&mut self, index: Index, members: &[NodeId]) -> Vec<Shutdown> {
        let mut shutdowns = Vec::new();
        self.removing.retain(|&(node, removal)| {
            if !members.contains(&node) {
                shutdowns.push(Shutdown { node, join_lost: false });
                false
            } else {
                // A newer configuration that still has the node: the removal entry was truncated away.
                index <= removal
            }
        });
        self.joining.retain(|&(node, addition)| {
            if members.contains(&node) {
                false
            } else if index > addition {
                shutdowns.push(Shutdown { node, join_lost: true });
                false
            } else {
                true
            }
        });
        shutdowns
    }

    /// A leader committed past the index of a pending change whose entry is no longer there: the change was
    /// truncated away (a newer leader never had it). A lost addition shuts its server down (returned); a lost
    /// removal leaves the node a member.
    pub(super) fn settle_lost_changes(&mut self, leader: &Server) -> Vec<Shutdown> {
        if leader.node().role() != Role::Leader {
            return Vec::new();
        }
        let (commit, wal) = (leader.node().commit(), &leader.disk().wal);
        // Whether the entry at `index` is a configuration that has `node` (as a voter or a learner) or not.
        let holds = |index: Index, node: NodeId, present: bool| {
            wal.entry(index).is_some_and(|e| match (e.payload.members(), e.payload.learners()) {
                (Some(voters), Some(learners)) => (voters.contains(&node) || learners.contains(&node)) == present,
                _ => false,
            })
        };
        let mut shutdowns = Vec::new();
        self.joining.retain(|&(joiner, index)| {
            let lost = index <= commit && index >= wal.first_index() && !holds(index, joiner, true);
            if lost {
                shutdowns.push(Shutdown { node: joiner, join_lost: true });
            }
            !lost
        });
        self.removing.retain(|&(leaver, index)| {
            !(index <= commit && index >= wal.first_index() && !holds(index, leaver, false))
        });
        shutdowns
    }
}

/// The leader an operator's membership request goes to: the up leader of the highest term.
fn admin_leader(servers: &[Server]) -> Option<NodeId> {
    servers
        .iter()
        .filter(|s| s.status() == NodeStatus::Up && s.node().role() == Role::Leader)
        .max_by_key(|s| s.node().term())
        .map(|s| s.node().id())
}

#[cfg(test)]
mod tests {
    use crate::sim::config::Config;
    use crate::sim::raft::role::Role;
    use crate::sim::types::ms;
    use crate::sim::world::command::Command;
    use crate::sim::world::status::NodeStatus;
    use crate::sim::world::World;

    fn world_with_leader() -> (World, usize) {
        let mut world = World::new(Config { nodes: 3, ..Config::default() }, 3).unwrap();
        world.run_until(ms(1_000));
        let leader = world.view().leader.expect("a leader after a second");
        (world, leader)
    }

    #[test]
    fn a_joined_server_catches_up_and_counts_in_the_quorum() {
        let (mut world, _) = world_with_leader();
        world.apply(Command::add_voter()).unwrap();
        world.run_until(ms(1_500));
        let view = world.view();
        assert_eq!(view.members, vec![0, 1, 2, 3]);
        let joined = &view.nodes[3];
        assert!(joined.member && joined.status == NodeStatus::Up);
        assert_eq!(joined.hwm, view.nodes[view.leader.unwrap()].hwm, "the new server caught up");
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    #[test]
    fn one_change_at_a_time_and_only_with_a_leader() {
        let (mut world, _) = world_with_leader();
        world.apply(Command::add_voter()).unwrap();
        let second = world.apply(Command::add_voter()).unwrap_err();
        assert!(second.contains("one change at a time"), "{second}");
        let unknown = world.apply(Command::RemoveNode { node: 7 }).unwrap_err();
        assert!(unknown.contains("does not exist"), "{unknown}");
        let mut lone = World::new(Config { nodes: 3, ..Config::default() }, 3).unwrap();
        let no_leader = lone.apply(Command::add_voter()).unwrap_err();
        assert!(no_leader.contains("no leader"), "{no_leader}");
    }

    #[test]
    fn a_removed_leader_steps_down_and_the_rest_elect_a_successor() {
        let (mut world, leader) = world_with_leader();
        world.apply(Command::RemoveNode { node: leader }).unwrap();
        assert!(world.view().nodes[leader].leaving);
        world.run_until(ms(3_000));
        let view = world.view();
        assert_eq!(view.nodes[leader].status, NodeStatus::Removed);
        let successor = view.leader.expect("the remaining members elect a leader");
        assert_ne!(successor, leader);
        assert_eq!(view.nodes[successor].role, Role::Leader);
        assert!(!view.members.contains(&leader));
        let refused = world.apply(Command::Restart { node: leader }).unwrap_err();
        assert!(refused.contains("has left the cluster"), "{refused}");
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }
}
