//! From the recorded history to what the search reads: the operations split per key (linearizability is
//! compositional), in invocation order, each with its interval, whether it must be placed, and its effect on
//! the key's register.
//!
//! The statuses mean what they mean in Porcupine:
//! - `Ok` — the operation took effect exactly once, somewhere in `[invoked_us, completed_us]`.
//! - `Pending` or `Unknown` write (put, delete, cas, append) — no answer: it may have taken effect at any time
//!   after its call (even after the client gave up: a retried request may commit later), or never. Its return
//!   is +∞ and the order may leave it out.
//! - `Pending` or `Unknown` read — no observable effect: dropped.

use super::model::{Effect, Values};
use super::report::{OpOutcome, OpSummary};
use crate::sim::raft::message::ClientOp;
use crate::sim::types::Time;
use crate::sim::world::history::{HistoryOp, OpStatus};
use std::collections::BTreeMap;

/// An operation prepared for the search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct LinOp {
    /// Call time.
    pub(super) invoked: Time,
    /// Return time; `Time::MAX` for an operation without an answer.
    pub(super) returned: Time,
    /// Whether the order must contain it (answered), or may leave it out (an unanswered write).
    pub(super) required: bool,
    /// What it does to, or saw of, the register.
    pub(super) effect: Effect,
}

/// One key's operations, ready to search: the search's view and the report's, in the same order.
#[derive(Clone, Debug)]
pub(super) struct KeyHistory {
    /// The key.
    pub(super) key: String,
    /// Operations for the search, by invocation.
    pub(super) ops: Vec<LinOp>,
    /// The same operations as the report shows them.
    pub(super) summaries: Vec<OpSummary>,
    /// The key's interned strings.
    pub(super) values: Values,
}

/// A whole history split per key, in key order, and how many operations were dropped.
#[derive(Clone, Debug)]
pub(super) struct Prepared {
    /// Per key.
    pub(super) keys: Vec<KeyHistory>,
    /// Reads without an answer, left out.
    pub(super) dropped: usize,
}

/// Whether an operation constrains the history at all (see the module docs).
fn takes_part(op: &HistoryOp) -> bool {
    matches!(op.status, OpStatus::Ok { .. }) || op.op.is_write()
}

/// The end of an operation's interval: +∞ without an answer, and for a malformed `Ok` without a completion
/// time (it must still be placed, just without an upper bound). Never before the invocation.
fn return_time(op: &HistoryOp) -> Time {
    match (&op.status, op.completed_us) {
        (OpStatus::Ok { .. }, Some(t)) => t.max(op.invoked_us),
        _ => Time::MAX,
    }
}

/// Splits the history per key and prepares each key.
pub(super) fn prepare(history: &[HistoryOp]) -> Prepared {
    let mut by_key: BTreeMap<&str, Vec<&HistoryOp>> = BTreeMap::new();
    let mut dropped = 0;
    for op in history {
        if takes_part(op) {
            by_key.entry(op.op.key()).or_default().push(op);
        } else {
            dropped += 1;
        }
    }
    let keys = by_key.into_iter().map(|(key, ops)| prepare_key(key, ops)).collect();
    Prepared { keys, dropped }
}

/// One key: sorted by invocation (ties: earlier return, then client and seq, so the output is deterministic).
pub(super) fn prepare_key(key: &str, mut ops: Vec<&HistoryOp>) -> KeyHistory {
    ops.sort_by_key(|op| (op.invoked_us, return_time(op), op.client, op.seq));
    let mut values = Values::default();
    let mut lin = Vec::with_capacity(ops.len());
    let mut summaries = Vec::with_capacity(ops.len());
    for op in ops {
        let (required, read_value, applied, index) = match &op.status {
            OpStatus::Ok { value, index, applied } => {
                (true, (!op.op.is_write()).then(|| value.clone()), applied.filter(|_| is_cas(&op.op)), Some(*index))
            }
            _ => (false, None, None, None),
        };
        let effect = effect_of(&mut values, &op.op, &read_value, applied);
        lin.push(LinOp { invoked: op.invoked_us, returned: return_time(op), required, effect });
        summaries.push(OpSummary {
            client: op.client,
            seq: op.seq,
            op: op.op.clone(),
            description: describe(op, &read_value, applied, required),
            invoked_us: op.invoked_us,
            completed_us: op.completed_us,
            outcome: if required { OpOutcome::Ok } else { OpOutcome::Unknown },
            read_value,
            applied,
            served_by: op.served_by,
            index,
        });
    }
    debug_assert!(lin.windows(2).all(|w| w[0].invoked <= w[1].invoked), "sorted by invocation");
    debug_assert!(lin.iter().all(|op| op.invoked <= op.returned), "an interval never ends before it starts");
    KeyHistory { key: key.to_string(), ops: lin, summaries, values }
}

fn is_cas(op: &ClientOp) -> bool {
    matches!(op, ClientOp::Cas { .. })
}

/// The operation's effect; a read's returned value and a cas's answer come from its status.
fn effect_of(values: &mut Values, op: &ClientOp, read: &Option<Option<String>>, applied: Option<bool>) -> Effect {
    match op {
        ClientOp::Put { value, .. } => Effect::Write(Some(values.intern(value))),
        ClientOp::Delete { .. } => Effect::Write(None),
        ClientOp::Append { value, .. } => Effect::Append(values.intern(value)),
        ClientOp::Cas { expected, value, .. } => Effect::Cas {
            expected: expected.as_deref().map(|e| values.intern(e)),
            value: values.intern(value),
            applied,
        },
        ClientOp::Get { .. } => Effect::Read(read.clone().flatten().map(|v| values.intern(&v))),
    }
}

/// `get x → "1"`, `get x → nothing`, `cas x 1→2 → applied`, `put x=2`, `append x+=a (outcome unknown)`.
fn describe(op: &HistoryOp, read: &Option<Option<String>>, applied: Option<bool>, required: bool) -> String {
    let request = op.op.describe();
    match (read, applied, required) {
        (Some(value), _, _) => format!("{request} → {}", show_value(value)),
        (None, Some(true), _) => format!("{request} → applied"),
        (None, Some(false), _) => format!("{request} → not applied"),
        (None, None, true) => request,
        (None, None, false) if op.status == OpStatus::Pending => format!("{request} (pending)"),
        (None, None, false) => format!("{request} (outcome unknown)"),
    }
}

/// `"1"` or `nothing` (absent).
pub(super) fn show_value(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("{v:?}"),
        None => "nothing".to_string(),
    }
}
