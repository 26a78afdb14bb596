//! Leader leases (Ongaro's dissertation §6.4; etcd's `ReadOnlyLeaseBased`) and leader stickiness.
//!
//! The promise: a follower that heard from a leader within the minimum election timeout (on its own clock)
//! refuses to vote for another candidate — it ignores the RequestVote without adopting its term ("leader
//! stickiness", on with check-quorum and in `lease` mode). A leader that sent heartbeat round `r` at local time
//! `s` and heard a majority acknowledge it therefore knows that no other leader can be elected before those
//! followers' election timeouts have passed since they received it. It grants itself a lease until
//! `s + lease_ms × (1 − ρ) / (1 + ρ)` on its own clock (`Config::lease_us`): `lease_ms` is at most the minimum
//! election timeout, and the factor covers a leader clock running at `1 − ρ` while a follower's runs at `1 + ρ`.
//! While the lease holds, the leader answers reads from its state machine at once (no round trip); otherwise it
//! confirms its leadership with a heartbeat round, as read-index does.
//!
//! The lease is only as good as the bound: with clocks drifting beyond ρ (`set-clock-rate`), a follower's timeout
//! can pass before the leader's lease ends, a new leader can commit a write, and the old leader's lease read is
//! stale — the linearizability check catches it. A leader gives its lease up while it hands leadership over
//! (its TimeoutNow lets the target's voters ignore the promise), for the rest of its term once it sent one.

use crate::sim::config::ReadMode;
use crate::sim::raft::message::Body;
use crate::sim::raft::node::{Ctx, Node, Observation};
use crate::sim::raft::role::Role;
use crate::sim::types::{NodeId, Term, Time};
use std::collections::VecDeque;

/// A leader's lease. Invariant: `sent` holds the send times of the consecutive heartbeat rounds
/// `first_round..first_round + sent.len()` of the current term, none below the round the lease rests on; `until`
/// is set only while the node leads in `lease` mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lease {
    /// Local send times of the heartbeat rounds that may still renew the lease, oldest first.
    sent: VecDeque<Time>,
    /// The round number of `sent[0]`.
    first_round: u64,
    /// When the lease ends, on the leader's clock.
    until: Option<Time>,
    /// A TimeoutNow was sent in this term: no lease for the rest of it.
    forgone: bool,
}

/// Heartbeat rounds a leader remembers for renewals (a bound on memory). Forgetting the oldest can only make a
/// lease shorter, never longer: rounds are at most a heartbeat apart, and a lease is shorter than an election
/// timeout, so in steady state a lease rests on one of the last few.
const ROUNDS_KEPT: usize = 64;

impl Lease {
    /// Nothing held, nothing remembered (a node that does not lead).
    pub(super) fn is_empty(&self) -> bool {
        self.sent.is_empty() && self.until.is_none() && !self.forgone
    }

    /// The round number and send time of the `i`-th remembered round.
    fn round(&self, i: usize) -> (u64, Time) {
        (self.first_round + i as u64, self.sent[i])
    }

    /// Forgets the oldest remembered round.
    fn drop_oldest(&mut self) {
        if self.sent.pop_front().is_some() {
            self.first_round += 1;
        }
    }

    /// Forgets everything (leadership or `lease` mode ended).
    pub(super) fn clear(&mut self) {
        *self = Lease::default();
    }
}

impl Node {
    /// Leader stickiness: whether to ignore this message, a RequestVote of a term above ours, because we heard
    /// from a leader within the minimum election timeout (check-quorum or lease mode). A transfer's RequestVote
    /// is never ignored: the leader itself asked for it.
    pub(super) fn ignores_vote_request(&mut self, ctx: &mut Ctx, candidate: NodeId, term: Term, body: &Body) -> bool {
        let Body::RequestVote { transfer: false, .. } = body else { return false };
        if !ctx.config.sticky_leader() || !self.heard_from_leader_recently(ctx) {
            return false;
        }
        self.observe(ctx, Observation::VoteIgnored { term, candidate });
        true
    }

    /// Leader, lease mode: remembers when the heartbeat round just started was sent; notices an expired lease.
    pub(super) fn note_heartbeat_round(&mut self, ctx: &mut Ctx) {
        if ctx.config.read_mode != ReadMode::Lease {
            return;
        }
        if let Some(until) = self.lease.until.filter(|&until| until <= ctx.now) {
            self.lease.until = None;
            self.observe(ctx, Observation::LeaseExpired { until });
        }
        if self.lease.sent.len() >= ROUNDS_KEPT {
            self.lease.drop_oldest();
        }
        if self.lease.sent.is_empty() {
            self.lease.first_round = self.probe_round;
        }
        let next = self.lease.first_round + self.lease.sent.len() as u64;
        debug_assert_eq!(next, self.probe_round, "every round of the term is noted, in order");
        self.lease.sent.push_back(ctx.now);
    }

    /// Leader, lease mode, after a heartbeat acknowledgement: the newest round a majority of the voters (itself
    /// included) acknowledged extends the lease to its send time plus the lease.
    pub(super) fn renew_lease(&mut self, ctx: &mut Ctx) {
        if ctx.config.read_mode != ReadMode::Lease || self.role != Role::Leader || self.lease.forgone {
            return;
        }
        if self.transfer.is_some() {
            return;
        }
        let quorum = self.quorum();
        let mut newest = (0..self.lease.sent.len()).rev().map(|i| self.lease.round(i));
        let Some((round, sent)) = newest.find(|&(r, _)| self.round_acks(ctx, r) >= quorum) else {
            return;
        };
        while self.lease.first_round < round {
            self.lease.drop_oldest();
        }
        let until = sent + ctx.config.lease_us();
        let held = self.lease.until.is_some_and(|u| u > ctx.now);
        if self.lease.until.is_none_or(|u| until > u) {
            self.lease.until = Some(until);
        }
        if !held && until > ctx.now {
            self.observe(ctx, Observation::LeaseGranted { until });
        }
    }

    /// Whether the leader may answer a read from its state machine now: its lease holds and it has committed an
    /// entry of its term (before that its commit index may lag the cluster's) and applied everything committed.
    pub(super) fn can_read_under_lease(&self, ctx: &Ctx) -> bool {
        self.lease_until().is_some_and(|until| ctx.now < until)
            && ctx.disk.wal.term_at(self.commit) == Some(self.term)
            && self.applied >= self.commit
    }

    /// A leadership transfer sent TimeoutNow: no lease for the rest of this term (the target's voters may ignore
    /// their promise to this leader).
    pub(super) fn forgo_lease(&mut self) {
        self.lease.until = None;
        self.lease.sent.clear();
        self.lease.forgone = true;
    }

    /// The read mode changed: a lease of before no longer stands (followers may have voted meanwhile without
    /// the promise). Called by the world for every node; changes no other state.
    pub fn forget_lease(&mut self) {
        let forgone = self.lease.forgone;
        self.lease.clear();
        self.lease.forgone = forgone && self.role == Role::Leader;
    }

    /// Leader: when its lease ends on its own clock, if it holds one it could read under (none while it hands
    /// leadership over). The checker's I19 and the view read it.
    pub fn lease_until(&self) -> Option<Time> {
        if self.role != Role::Leader || self.transfer.is_some() || self.lease.forgone {
            return None;
        }
        self.lease.until
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::check::linearize::check_history;
    use crate::sim::config::{Config, ReadMode};
    use crate::sim::types::ms;
    use crate::sim::world::command::Command;
    use crate::sim::world::World;

    fn lease_world(seed: u64) -> World {
        lease_world_with(seed, Config::default().lease_ms, Config::default().clock_drift_bound)
    }

    fn lease_world_with(seed: u64, lease_ms: u64, clock_drift_bound: f64) -> World {
        let config = Config {
            read_mode: ReadMode::Lease,
            lease_ms,
            clock_drift_bound,
            trace_capacity: 100_000,
            ..Config::default()
        };
        let mut world = World::new(config, seed).unwrap();
        world.run_until(ms(1_000));
        world
    }

    #[test]
    fn a_leader_with_a_lease_answers_reads_without_a_round_trip() {
        let mut world = lease_world(3);
        let leader = world.top_leader().unwrap();
        let until = world.servers()[leader].node().lease_until().expect("a lease after a second of heartbeats");
        assert!(until > world.servers()[leader].local_now(world.now()));
        // The view draws it: when it ends (virtual time) and how much of a whole lease is left.
        let view = world.view();
        let node = &view.nodes[leader];
        assert_eq!(node.lease_until_us, Some(until), "at 1× the clock reads virtual time");
        assert!(node.lease_left_us.is_some_and(|left| left > 0 && left <= view.lease_us));
        assert_eq!((view.lease_us, node.clock_rate), (98_181, 1.0));
        assert!(view.nodes.iter().filter(|n| n.id != leader).all(|n| n.lease_until_us.is_none()));
        world.apply(Command::Put { client: 0, key: "x".into(), value: "1".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(1_200));
        world.apply(Command::Get { client: 1, key: "x".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(1_400));
        let read = world.trace().find(|t| t.text().contains("under its lease")).expect("a lease read");
        assert!(read.text().contains(&format!("n{leader}:")), "{}", read.text());
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    #[test]
    fn a_followers_promise_holds_off_a_candidate_and_the_lease_runs_out_when_cut_off() {
        let mut world = lease_world(5);
        let leader = world.top_leader().unwrap();
        let rest: Vec<usize> = (0..3).filter(|&n| n != leader).collect();
        world.apply(Command::Partition { groups: vec![vec![leader], rest] }).unwrap();
        world.run_until(ms(1_100));
        // 100 ms later the lease (120 ms shortened by the drift bound to 98 ms) has run out, before any
        // follower's election timeout (150..300 ms): no successor can exist while it holds.
        assert!(world.servers()[leader].node().lease_until().is_none_or(|u| u <= world.now()));
        world.run_until(ms(2_000));
        assert!(world.trace().any(|t| t.text().contains("read lease expired")), "the expiry is traced");
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }

    /// The lease lesson in numbers: the leader's clock runs slow and the followers' fast; the leader is cut off
    /// with a lease still valid on its clock; the followers elect a successor, which commits x=2; a read at the
    /// old leader while its clock says the lease holds. Returns whether that read happened and was stale (the
    /// linearizability check fails), and the world.
    fn drifted_read(seed: u64, rate_leader: f64, rate_followers: f64) -> (bool, bool, World) {
        // The longest lease the promise allows (150 ms, the minimum election timeout) with a 5 % drift bound.
        let mut world = lease_world_with(seed, 150, 0.05);
        let leader = world.top_leader().unwrap();
        let rest: Vec<usize> = (0..3).filter(|&n| n != leader).collect();
        world.apply(Command::Put { client: 0, key: "x".into(), value: "1".into(), node: Some(leader) }).unwrap();
        world.run_until(ms(1_300));
        world.apply(Command::SetClockRate { node: leader, rate: rate_leader }).unwrap();
        for &node in &rest {
            world.apply(Command::SetClockRate { node, rate: rate_followers }).unwrap();
        }
        world.run_until(ms(1_400));
        world.apply(Command::Partition { groups: vec![vec![leader], rest.clone()] }).unwrap();
        let (mut wrote, mut read) = (false, false);
        while world.now() < ms(2_400) {
            world.run_until(world.now() + ms(1));
            let successor = world.top_leader().filter(|&l| l != leader);
            if let (Some(successor), false) = (successor, wrote) {
                let put = Command::Put { client: 0, key: "x".into(), value: "2".into(), node: Some(successor) };
                world.apply(put).unwrap();
                wrote = true;
            }
            let old = &world.servers()[leader];
            let leased = old.node().lease_until().is_some_and(|u| u > old.local_now(world.now()));
            let committed = world.completed_operations().any(|op| op.client == 0 && op.seq == 2);
            if committed && leased && !read {
                world.apply(Command::Get { client: 1, key: "x".into(), node: Some(leader) }).unwrap();
                read = true;
            }
        }
        let linearizable = check_history(&world.finished_history()).violations().is_empty();
        (read, !linearizable, world)
    }

    #[test]
    fn without_the_drift_allowance_two_leases_overlap_within_the_bound_and_i19_says_so() {
        use crate::sim::breaks::Break;
        use crate::sim::check::violation::Invariant;
        // The longest lease (150 ms) and a 30 % bound; the leader's clock at 0.7×, the followers' at 1.3×.
        let run = |breaks: Vec<Break>| {
            let config = Config {
                read_mode: ReadMode::Lease,
                lease_ms: 150,
                clock_drift_bound: 0.3,
                breaks,
                ..Config::default()
            };
            let mut world = World::new(config, 3).unwrap();
            world.run_until(ms(1_000));
            let leader = world.top_leader().unwrap();
            let rest: Vec<usize> = (0..3).filter(|&n| n != leader).collect();
            world.apply(Command::SetClockRate { node: leader, rate: 0.7 }).unwrap();
            for &node in &rest {
                world.apply(Command::SetClockRate { node, rate: 1.3 }).unwrap();
            }
            world.run_until(ms(1_400));
            world.apply(Command::Partition { groups: vec![vec![leader], rest] }).unwrap();
            world.run_until(ms(2_000));
            world.violations().iter().map(|v| v.invariant).collect::<Vec<_>>()
        };
        assert!(run(vec![Break::LeaseIgnoresDrift]).contains(&Invariant::I19OneLease));
        assert_eq!(run(vec![]), vec![], "with the allowance the old lease ends before the successor's starts");
    }

    #[test]
    fn lease_mode_is_refused_while_playing_when_the_lease_would_outlast_the_promise() {
        let mut world = World::new(Config { lease_ms: 200, ..Config::default() }, 1).unwrap();
        let refused = world.apply(Command::SetReadMode { mode: ReadMode::Lease }).unwrap_err();
        assert!(refused.starts_with("set-read-mode: config.lease_ms must be at most election_timeout_ms_min (150)"));
        let mut world = lease_world(1);
        let timeouts =
            Command::SetTimeouts { heartbeat_ms: 20, election_timeout_ms_min: 100, election_timeout_ms_max: 200 };
        let refused = world.apply(timeouts).unwrap_err();
        assert!(refused.contains("election_timeout_ms_min (100) in lease read mode, got 120"), "{refused}");
        world.apply(Command::SetReadMode { mode: ReadMode::ReadIndex }).unwrap();
        assert!(world.servers().iter().all(|s| s.node().lease_until().is_none()), "a mode change ends every lease");
    }

    /// A seed whose election after the cut goes through in one round (a split vote would give the old lease
    /// time to run out even with drift beyond the bound).
    const SEED: u64 = 2;

    #[test]
    fn drift_beyond_the_bound_makes_a_lease_read_stale_and_the_history_check_catches_it() {
        let (read, stale, world) = drifted_read(SEED, 0.5, 2.0);
        assert!(read && stale, "with the leader at 0.5× and followers at 2× the lease read is stale and caught");
        let served = world.trace().find(|t| t.text().contains("under its lease") && t.time > ms(1_400));
        assert!(served.is_some_and(|t| t.text().contains("value from entry 2")), "x=1, written at entry 2");
    }

    #[test]
    fn drift_within_the_bound_never_lets_the_old_lease_outlive_the_promise() {
        let (read, stale, world) = drifted_read(SEED, 0.95, 1.05);
        assert!(!read && !stale, "the lease runs out before a successor can commit");
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }
}
