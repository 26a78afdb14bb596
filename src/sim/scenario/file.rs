//! The shape of a scenario file and of one step: what a file may hold, field by field, before the rules
//! of `read.rs` turn it into a [`Scenario`](super::Scenario). Every field is optional here (absent or `null`),
//! so that a missing one can be reported in the file's own words; unknown fields are refused
//! (`json_struct!`, in serde's words).
//! Containers that must be objects or lists stay `Value`s: `read.rs` checks their shape before reading them
//! (a serde derive would otherwise accept a struct written as a list).

use crate::sim::json_fields::json_struct;
use serde_json::Value;

json_struct! {
/// The top level of a scenario file, in the order files are written.
#[derive(Debug, Default)]
pub(crate) struct ScenarioFile {
    /// Title (required; checked in `read.rs`).
    pub name: Option<String>,
    /// What the lesson shows (written only when not empty).
    pub summary: Option<String>,
    /// Seed of the world's RNG; 0 when absent.
    pub seed: Option<u64>,
    /// The configuration fields that differ from the defaults (an object).
    pub config: Option<Value>,
    /// When the run stops.
    pub duration_ms: Option<u64>,
    /// Course metadata (an object).
    pub course: Option<Value>,
    /// The steps (a list of step objects).
    pub steps: Option<Value>,
}
}

json_struct! {
/// The fields a step may have: its time and exactly one of the step kinds in [`STEP_KINDS`].
#[derive(Debug, Default)]
pub(crate) struct StepFile {
    /// Virtual time of the step (required; checked in `read.rs`).
    pub at_ms: Option<u64>,
    /// A world command (an action object).
    pub act as "do": Option<Value>,
    /// Narration text.
    pub narrate: Option<String>,
    /// With a narration: stop the clock until the student continues (written only when true).
    pub pause: Option<bool>,
    /// With a narration: the speaker note.
    pub note: Option<String>,
    /// With a narration: what the UI brings into view (an object).
    pub focus: Option<Value>,
    /// A claim to check (an object).
    pub expect: Option<Value>,
    /// A question (an object).
    pub predict: Option<Value>,
}
}

/// The step kinds, each a field of [`StepFile`] with what it holds (for the "needs one of" message).
pub(super) const STEP_KINDS: [(&str, &str); 4] =
    [("do", "an action"), ("narrate", "text to show"), ("expect", "a claim to check"), ("predict", "a question")];

impl StepFile {
    /// The step kinds this step names, in [`STEP_KINDS`] order.
    pub fn kinds(&self) -> Vec<&'static str> {
        let present = [self.act.is_some(), self.narrate.is_some(), self.expect.is_some(), self.predict.is_some()];
        STEP_KINDS.iter().zip(present).filter(|(_, p)| *p).map(|((name, _), _)| *name).collect()
    }
}
