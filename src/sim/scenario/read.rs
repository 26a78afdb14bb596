//! Reading a scenario: JSON text → `serde_json::Value` (syntax errors with line and column) → the shapes
//! of `file.rs` (type errors with their field path) → the rules below (times, lengths, and every command checked
//! by `Command::validate` against the cluster as it will be when the step plays).

use super::file::{ScenarioFile, StepFile, STEP_KINDS};
use super::lesson::{Claim, Course, Focus, Narration, Predict};
use super::{Location, Result, Scenario, ScenarioError, Step, StepKind, DEFAULT_TAIL_MS};
use crate::sim::config::Config;
use crate::sim::field_error::FieldError;
use crate::sim::field_error::{describe, join};
use crate::sim::limits::{MAX_NAME_CHARS, MAX_SCENARIO_BYTES, MAX_STEPS, MAX_TEXT_CHARS, MAX_TIME_MS};
use crate::sim::types::NodeId;
use crate::sim::world::command::{Command, CommandContext, JoinAs};
use serde_json::Value;

const SCENARIO_EXAMPLE: &str = r#"a JSON object like {"name": …, "steps": […]}"#;
const CONFIG_EXAMPLE: &str = r#"an object like {"nodes": 5}"#;
const STEP_EXAMPLE: &str =
    r#"an object like {"at_ms": 100, "do": {"action": "crash", "node": 0}} or {"at_ms": 100, "narrate": "…"}"#;
const ACTION_EXAMPLE: &str = r#"an action object like {"action": "crash", "node": 0}"#;
const CLAIM_EXAMPLE: &str = r#"a claim object like {"node": 2, "hwm": 3}"#;
const PREDICT_EXAMPLE: &str =
    r#"a question object like {"question": "…", "choices": ["…", "…"], "answer": 0, "explain": "…"}"#;
const FOCUS_EXAMPLE: &str = r#"an object like {"tab": "clients", "node": 2}"#;
const COURSE_EXAMPLE: &str = r#"an object like {"pattern": "wal", "order": 1, "minutes": 2}"#;

/// Parses and validates scenario text (a UTF-8 byte-order mark is skipped).
pub(super) fn from_json(text: &str) -> Result<Scenario> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(too_large(text.len()));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| ScenarioError::syntax(&e))?;
    from_value(value)
}

/// Parses raw bytes: non-UTF-8 input is refused with the offset of its first bad byte.
pub(super) fn from_bytes(bytes: &[u8]) -> Result<Scenario> {
    if bytes.len() > MAX_SCENARIO_BYTES {
        return Err(too_large(bytes.len()));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => from_json(text),
        Err(e) => Err(ScenarioError {
            location: Location::Byte(e.valid_up_to()),
            reason: "not valid UTF-8 text (a scenario is a JSON text file)".to_string(),
        }),
    }
}

/// Validates a parsed JSON value.
pub(super) fn from_value(value: Value) -> Result<Scenario> {
    Reader { context: CommandContext { nodes: 0, clients: 0 }, learners: Vec::new() }.scenario(value)
}

fn too_large(bytes: usize) -> ScenarioError {
    ScenarioError::at("", format!("too large ({bytes} bytes; at most {MAX_SCENARIO_BYTES})"))
}

/// The fields of the value if it is an object, else an error saying what it should look like.
fn fields(value: Value, path: &str, example: &str) -> Result<serde_json::Map<String, Value>> {
    match value {
        Value::Object(fields) => Ok(fields),
        other => Err(ScenarioError::at(path, format!("must be {example}, got {}", describe(&other)))),
    }
}

fn text(s: String, path: &str, max_chars: usize) -> Result<String> {
    let chars = s.chars().count();
    if chars > max_chars {
        return Err(ScenarioError::at(path, format!("at most {max_chars} characters, got {chars}")));
    }
    Ok(s)
}

fn time(ms: u64, path: &str) -> Result<u64> {
    if ms > MAX_TIME_MS {
        return Err(ScenarioError::at(
            path,
            format!("must be at most {MAX_TIME_MS} ms (one day of virtual time), got {ms}"),
        ));
    }
    Ok(ms)
}

/// Reading state: the cluster the next command will meet (an `add-node` adds a server for later steps).
struct Reader {
    context: CommandContext,
    /// Servers an earlier step added with `add-node as learner` and no step since promoted or removed: the
    /// only nodes a `promote` may name, and nodes a `transfer-leadership` may not.
    learners: Vec<NodeId>,
}

impl Reader {
    fn scenario(&mut self, value: Value) -> Result<Scenario> {
        let file = ScenarioFile::read_object(&fields(value, "", SCENARIO_EXAMPLE)?).map_err(|e| field(e, ""))?;
        let name = text(
            file.name.ok_or_else(|| ScenarioError::at("name", "missing; every scenario needs a title"))?,
            "name",
            MAX_NAME_CHARS,
        )?;
        if name.trim().is_empty() {
            return Err(ScenarioError::at("name", "must not be empty"));
        }
        let summary = file.summary.map(|s| text(s, "summary", MAX_TEXT_CHARS)).transpose()?.unwrap_or_default();
        let config = match file.config {
            None => Config::default(),
            Some(value) => config(value)?,
        };
        self.context = CommandContext { nodes: config.nodes, clients: config.clients };
        let steps = match file.steps {
            None => Vec::new(),
            Some(Value::Array(items)) => self.steps(items)?,
            Some(other) => {
                return Err(ScenarioError::at("steps", format!("must be a list of steps, got {}", describe(&other))))
            }
        };
        let duration_ms = file.duration_ms.map(|d| duration(d, &steps)).transpose()?;
        let end_ms = duration_ms.unwrap_or_else(|| steps.last().map_or(0, |s| s.at_ms).saturating_add(DEFAULT_TAIL_MS));
        reveals_within(&steps, end_ms)?;
        let course = file.course.map(course).transpose()?;
        Ok(Scenario { name, summary, seed: file.seed.unwrap_or(0), config, steps, duration_ms, course })
    }

    fn steps(&mut self, items: Vec<Value>) -> Result<Vec<Step>> {
        if items.len() > MAX_STEPS {
            return Err(ScenarioError::at("steps", format!("at most {MAX_STEPS} steps, got {}", items.len())));
        }
        let mut steps: Vec<Step> = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let step = self.step(item, &format!("steps[{i}]"))?;
            if let Some(previous) = steps.last().filter(|p| step.at_ms < p.at_ms) {
                let reason = format!(
                    "times must not decrease (steps[{i}].at_ms={} < steps[{}].at_ms={})",
                    step.at_ms,
                    i - 1,
                    previous.at_ms
                );
                return Err(ScenarioError::at("steps", reason));
            }
            steps.push(step);
        }
        Ok(steps)
    }

    fn step(&mut self, value: Value, path: &str) -> Result<Step> {
        let file = StepFile::read_object(&fields(value, path, STEP_EXAMPLE)?).map_err(|e| field(e, path))?;
        let at_path = join(path, "at_ms");
        let at_ms =
            time(file.at_ms.ok_or_else(|| ScenarioError::at(&at_path, "missing; every step needs a time"))?, &at_path)?;
        let kinds = file.kinds();
        let &[kind] = &kinds[..] else { return Err(ScenarioError::at(path, kind_count(&kinds))) };
        if kind != "narrate" {
            for (field, present) in
                [("pause", file.pause.is_some()), ("note", file.note.is_some()), ("focus", file.focus.is_some())]
            {
                if present {
                    let reason = format!("only a narration step has `{field}`; add a narration step at the same time");
                    return Err(ScenarioError::at(join(path, field), reason));
                }
            }
        }
        let kind = if let Some(act) = file.act {
            StepKind::Do(self.command(act, &join(path, "do"))?)
        } else if let Some(narration) = file.narrate {
            StepKind::Narrate(self.narration(narration, file.pause, file.note, file.focus, path)?)
        } else if let Some(claim) = file.expect {
            let claim_path = join(path, "expect");
            let fields = fields(claim, &claim_path, CLAIM_EXAMPLE)?;
            StepKind::Expect(Claim::read(fields, &self.context).map_err(|e| field(e, &claim_path))?)
        } else {
            let predict_path = join(path, "predict");
            let fields = fields(file.predict.expect("the one kind left"), &predict_path, PREDICT_EXAMPLE)?;
            StepKind::Predict(Predict::read(&fields, at_ms).map_err(|e| field(e, &predict_path))?)
        };
        Ok(Step { at_ms, kind })
    }

    /// A narration with its optional pause, speaker note and focus.
    fn narration(
        &self,
        text_value: String,
        pause: Option<bool>,
        note: Option<String>,
        focus: Option<Value>,
        path: &str,
    ) -> Result<Narration> {
        let narration_path = join(path, "narrate");
        let text_value = text(text_value, &narration_path, MAX_TEXT_CHARS)?;
        if text_value.trim().is_empty() {
            return Err(ScenarioError::at(narration_path, "must not be empty"));
        }
        let note_path = join(path, "note");
        let note = note.map(|n| text(n, &note_path, MAX_TEXT_CHARS)).transpose()?;
        if note.as_ref().is_some_and(|n| n.trim().is_empty()) {
            return Err(ScenarioError::at(note_path, "must not be empty (leave the note out instead)"));
        }
        let focus = match focus {
            None => None,
            Some(value) => {
                let focus_path = join(path, "focus");
                let fields = fields(value, &focus_path, FOCUS_EXAMPLE)?;
                Some(Focus::read(&fields, &self.context).map_err(|e| field(e, &focus_path))?)
            }
        };
        Ok(Narration { text: text_value, pause: pause.unwrap_or(false), note, focus })
    }

    /// A command, read and then checked against the cluster as it is at this step.
    fn command(&mut self, value: Value, path: &str) -> Result<Command> {
        let command = Command::from_json(fields(value, path, ACTION_EXAMPLE)?).map_err(|e| e.within(path))?;
        command.validate(&self.context).map_err(|e| e.within(path))?;
        self.check_learner_steps(&command).map_err(|e| e.within(path))?;
        match command {
            Command::AddNode { join } => {
                if join == Some(JoinAs::Learner) {
                    self.learners.push(self.context.nodes);
                }
                // The new server takes the next id: later steps may name it.
                self.context.nodes += 1;
            }
            Command::Promote { node } | Command::RemoveNode { node } => self.learners.retain(|&l| l != node),
            _ => {}
        }
        Ok(command)
    }

    /// What the file itself says about learners: a node is a learner only if an earlier step added it as one
    /// (ids are never reused, and no step turns a voter into a learner), so promoting any other node, or
    /// handing leadership to a learner no step has promoted, can never play.
    fn check_learner_steps(&self, command: &Command) -> std::result::Result<(), FieldError> {
        match *command {
            Command::Promote { node } if !self.learners.contains(&node) => Err(FieldError::new(
                "node",
                format!(
                    "n{node} is not a learner: only a server an earlier step added with `add-node` `\"as\": \"learner\"` \
                     (and did not promote yet) can be promoted"
                ),
            )),
            Command::TransferLeadership { to } if self.learners.contains(&to) => Err(FieldError::new(
                "to",
                format!("n{to} joined as a learner and no step before promotes it: only a voter can lead"),
            )),
            _ => Ok(()),
        }
    }
}

/// A rule's refusal (its field relative to the checked value) at its place in the file.
fn field(error: FieldError, path: &str) -> ScenarioError {
    error.within(path).into()
}

/// The course metadata: its fields by serde, then its bounds.
fn course(value: Value) -> Result<Course> {
    let fields = fields(value, "course", COURSE_EXAMPLE)?;
    Course::read(&fields).map_err(|e| field(e, "course"))
}

/// Every prediction reveals its explanation before the run ends (else the student would never see it).
fn reveals_within(steps: &[Step], end_ms: u64) -> Result<()> {
    for (i, step) in steps.iter().enumerate() {
        if let StepKind::Predict(predict) = &step.kind {
            let reveal = predict.reveal_ms(step.at_ms);
            if reveal > end_ms {
                return Err(ScenarioError::at(
                    format!("steps[{i}].predict.reveal_at_ms"),
                    format!("{reveal} is after the end of the run ({end_ms} ms): the explanation would never show"),
                ));
            }
        }
    }
    Ok(())
}

/// The configuration: its fields by serde (defaults for those not given), then `Config::check`.
fn config(value: Value) -> Result<Config> {
    let config = Config::read_object(&fields(value, "config", CONFIG_EXAMPLE)?).map_err(|e| field(e, "config"))?;
    config.check().map_err(|e| e.within("config"))?;
    Ok(config)
}

fn duration(duration_ms: u64, steps: &[Step]) -> Result<u64> {
    let duration_ms = time(duration_ms, "duration_ms")?;
    if duration_ms == 0 {
        return Err(ScenarioError::at("duration_ms", "must be positive"));
    }
    if let Some(last) = steps.last().filter(|last| duration_ms < last.at_ms) {
        let reason = format!(
            "must be at least the last step's time (steps[{}].at_ms={}), got {duration_ms}",
            steps.len() - 1,
            last.at_ms
        );
        return Err(ScenarioError::at("duration_ms", reason));
    }
    Ok(duration_ms)
}

/// Why a step that names no kind, or several, is refused.
fn kind_count(kinds: &[&str]) -> String {
    if let [first, second, ..] = kinds {
        return format!("has both `{first}` and `{second}`; a step does one thing (use two steps at the same time)");
    }
    let named: Vec<String> = STEP_KINDS.iter().map(|(name, what)| format!("`{name}` ({what})")).collect();
    match named.split_last() {
        Some((last, [first])) => format!("needs either {first} or {last}"),
        Some((last, rest)) => format!("needs one of {} or {last}", rest.join(", ")),
        None => "needs a step kind".to_string(),
    }
}
