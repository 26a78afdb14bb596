//! The checks of DESIGN §3a's extensions, kept apart from the Figure-2 invariants in `checker.rs`:
//!
//! - **I6, terms rise for a reason**: a node's term rises only when it campaigns (it becomes a candidate of the
//!   next term) or when it adopts a term another node already held. A pre-vote poll (RequestPreVote, a granted
//!   PreVote) carries a term nobody holds yet; adopting it, or incrementing the term to ask for pre-votes, is
//!   the bug pre-vote exists to avoid (the disruptive server).
//! - **I19, one lease at a time**: while every clock runs within the drift bound, at most one node holds a valid
//!   read lease at any instant (checked after every event: a lease starts at an event, and the checker reads
//!   each holder's end on its own clock). Once a clock has run beyond the bound the promise is void and I19 is
//!   no longer asserted for the run; the linearizability check is then what catches a stale lease read.
//! - **I20, learners never count**: a leader elected with the help of a learner's vote, a learner elected, or a
//!   commit index that reached a quorum only by counting a learner's copy.
//!
//! Each finding is a value the checker reports like any other.

use crate::sim::check::violation::Invariant;
use crate::sim::types::{Index, NodeId, Term, Time};
use crate::sim::world::clock::PPM_PER_UNIT;
use crate::sim::world::status::NodeStatus;
use crate::sim::world::Server;
use std::collections::BTreeMap;

/// A broken rule found here, for `Checker::report`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Finding {
    /// Which rule.
    pub(super) invariant: Invariant,
    /// Nodes involved.
    pub(super) nodes: Vec<NodeId>,
    /// Log indexes involved.
    pub(super) indexes: Vec<Index>,
    /// What was seen.
    pub(super) detail: String,
}

/// What the extension checks remember between events. Invariant: the per-node vectors have one slot per server.
#[derive(Clone, Debug)]
pub(super) struct ExtensionChecks {
    /// I6: each node's (volatile) term after the previous event.
    last_term: Vec<Term>,
    /// I6: the highest term any node has held.
    max_term_held: Term,
    /// I6: the term a node became a candidate of during the current event.
    campaigned: Vec<Option<Term>>,
    /// I19: the drift bound ρ in millionths.
    drift_bound_ppm: u64,
    /// I19: some clock has run beyond the bound in this run (the lease promise is void from then on).
    drift_exceeded: bool,
}

impl ExtensionChecks {
    /// Checks for `nodes` servers, with the configuration's drift bound.
    pub(super) fn new(nodes: usize, drift_bound_ppm: u64) -> ExtensionChecks {
        ExtensionChecks {
            last_term: vec![0; nodes],
            max_term_held: 0,
            campaigned: vec![None; nodes],
            drift_bound_ppm,
            drift_exceeded: false,
        }
    }

    /// A server joined.
    pub(super) fn add_node(&mut self) {
        self.last_term.push(0);
        self.campaigned.push(None);
    }

    /// Takes the servers' current terms as the baseline (the checker was switched on).
    pub(super) fn baseline(&mut self, servers: &[Server]) {
        for (i, s) in servers.iter().enumerate() {
            self.last_term[i] = s.node().term();
            self.max_term_held = self.max_term_held.max(s.node().term());
        }
    }

    /// A node became a candidate of `term` in this event.
    pub(super) fn on_candidate(&mut self, node: NodeId, term: Term) {
        self.campaigned[node] = Some(term);
    }

    /// A node's clock now runs at `rate_ppm`: beyond the bound, the lease promise no longer holds.
    pub(super) fn on_clock_rate(&mut self, rate_ppm: u64) {
        if rate_ppm.abs_diff(PPM_PER_UNIT) > self.drift_bound_ppm {
            self.drift_exceeded = true;
        }
    }

    /// I6: after an event, every term that rose did so by a campaign or by adopting a term someone held.
    pub(super) fn term_rises(&mut self, servers: &[Server]) -> Vec<Finding> {
        let mut found = Vec::new();
        let held_before = self.max_term_held;
        for (i, s) in servers.iter().enumerate() {
            let term = s.node().term();
            let running = matches!(s.status(), NodeStatus::Up | NodeStatus::Paused);
            if running && term > self.last_term[i] && term > held_before && self.campaigned[i] != Some(term) {
                found.push(Finding {
                    invariant: Invariant::I6TermMonotonic,
                    nodes: vec![i],
                    indexes: vec![],
                    detail: format!(
                        "n{i}'s term rose from {} to {term} without a campaign, and no node held term {term} (a \
                         pre-vote must not change a term)",
                        self.last_term[i]
                    ),
                });
            }
            self.last_term[i] = term;
            self.max_term_held = self.max_term_held.max(term);
            self.campaigned[i] = None;
        }
        found
    }

    /// I19: with every clock within the bound so far, at most one running node holds a valid lease now.
    pub(super) fn leases(&self, now: Time, servers: &[Server]) -> Option<Finding> {
        if self.drift_exceeded {
            return None;
        }
        let mut holders = servers.iter().filter(|s| {
            matches!(s.status(), NodeStatus::Up | NodeStatus::Paused)
                && s.node().lease_until().is_some_and(|until| until > s.local_now(now))
        });
        let first = holders.next()?;
        let second = holders.next()?;
        let (a, b) = (first.node(), second.node());
        Some(Finding {
            invariant: Invariant::I19OneLease,
            nodes: vec![a.id(), b.id()],
            indexes: vec![],
            detail: format!(
                "n{} (term {}) and n{} (term {}) both hold a valid read lease, with every clock within the drift \
                 bound",
                a.id(),
                a.term(),
                b.id(),
                b.term()
            ),
        })
    }

    /// I20 at an election: the winner is a voter of its own configuration and a majority of its voters voted for
    /// it, without counting a learner. `votes` holds every vote the checker has seen, by (term, voter) (a
    /// double vote keeps the newer one: a winner that lacks a quorum because of it is not reported here unless
    /// learners' votes fill the gap); `servers` gives the durable votes not recorded yet (this event's).
    pub(super) fn election(
        node: NodeId,
        term: Term,
        votes: &BTreeMap<(Term, NodeId), NodeId>,
        servers: &[Server],
    ) -> Option<Finding> {
        let winner = servers[node].node();
        let voted = |voter: NodeId| {
            votes.get(&(term, voter)) == Some(&node)
                || servers.get(voter).is_some_and(|s| {
                    let hard = s.disk().durable_hard_state();
                    hard.term == term && hard.voted_for == Some(node)
                })
        };
        if winner.is_learner() {
            return Some(learner_finding(node, format!("learner n{node} became leader of term {term}")));
        }
        let voters = winner.members().iter().filter(|&&v| voted(v)).count();
        let learners: Vec<NodeId> = winner.learners().iter().copied().filter(|&l| voted(l)).collect();
        let quorum = winner.members().len() / 2 + 1;
        (voters < quorum && voters + learners.len() >= quorum).then(|| {
            learner_finding(
                node,
                format!(
                    "n{node} became leader of term {term} with {voters} voters' votes of the {quorum} it needs, \
                     counting learner(s) {learners:?}"
                ),
            )
        })
    }

    /// I20 at a commit: `voters` of the leader's voters hold index `to` durably, fewer than `quorum`, and
    /// `learners` of its learners do; if the learners made up the difference, the leader counted them.
    pub(super) fn commit(node: NodeId, to: Index, voters: usize, learners: usize, quorum: usize) -> Option<Finding> {
        (voters < quorum && voters + learners >= quorum).then(|| Finding {
            invariant: Invariant::I20LearnersNeverCount,
            nodes: vec![node],
            indexes: vec![to],
            detail: format!(
                "leader n{node} advanced its HWM to {to} held durably by {voters} voters of the {quorum} needed: it \
                 counted {learners} learner copies"
            ),
        })
    }
}

fn learner_finding(node: NodeId, detail: String) -> Finding {
    Finding { invariant: Invariant::I20LearnersNeverCount, nodes: vec![node], indexes: vec![], detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_within_the_bound_keeps_the_lease_check_and_beyond_it_voids_it() {
        let mut checks = ExtensionChecks::new(3, 100_000);
        checks.on_clock_rate(1_100_000);
        checks.on_clock_rate(900_000);
        assert!(!checks.drift_exceeded);
        checks.on_clock_rate(1_100_001);
        assert!(checks.drift_exceeded);
    }

    #[test]
    fn a_commit_that_needed_a_learner_is_reported_and_one_that_did_not_is_not() {
        assert!(ExtensionChecks::commit(0, 5, 1, 1, 2).is_some());
        assert!(ExtensionChecks::commit(0, 5, 2, 1, 2).is_none(), "a voter majority holds it");
        assert!(ExtensionChecks::commit(0, 5, 0, 1, 2).is_none(), "no quorum even with the learner: that is I9's");
    }
}
