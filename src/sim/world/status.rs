//! The lifecycle of a server process, as the world (the operator and the power switch) sees it.

use serde::{Deserialize, Serialize};

/// Whether a node is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeStatus {
    /// Running.
    Up,
    /// Powered off; only its durable disk state survives.
    Crashed,
    /// Frozen: timers stopped, messages queue up.
    Paused,
    /// Left the cluster: its removal was committed and its process shut down for good.
    Removed,
}

impl NodeStatus {
    /// `up`, `crashed`, `paused`, `removed` (CSS classes, test hooks, the announcer).
    pub fn name(self) -> &'static str {
        match self {
            NodeStatus::Up => "up",
            NodeStatus::Crashed => "crashed",
            NodeStatus::Paused => "paused",
            NodeStatus::Removed => "removed",
        }
    }
}
