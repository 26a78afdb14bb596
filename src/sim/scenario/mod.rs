//! Scenarios: a lesson or a recorded session as data (DESIGN §5). A scenario is a seed, a configuration and
//! a time-ordered list of steps; each step applies one world [`Command`] at a virtual time, shows a narration
//! (optionally pausing), checks a claim about the world (`expect`) or asks the student a question
//! (`predict`). Same scenario ⇒ same run, natively and in the browser.
//!
//! The JSON shape (documented in full in `docs/scenario-format.md`):
//! ```json
//! {
//!   "name": "Leader crash",
//!   "summary": "What happens to acknowledged writes when the leader dies.",
//!   "seed": 7,
//!   "config": {"nodes": 5},
//!   "duration_ms": 4000,
//!   "steps": [
//!     {"at_ms": 400, "do": {"action": "put", "client": 0, "key": "x", "value": "1"}},
//!     {"at_ms": 600, "narrate": "x=1 is acknowledged. Now the leader dies.", "pause": true},
//!     {"at_ms": 600, "do": {"action": "crash", "node": 0}}
//!   ]
//! }
//! ```
//!
//! Parsing never panics and every error names the field path and the reason, e.g.
//! `steps[3].do.node: node 7 does not exist (the cluster has 3 nodes: 0..=2)`: scenario files are written
//! by hand, by students, and arrive through share links, so the error is the user interface. Everything the
//! world would refuse that can be known from the file is refused here (`Command::validate`), so a scenario
//! that parses plays.
//!
//! Files: `file.rs` (the serde shape of the file and its steps), `read.rs` (from JSON, with the rules),
//! `write.rs` (to JSON), `error.rs` ([`ScenarioError`]), `lesson/` (the shapes and rules of claims,
//! predictions, narrations and course metadata). To add a step kind: a variant of [`StepKind`], a field of
//! `file::StepFile` (and its entry in `STEP_KINDS`), its arm in `read.rs`, in `write.rs` and in the player's
//! `script.rs`.

pub mod chaos;
mod error;
pub mod extensions;
mod file;
pub mod lesson;
pub mod player;
mod read;
pub mod share;
#[cfg(test)]
mod tests;
mod write;

pub use crate::sim::limits::{MAX_NAME_CHARS, MAX_SCENARIO_BYTES, MAX_STEPS, MAX_TEXT_CHARS, MAX_TIME_MS};
pub use error::{Location, ScenarioError};

use crate::sim::config::Config;
use crate::sim::world::command::Command;
use lesson::{Claim, Course, Narration, Predict};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Time a run continues after the last step when `duration_ms` is not given, so its effects play out.
pub const DEFAULT_TAIL_MS: u64 = 3_000;

/// A lesson or recorded session: everything needed to replay it bit for bit.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Title shown in the scenario picker.
    pub name: String,
    /// What the lesson shows, a sentence or two.
    pub summary: String,
    /// Seed of the world's RNG: with the config and steps it fixes the whole run.
    pub seed: u64,
    /// Cluster configuration (fields not given in the file take their defaults).
    pub config: Config,
    /// Steps in non-decreasing time order.
    pub steps: Vec<Step>,
    /// How long to run; `None` means [`Scenario::end_ms`]'s default (last step + [`DEFAULT_TAIL_MS`]).
    pub duration_ms: Option<u64>,
    /// Where the lesson sits in the course (lessons of the course only).
    pub course: Option<Course>,
}

/// One scripted moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Virtual time of the step, in milliseconds since the start of the run.
    pub at_ms: u64,
    /// What happens then.
    pub kind: StepKind,
}

/// Something happens in the world, the lesson talks to the student, checks a claim or asks a question.
#[derive(Clone, Debug, PartialEq)]
pub enum StepKind {
    /// Apply a world command (JSON: `"do": {"action": ...}`).
    Do(Command),
    /// Show text (JSON: `"narrate": "..."`); with `pause` the player stops until the student continues.
    Narrate(Narration),
    /// Check a claim about the world at this time (JSON: `"expect": {...}`); the player keeps the outcome.
    Expect(Claim),
    /// Ask a question before the key moment (JSON: `"predict": {...}`); the player pauses on it.
    Predict(Predict),
}

type Result<T> = std::result::Result<T, ScenarioError>;

impl Scenario {
    /// Parses and validates a scenario from JSON text. The one entry point for files, editors and links.
    pub fn from_json(text: &str) -> Result<Scenario> {
        read::from_json(text)
    }

    /// Parses raw bytes (an uploaded file, a decoded link): rejects non-UTF-8 with its byte offset.
    pub fn from_bytes(bytes: &[u8]) -> Result<Scenario> {
        read::from_bytes(bytes)
    }

    /// Validates an already-parsed JSON value (a scenario embedded in another JSON document) like a file.
    pub fn from_value(value: &Value) -> Result<Scenario> {
        read::from_value(value.clone())
    }

    /// Re-checks a scenario built in code (e.g. recorded by the UI) with the same rules as a file.
    pub fn validate(&self) -> Result<()> {
        read::from_value(self.to_value()).map(|_| ())
    }

    /// The virtual time (ms) at which a run of this scenario stops: `duration_ms`, or the last step's time
    /// plus [`DEFAULT_TAIL_MS`] so the effects of the last action can play out.
    pub fn end_ms(&self) -> u64 {
        self.duration_ms.unwrap_or_else(|| self.steps.last().map_or(0, |s| s.at_ms).saturating_add(DEFAULT_TAIL_MS))
    }

    /// The commands with their times, in order: what the world must apply (narrations left out).
    pub fn commands(&self) -> impl Iterator<Item = (u64, &Command)> + '_ {
        self.steps.iter().filter_map(|s| match &s.kind {
            StepKind::Do(c) => Some((s.at_ms, c)),
            StepKind::Narrate(_) | StepKind::Expect(_) | StepKind::Predict(_) => None,
        })
    }

    /// Builds a scenario from a recorded session (the UI's "export"): commands with their virtual times.
    pub fn recorded(name: &str, seed: u64, config: Config, commands: Vec<(u64, Command)>) -> Scenario {
        Scenario {
            name: name.to_string(),
            summary: String::new(),
            seed,
            config,
            steps: commands.into_iter().map(|(at_ms, c)| Step { at_ms, kind: StepKind::Do(c) }).collect(),
            duration_ms: None,
            course: None,
        }
    }

    /// The JSON value of the scenario. Config fields equal to their defaults are left out (shorter files
    /// and links; defaults fill them back in), as are absent optional command fields.
    pub fn to_value(&self) -> Value {
        write::to_value(self)
    }

    /// Compact JSON on one line (what a share link carries).
    pub fn to_json_compact(&self) -> String {
        write::to_json_compact(self)
    }

    /// Human-friendly JSON for files: one field per line, one step per line, fields in reading order.
    pub fn to_json_pretty(&self) -> String {
        write::to_json_pretty(self)
    }
}

impl Serialize for Scenario {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Scenario {
    /// Deserializing validates exactly like [`Scenario::from_json`], so no unchecked scenario exists.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        read::from_value(value).map_err(serde::de::Error::custom)
    }
}
