//! Scenarios: a lesson or a recorded session as data (DESIGN §5). A scenario is a seed, a configuration and
//! a time-ordered list of steps; each step either applies one world [`Command`] at a virtual time or shows a
//! narration (optionally pausing). Same scenario ⇒ same run, natively and in the browser.
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
//! by hand, by students, and arrive through share links, so the error is the user interface.

pub mod chaos;
pub mod player;
pub mod share;

use crate::sim::breaks::Break;
use crate::sim::config::{Config, ReadMode};
use crate::sim::json::{Map, Value};
use crate::sim::json_read::{self, SyntaxError};
use crate::sim::world::command::Command;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Largest scenario text accepted, so a hostile file or link cannot make the page allocate without bound.
pub const MAX_SCENARIO_BYTES: usize = 1024 * 1024;
/// Most steps a scenario may have; far beyond any lesson, small enough to list in the UI.
pub const MAX_STEPS: usize = 10_000;
/// Latest virtual time a step (or `duration_ms`) may name: one day, so µs arithmetic cannot overflow.
pub const MAX_TIME_MS: u64 = 24 * 60 * 60 * 1000;
/// Longest `name`, in characters (it is a title).
pub const MAX_NAME_CHARS: usize = 200;
/// Longest `summary` or narration text, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Longest key a client operation may name, in bytes (keys are drawn in the log and state-machine views).
pub const MAX_KEY_BYTES: usize = 64;
/// Longest value a `put` may write, in bytes.
pub const MAX_VALUE_BYTES: usize = 1024;
/// Largest millisecond figure an action accepts (a minute): delays beyond that teach nothing.
pub const MAX_ACTION_MS: u64 = 60_000;
/// Highest write load a scenario may ask for: more than a simulated cluster of this size can commit teaches nothing.
pub const MAX_WRITE_LOAD_PER_SECOND: u64 = 1_000;
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
}

/// One scripted moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Virtual time of the step, in milliseconds since the start of the run.
    pub at_ms: u64,
    /// What happens then.
    pub kind: StepKind,
}

/// Either something happens in the world or the lesson talks to the student.
#[derive(Clone, Debug, PartialEq)]
pub enum StepKind {
    /// Apply a world command (JSON: `"do": {"action": ...}`).
    Do(Command),
    /// Show text (JSON: `"narrate": "..."`); with `pause` the player stops until the student continues.
    Narrate {
        /// The narration.
        text: String,
        /// Stop the clock after showing it.
        pause: bool,
    },
}

/// Where a scenario error is, so the editor can point at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A field path such as `steps[3].do.node`; empty means the scenario as a whole.
    Field(String),
    /// A JSON syntax error at this line and column (both from 1).
    Text {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// The input is not UTF-8 from this byte offset (from 0) on.
    Byte(usize),
}

/// Why a scenario was rejected: where, and the reason, phrased for the person who wrote the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong and, where useful, what would be right.
    pub reason: String,
}

impl ScenarioError {
    fn at(path: impl Into<String>, reason: impl Into<String>) -> Self {
        ScenarioError { location: Location::Field(path.into()), reason: reason.into() }
    }

    /// The location as text: `steps[3].do.node`, `scenario`, `line 4, column 9` or `byte 17`.
    pub fn path(&self) -> String {
        match &self.location {
            Location::Field(p) if p.is_empty() => "scenario".to_string(),
            Location::Field(p) => p.clone(),
            Location::Text { line, column } => format!("line {line}, column {column}"),
            Location::Byte(b) => format!("byte {b}"),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path(), self.reason)
    }
}

impl std::error::Error for ScenarioError {}

type Result<T> = std::result::Result<T, ScenarioError>;

impl Scenario {
    /// Parses and validates a scenario from JSON text. The one entry point for files, editors and links.
    pub fn from_json(text: &str) -> Result<Scenario> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(ScenarioError::at(
                "",
                format!("too large ({} bytes; at most {MAX_SCENARIO_BYTES})", text.len()),
            ));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value = json_read::parse(text).map_err(syntax_error)?;
        Scenario::from_value(&value)
    }

    /// Parses raw bytes (an uploaded file, a decoded link): rejects non-UTF-8 with its byte offset.
    pub fn from_bytes(bytes: &[u8]) -> Result<Scenario> {
        if bytes.len() > MAX_SCENARIO_BYTES {
            return Err(ScenarioError::at(
                "",
                format!("too large ({} bytes; at most {MAX_SCENARIO_BYTES})", bytes.len()),
            ));
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Scenario::from_json(text),
            Err(e) => Err(ScenarioError {
                location: Location::Byte(e.valid_up_to()),
                reason: "not valid UTF-8 text (a scenario is a JSON text file)".to_string(),
            }),
        }
    }

    /// Validates an already-parsed JSON value (used by `from_json` and by serde `Deserialize`).
    pub fn from_value(value: &Value) -> Result<Scenario> {
        Parser::default().scenario(value)
    }

    /// Re-checks a scenario built in code (e.g. recorded by the UI) with the same rules as a file.
    pub fn validate(&self) -> Result<()> {
        Scenario::from_value(&self.to_value()).map(|_| ())
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
            StepKind::Narrate { .. } => None,
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
        }
    }

    /// The JSON value of the scenario. Config fields equal to their defaults are left out (shorter files
    /// and links; defaults fill them back in), as are `null` optional command fields.
    pub fn to_value(&self) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), Value::String(self.name.clone()));
        if !self.summary.is_empty() {
            out.insert("summary".into(), Value::String(self.summary.clone()));
        }
        out.insert("seed".into(), Value::from(self.seed));
        out.insert("config".into(), Value::Object(config_diff(&self.config)));
        if let Some(d) = self.duration_ms {
            out.insert("duration_ms".into(), Value::from(d));
        }
        out.insert("steps".into(), Value::Array(self.steps.iter().map(step_value).collect()));
        Value::Object(out)
    }

    /// Compact JSON on one line (what a share link carries).
    pub fn to_json_compact(&self) -> String {
        self.to_value().to_string()
    }

    /// Human-friendly JSON for files: one field per line, one step per line, fields in reading order.
    pub fn to_json_pretty(&self) -> String {
        let value = self.to_value();
        let mut s = String::from("{\n");
        let order = ["name", "summary", "seed", "config", "duration_ms"];
        for key in order {
            if let Some(v) = value.get(key) {
                s.push_str(&format!("  {}: {},\n", Value::from(key), v));
            }
        }
        s.push_str("  \"steps\": [");
        for (i, step) in self.steps.iter().enumerate() {
            s.push_str(if i == 0 { "\n    " } else { ",\n    " });
            s.push_str(&step_value(step).to_string());
        }
        s.push_str(if self.steps.is_empty() { "]\n}\n" } else { "\n  ]\n}\n" });
        s
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
        Scenario::from_value(&value).map_err(serde::de::Error::custom)
    }
}

fn step_value(step: &Step) -> Value {
    let mut out = Map::new();
    out.insert("at_ms".into(), Value::from(step.at_ms));
    match &step.kind {
        StepKind::Do(command) => {
            out.insert("do".into(), command.to_value());
        }
        StepKind::Narrate { text, pause } => {
            out.insert("narrate".into(), Value::String(text.clone()));
            if *pause {
                out.insert("pause".into(), Value::Bool(true));
            }
        }
    }
    Value::Object(out)
}

/// The config fields that differ from the defaults.
fn config_diff(config: &Config) -> Map {
    let (Value::Object(mine), Value::Object(defaults)) = (config.to_value(), Config::default().to_value()) else {
        return Map::new();
    };
    mine.into_iter().filter(|(k, v)| defaults.get(k) != Some(v)).collect()
}

/// Turns a JSON syntax error into a located error (line and column from 1).
fn syntax_error(e: SyntaxError) -> ScenarioError {
    ScenarioError {
        location: Location::Text { line: e.line.max(1), column: e.column.max(1) },
        reason: format!("not valid JSON: {}", e.reason),
    }
}

/// The kind of value an action field holds, which decides how it is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A node id that must exist.
    Node,
    /// Like `Node`, but `null` or absent is allowed.
    OptNode,
    /// A client id that must exist.
    Client,
    /// A non-empty key.
    Key,
    /// A value to write.
    Value,
    /// A log index, from 1.
    Index,
    /// A millisecond figure.
    Millis,
    /// Like `Millis`, but `null` or absent is allowed.
    OptMillis,
    /// A probability in 0..=1.
    Probability,
    /// Partition groups: lists of distinct nodes.
    Groups,
    /// A read mode name.
    ReadMode,
}

/// Schema of one action: its name (the `action` tag), its fields and whether each is required.
struct ActionSpec {
    name: &'static str,
    fields: &'static [(&'static str, Kind)],
}

impl Kind {
    fn optional(self) -> bool {
        matches!(self, Kind::OptNode | Kind::OptMillis)
    }
}

const NODE: &[(&str, Kind)] = &[("node", Kind::Node)];
const LINK: &[(&str, Kind)] = &[("from", Kind::Node), ("to", Kind::Node)];

/// Every action, in the order of [`Command`]. A test matches this list against the enum exhaustively.
const ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        name: "put",
        fields: &[("client", Kind::Client), ("key", Kind::Key), ("value", Kind::Value), ("node", Kind::OptNode)],
    },
    ActionSpec { name: "get", fields: &[("client", Kind::Client), ("key", Kind::Key), ("node", Kind::OptNode)] },
    ActionSpec { name: "delete", fields: &[("client", Kind::Client), ("key", Kind::Key), ("node", Kind::OptNode)] },
    ActionSpec { name: "crash", fields: NODE },
    ActionSpec { name: "restart", fields: NODE },
    ActionSpec { name: "pause", fields: NODE },
    ActionSpec { name: "resume", fields: NODE },
    ActionSpec { name: "partition", fields: &[("groups", Kind::Groups)] },
    ActionSpec { name: "heal", fields: &[] },
    ActionSpec { name: "cut-link", fields: LINK },
    ActionSpec { name: "repair-link", fields: LINK },
    ActionSpec { name: "slow-link", fields: &[("from", Kind::Node), ("to", Kind::Node), ("extra_ms", Kind::Millis)] },
    ActionSpec { name: "set-loss", fields: &[("probability", Kind::Probability)] },
    ActionSpec { name: "set-duplicate", fields: &[("probability", Kind::Probability)] },
    ActionSpec { name: "set-latency", fields: &[("min_ms", Kind::Millis), ("max_ms", Kind::Millis)] },
    ActionSpec { name: "torn-write", fields: NODE },
    ActionSpec { name: "bit-flip", fields: &[("node", Kind::Node), ("index", Kind::Index)] },
    ActionSpec { name: "fail-fsync", fields: NODE },
    ActionSpec { name: "slow-disk", fields: &[("node", Kind::Node), ("fsync_ms", Kind::OptMillis)] },
    ActionSpec { name: "set-read-mode", fields: &[("mode", Kind::ReadMode)] },
    ActionSpec { name: "set-write-load", fields: &[("per_second", Kind::Millis)] },
    ActionSpec {
        name: "set-timeouts",
        fields: &[
            ("heartbeat_ms", Kind::Millis),
            ("election_timeout_ms_min", Kind::Millis),
            ("election_timeout_ms_max", Kind::Millis),
        ],
    },
    ActionSpec { name: "add-node", fields: &[] },
    ActionSpec { name: "remove-node", fields: NODE },
];

/// The `action` names a step may use, for editors, menus and error messages.
pub fn action_names() -> Vec<&'static str> {
    ACTIONS.iter().map(|a| a.name).collect()
}

/// The fields an action takes, with `?` after optional ones (for docs and editor hints); `None` if unknown.
pub fn action_fields(action: &str) -> Option<Vec<String>> {
    ACTIONS
        .iter()
        .find(|a| a.name == action)
        .map(|a| a.fields.iter().map(|(f, k)| if k.optional() { format!("{f}?") } else { f.to_string() }).collect())
}

const TOP_FIELDS: &[&str] = &["name", "summary", "seed", "config", "duration_ms", "steps"];
const STEP_FIELDS: &[&str] = &["at_ms", "do", "narrate", "pause"];
const READ_MODES: &[&str] = &["leader", "read-index", "follower"];

/// Parsing state: the config (for cluster-size checks) once it has been read.
#[derive(Default)]
struct Parser {
    nodes: usize,
    clients: usize,
}

impl Parser {
    fn scenario(&mut self, value: &Value) -> Result<Scenario> {
        let obj = value.as_object().ok_or_else(|| {
            ScenarioError::at(
                "",
                format!("must be a JSON object like {{\"name\": …, \"steps\": […]}}, got {}", describe(value)),
            )
        })?;
        unknown_fields(obj, TOP_FIELDS, "")?;
        let name = match obj.get("name") {
            None => return Err(ScenarioError::at("name", "missing; every scenario needs a title")),
            Some(v) => text(v, "name", MAX_NAME_CHARS)?,
        };
        if name.trim().is_empty() {
            return Err(ScenarioError::at("name", "must not be empty"));
        }
        let summary = match obj.get("summary") {
            None | Some(Value::Null) => String::new(),
            Some(v) => text(v, "summary", MAX_TEXT_CHARS)?,
        };
        let seed = match obj.get("seed") {
            None | Some(Value::Null) => 0,
            Some(v) => v.as_u64().ok_or_else(|| {
                ScenarioError::at("seed", format!("must be a non-negative integer below 2^64, got {}", describe(v)))
            })?,
        };
        let config = match obj.get("config") {
            None | Some(Value::Null) => Config::default(),
            Some(v) => config(v)?,
        };
        self.nodes = config.nodes;
        self.clients = config.clients;
        let steps = match obj.get("steps") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                if items.len() > MAX_STEPS {
                    return Err(ScenarioError::at("steps", format!("at most {MAX_STEPS} steps, got {}", items.len())));
                }
                let mut steps = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let step = self.step(item, &format!("steps[{i}]"))?;
                    if let Some(prev) = steps.last().map(|s: &Step| s.at_ms) {
                        if step.at_ms < prev {
                            return Err(ScenarioError::at(
                                "steps",
                                format!(
                                    "times must not decrease (steps[{i}].at_ms={} < steps[{}].at_ms={prev})",
                                    step.at_ms,
                                    i - 1
                                ),
                            ));
                        }
                    }
                    steps.push(step);
                }
                steps
            }
            Some(v) => return Err(ScenarioError::at("steps", format!("must be a list of steps, got {}", describe(v)))),
        };
        let duration_ms = match obj.get("duration_ms") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let d = millis(v, "duration_ms", MAX_TIME_MS, "one day of virtual time")?;
                if d == 0 {
                    return Err(ScenarioError::at("duration_ms", "must be positive"));
                }
                if let Some(last) = steps.last() {
                    if d < last.at_ms {
                        return Err(ScenarioError::at(
                            "duration_ms",
                            format!(
                                "must be at least the last step's time (steps[{}].at_ms={}), got {d}",
                                steps.len() - 1,
                                last.at_ms
                            ),
                        ));
                    }
                }
                Some(d)
            }
        };
        Ok(Scenario { name, summary, seed, config, steps, duration_ms })
    }

    fn step(&mut self, value: &Value, path: &str) -> Result<Step> {
        let obj = value.as_object().ok_or_else(|| {
            ScenarioError::at(
                path,
                format!(
                    "must be an object like {{\"at_ms\": 100, \"do\": {{\"action\": \"crash\", \"node\": 0}}}} or \
                     {{\"at_ms\": 100, \"narrate\": \"…\"}}, got {}",
                    describe(value)
                ),
            )
        })?;
        unknown_fields(obj, STEP_FIELDS, path)?;
        let at_ms = match obj.get("at_ms") {
            None => return Err(ScenarioError::at(format!("{path}.at_ms"), "missing; every step needs a time")),
            Some(v) => millis(v, &format!("{path}.at_ms"), MAX_TIME_MS, "one day of virtual time")?,
        };
        let kind = match (obj.get("do"), obj.get("narrate")) {
            (Some(_), Some(_)) => {
                return Err(ScenarioError::at(
                    path,
                    "has both `do` and `narrate`; a step either acts or narrates (use two steps at the same time)",
                ))
            }
            (None, None) => {
                return Err(ScenarioError::at(path, "needs either `do` (an action) or `narrate` (text to show)"))
            }
            (Some(action), None) => {
                if obj.contains_key("pause") {
                    return Err(ScenarioError::at(
                        format!("{path}.pause"),
                        "only a narration step can pause; add a narration step with \"pause\": true",
                    ));
                }
                let command = self.command(action, &format!("{path}.do"))?;
                if command == Command::AddNode {
                    // The new server takes the next id: later steps may name it.
                    if self.nodes >= crate::sim::raft::membership::MAX_NODE_IDS {
                        return Err(ScenarioError::at(
                            format!("{path}.do"),
                            format!(
                                "a run can start at most {} servers (ids 0..={})",
                                crate::sim::raft::membership::MAX_NODE_IDS,
                                crate::sim::raft::membership::MAX_NODE_IDS - 1
                            ),
                        ));
                    }
                    self.nodes += 1;
                }
                StepKind::Do(command)
            }
            (None, Some(narration)) => {
                let text = text(narration, &format!("{path}.narrate"), MAX_TEXT_CHARS)?;
                if text.trim().is_empty() {
                    return Err(ScenarioError::at(format!("{path}.narrate"), "must not be empty"));
                }
                let pause = match obj.get("pause") {
                    None | Some(Value::Null) => false,
                    Some(Value::Bool(b)) => *b,
                    Some(v) => {
                        return Err(ScenarioError::at(
                            format!("{path}.pause"),
                            format!("must be true or false, got {}", describe(v)),
                        ))
                    }
                };
                StepKind::Narrate { text, pause }
            }
        };
        Ok(Step { at_ms, kind })
    }

    fn command(&self, value: &Value, path: &str) -> Result<Command> {
        let names = || action_names().join(", ");
        let obj = value.as_object().ok_or_else(|| {
            ScenarioError::at(
                path,
                format!(
                    "must be an action object like {{\"action\": \"crash\", \"node\": 0}}, got {}",
                    describe(value)
                ),
            )
        })?;
        let action_path = format!("{path}.action");
        let name = match obj.get("action") {
            None => return Err(ScenarioError::at(action_path, format!("missing; expected one of: {}", names()))),
            Some(Value::String(s)) => s.as_str(),
            Some(v) => {
                return Err(ScenarioError::at(
                    action_path,
                    format!("must be an action name, got {}; expected one of: {}", describe(v), names()),
                ))
            }
        };
        let Some(spec) = ACTIONS.iter().find(|a| a.name == name) else {
            let hint = suggest(name, ACTIONS.iter().map(|a| a.name));
            return Err(ScenarioError::at(
                action_path,
                format!("unknown action `{}`{hint}; expected one of: {}", shorten(name), names()),
            ));
        };
        let allowed: Vec<&str> = std::iter::once("action").chain(spec.fields.iter().map(|(f, _)| *f)).collect();
        for key in obj.keys() {
            if !allowed.contains(&key.as_str()) {
                let fields: Vec<&str> = allowed[1..].to_vec();
                let expected = if fields.is_empty() {
                    "it takes no fields".to_string()
                } else {
                    format!("expected: {}", fields.join(", "))
                };
                return Err(ScenarioError::at(
                    format!("{path}.{}", shorten(key)),
                    format!("`{name}` has no such field{}; {expected}", suggest(key, fields.iter().copied())),
                ));
            }
        }
        for &(field, kind) in spec.fields {
            let field_path = format!("{path}.{field}");
            match obj.get(field) {
                None | Some(Value::Null) if kind.optional() => {}
                None => return Err(ScenarioError::at(field_path, format!("missing; `{name}` needs it"))),
                Some(v) => self.field(v, kind, &field_path)?,
            }
        }
        self.cross_checks(spec.name, obj, path)?;
        let command = Command::from_value(value)
            .map_err(|e| ScenarioError::at(path, format!("not a valid `{name}` action: {}", plain(&e))))?;
        // Backstop with the command's own notion of what it references.
        if let Some(&node) = command.nodes().iter().find(|&&n| n >= self.nodes) {
            return Err(ScenarioError::at(path, self.no_such_node(node as u64)));
        }
        if let Some(client) = command.client().filter(|&c| c >= self.clients) {
            return Err(ScenarioError::at(format!("{path}.client"), self.no_such_client(client as u64)));
        }
        Ok(command)
    }

    fn no_such_node(&self, node: u64) -> String {
        format!("node {node} does not exist (the cluster has {} nodes: 0..={})", self.nodes, self.nodes - 1)
    }

    fn no_such_client(&self, client: u64) -> String {
        format!("client {client} does not exist (config.clients is {}: 0..={})", self.clients, self.clients - 1)
    }

    fn field(&self, v: &Value, kind: Kind, path: &str) -> Result<()> {
        let err = |reason: String| Err(ScenarioError::at(path, reason));
        match kind {
            Kind::Node | Kind::OptNode => match v.as_u64() {
                Some(n) if n < self.nodes as u64 => Ok(()),
                Some(n) => err(self.no_such_node(n)),
                None => err(format!("must be a node number (0..={}), got {}", self.nodes - 1, describe(v))),
            },
            Kind::Client => match v.as_u64() {
                Some(c) if c < self.clients as u64 => Ok(()),
                Some(c) => err(self.no_such_client(c)),
                None => err(format!("must be a client number (0..={}), got {}", self.clients - 1, describe(v))),
            },
            Kind::Key => match v.as_str() {
                Some("") => err("must not be empty".into()),
                Some(s) if s.len() > MAX_KEY_BYTES => err(format!("at most {MAX_KEY_BYTES} bytes, got {}", s.len())),
                Some(_) => Ok(()),
                None => err(format!("must be a string, got {}", describe(v))),
            },
            Kind::Value => match v.as_str() {
                Some(s) if s.len() > MAX_VALUE_BYTES => {
                    err(format!("at most {MAX_VALUE_BYTES} bytes, got {}", s.len()))
                }
                Some(_) => Ok(()),
                None => err(format!("must be a string, got {}", describe(v))),
            },
            Kind::Index => match v.as_u64() {
                Some(0) => err("must be at least 1 (log indexes start at 1)".into()),
                Some(_) => Ok(()),
                None => err(format!("must be a log index (an integer from 1), got {}", describe(v))),
            },
            Kind::Millis | Kind::OptMillis => millis(v, path, MAX_ACTION_MS, "a minute").map(|_| ()),
            Kind::Probability => match v.as_f64() {
                Some(p) if (0.0..=1.0).contains(&p) => Ok(()),
                _ => err(format!("must be a probability between 0 and 1, got {}", describe(v))),
            },
            Kind::ReadMode => match v.as_str() {
                Some(s) if READ_MODES.contains(&s) => Ok(()),
                _ => err(format!(
                    "must be one of: {}{}, got {}",
                    READ_MODES.join(", "),
                    v.as_str().map(|s| suggest(s, READ_MODES.iter().copied())).unwrap_or_default(),
                    describe(v)
                )),
            },
            Kind::Groups => self.groups(v, path),
        }
    }

    fn groups(&self, v: &Value, path: &str) -> Result<()> {
        let shape = "must be a list of node groups like [[0, 1], [2]]";
        let Some(groups) = v.as_array() else {
            return Err(ScenarioError::at(path, format!("{shape}, got {}", describe(v))));
        };
        if groups.is_empty() {
            return Err(ScenarioError::at(path, "must name at least one group (use `heal` to remove partitions)"));
        }
        let mut seen: Vec<(u64, usize)> = Vec::new(); // (node, group)
        for (g, group) in groups.iter().enumerate() {
            let gpath = format!("{path}[{g}]");
            let Some(members) = group.as_array() else {
                return Err(ScenarioError::at(
                    gpath,
                    format!("must be a list of nodes like [0, 1], got {}", describe(group)),
                ));
            };
            if members.is_empty() {
                return Err(ScenarioError::at(gpath, "must not be empty"));
            }
            for (m, member) in members.iter().enumerate() {
                let mpath = format!("{gpath}[{m}]");
                self.field(member, Kind::Node, &mpath)?;
                let node = member.as_u64().unwrap_or(0);
                if let Some(&(_, first)) = seen.iter().find(|(n, _)| *n == node) {
                    let reason = if first == g {
                        format!("node {node} appears twice in {path}[{g}]")
                    } else {
                        format!("node {node} is in both {path}[{first}] and {path}[{g}]; groups must not overlap")
                    };
                    return Err(ScenarioError::at(mpath, reason));
                }
                seen.push((node, g));
            }
        }
        Ok(())
    }

    /// Rules that involve two fields of one action (each field is already known to be well-formed).
    fn cross_checks(&self, action: &str, obj: &Map, path: &str) -> Result<()> {
        let num = |f: &str| obj.get(f).and_then(Value::as_u64).unwrap_or(0);
        match action {
            "cut-link" | "repair-link" | "slow-link" if num("from") == num("to") => Err(ScenarioError::at(
                format!("{path}.to"),
                format!("must differ from `from` ({}): a node always reaches itself", num("from")),
            )),
            "set-loss" if obj.get("probability").and_then(Value::as_f64).unwrap_or(0.0) >= 1.0 => {
                Err(ScenarioError::at(
                    format!("{path}.probability"),
                    "must be below 1: a network that drops every message can never elect a leader",
                ))
            }
            "set-latency" if num("min_ms") > num("max_ms") => Err(ScenarioError::at(
                format!("{path}.min_ms"),
                format!("must not exceed max_ms ({} > {})", num("min_ms"), num("max_ms")),
            )),
            "set-latency" if num("max_ms") > 10_000 => {
                Err(ScenarioError::at(format!("{path}.max_ms"), "must be at most 10000 ms (as config.latency_ms_max)"))
            }
            "set-write-load" if num("per_second") > MAX_WRITE_LOAD_PER_SECOND => Err(ScenarioError::at(
                format!("{path}.per_second"),
                format!("must be at most {MAX_WRITE_LOAD_PER_SECOND} writes per second, got {}", num("per_second")),
            )),
            "slow-disk" if num("fsync_ms") > 10_000 => {
                Err(ScenarioError::at(format!("{path}.fsync_ms"), "must be at most 10000 ms (as config.fsync_ms_max)"))
            }
            "set-timeouts" => {
                let (hb, min, max) =
                    (num("heartbeat_ms"), num("election_timeout_ms_min"), num("election_timeout_ms_max"));
                if min == 0 || min > max {
                    Err(ScenarioError::at(
                        format!("{path}.election_timeout_ms_min"),
                        format!("must be positive and at most election_timeout_ms_max ({min} > {max})"),
                    ))
                } else if hb == 0 || hb >= min {
                    Err(ScenarioError::at(
                        format!("{path}.heartbeat_ms"),
                        format!("must be positive and below election_timeout_ms_min ({min}), got {hb}"),
                    ))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }
}

/// Parses the `config` object field by field, so a type error names its field, then runs
/// [`Config::validate`]. The list of known fields comes from `Config` itself, so it cannot drift.
fn config(value: &Value) -> Result<Config> {
    let Some(obj) = value.as_object() else {
        return Err(ScenarioError::at(
            "config",
            format!("must be an object like {{\"nodes\": 5}}, got {}", describe(value)),
        ));
    };
    let Value::Object(defaults) = Config::default().to_value() else {
        return Err(ScenarioError::at("config", "internal error: the default config is not an object"));
    };
    let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
    unknown_fields(obj, &known, "config")?;
    let mut config = Config::default();
    for (key, v) in obj {
        let path = format!("config.{key}");
        if key == "breaks" {
            breaks(v, &path)?;
        }
        config.set(key, v).map_err(|e| ScenarioError::at(path, plain(&e)))?;
    }
    config.validate().map_err(|message| match message.split_once(':') {
        Some((path, reason)) => ScenarioError::at(path, reason.strip_prefix(' ').unwrap_or(reason)),
        None => ScenarioError::at("config", message),
    })?;
    Ok(config)
}

fn breaks(v: &Value, path: &str) -> Result<()> {
    let Some(items) = v.as_array() else {
        return Err(ScenarioError::at(path, format!("must be a list of break names, got {}", describe(v))));
    };
    let mut seen = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let ipath = format!("{path}[{i}]");
        let names: Vec<&str> = Break::ALL.iter().map(|b| b.name()).collect();
        let Some(name) = item.as_str() else {
            return Err(ScenarioError::at(
                ipath,
                format!("must be a break name, got {}; expected one of: {}", describe(item), names.join(", ")),
            ));
        };
        let b = Break::parse(name).map_err(|_| {
            ScenarioError::at(
                &ipath,
                format!(
                    "unknown break `{}`{}; expected one of: {}",
                    shorten(name),
                    suggest(name, names.iter().copied()),
                    names.join(", ")
                ),
            )
        })?;
        if seen.contains(&b) {
            return Err(ScenarioError::at(ipath, format!("`{name}` is listed twice")));
        }
        seen.push(b);
    }
    Ok(())
}

fn unknown_fields(obj: &Map, known: &[&str], path: &str) -> Result<()> {
    for key in obj.keys() {
        if !known.contains(&key.as_str()) {
            let field = if path.is_empty() { shorten(key) } else { format!("{path}.{}", shorten(key)) };
            return Err(ScenarioError::at(
                field,
                format!("unknown field{}; expected one of: {}", suggest(key, known.iter().copied()), known.join(", ")),
            ));
        }
    }
    Ok(())
}

fn text(v: &Value, path: &str, max_chars: usize) -> Result<String> {
    match v.as_str() {
        Some(s) if s.chars().count() > max_chars => {
            Err(ScenarioError::at(path, format!("at most {max_chars} characters, got {}", s.chars().count())))
        }
        Some(s) => Ok(s.to_string()),
        None => Err(ScenarioError::at(path, format!("must be a string, got {}", describe(v)))),
    }
}

fn millis(v: &Value, path: &str, max: u64, max_words: &str) -> Result<u64> {
    match v.as_u64() {
        Some(ms) if ms <= max => Ok(ms),
        Some(ms) => Err(ScenarioError::at(path, format!("must be at most {max} ms ({max_words}), got {ms}"))),
        None => {
            Err(ScenarioError::at(path, format!("must be a non-negative integer (milliseconds), got {}", describe(v))))
        }
    }
}

/// `string "abc"`, `number -1`, `null`, … for "got …" in messages (long strings shortened).
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {:?}", shorten(s)),
        Value::Array(a) => format!("a list of {} items", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

/// Cuts user text quoted in an error to 40 characters, so an error stays one readable line.
fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

/// Rewrites serde's type names into words a scenario author knows (every occurrence, like `str::replace`;
/// a plain scan, so the bundle needs no substring searcher).
fn plain(message: &str) -> String {
    const WORDS: [(&str, &str); 5] = [
        ("expected usize", "expected a non-negative integer"),
        ("expected u64", "expected a non-negative integer"),
        ("expected u32", "expected a non-negative integer"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ];
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    'scan: while let Some(c) = rest.chars().next() {
        for (from, to) in WORDS {
            if let Some(after) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = after;
                continue 'scan;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// ` (did you mean `crash`?)` when a known name is within two edits, else empty.
fn suggest<'a>(given: &str, known: impl Iterator<Item = &'a str>) -> String {
    if given.len() > 64 {
        return String::new();
    }
    known
        .map(|k| (edit_distance(given, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Keeps `ReadMode` names in this file honest (they are spelled out for error messages).
fn _read_mode_names_match(mode: ReadMode) -> &'static str {
    match mode {
        ReadMode::Leader => READ_MODES[0],
        ReadMode::ReadIndex => READ_MODES[1],
        ReadMode::Follower => READ_MODES[2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The action name of a command: `Command::action` is an exhaustive match, so a new variant cannot be
    /// forgotten there, and the tests below check `ACTIONS` against it.
    fn action_name(c: &Command) -> &'static str {
        c.action()
    }

    /// One valid example of every action, used by several tests.
    pub(crate) fn every_command() -> Vec<Command> {
        vec![
            Command::Put { client: 0, key: "x".into(), value: "1".into(), node: None },
            Command::Get { client: 1, key: "x".into(), node: Some(2) },
            Command::Delete { client: 0, key: "x".into(), node: None },
            Command::Crash { node: 0 },
            Command::Restart { node: 0 },
            Command::Pause { node: 1 },
            Command::Resume { node: 1 },
            Command::Partition { groups: vec![vec![0], vec![1, 2]] },
            Command::Heal,
            Command::CutLink { from: 0, to: 1 },
            Command::RepairLink { from: 0, to: 1 },
            Command::SlowLink { from: 1, to: 2, extra_ms: 100 },
            Command::SetLoss { probability: 0.25 },
            Command::SetDuplicate { probability: 0.5 },
            Command::SetLatency { min_ms: 1, max_ms: 30 },
            Command::TornWrite { node: 2 },
            Command::BitFlip { node: 2, index: 3 },
            Command::FailFsync { node: 1 },
            Command::SlowDisk { node: 1, fsync_ms: Some(200) },
            Command::SlowDisk { node: 1, fsync_ms: None },
            Command::SetReadMode { mode: ReadMode::ReadIndex },
            Command::SetWriteLoad { per_second: 20 },
            Command::SetTimeouts { heartbeat_ms: 40, election_timeout_ms_min: 200, election_timeout_ms_max: 400 },
            Command::AddNode,
            Command::RemoveNode { node: 1 },
        ]
    }

    fn scenario_with(steps: &str) -> String {
        format!(r#"{{"name": "t", "seed": 1, "config": {{"nodes": 3, "clients": 2}}, "steps": {steps}}}"#)
    }

    fn error(json: &str) -> String {
        match Scenario::from_json(json) {
            Ok(s) => panic!("expected an error, parsed {s:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn commands_round_trip_through_json() {
        let parse = |text: &str| json_read::parse(text).unwrap();
        for command in every_command() {
            // The derived `Serialize` (with `null` for absent optional fields) and `to_value` agree.
            let derived = serde_json::to_string(&command).unwrap();
            let mut json = parse(&derived);
            assert_eq!(Command::from_value(&json).as_ref(), Ok(&command), "{json}");
            assert_eq!(serde_json::from_str::<Command>(&derived).unwrap(), command, "{derived}");
            // Optional fields may be left out; unknown ones are refused.
            json.as_object_mut().unwrap().retain(|_, v| !v.is_null());
            assert_eq!(command.to_value(), json);
            assert_eq!(command.action(), action_name(&command));
            assert_eq!(Command::from_value(&json).as_ref(), Ok(&command), "{json}");
            json.as_object_mut().unwrap().insert("bogus".into(), Value::from(1u64));
            assert!(Command::from_value(&json).is_err(), "{json}");
        }
        let cases = [
            (r#"{"action": "crash"}"#, "missing field `node`"),
            (r#"{"action": "crash", "node": null}"#, "invalid type: null for field `node`"),
            (
                r#"{"action": "crash", "node": "0"}"#,
                "invalid type: a string for field `node`, expected an unsigned integer",
            ),
            (
                r#"{"action": "put", "client": "a", "key": 5}"#,
                "invalid type: a string for field `client`, expected an unsigned integer",
            ),
            (
                r#"{"action": "put", "client": 0, "key": 5, "value": "x"}"#,
                "invalid type: a number for field `key`, expected a string",
            ),
            (
                r#"{"action": "set-loss", "probability": true}"#,
                "invalid type: a boolean for field `probability`, expected f64",
            ),
            (
                r#"{"action": "partition", "groups": [[0], ["x"]]}"#,
                "invalid type: a sequence for field `groups`, expected a list of lists of node numbers",
            ),
            (
                r#"{"action": "set-read-mode", "mode": "fast"}"#,
                "field `mode`: unknown variant `fast`, expected one of `leader`, `read-index`, `follower`",
            ),
            (
                r#"{"action": "slow-disk", "node": 0, "fsync_ms": -1}"#,
                "invalid type: a number for field `fsync_ms`, expected an unsigned integer",
            ),
            (r#"{"action": "crash", "node": 1, "x": 1, "a": 2}"#, "unknown field `a`"),
            (
                r#"{"action": "crash", "node": "1", "x": 1}"#,
                "invalid type: a string for field `node`, expected an unsigned integer",
            ),
            (r#"{"action": "explode"}"#, "unknown variant `explode`, expected one of `put`, `get`, `delete`, `crash`"),
            (r#"{"action": 3}"#, "invalid type: `action` must be a string"),
            (r#"{"node": 3}"#, "missing field `action`"),
            (r#"[]"#, "invalid type: expected an action object"),
        ];
        for (text, expected) in cases {
            let error = Command::from_value(&parse(text)).unwrap_err();
            assert!(error.starts_with(expected), "{text}: {error}");
        }
    }

    #[test]
    fn action_table_matches_the_command_enum() {
        let all = every_command();
        let mut names: Vec<&str> = all.iter().map(action_name).collect();
        names.dedup();
        assert_eq!(names, action_names(), "ACTIONS must list every Command variant in order");
        for command in all {
            let json = command.to_value();
            let fields: Vec<String> = json
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| *k != "action" && !v.is_null())
                .map(|(k, _)| k.clone())
                .collect();
            let spec = action_fields(action_name(&command)).unwrap();
            for f in fields {
                assert!(spec.contains(&f) || spec.contains(&format!("{f}?")), "{f} missing from {spec:?}");
            }
        }
        for mode in [ReadMode::Leader, ReadMode::ReadIndex, ReadMode::Follower] {
            assert_eq!(serde_json::to_string(&mode).unwrap(), format!("\"{}\"", _read_mode_names_match(mode)));
            assert_eq!(mode.name(), _read_mode_names_match(mode));
        }
    }

    #[test]
    fn every_action_round_trips() {
        let scenario = Scenario {
            name: "all actions".into(),
            summary: "one of each".into(),
            seed: u64::MAX,
            config: Config { nodes: 3, clients: 2, breaks: vec![Break::SkipCrc], ..Config::default() },
            steps: every_command()
                .into_iter()
                .enumerate()
                .map(|(i, c)| Step { at_ms: 10 * i as u64, kind: StepKind::Do(c) })
                .chain([Step { at_ms: 500, kind: StepKind::Narrate { text: "done".into(), pause: true } }])
                .collect(),
            duration_ms: Some(9_000),
        };
        let pretty = scenario.to_json_pretty();
        assert_eq!(Scenario::from_json(&pretty), Ok(scenario.clone()), "{pretty}");
        assert_eq!(Scenario::from_json(&scenario.to_json_compact()), Ok(scenario.clone()));
        let via_serde: Scenario = serde_json::from_str(&serde_json::to_string(&scenario).unwrap()).unwrap();
        assert_eq!(via_serde, scenario);
        assert!(pretty.contains("\n    {\"at_ms\":0,\"do\":{\"action\":\"put\""), "{pretty}");
        assert!(pretty.contains("\"config\": {\"breaks\":[\"skip-crc\"]}"), "{pretty}");
        assert_eq!(scenario.validate(), Ok(()));
    }

    #[test]
    fn defaults_and_end_time() {
        let s = Scenario::from_json(r#"{"name": "free play"}"#).unwrap();
        assert_eq!((s.seed, s.steps.len(), s.config.clone()), (0, 0, Config::default()));
        assert_eq!(s.end_ms(), DEFAULT_TAIL_MS);
        let s = Scenario::from_json(&scenario_with(
            r#"[{"at_ms": 250, "do": {"action": "heal"}}, {"at_ms": 700, "narrate": "hi"}]"#,
        ))
        .unwrap();
        assert_eq!(s.end_ms(), 700 + DEFAULT_TAIL_MS);
        assert_eq!(s.commands().collect::<Vec<_>>(), vec![(250, &Command::Heal)]);
        assert_eq!(s.steps[1].kind, StepKind::Narrate { text: "hi".into(), pause: false });
        assert_eq!(Scenario::from_json("\u{feff}{\"name\": \"bom\"}").unwrap().name, "bom");
    }

    #[test]
    fn errors_name_the_field_and_the_reason() {
        let cases: &[(&str, &str)] = &[
            (r#"[{"at_ms": 1, "do": {"action": "crash", "node": 7}}]"#, "steps[0].do.node: node 7 does not exist (the cluster has 3 nodes: 0..=2)"),
            (r#"[{"at_ms": -5, "do": {"action": "heal"}}]"#, "steps[0].at_ms: must be a non-negative integer (milliseconds), got number -5"),
            (r#"[{"at_ms": 1.5, "do": {"action": "heal"}}]"#, "steps[0].at_ms: must be a non-negative integer"),
            (r#"[{"at_ms": 99999999999, "do": {"action": "heal"}}]"#, "steps[0].at_ms: must be at most 86400000 ms"),
            (r#"[{"do": {"action": "heal"}}]"#, "steps[0].at_ms: missing"),
            (r#"[{"at_ms": 90, "do": {"action": "heal"}}, {"at_ms": 50, "do": {"action": "heal"}}]"#, "steps: times must not decrease (steps[1].at_ms=50 < steps[0].at_ms=90)"),
            (r#"[{"at_ms": 1, "do": {"action": "crsh", "node": 1}}]"#, "steps[0].do.action: unknown action `crsh` (did you mean `crash`?); expected one of: put, get, delete, crash"),
            (r#"[{"at_ms": 1, "do": {"node": 1}}]"#, "steps[0].do.action: missing; expected one of: put"),
            (r#"[{"at_ms": 1, "do": {"action": 3}}]"#, "steps[0].do.action: must be an action name, got number 3"),
            (r#"[{"at_ms": 1, "do": {"action": "crash"}}]"#, "steps[0].do.node: missing; `crash` needs it"),
            (r#"[{"at_ms": 1, "do": {"action": "crash", "nod": 1}}]"#, "steps[0].do.nod: `crash` has no such field (did you mean `node`?); expected: node"),
            (r#"[{"at_ms": 1, "do": {"action": "heal", "node": 1}}]"#, "steps[0].do.node: `heal` has no such field; it takes no fields"),
            (r#"[{"at_ms": 1, "do": {"action": "put", "client": 5, "key": "x", "value": "1"}}]"#, "steps[0].do.client: client 5 does not exist (config.clients is 2: 0..=1)"),
            (r#"[{"at_ms": 1, "do": {"action": "put", "client": 0, "key": "", "value": "1"}}]"#, "steps[0].do.key: must not be empty"),
            (r#"[{"at_ms": 1, "do": {"action": "put", "client": 0, "key": "x", "value": 1}}]"#, "steps[0].do.value: must be a string, got number 1"),
            (r#"[{"at_ms": 1, "do": {"action": "get", "client": 0, "key": "x", "node": 3}}]"#, "steps[0].do.node: node 3 does not exist"),
            (r#"[{"at_ms": 1, "do": {"action": "bit-flip", "node": 1, "index": 0}}]"#, "steps[0].do.index: must be at least 1 (log indexes start at 1)"),
            (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": [[0, 1], [1, 2]]}}]"#, "steps[0].do.groups[1][0]: node 1 is in both steps[0].do.groups[0] and steps[0].do.groups[1]; groups must not overlap"),
            (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": [[0, 0]]}}]"#, "steps[0].do.groups[0][1]: node 0 appears twice"),
            (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": [[0], []]}}]"#, "steps[0].do.groups[1]: must not be empty"),
            (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": [[0], [9]]}}]"#, "steps[0].do.groups[1][0]: node 9 does not exist"),
            (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": []}}]"#, "steps[0].do.groups: must name at least one group"),
            (r#"[{"at_ms": 1, "do": {"action": "cut-link", "from": 1, "to": 1}}]"#, "steps[0].do.to: must differ from `from` (1)"),
            (r#"[{"at_ms": 1, "do": {"action": "set-loss", "probability": 1.5}}]"#, "steps[0].do.probability: must be a probability between 0 and 1, got number 1.5"),
            (r#"[{"at_ms": 1, "do": {"action": "set-loss", "probability": 1}}]"#, "steps[0].do.probability: must be below 1"),
            (r#"[{"at_ms": 1, "do": {"action": "set-latency", "min_ms": 50, "max_ms": 10}}]"#, "steps[0].do.min_ms: must not exceed max_ms (50 > 10)"),
            (r#"[{"at_ms": 1, "do": {"action": "set-read-mode", "mode": "folower"}}]"#, "steps[0].do.mode: must be one of: leader, read-index, follower (did you mean `follower`?), got string \"folower\""),
            (r#"[{"at_ms": 1, "do": {"action": "set-timeouts", "heartbeat_ms": 300, "election_timeout_ms_min": 150, "election_timeout_ms_max": 300}}]"#, "steps[0].do.heartbeat_ms: must be positive and below election_timeout_ms_min (150), got 300"),
            (r#"[{"at_ms": 1, "do": {"action": "slow-disk", "node": 0, "fsync_ms": 20000}}]"#, "steps[0].do.fsync_ms: must be at most 10000 ms"),
            (r#"[{"at_ms": 1, "do": "crash"}]"#, "steps[0].do: must be an action object"),
            (r#"[{"at_ms": 1}]"#, "steps[0]: needs either `do` (an action) or `narrate`"),
            (r#"[{"at_ms": 1, "narrate": "x", "do": {"action": "heal"}}]"#, "steps[0]: has both `do` and `narrate`"),
            (r#"[{"at_ms": 1, "narrate": "x", "pause": "yes"}]"#, "steps[0].pause: must be true or false, got string \"yes\""),
            (r#"[{"at_ms": 1, "do": {"action": "heal"}, "pause": true}]"#, "steps[0].pause: only a narration step can pause"),
            (r#"[{"at_ms": 1, "narrate": ""}]"#, "steps[0].narrate: must not be empty"),
            (r#"[{"at_ms": 1, "narate": "x"}]"#, "steps[0].narate: unknown field (did you mean `narrate`?); expected one of: at_ms, do, narrate, pause"),
            (r#"[3]"#, "steps[0]: must be an object like"),
            (r#"{"at_ms": 1}"#, "steps: must be a list of steps, got an object"),
        ];
        for (steps, expected) in cases {
            let got = error(&scenario_with(steps));
            assert!(got.starts_with(expected), "\n  steps: {steps}\n  got:      {got}\n  expected: {expected}");
        }
    }

    #[test]
    fn top_level_and_config_errors() {
        let cases: &[(&str, &str)] = &[
            (r#"{"name": "t", "config": {"nodes": 0}}"#, "config.nodes: must be between 1 and 9, got 0"),
            (r#"{"name": "t", "config": {"nodes": "3"}}"#, "config.nodes: invalid type: string \"3\", expected a non-negative integer"),
            (r#"{"name": "t", "config": {"nodes": -1}}"#, "config.nodes: invalid value: integer `-1`, expected a non-negative integer"),
            (r#"{"name": "t", "config": {"nodez": 3}}"#, "config.nodez: unknown field (did you mean `nodes`?); expected one of:"),
            (r#"{"name": "t", "config": {"breaks": ["skip-crc", "skip-crc"]}}"#, "config.breaks[1]: `skip-crc` is listed twice"),
            (r#"{"name": "t", "config": {"breaks": ["skip-rc"]}}"#, "config.breaks[0]: unknown break `skip-rc` (did you mean `skip-crc`?); expected one of: ack-before-fsync"),
            (r#"{"name": "t", "config": {"read_mode": "fast"}}"#, "config.read_mode: unknown variant `fast`, expected one of `leader`, `read-index`, `follower`"),
            (r#"{"name": "t", "config": {"loss": 1.0}}"#, "config.loss: a network that drops every message"),
            (r#"{"name": "t", "config": []}"#, "config: must be an object"),
            (r#"{"name": "t", "config": {"nodes": 1e40}}"#, "config.nodes: invalid type: floating point"),
            (r#"{"name": "t", "seed": -1}"#, "seed: must be a non-negative integer below 2^64, got number -1"),
            (r#"{"name": "t", "seed": 18446744073709551616}"#, "seed: must be a non-negative integer below 2^64"),
            (r#"{"name": ""}"#, "name: must not be empty"),
            (r#"{"summary": "no name"}"#, "name: missing"),
            (r#"{"name": 5}"#, "name: must be a string, got number 5"),
            (r#"{"name": "t", "stepz": []}"#, "stepz: unknown field (did you mean `steps`?); expected one of: name, summary, seed, config, duration_ms, steps"),
            (r#"{"name": "t", "duration_ms": 0}"#, "duration_ms: must be positive"),
            (r#"{"name": "t", "duration_ms": 10, "steps": [{"at_ms": 20, "do": {"action": "heal"}}]}"#, "duration_ms: must be at least the last step's time (steps[0].at_ms=20), got 10"),
            (r#"[1, 2]"#, "scenario: must be a JSON object"),
            (r#"{"name": "t",}"#, "line 1, column 14: not valid JSON: trailing comma"),
            ("{\n  \"name\": \"t\"\n  \"seed\": 1}", "line 3, column 3: not valid JSON: expected `,` or `}`"),
            ("", "line 1, column 1: not valid JSON: EOF while parsing a value"),
        ];
        for (json, expected) in cases {
            let got = error(json);
            assert!(got.starts_with(expected), "\n  json: {json}\n  got:      {got}\n  expected: {expected}");
        }
    }

    #[test]
    fn hostile_inputs_are_errors_not_panics() {
        let deep = "[".repeat(100_000);
        assert!(
            error(&deep).starts_with("line 1, column 128: not valid JSON: recursion limit exceeded"),
            "{}",
            error(&deep)
        );
        let nested_config =
            format!(r#"{{"name": "t", "config": {{"breaks": {}}}}}"#, "[".repeat(120) + &"]".repeat(120));
        assert!(error(&nested_config).starts_with("config.breaks[0]: must be a break name"));
        let big = format!(r#"{{"name": "{}"}}"#, "x".repeat(MAX_SCENARIO_BYTES));
        assert!(error(&big).starts_with("scenario: too large"));
        let many =
            scenario_with(&format!("[{}]", vec![r#"{"at_ms": 1, "do": {"action": "heal"}}"#; MAX_STEPS + 1].join(",")));
        assert!(error(&many).starts_with("steps: at most 10000 steps"));
        let err = Scenario::from_bytes(b"{\"name\": \"caf\xe9\"}").unwrap_err();
        assert_eq!(err.to_string(), "byte 13: not valid UTF-8 text (a scenario is a JSON text file)");
        let long_action = format!(r#"[{{"at_ms": 1, "do": {{"action": "{}"}}}}]"#, "z".repeat(10_000));
        assert!(error(&scenario_with(&long_action)).len() < 400);
    }
}
