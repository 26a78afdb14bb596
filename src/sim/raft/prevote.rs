//! Pre-vote (Ongaro's dissertation §9.6; etcd's `PreVote`): a node whose election timer fires first asks the
//! voters whether they *would* vote for it in its next term — RequestPreVote carries term + 1 and its log's last
//! entry — and becomes a candidate (incrementing its term) only with a majority of pre-votes. A node grants a
//! pre-vote only if it has not heard from a leader within the minimum election timeout and the candidate's log
//! is at least as up to date; granting changes neither its term nor its vote, and nobody adopts the asked term.
//!
//! What it prevents is the disruptive server: a node cut off from the others keeps timing out; without pre-vote
//! each timeout increments its term, and when it comes back that huge term deposes a healthy leader. With
//! pre-vote its polls are refused (the others hear from the leader) and its term stays where it was.

use crate::sim::breaks::Break;
use crate::sim::raft::message::{Body, Endpoint, Message};
use crate::sim::raft::node::{Ctx, Node, Observation, Output, VoteRefusal};
use crate::sim::raft::role::Role;
use crate::sim::types::{ms, Index, NodeId, Term};

impl Node {
    /// The election timer fired with `pre_vote` on: become a pre-candidate and poll the voters for term + 1.
    pub(super) fn start_pre_vote(&mut self, ctx: &mut Ctx) {
        debug_assert!(ctx.config.pre_vote && self.role != Role::Leader, "only a follower or candidate polls");
        if ctx.config.broken(Break::PreVoteBumpsTerm) {
            // The broken rule: the poll increments the term first, as a plain campaign would.
            self.term += 1;
            self.voted_for = None;
            self.persist_hard_state(ctx);
        }
        self.role = Role::PreCandidate;
        self.leader = None;
        self.drop_leader_state(ctx);
        self.votes = 1 << self.id;
        let term = self.term + 1;
        self.observe(ctx, Observation::PreVoteStarted { term, own: self.term });
        let (last_index, last_term) = (ctx.disk.wal.last_index(), ctx.disk.wal.last_term());
        for peer in self.vote_targets(ctx) {
            // Nothing to persist: the poll changes no state that a crash could lose.
            let message = Message {
                from: Endpoint::Node(self.id),
                to: Endpoint::Node(peer),
                term,
                body: Body::RequestPreVote { last_index, last_term },
            };
            self.send_pre_vote_message(ctx, message);
        }
        self.maybe_win_pre_vote(ctx);
    }

    /// Sends a pre-vote message at once: a poll and its answer promise nothing, so nothing waits for a disk.
    fn send_pre_vote_message(&self, ctx: &mut Ctx, message: Message) {
        ctx.out.push(Output::Send(message));
    }

    /// Whether this node would vote for a candidate now: it has not heard from a leader within the minimum
    /// election timeout (on its own clock). A leader hears from itself.
    pub(super) fn heard_from_leader_recently(&self, ctx: &Ctx) -> bool {
        self.role == Role::Leader || ctx.now < self.leader_contact + ms(ctx.config.election_timeout_ms_min)
    }

    /// A RequestPreVote for `term` (the candidate's term + 1). Granted in `term`, refused with our own term.
    pub(super) fn on_request_pre_vote(
        &mut self,
        ctx: &mut Ctx,
        candidate: NodeId,
        term: Term,
        last_index: Index,
        last_term: Term,
    ) {
        let refusal = if term < self.term {
            Some(VoteRefusal::StaleTerm)
        } else if self.heard_from_leader_recently(ctx) {
            Some(VoteRefusal::LeaderAlive)
        } else if self.abstaining() {
            Some(VoteRefusal::Abstaining)
        } else if term == self.term && self.voted_for.is_some_and(|v| v != candidate) {
            Some(VoteRefusal::VotedElsewhere)
        } else if !ctx.config.broken(Break::SkipUpToDateCheck) && !self.candidate_up_to_date(ctx, last_index, last_term)
        {
            Some(VoteRefusal::LogBehind)
        } else {
            None
        };
        let (granted, reply_term) = match refusal {
            None => {
                self.observe(ctx, Observation::PreVoteGranted { term, candidate });
                (true, term)
            }
            Some(reason) => {
                self.observe(ctx, Observation::PreVoteRefused { term, candidate, reason });
                (false, self.term)
            }
        };
        let reply = Message {
            from: Endpoint::Node(self.id),
            to: Endpoint::Node(candidate),
            term: reply_term,
            body: Body::PreVote { granted },
        };
        self.send_pre_vote_message(ctx, reply);
    }

    /// A pre-vote answer. A refusal of a higher term has already made this node a follower of that term (the
    /// refusing node holds it); a grant counts if it is for our next term.
    pub(super) fn on_pre_vote(&mut self, ctx: &mut Ctx, voter: NodeId, term: Term, granted: bool) {
        if self.role == Role::PreCandidate && granted && term == self.term + 1 {
            self.votes |= 1 << voter;
            self.maybe_win_pre_vote(ctx);
        }
    }

    /// A majority of the voters would vote for us: campaign for real.
    fn maybe_win_pre_vote(&mut self, ctx: &mut Ctx) {
        if self.role == Role::PreCandidate
            && ((self.votes & self.members_mask(ctx)).count_ones() as usize) >= self.quorum()
        {
            self.campaign(ctx, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::config::Config;
    use crate::sim::raft::role::Role;
    use crate::sim::types::ms;
    use crate::sim::world::command::Command;
    use crate::sim::world::World;

    /// A node partitioned away for two seconds, then healed: (its term at the end of the partition, whether the
    /// leader of before was deposed, the world).
    fn isolate_and_rejoin(pre_vote: bool) -> (u64, bool, World) {
        let config = Config { pre_vote, ..Config::default() };
        let mut world = World::new(config, 11).unwrap();
        world.run_until(ms(1_000));
        let leader = world.top_leader().expect("a leader");
        let lonely = (leader + 1) % 3;
        let others: Vec<usize> = (0..3).filter(|&n| n != lonely).collect();
        world.apply(Command::Partition { groups: vec![others, vec![lonely]] }).unwrap();
        let leader_term = world.servers()[leader].node().term();
        world.run_until(ms(3_000));
        let lonely_term = world.servers()[lonely].node().term();
        world.apply(Command::Heal).unwrap();
        world.run_until(ms(4_000));
        let deposed = world.servers()[leader].node().term() != leader_term;
        assert!(world.violations().is_empty(), "{:?}", world.violations());
        assert!(lonely_term >= leader_term);
        (lonely_term - leader_term, deposed, world)
    }

    #[test]
    fn without_pre_vote_a_rejoining_node_deposes_the_leader() {
        let (climbed, deposed, _) = isolate_and_rejoin(false);
        assert!(climbed >= 5, "each timeout of the lonely node increments its term ({climbed})");
        assert!(deposed, "its huge term deposes the healthy leader");
    }

    #[test]
    fn with_pre_vote_the_term_stays_and_the_leader_keeps_leading() {
        let (climbed, deposed, world) = isolate_and_rejoin(true);
        assert_eq!(climbed, 0, "a refused pre-vote changes no term");
        assert!(!deposed, "the healthy leader keeps its term");
        assert!(world.servers().iter().all(|s| s.node().role() != Role::Candidate));
    }

    #[test]
    fn a_pre_vote_that_bumps_the_term_is_caught_by_i6() {
        use crate::sim::breaks::Break;
        use crate::sim::check::violation::Invariant;
        let config = Config { pre_vote: true, breaks: vec![Break::PreVoteBumpsTerm], ..Config::default() };
        let mut world = World::new(config, 11).unwrap();
        world.run_until(ms(1_000));
        let i6 = world.violations().iter().find(|v| v.invariant == Invariant::I6TermMonotonic);
        assert!(i6.is_some_and(|v| v.detail.contains("without a campaign")), "{:?}", world.violations());
    }

    #[test]
    fn a_pre_vote_is_refused_while_the_leader_is_heard_and_granted_once_it_is_gone() {
        let mut world = World::new(Config { pre_vote: true, ..Config::default() }, 4).unwrap();
        world.run_until(ms(1_000));
        let leader = world.top_leader().unwrap();
        let term = world.servers()[leader].node().term();
        world.apply(Command::Crash { node: leader }).unwrap();
        world.run_until(ms(2_000));
        let successor = world.top_leader().expect("the others elect a successor after a granted pre-vote");
        assert_ne!(successor, leader);
        assert_eq!(world.servers()[successor].node().term(), term + 1, "one campaign, one term");
        assert!(world.violations().is_empty(), "{:?}", world.violations());
    }
}
