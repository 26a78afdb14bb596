//! Writing a lesson by playing it (the UI's recorder): the session so far becomes a scenario (every click is a
//! recorded command, `Player::to_scenario`), and the teacher's own steps — narrations, questions and
//! expectations added "here", at the time they were added — join it. The result goes through the parser
//! (`Scenario::from_value`), so a recorded lesson obeys exactly the rules of a hand-written file and a broken
//! step is refused with its field path. [`claims_now`] offers expectations taken from the state on screen, so
//! that a claim a teacher adds is true when it is added (and, the run being deterministic, on every replay).

use crate::sim::scenario::{Scenario, ScenarioError};
use crate::sim::view::ClusterView;
use crate::sim::world::status::NodeStatus;
use serde_json::{json, Map, Value};

/// Claims that hold in `view`, one per subject: the leader, each running node's role, term, durable index and
/// HWM, and the absence (or the list) of violations. Each is an `expect` object as a file writes it.
pub fn claims_now(view: &ClusterView) -> Vec<Value> {
    let mut claims = vec![json!({ "leader": view.leader })];
    for node in view.nodes.iter().filter(|n| n.status == NodeStatus::Up) {
        claims.push(json!({ "node": node.id, "role": node.role.name(), "term": node.term }));
        claims.push(json!({ "node": node.id, "durable_index": node.durable_index, "hwm": node.hwm }));
    }
    let mut broken: Vec<&str> = view.violations.iter().map(|v| v.invariant.code()).collect();
    broken.sort_unstable();
    broken.dedup();
    claims.push(if broken.is_empty() { json!({ "not_violated": "all" }) } else { json!({ "violated": broken }) });
    claims
}

/// The claim of `view` about the same subject and fields as `claim` (its values as they are now), if any:
/// a claim picked before the recorder moved the clock to a whole millisecond is re-read there.
pub fn same_claim_now(claim: &Value, view: &ClusterView) -> Option<Value> {
    let keys = |c: &Value| c.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
    let subject = |c: &Value| c.get("node").cloned();
    claims_now(view).into_iter().find(|c| keys(c) == keys(claim) && subject(c) == subject(claim))
}

/// A step object: `kind` (`narrate`, `expect`, `predict`) with its body, at `at_ms`.
pub fn step(at_ms: u64, kind: &str, body: Value) -> Value {
    let mut step = Map::new();
    step.insert("at_ms".into(), at_ms.into());
    step.insert(kind.into(), body);
    Value::Object(step)
}

/// A step the teacher added, with the number of commands the world had recorded when it was added (its place
/// among the recorded steps of the same millisecond).
pub type Added = (usize, Value);

/// `recorded` (the session as a scenario) with the teacher's `added` steps merged in where they were added
/// (by time, and within a millisecond after exactly the commands recorded before them), named and validated
/// as a file.
pub fn with_steps(recorded: &Scenario, name: &str, summary: &str, added: &[Added]) -> Result<Scenario, ScenarioError> {
    let mut value = recorded.to_value();
    let at = |s: &Value| s.get("at_ms").and_then(Value::as_u64).unwrap_or(0);
    if let Some(object) = value.as_object_mut() {
        object.insert("name".into(), name.into());
        object.insert("summary".into(), summary.into());
        if let Some(Value::Array(steps)) = object.get_mut("steps") {
            // Within a millisecond, command k (1-based) sorts at 2k and a step added after c commands at
            // 2c+1; the recorded steps are in that order already, so each added step is inserted in place.
            let mut commands = 0;
            let mut keys: Vec<(u64, usize)> = steps
                .iter()
                .map(|s| {
                    commands += usize::from(s.get("do").is_some());
                    (at(s), 2 * commands + usize::from(s.get("do").is_none()))
                })
                .collect();
            for (before, added) in added {
                let key = (at(added), 2 * before + 1);
                let place = keys.partition_point(|k| *k <= key);
                keys.insert(place, key);
                steps.insert(place, added.clone());
            }
        }
    }
    Scenario::from_value(&value)
}
