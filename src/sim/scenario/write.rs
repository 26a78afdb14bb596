//! Writing a scenario: the shapes of `file.rs` filled from a [`Scenario`], with the config reduced to the
//! fields that differ from the defaults (shorter files and links; the defaults fill them back in).

use super::file::{ScenarioFile, StepFile};
use super::{Scenario, Step, StepKind};
use crate::sim::config::Config;
use serde::Serialize;
use serde_json::{Map, Value};

/// The JSON value of the scenario (objects with sorted keys).
pub(super) fn to_value(scenario: &Scenario) -> Value {
    Value::Object(file(scenario).to_object())
}

/// One line (keys sorted, as in every `serde_json::Value`): what a share link carries.
pub(super) fn to_json_compact(scenario: &Scenario) -> String {
    to_value(scenario).to_string()
}

/// One field per line and one step per line, fields in reading order: the layout of the files in `scenarios/`.
pub(super) fn to_json_pretty(scenario: &Scenario) -> String {
    let Value::Object(fields) = to_value(scenario) else { unreachable!("a scenario is written as an object") };
    let mut out = String::from("{\n");
    for key in ["name", "summary", "seed", "config", "duration_ms", "course"] {
        if let Some(value) = fields.get(key) {
            out.push_str(&format!("  {}: {value},\n", Value::from(key)));
        }
    }
    out.push_str("  \"steps\": [");
    let steps = fields.get("steps").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    for (i, step) in steps.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str(&step.to_string());
    }
    out.push_str(if steps.is_empty() { "]\n}\n" } else { "\n  ]\n}\n" });
    out
}

fn file(scenario: &Scenario) -> ScenarioFile {
    ScenarioFile {
        name: Some(scenario.name.clone()),
        summary: Some(scenario.summary.clone()).filter(|s| !s.is_empty()),
        seed: Some(scenario.seed),
        config: Some(Value::Object(config_diff(&scenario.config))),
        duration_ms: scenario.duration_ms,
        course: scenario.course.as_ref().map(json_value),
        steps: Some(Value::Array(scenario.steps.iter().map(|s| Value::Object(step_file(s).to_object())).collect())),
    }
}

fn step_file(step: &Step) -> StepFile {
    let at_ms = Some(step.at_ms);
    match &step.kind {
        StepKind::Do(command) => StepFile { at_ms, act: Some(command.to_json()), ..StepFile::default() },
        StepKind::Narrate(narration) => StepFile {
            at_ms,
            narrate: Some(narration.text.clone()),
            pause: narration.pause.then_some(true),
            note: narration.note.clone(),
            focus: narration.focus.as_ref().map(json_value),
            ..StepFile::default()
        },
        StepKind::Expect(claim) => {
            StepFile { at_ms, expect: Some(Value::Object(claim.fields().clone())), ..StepFile::default() }
        }
        StepKind::Predict(predict) => StepFile { at_ms, predict: Some(json_value(predict)), ..StepFile::default() },
    }
}

/// The config fields that differ from the defaults.
fn config_diff(config: &Config) -> Map<String, Value> {
    let defaults = Config::default().to_object();
    config.to_object().into_iter().filter(|(k, v)| defaults.get(k) != Some(v)).collect()
}

/// These shapes hold only strings, numbers, booleans and JSON values: serializing them cannot fail. (Text is
/// written from the `Value`, so serde_json's text writer is compiled for `Value` alone.)
fn json_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("scenario shapes always serialize")
}
