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
    /// Accepts writes and replicates them.
    Leader,
}

impl Role {
    /// `leader`, `candidate`, `follower`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Candidate => "candidate",
            Role::Follower => "follower",
        }
    }
}
