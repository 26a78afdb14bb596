//! Check-quorum (Ongaro's dissertation §6.2; etcd's `CheckQuorum`): a leader that has not heard from a majority
//! of the voters (itself included) within an election timeout steps down, instead of believing it leads — and,
//! in `leader` read mode, answering stale reads — until it happens to hear a higher term. The window is the
//! minimum election timeout, as etcd's `electionTimeout`: by then the majority may be electing a successor.
//!
//! With check-quorum on, followers are also "sticky" (`lease.rs`): one that heard from a leader within the
//! minimum election timeout ignores a RequestVote of a higher term, so a node that cannot reach the leader cannot
//! depose it by campaigning.

use crate::sim::raft::node::{Ctx, Node, Observation};
use crate::sim::raft::role::Role;
use crate::sim::types::ms;

impl Node {
    /// Leader, at a heartbeat tick: steps down if fewer than a majority of the voters were heard from within the
    /// minimum election timeout. Returns true if it stepped down.
    pub(super) fn check_quorum_fails(&mut self, ctx: &mut Ctx) -> bool {
        debug_assert!(ctx.config.check_quorum && self.role == Role::Leader, "only a leader checks its quorum");
        let window_start = ctx.now.saturating_sub(ms(ctx.config.election_timeout_ms_min));
        let heard = self
            .counted(ctx)
            .filter(|&m| m == self.id || self.progress.get(m).is_some_and(|pr| pr.last_heard >= window_start))
            .count();
        let needed = self.quorum();
        if heard >= needed {
            return false;
        }
        let term = self.term;
        self.role = Role::Follower;
        self.leader = None;
        // It was the leader until now: as a follower that just heard from one, it does not vote at once.
        self.leader_contact = ctx.now;
        self.drop_leader_state(ctx);
        self.observe(ctx, Observation::CheckQuorumFailed { term, heard, needed });
        self.reset_election_timer(ctx);
        debug_assert!(self.progress.is_empty() && self.lease.is_empty(), "nothing of the leadership is left");
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::config::{Config, ReadMode};
    use crate::sim::raft::role::Role;
    use crate::sim::types::ms;
    use crate::sim::world::command::Command;
    use crate::sim::world::World;

    /// Cuts the leader of a 5-node cluster off from the other four for a second; returns (the old leader's role
    /// then, the world).
    fn cut_off_leader(check_quorum: bool) -> (Role, usize, World) {
        let config = Config {
            nodes: 5,
            check_quorum,
            read_mode: ReadMode::Leader,
            trace_capacity: 100_000,
            ..Config::default()
        };
        let mut world = World::new(config, 8).unwrap();
        world.run_until(ms(1_000));
        let leader = world.top_leader().expect("a leader");
        let rest: Vec<usize> = (0..5).filter(|&n| n != leader).collect();
        world.apply(Command::Partition { groups: vec![vec![leader], rest] }).unwrap();
        world.run_until(ms(2_000));
        assert!(world.violations().is_empty(), "{:?}", world.violations());
        (world.servers()[leader].node().role(), leader, world)
    }

    #[test]
    fn without_check_quorum_a_cut_off_leader_keeps_believing_it_leads() {
        let (role, _, _) = cut_off_leader(false);
        assert_eq!(role, Role::Leader);
    }

    #[test]
    fn with_check_quorum_a_cut_off_leader_steps_down_within_an_election_timeout() {
        let (role, leader, world) = cut_off_leader(true);
        assert_ne!(role, Role::Leader);
        let stepped = world
            .trace()
            .find(|t| t.node == Some(leader) && t.text().contains("check-quorum"))
            .map(|t| t.time)
            .expect("the step-down is traced");
        // Partition at 1 s; the last acknowledgement came before it: a step-down within one timeout plus a tick.
        assert!(stepped <= ms(1_000 + 150 + 50 + 15), "stepped down at {stepped} µs");
    }

    #[test]
    fn a_healthy_leader_never_steps_down() {
        let config = Config { nodes: 3, check_quorum: true, trace_capacity: 100_000, ..Config::default() };
        let mut world = World::new(config, 2).unwrap();
        world.apply(Command::SetWriteLoad { per_second: 20, mix: None }).unwrap();
        world.run_until(ms(5_000));
        assert!(world.trace().all(|t| !t.text().contains("check-quorum")), "no step-down in a healthy cluster");
        assert!(world.violations().is_empty());
    }
}
