//! A narration step: the text the student reads, whether the clock stops for it, a speaker note for the
//! presenter, and what the UI should bring into view. Focus is a request to the UI only: it never changes the
//! simulation.

use super::fields::{known_fields, name, optional, FromJson};
use crate::sim::field_error::FieldError;
use crate::sim::types::NodeId;
use crate::sim::world::command::CommandContext;
use serde::Serialize;
use serde_json::{Map, Value};

/// What a narration shows and asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Narration {
    /// The text.
    pub text: String,
    /// Stop the clock after showing it.
    pub pause: bool,
    /// Speaker note, shown only in presenter view.
    pub note: Option<String>,
    /// Panel and node to bring into view.
    pub focus: Option<Focus>,
}

impl Narration {
    /// A narration of `text` alone (no pause, note or focus).
    pub fn text(text: impl Into<String>) -> Narration {
        Narration { text: text.into(), pause: false, note: None, focus: None }
    }
}

/// Where the UI should look when a narration shows: a tab, a node, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Focus {
    /// Open this tab.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tab: Option<FocusTab>,
    /// Select this node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<NodeId>,
}

impl Focus {
    /// Reads and validates a focus object against the cluster at this step; the field is relative to it.
    pub fn read(object: &Map<String, Value>, context: &CommandContext) -> Result<Focus, FieldError> {
        known_fields(object, &["tab", "node"])?;
        let focus = Focus { tab: optional(object, "tab")?, node: optional(object, "node")? };
        focus.validate(context)?;
        Ok(focus)
    }

    /// Names at least one thing, and only nodes that exist at this step.
    pub fn validate(&self, context: &CommandContext) -> Result<(), FieldError> {
        if self.tab.is_none() && self.node.is_none() {
            return Err(FieldError::new("", "needs a `tab`, a `node` or both"));
        }
        self.node.map_or(Ok(()), |node| context.node("node", node))
    }
}

/// The UI's tabs a lesson may open (the UI maps each to its own panel).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FocusTab {
    /// Client operations and their outcomes.
    Clients,
    /// Faults: partitions, links, disks.
    Faults,
    /// The nodes' state machines.
    State,
    /// The event log.
    Events,
    /// The invariants and their violations.
    Invariants,
    /// The configuration.
    Config,
    /// The client history and its linearizability check.
    History,
}

impl FromJson for FocusTab {
    fn from_json(value: &Value) -> Result<FocusTab, FieldError> {
        name(value, &FocusTab::ALL.map(FocusTab::name)).map(|i| FocusTab::ALL[i])
    }
}

impl FocusTab {
    /// Every tab, in the UI's order.
    pub const ALL: [FocusTab; 7] = [
        FocusTab::Clients,
        FocusTab::Faults,
        FocusTab::State,
        FocusTab::Events,
        FocusTab::Invariants,
        FocusTab::Config,
        FocusTab::History,
    ];

    /// The name a file uses.
    pub fn name(self) -> &'static str {
        match self {
            FocusTab::Clients => "clients",
            FocusTab::Faults => "faults",
            FocusTab::State => "state",
            FocusTab::Events => "events",
            FocusTab::Invariants => "invariants",
            FocusTab::Config => "config",
            FocusTab::History => "history",
        }
    }
}
