//! The Raft role of a node: what it does with messages and timers (Raft Fig. 2).

use serde::{Deserialize, Serialize};

/// Raft role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Follows a leader (or waits for one).
    Follower,
    /// Asking for votes.
    Candidate,
    /// Asking whether it could win before it increments its term (pre-vote, dissertation §9.6; etcd's
    /// `StatePreCandidate`). Only with `pre_vote` on.
    PreCandidate,
    /// Accepts writes and replicates them.
    Leader,
}

impl Role {
    /// `leader`, `candidate`, `pre-candidate`, `follower`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Candidate => "candidate",
            Role::PreCandidate => "pre-candidate",
            Role::Follower => "follower",
        }
    }
}
