//! Terms, votes and elections (Raft §5.2, §5.4.1). The term is the generation clock: a higher term seen in any
//! message makes a node step down; votes are persisted before they are announced.

use crate::sim::breaks::Break;
use crate::sim::raft::message::Body;
use crate::sim::raft::node::{Ctx, Node, Observation, Output, TimerKind};
use crate::sim::raft::role::Role;
use crate::sim::types::{Index, NodeId, Term};

impl Node {
    /// Arms the election timer at a fresh random deadline drawn from the world's RNG.
    pub(super) fn reset_election_timer(&mut self, ctx: &mut Ctx) {
        let c = ctx.config;
        let delay_ms = ctx.rng.range(c.election_timeout_ms_min, c.election_timeout_ms_max);
        self.election_deadline = ctx.now + crate::sim::types::ms(delay_ms);
        ctx.out.push(Output::Timer(TimerKind::Election, self.election_deadline));
    }

    /// Whether recovery asked this node to stay out of elections.
    pub(super) fn abstaining(&self) -> bool {
        self.abstain_until.is_some()
    }

    /// Followers and candidates that hear nothing start an election (after a pre-vote round, with `pre_vote`).
    pub(super) fn on_election_timeout(&mut self, ctx: &mut Ctx) {
        if self.role == Role::Leader {
            return;
        }
        if ctx.now < self.election_deadline {
            ctx.out.push(Output::Timer(TimerKind::Election, self.election_deadline));
            return;
        }
        if self.members.is_empty() {
            // A server that joined and has not heard any configuration yet waits to be added.
            return;
        }
        if self.is_learner() && !ctx.config.broken(Break::LearnerVotes) {
            // A learner never campaigns; its timer is armed again whenever the leader reaches it.
            return;
        }
        // A node whose newest configuration leaves it out still campaigns until that change is committed (it
        // may hold the newest log); it then counts votes of that configuration's members only, not its own.
        self.reset_election_timer(ctx);
        if self.abstaining() {
            return;
        }
        if ctx.config.pre_vote {
            self.start_pre_vote(ctx);
        } else {
            self.campaign(ctx, false);
        }
    }

    /// Becomes a candidate of the next term, votes for itself and asks the voters for their votes. `transfer`:
    /// the leader handed leadership over (TimeoutNow), so voters that still hear from it vote anyway.
    pub(super) fn campaign(&mut self, ctx: &mut Ctx, transfer: bool) {
        self.term += 1;
        self.role = Role::Candidate;
        self.voted_for = Some(self.id);
        self.leader = None;
        self.drop_leader_state(ctx);
        self.votes = 1 << self.id;
        self.persist_hard_state(ctx);
        self.observe(ctx, Observation::BecameCandidate { term: self.term });
        let (last_index, last_term) = (ctx.disk.wal.last_index(), ctx.disk.wal.last_term());
        for peer in self.vote_targets(ctx) {
            // A RequestVote carries our vote for ourselves: it leaves only once that vote is durable.
            let body = Body::RequestVote { last_index, last_term, transfer };
            let message = self.message(crate::sim::raft::message::Endpoint::Node(peer), body);
            self.send_after_durable(ctx, message, 0);
        }
        self.maybe_win(ctx);
    }

    /// The nodes a (pre-)candidate asks for votes: the other voters (and the learners, whose votes count with
    /// the `learner-votes` break).
    pub(super) fn vote_targets(&self, ctx: &Ctx) -> Vec<NodeId> {
        self.counted(ctx).filter(|&p| p != self.id).collect()
    }

    /// A higher term was seen: adopt it, forget the vote, follow (the sender, if it is a leader).
    pub(super) fn become_follower(&mut self, ctx: &mut Ctx, term: Term, leader: Option<NodeId>) {
        let from = self.role;
        if term > self.term {
            self.term = term;
            self.voted_for = None;
            self.persist_hard_state(ctx);
        }
        self.leader = leader;
        self.verified_from_leader = 0;
        if from == Role::Leader {
            // It heard from a leader — itself — until now: a vote it granted at once could end its lease early.
            self.leader_contact = ctx.now;
        }
        if from != Role::Follower {
            self.role = Role::Follower;
            self.drop_leader_state(ctx);
            self.observe(ctx, Observation::SteppedDown { term, from });
            self.reset_election_timer(ctx);
        }
    }

    /// Forgets what only a leader or candidate keeps; waiting clients will time out and retry elsewhere.
    pub(super) fn drop_leader_state(&mut self, _ctx: &mut Ctx) {
        self.progress.clear();
        self.waiting_writes.clear();
        self.pending_reads.clear();
        self.votes = 0;
        self.lease.clear();
        self.transfer = None;
    }

    /// Candidate's log "at least as up to date": compare last terms, then last indexes (Raft §5.4.1).
    pub(super) fn candidate_up_to_date(&self, ctx: &Ctx, last_index: Index, last_term: Term) -> bool {
        let (my_index, my_term) = (ctx.disk.wal.last_index(), ctx.disk.wal.last_term());
        last_term > my_term || (last_term == my_term && last_index >= my_index)
    }

    /// Decide on a vote. The grant is persisted before it is sent.
    pub(super) fn on_request_vote(
        &mut self,
        ctx: &mut Ctx,
        candidate: NodeId,
        term: Term,
        last_index: Index,
        last_term: Term,
    ) {
        let grant = term == self.term
            && matches!(self.role, Role::Follower | Role::PreCandidate)
            && self.voted_for.is_none_or(|v| v == candidate)
            && !self.abstaining()
            && (ctx.config.broken(Break::SkipUpToDateCheck) || self.candidate_up_to_date(ctx, last_index, last_term));
        if grant {
            if self.role == Role::PreCandidate {
                // It votes for another candidate in this term: its own pre-vote round is over.
                self.become_follower(ctx, term, None);
            }
            self.voted_for = Some(candidate);
            self.reset_election_timer(ctx);
            if ctx.config.broken(Break::VoteWithoutPersist) {
                self.observe(ctx, Observation::VoteGranted { term, candidate, persisted: false });
                self.send(ctx, candidate, Body::Vote { granted: true });
                return;
            }
            self.observe(ctx, Observation::VoteGranted { term, candidate, persisted: true });
            self.persist_hard_state(ctx);
        }
        let reply = self.message(crate::sim::raft::message::Endpoint::Node(candidate), Body::Vote { granted: grant });
        self.send_after_durable(ctx, reply, 0);
    }

    /// Count a vote.
    pub(super) fn on_vote(&mut self, ctx: &mut Ctx, voter: NodeId, term: Term, granted: bool) {
        if self.role == Role::Candidate && term == self.term && granted {
            self.votes |= 1 << voter;
            self.maybe_win(ctx);
        }
    }

    /// Become leader once a quorum voted and our own vote is durable.
    pub(super) fn maybe_win(&mut self, ctx: &mut Ctx) {
        if self.role != Role::Candidate
            || ((self.votes & self.members_mask(ctx)).count_ones() as usize) < self.quorum()
            || ctx.disk.hard_state_dirty()
        {
            return;
        }
        self.role = Role::Leader;
        self.leader = Some(self.id);
        self.reset_progress(ctx);
        self.observe(ctx, Observation::BecameLeader { term: self.term });
        // The no-op lets the new leader commit an entry of its own term, which commits everything before it.
        self.leader_append(ctx, crate::sim::storage::entry::Payload::Noop);
        self.on_heartbeat_timer(ctx);
    }
}
