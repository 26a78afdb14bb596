//! An `expect` step's claim: one JSON object with exactly one subject (a node, the leader, a client
//! operation, violations, linearizability) and the facts claimed about it.
//!
//! The claim is kept as the object the file wrote (so it is written back exactly, and checked and described
//! generically), and every field is read once, when the file is read, as its kind says (`fields.rs`), every
//! error at its field path. Which fields exist, what each holds and which subject it belongs to is one table
//! ([`FIELDS`]), read by the validator, the checker (`check.rs`) and the format doc's test. (A derived
//! struct of forty optional fields did the same in 14 KB more of gzipped wasm.)

use super::fields::{list, name, FromJson};
use super::invariants::{checkable, InvariantCode, InvariantList};
use super::number::NumberClaim;
use crate::sim::check::violation::Invariant;
use crate::sim::field_error::{describe, shorten, suggest, FieldError};
use crate::sim::limits::{MAX_KEY_BYTES, MAX_VALUE_BYTES};
use crate::sim::types::NodeId;
use crate::sim::world::command::CommandContext;
use serde::Serialize;
use serde_json::{Map, Value};

/// What a claim field holds, and so how it is read, compared and said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A node id that exists at the step.
    Node,
    /// A client id of the configuration.
    Client,
    /// A node id that exists at the step, or `null` for none.
    NodeOrNone,
    /// A number, or bounds (`{"min": a, "max": b}`).
    Number,
    /// `true` or `false`.
    Flag,
    /// `up`, `crashed`, `paused`, `removed`.
    NodeStatus,
    /// `pending`, `ok`, `unknown`.
    OpStatus,
    /// `follower`, `pre-candidate`, `candidate`, `leader`.
    Role,
    /// `put`, `get`, `delete`, `cas`, `append`.
    Op,
    /// `{"key": "value" or null}`.
    Kv,
    /// A read's result: a string, or `null` for "not found".
    Value,
    /// A client's sequence number, from 1.
    Seq,
    /// A list of invariant codes.
    Codes,
    /// A list of invariant codes, or `"all"`.
    CodesOrAll,
}

/// Every field a claim may have: its name, the subject it belongs to (itself, for a subject) and its kind.
pub const FIELDS: [(&str, &str, Kind); 39] = [
    ("node", "node", Kind::Node),
    ("leader", "leader", Kind::NodeOrNone),
    ("client", "client", Kind::Client),
    ("violated", "violated", Kind::Codes),
    ("not_violated", "not_violated", Kind::CodesOrAll),
    ("linearizable", "linearizable", Kind::Flag),
    ("status", "node", Kind::NodeStatus),
    ("role", "node", Kind::Role),
    ("term", "node", Kind::Number),
    ("voted_for", "node", Kind::NodeOrNone),
    ("leader_hint", "node", Kind::NodeOrNone),
    ("first_index", "node", Kind::Number),
    ("last_index", "node", Kind::Number),
    ("durable_index", "node", Kind::Number),
    ("hwm", "node", Kind::Number),
    ("applied", "node", Kind::Number),
    ("lwm", "node", Kind::Number),
    ("snapshot_index", "node", Kind::Number),
    ("segments", "node", Kind::Number),
    ("unsynced_writes", "node", Kind::Number),
    ("held_messages", "node", Kind::Number),
    ("member", "node", Kind::Flag),
    ("kv", "node", Kind::Kv),
    ("elections_started", "node", Kind::Number),
    ("snapshots_installed", "node", Kind::Number),
    ("truncations", "node", Kind::Number),
    ("segments_deleted", "node", Kind::Number),
    ("fsyncs", "node", Kind::Number),
    ("crashes", "node", Kind::Number),
    ("recoveries", "node", Kind::Number),
    ("reads_served", "node", Kind::Number),
    ("writes_acked", "node", Kind::Number),
    ("seq", "client", Kind::Seq),
    ("op", "client", Kind::Op),
    ("status", "client", Kind::OpStatus),
    ("value", "client", Kind::Value),
    ("attempts", "client", Kind::Number),
    ("served_by", "client", Kind::NodeOrNone),
    ("applied", "client", Kind::Flag),
];

/// The subjects a claim can be about: exactly one per claim.
pub const SUBJECTS: [&str; 6] = ["node", "leader", "client", "violated", "not_violated", "linearizable"];

/// The facts of a claim about a node, in the order they are said.
pub fn node_fields() -> impl Iterator<Item = &'static str> {
    facts_of("node")
}

/// The facts of a claim about a client operation (`seq` picks the operation).
pub fn client_fields() -> impl Iterator<Item = &'static str> {
    facts_of("client")
}

fn facts_of(subject: &'static str) -> impl Iterator<Item = &'static str> {
    FIELDS.iter().filter(move |(name, of, _)| *of == subject && *name != subject).map(|(name, _, _)| *name)
}

/// The kind of `name` in a claim about `subject`.
pub fn kind(subject: &str, name: &str) -> Option<Kind> {
    FIELDS.iter().find(|(n, of, _)| *n == name && *of == subject).map(|(_, _, kind)| *kind)
}

/// A node's statuses as a claim names them (`NodeStatus::name`; a test keeps the two in step).
pub const NODE_STATUSES: [&str; 4] = ["up", "crashed", "paused", "removed"];
/// A client operation's statuses as a claim names them (the history's `OpStatus`, as `status` in its JSON).
pub const OP_STATUSES: [&str; 3] = ["pending", "ok", "unknown"];
/// The Raft roles as a claim names them (`Role::name`).
pub const ROLES: [&str; 4] = ["follower", "pre-candidate", "candidate", "leader"];
/// The kinds of client operation as a claim names them (the `op` of the history's `ClientOp`).
pub const OPS: [&str; 5] = ["put", "get", "delete", "cas", "append"];

/// What a claim is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A node.
    Node(NodeId),
    /// The cluster's leader.
    Leader,
    /// An operation of this client.
    Client(usize),
    /// Invariants violated.
    Violated,
    /// Invariants not violated.
    NotViolated,
    /// Linearizability of the history.
    Linearizable,
}

/// A claim about the world at the step's time, as the file wrote it (validated: every field is one of
/// [`FIELDS`] for its subject and holds a value of its kind).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Claim {
    fields: Map<String, Value>,
}

impl Claim {
    /// Reads and validates a claim object against the cluster as it is at this step; the error's field is
    /// relative to the claim (`hwm.min`, `violated[1]`, `node`).
    pub fn read(fields: Map<String, Value>, context: &CommandContext) -> Result<Claim, FieldError> {
        let subjects: Vec<&str> = SUBJECTS.into_iter().filter(|s| fields.contains_key(*s)).collect();
        let subject = match subjects[..] {
            [one] => one,
            [] => {
                if let Some(unknown) = fields.keys().find(|k| !FIELDS.iter().any(|(n, _, _)| n == k)) {
                    return Err(unknown_field(unknown));
                }
                return Err(FieldError::new("", format!("needs a subject: one of {}", SUBJECTS.join(", "))));
            }
            [first, second, ..] => {
                return Err(FieldError::new(
                    second,
                    format!("a claim has one subject and this one already has `{first}` (use two expect steps)"),
                ))
            }
        };
        for (name, value) in &fields {
            let Some(kind) = kind(subject, name) else {
                if !FIELDS.iter().any(|(n, _, _)| n == name) {
                    return Err(unknown_field(name));
                }
                let takes: Vec<&str> = facts_of(static_subject(subject)).collect();
                let takes = if takes.is_empty() {
                    "takes no other field".to_string()
                } else {
                    format!("takes {}", takes.join(", "))
                };
                return Err(FieldError::new(
                    name,
                    format!("not a fact about `{subject}`: a `{subject}` claim {takes}"),
                ));
            };
            check_value(kind, value, context).map_err(|e| e.within(name))?;
        }
        let claim = Claim { fields };
        claim.check_facts(subject)?;
        Ok(claim)
    }

    /// The rules about the facts together: a claim says something, about an operation that can be.
    fn check_facts(&self, subject: &str) -> Result<(), FieldError> {
        let facts = self.fields.keys().filter(|k| *k != subject && *k != "seq").count();
        match subject {
            "node" if facts == 0 => Err(FieldError::new(
                "",
                format!(
                    "says nothing about n{}: add a fact ({})",
                    self.number("node").unwrap_or(0),
                    node_fields().collect::<Vec<_>>().join(", ")
                ),
            )),
            "client" if facts == 0 => Err(FieldError::new(
                "",
                format!(
                    "says nothing about the operation: add one of {}",
                    client_fields().skip(1).collect::<Vec<_>>().join(", ")
                ),
            )),
            "client" if self.fields.contains_key("value") && self.text("op").is_some_and(|op| op != "get") => {
                Err(FieldError::new("value", "only a read (`get`) returns a value"))
            }
            "client" if self.fields.contains_key("applied") && self.text("op").is_some_and(|op| op != "cas") => {
                Err(FieldError::new("applied", "only a compare-and-set (`cas`) says whether it applied"))
            }
            _ => Ok(()),
        }
    }

    /// The claim's fields as the file wrote them.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// The same claim without these fields (a claim without facts left is `None`): for variations of a lesson.
    pub fn without(&self, names: &[&str]) -> Option<Claim> {
        let subject = SUBJECTS.into_iter().find(|s| self.fields.contains_key(*s))?;
        let mut fields = self.fields.clone();
        fields.retain(|k, _| !names.contains(&k.as_str()));
        let kept = Claim { fields };
        (kept.fields.contains_key(subject) && (kept.fields.len() > 1 || !matches!(subject, "node" | "client")))
            .then_some(kept)
    }

    /// Its subject (a validated claim has exactly one).
    pub fn subject(&self) -> Subject {
        let id = |name| self.number(name).unwrap_or(0) as usize;
        if self.fields.contains_key("node") {
            Subject::Node(id("node"))
        } else if self.fields.contains_key("leader") {
            Subject::Leader
        } else if self.fields.contains_key("client") {
            Subject::Client(id("client"))
        } else if self.fields.contains_key("violated") {
            Subject::Violated
        } else if self.fields.contains_key("not_violated") {
            Subject::NotViolated
        } else {
            Subject::Linearizable
        }
    }

    /// The invariants a `violated` claim names (empty for any other claim).
    pub fn violated(&self) -> Vec<Invariant> {
        self.fields.get("violated").map_or(Vec::new(), |v| codes(v).invariants())
    }

    /// A field holding a plain number (an id, a sequence number).
    pub(super) fn number(&self, name: &str) -> Option<u64> {
        self.fields.get(name).and_then(Value::as_u64)
    }

    /// A field holding a name.
    pub(super) fn text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }
}

/// A field's value against its kind (and, for ids, the cluster at this step).
fn check_value(kind: Kind, value: &Value, context: &CommandContext) -> Result<(), FieldError> {
    match kind {
        Kind::Node => context.node("", NodeId::from_json(value)?),
        Kind::Client => context.client("", usize::from_json(value)?),
        Kind::NodeOrNone => Option::<NodeId>::from_json(value)?.map_or(Ok(()), |node| context.node("", node)),
        Kind::Number => NumberClaim::read(value).map(drop),
        Kind::Flag => bool::from_json(value).map(drop),
        Kind::NodeStatus => name(value, &NODE_STATUSES).map(drop),
        Kind::OpStatus => name(value, &OP_STATUSES).map(drop),
        Kind::Role => name(value, &ROLES).map(drop),
        Kind::Op => name(value, &OPS).map(drop),
        Kind::Kv => kv(value),
        Kind::Value => Option::<String>::from_json(value).map(drop),
        Kind::Seq => match u64::from_json(value)? {
            0 => Err(FieldError::new("", "must be at least 1 (a client numbers its operations from 1)")),
            _ => Ok(()),
        },
        Kind::Codes => invariant_list(&list(value)?),
        Kind::CodesOrAll => match InvariantList::read(value)? {
            InvariantList::Some(codes) => invariant_list(&codes),
            InvariantList::All => Ok(()),
        },
    }
}

/// The invariants of a validated `violated` or `not_violated` value.
pub(super) fn codes(value: &Value) -> InvariantList {
    InvariantList::read(value).unwrap_or(InvariantList::All)
}

/// A `kv` claim: an object of at least one key, each a string or `null`, within the limits of a `put`.
fn kv(value: &Value) -> Result<(), FieldError> {
    let Value::Object(kv) = value else {
        return Err(FieldError::new(
            "",
            format!("must be an object like {{\"x\": \"1\", \"y\": null}}, got {}", describe(value)),
        ));
    };
    if kv.is_empty() {
        return Err(FieldError::new("", "must name at least one key"));
    }
    for (key, value) in kv {
        let value = Option::<String>::from_json(value).map_err(|e| e.within(key))?;
        if key.is_empty() || key.len() > MAX_KEY_BYTES {
            return Err(FieldError::new(key.as_str(), format!("a key has 1 to {MAX_KEY_BYTES} bytes")));
        }
        if value.is_some_and(|v| v.len() > MAX_VALUE_BYTES) {
            return Err(FieldError::new(key.as_str(), format!("a value has at most {MAX_VALUE_BYTES} bytes")));
        }
    }
    Ok(())
}

/// A list of invariants: not empty, none twice, none that a lesson cannot be checked against.
fn invariant_list(codes: &[InvariantCode]) -> Result<(), FieldError> {
    if codes.is_empty() {
        return Err(FieldError::new("", "must name at least one invariant"));
    }
    for (i, code) in codes.iter().enumerate() {
        let path = format!("[{i}]");
        if codes[..i].contains(code) {
            return Err(FieldError::new(path, format!("`{}` is listed twice", code.0.code())));
        }
        if !checkable(code.0) {
            return Err(FieldError::new(
                path,
                format!("`{}` is checked by chaos runs, not while a lesson plays", code.0.code()),
            ));
        }
    }
    Ok(())
}

/// `unknown field `hwn` (did you mean `hwm`?)`, as serde would say it, with the subjects to choose from.
fn unknown_field(name: &str) -> FieldError {
    let hint = suggest(name, FIELDS.iter().map(|(n, _, _)| *n));
    let shown = shorten(name);
    FieldError::new(
        name,
        format!("unknown field `{shown}`{hint}; a claim has one subject ({}) and facts about it", SUBJECTS.join(", ")),
    )
}

/// The subject's name with a static lifetime (it is one of [`SUBJECTS`]).
fn static_subject(subject: &str) -> &'static str {
    SUBJECTS.into_iter().find(|s| *s == subject).unwrap_or("")
}
