//! Checking a claim against the world: the claim's facts are compared with what the world's read API and
//! views say ([`World::node_view`], [`World::counters`], the leader, the history, the checker's violations,
//! the linearizability checker). Nothing here re-derives a rule of the simulation: a claim is true exactly
//! when the student would see the same on screen. The comparison is generic over the claim's fields (their
//! kind says how), so a new fact is a row of [`FIELDS`](super::claim::FIELDS) and a line of [`node_facts`].

use super::claim::{codes, Claim, Kind, Subject, FIELDS};
use super::invariants::InvariantList;
use super::number::NumberClaim;
use crate::sim::check::linearize::{check_history, LinearizabilityReport, Verdict};
use crate::sim::check::violation::{Invariant, Violation};
use crate::sim::raft::message::ClientOp;
use crate::sim::types::{format_time, ClientId};
use crate::sim::view::NodeView;
use crate::sim::world::counters::NodeCounters;
use crate::sim::world::history::{HistoryOp, OpStatus};
use crate::sim::world::World;
use serde::Serialize;
use serde_json::{Map, Value};

/// What checking an `expect` step found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum ExpectOutcome {
    /// The claim is true at the step's time.
    Held,
    /// It is not; `seen` says what was found instead, in words (`n2.hwm is 1, expected 3`).
    Failed {
        /// What the world showed.
        seen: String,
    },
}

impl ExpectOutcome {
    /// Whether the claim held.
    pub fn held(&self) -> bool {
        *self == ExpectOutcome::Held
    }
}

/// The linearizability checker on the client history so far, operations still pending counted as "may or
/// may not have happened". The one call of the checker for lessons and `logscope-cli run`, so that a change
/// to its semantics reaches every lesson.
pub fn linearizability_so_far(world: &World) -> LinearizabilityReport {
    check_history(&world.finished_history())
}

/// Every violation so far: the checker's (found as the run goes) and, if the history so far is not
/// linearizable, a `LIN` violation per key. Costs a linearizability check.
pub fn violations_so_far(world: &World) -> Vec<Violation> {
    let mut all = world.violations().to_vec();
    all.extend(linearizability_so_far(world).violations());
    all
}

impl Claim {
    /// Checks the claim against `world` now.
    pub fn check(&self, world: &World) -> ExpectOutcome {
        let seen = match self.subject() {
            Subject::Node(node) => match world.node_view(node) {
                Some(view) => {
                    self.compare("node", &format!("n{node}"), &node_facts(&view, world.counters(node)), &view.kv)
                }
                None => vec![format!("n{node} does not exist in this run")],
            },
            Subject::Leader => {
                let (have, want) = (world.top_leader().map_or(Value::Null, Value::from), &self.fields()["leader"]);
                if have == *want {
                    vec![]
                } else {
                    vec![format!("the leader is {}, expected {}", node_words(&have), node_words(want))]
                }
            }
            Subject::Client(client) => match find_operation(world, client, self.number("seq")) {
                Ok(op) => self.check_operation(&op),
                Err(missing) => vec![missing],
            },
            Subject::Violated => check_violated(world, &self.violated()),
            Subject::NotViolated => check_not_violated(world, &codes(&self.fields()["not_violated"])),
            Subject::Linearizable => check_linearizable(world, self.fields()["linearizable"] == Value::Bool(true)),
        };
        if seen.is_empty() {
            ExpectOutcome::Held
        } else {
            ExpectOutcome::Failed { seen: seen.join("; ") }
        }
    }

    fn check_operation(&self, op: &HistoryOp) -> Vec<String> {
        let label = format!("c{}#{}", op.client, op.seq);
        let mut seen = self.compare("client", &label, &operation_facts(op), &[]);
        if let Some(want) = self.fields().get("value") {
            let want: Option<String> = want.as_str().map(str::to_string);
            match &op.status {
                OpStatus::Ok { value, .. } if !op.op.is_write() => {
                    if *value != want {
                        seen.push(format!("{label} returned {}, expected {}", value_words(value), value_words(&want)));
                    }
                }
                _ if op.op.is_write() => {
                    seen.push(format!("{label} is a {}; only a read returns a value", op.op.describe()))
                }
                status => seen.push(format!("{label} has returned no value (it is {})", status_name(status))),
            }
        }
        seen
    }

    /// Compares every claimed fact of `subject` with `facts` (the subject's facts as JSON; `kv` with the
    /// node's state machine, `state`); returns what differs, in words.
    fn compare(
        &self,
        subject: &str,
        label: &str,
        facts: &Map<String, Value>,
        state: &[(String, String)],
    ) -> Vec<String> {
        let mut seen = Vec::new();
        let claimed = FIELDS.iter().filter(|(_, of, _)| *of == subject);
        for (name, want, kind) in claimed.filter_map(|(name, _, kind)| Some((*name, self.fields().get(*name)?, *kind)))
        {
            let have = facts.get(name).unwrap_or(&Value::Null);
            match kind {
                Kind::Number => {
                    let claim = number(want);
                    if !have.as_u64().is_some_and(|h| claim.matches(h)) {
                        seen.push(format!("{label}.{name} is {}, expected {}", words(have), claim.describe()));
                    }
                }
                Kind::Kv => {
                    for (key, want) in want.as_object().into_iter().flatten() {
                        let have = state.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
                        let want = want.as_str().map(str::to_string);
                        if have != want {
                            seen.push(format!(
                                "{label}.kv.{key} is {}, expected {}",
                                value_words(&have),
                                value_words(&want)
                            ));
                        }
                    }
                }
                Kind::Node | Kind::Client | Kind::Seq | Kind::Value => {}
                _ if have != want => seen.push(format!("{label}.{name} is {}, expected {}", words(have), words(want))),
                _ => {}
            }
        }
        seen
    }

    /// The claim in words, for a line that says it held: `n2 role follower, hwm at least 3`.
    pub fn describe(&self) -> String {
        let fields = self.fields();
        let (subject, who) = match self.subject() {
            Subject::Node(node) => ("node", format!("n{node}")),
            Subject::Client(client) => (
                "client",
                self.number("seq").map_or(format!("c{client}'s newest operation"), |seq| format!("c{client}#{seq}")),
            ),
            Subject::Leader => {
                return match self.number("leader") {
                    Some(node) => format!("the leader is n{node}"),
                    None => "there is no leader".to_string(),
                }
            }
            Subject::Violated => {
                let codes: Vec<&str> = self.violated().iter().map(|i| i.code()).collect();
                return format!("{} violated", codes.join(", "));
            }
            Subject::NotViolated => {
                return match codes(&fields["not_violated"]) {
                    InvariantList::All => "no violation at all".to_string(),
                    list => {
                        let codes: Vec<&str> = list.invariants().iter().map(|i| i.code()).collect();
                        format!("no violation of {}", codes.join(", "))
                    }
                }
            }
            Subject::Linearizable => {
                let not = if fields["linearizable"] == Value::Bool(false) { "not " } else { "" };
                return format!("the history so far is {not}linearizable");
            }
        };
        let facts: Vec<String> = FIELDS
            .iter()
            .filter(|(name, of, _)| *of == subject && *name != subject && *name != "seq")
            .filter_map(|(name, _, kind)| {
                let value = fields.get(*name)?;
                Some(match kind {
                    Kind::Number => format!("{name} {}", number(value).describe()),
                    Kind::Kv => {
                        let pairs = value.as_object().into_iter().flatten();
                        let pairs: Vec<String> = pairs
                            .map(|(k, v)| format!("{k} {}", value_words(&v.as_str().map(str::to_string))))
                            .collect();
                        format!("kv {}", pairs.join(", "))
                    }
                    Kind::Value => format!("returned {}", value_words(&value.as_str().map(str::to_string))),
                    _ => format!("{name} {}", words(value)),
                })
            })
            .collect();
        format!("{who} {}", facts.join(", "))
    }
}

/// A validated numeric claim.
fn number(value: &Value) -> NumberClaim {
    NumberClaim::read(value).unwrap_or(NumberClaim::Within { min: None, max: None })
}

/// A node's facts under the claim's field names (all but `kv`, which is compared key by key).
pub fn node_facts(view: &NodeView, counters: NodeCounters) -> Map<String, Value> {
    let numbers = [
        ("term", view.term),
        ("first_index", view.first_index),
        ("last_index", view.last_index),
        ("durable_index", view.durable_index),
        ("hwm", view.hwm),
        ("applied", view.applied),
        ("lwm", view.lwm),
        ("snapshot_index", view.snapshot.as_ref().map_or(0, |s| s.last_index)),
        ("segments", view.segments.len() as u64),
        ("unsynced_writes", view.disk.unsynced_writes),
        ("held_messages", view.held_messages as u64),
        ("elections_started", counters.elections_started),
        ("snapshots_installed", counters.snapshots_installed),
        ("truncations", counters.truncations),
        ("segments_deleted", counters.segments_deleted),
        ("fsyncs", counters.fsyncs),
        ("crashes", counters.crashes),
        ("recoveries", counters.recoveries),
        ("reads_served", counters.reads_served),
        ("writes_acked", counters.writes_acked),
    ];
    let mut facts: Map<String, Value> =
        numbers.into_iter().map(|(name, n)| (name.to_string(), Value::from(n))).collect();
    let node = |id: Option<usize>| id.map_or(Value::Null, Value::from);
    facts.insert("status".into(), view.status.name().into());
    facts.insert("role".into(), view.role.name().into());
    facts.insert("voted_for".into(), node(view.voted_for));
    facts.insert("leader_hint".into(), node(view.leader_hint));
    facts.insert("member".into(), view.member.into());
    facts
}

/// An operation's facts under the claim's field names (the value is compared apart: it needs the op kind).
fn operation_facts(op: &HistoryOp) -> Map<String, Value> {
    let kind = match op.op {
        ClientOp::Put { .. } => "put",
        ClientOp::Get { .. } => "get",
        ClientOp::Delete { .. } => "delete",
        ClientOp::Cas { .. } => "cas",
        ClientOp::Append { .. } => "append",
    };
    // Whether a compare-and-set wrote (null while it is pending, and for every other operation).
    let applied = match op.status {
        OpStatus::Ok { applied: Some(applied), .. } => Value::Bool(applied),
        _ => Value::Null,
    };
    let mut facts = Map::new();
    facts.insert("op".into(), kind.into());
    facts.insert("status".into(), status_name(&op.status).into());
    facts.insert("attempts".into(), op.attempts.into());
    facts.insert("served_by".into(), op.served_by.map_or(Value::Null, Value::from));
    facts.insert("applied".into(), applied);
    facts
}

/// The operation `seq` of `client`, or its newest one; the error says why there is none.
fn find_operation(world: &World, client: ClientId, seq: Option<u64>) -> Result<HistoryOp, String> {
    let history = world.history();
    let found = history.iter().rev().find(|op| op.client == client && seq.is_none_or(|seq| op.seq == seq));
    found.cloned().ok_or_else(|| match seq {
        Some(seq) => format!("c{client}#{seq} has not started (or is no longer in the history)"),
        None => format!("c{client} has no operation yet"),
    })
}

fn status_name(status: &OpStatus) -> &'static str {
    match status {
        OpStatus::Pending => "pending",
        OpStatus::Ok { .. } => "ok",
        OpStatus::Unknown { .. } => "unknown",
    }
}

fn check_violated(world: &World, wanted: &[Invariant]) -> Vec<String> {
    let lin = wanted.contains(&Invariant::Linearizability).then(|| linearizability_so_far(world));
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|&&invariant| match (&lin, invariant) {
            (Some(report), Invariant::Linearizability) => report.verdict != Verdict::NotLinearizable,
            _ => !world.violations().iter().any(|v| v.invariant == invariant),
        })
        .map(|i| i.code())
        .collect();
    if missing.is_empty() {
        vec![]
    } else {
        vec![format!("no violation of {} so far", missing.join(", "))]
    }
}

fn check_not_violated(world: &World, list: &InvariantList) -> Vec<String> {
    let wanted = list.invariants();
    let found = world.violations().iter().filter(|v| wanted.contains(&v.invariant));
    let mut seen: Vec<String> = found
        .map(|v| format!("{} was violated at {}: {}", v.invariant.code(), format_time(v.time_us), v.detail))
        .collect();
    if wanted.contains(&Invariant::Linearizability) {
        let report = linearizability_so_far(world);
        for key in report.failures() {
            let (Some(failure), Some(at)) = (key.failure(), key.detected_us()) else { continue };
            seen.push(format!("LIN was violated at {}: {}", format_time(at), failure.explanation));
        }
    }
    seen
}

fn check_linearizable(world: &World, want: bool) -> Vec<String> {
    let report = linearizability_so_far(world);
    let have = match report.verdict {
        Verdict::Linearizable => true,
        Verdict::NotLinearizable => false,
        Verdict::Inconclusive => return vec![format!("the linearizability check was {}", report.summary())],
    };
    if have == want {
        return vec![];
    }
    let seen = match report.failures().find_map(|key| key.failure()) {
        Some(failure) => format!("the history so far is not linearizable: {}", failure.explanation),
        None => format!("the history so far is linearizable ({})", report.summary()),
    };
    vec![seen]
}

/// `n2` or `none`, for a node id or null.
fn node_words(node: &Value) -> String {
    node.as_u64().map_or("none".to_string(), |n| format!("n{n}"))
}

/// A stored value: `"1"` or `absent`.
fn value_words(value: &Option<String>) -> String {
    value.as_ref().map_or("absent".to_string(), |v| format!("{v:?}"))
}

/// A claimed or seen fact: names as they are, null as `none`.
fn words(value: &Value) -> String {
    match value {
        Value::Null => "none".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
