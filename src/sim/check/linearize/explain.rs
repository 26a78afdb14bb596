//! What a history view draws and a student reads: a point in time for each linearized operation, and the
//! sentence that says why an operation cannot be placed ("this read returned x=1 after a write x=2 had
//! completed").

use super::prepare::{show_value, LinOp};
use super::report::{Clock, OpOutcome, OpSummary};
use crate::sim::raft::message::ClientOp;
use crate::sim::types::Time;

/// A linearization point for each operation of `order` (a legal order: it respects real time): within the
/// operation's interval and never decreasing along the order. Each is the middle of the window the order
/// leaves it — after every earlier operation's call, before every later one's return — so points spread
/// out instead of piling up at calls. An interval without an end is cut at the key's last finite time.
pub(super) fn points(ops: &[LinOp], order: &[usize]) -> Vec<Time> {
    let horizon = ops.iter().flat_map(|op| [op.invoked, op.returned]).filter(|&t| t != Time::MAX).max().unwrap_or(0);
    let mut earliest = Vec::with_capacity(order.len());
    let mut floor = 0;
    for &i in order {
        floor = floor.max(ops[i].invoked);
        earliest.push(floor);
    }
    let mut latest = vec![0; order.len()];
    let mut ceiling = Time::MAX;
    for (slot, &i) in order.iter().enumerate().rev() {
        ceiling = ceiling.min(ops[i].returned.min(horizon.max(ops[i].invoked)));
        latest[slot] = ceiling;
    }
    let points: Vec<Time> = earliest.iter().zip(&latest).map(|(&a, &b)| a + b.saturating_sub(a) / 2).collect();
    debug_assert!(points.windows(2).all(|w| w[0] <= w[1]), "points never decrease along the order");
    debug_assert!(
        order.iter().zip(&points).all(|(&i, &p)| ops[i].invoked <= p && p <= ops[i].returned),
        "each point lies within its operation's interval"
    );
    points
}

/// `client 1's get x → "1" (40.0ms–50.0ms)`.
fn who(op: &OpSummary, clock: Clock) -> String {
    let end = op.completed_us.filter(|_| op.outcome == OpOutcome::Ok).map_or("∞".to_string(), |t| clock.show(t));
    format!("client {}'s {} ({}–{end})", op.client, op.description, clock.show(op.invoked_us))
}

/// The value an answered write leaves, when it is known without the state before it: a put's value, a
/// delete's absence, an applied cas's value (`None` for appends and for a cas that did not apply).
fn written(op: &OpSummary) -> Option<Option<&str>> {
    match (&op.op, op.applied) {
        (ClientOp::Put { value, .. }, _) => Some(Some(value)),
        (ClientOp::Delete { .. }, _) => Some(None),
        (ClientOp::Cas { value, .. }, Some(true)) => Some(Some(value)),
        _ => None,
    }
}

/// Whether an operation on the key could ever have produced `value`.
fn could_produce(ops: &[OpSummary], value: &str) -> bool {
    ops.iter().any(|op| match &op.op {
        ClientOp::Put { value: v, .. } | ClientOp::Cas { value: v, .. } => v == value,
        ClientOp::Append { value: v, .. } => value.ends_with(v.as_str()),
        ClientOp::Get { .. } | ClientOp::Delete { .. } => false,
    })
}

/// The answered write on the key that completed last before `blocked` was called: the write a reader would
/// expect to see, if nothing else intervened.
fn last_completed_write(ops: &[OpSummary], blocked: &OpSummary) -> Option<usize> {
    (0..ops.len())
        .filter(|&i| ops[i].op.is_write() && ops[i].outcome == OpOutcome::Ok)
        .filter(|&i| ops[i].completed_us.is_some_and(|t| t < blocked.invoked_us))
        .max_by_key(|&i| ops[i].completed_us)
}

/// The state the blocked operation needed to see: a read's value, an applied cas's expected value, or, for a
/// cas that did not apply, `None` (it needed anything *but* its expected value).
fn needed(op: &OpSummary) -> Option<Option<&str>> {
    match (&op.op, op.applied, &op.read_value) {
        (ClientOp::Get { .. }, _, Some(read)) => Some(read.as_deref()),
        (ClientOp::Cas { expected, .. }, Some(true), _) => Some(expected.as_deref()),
        _ => None,
    }
}

/// The sentence a student reads first, for the operation `blocked` that cannot follow the longest
/// linearizable prefix (after which the key holds `value`).
pub(super) fn explain(key: &str, ops: &[OpSummary], blocked: usize, value: &Option<String>, clock: Clock) -> String {
    let op = &ops[blocked];
    let subject = who(op, clock);
    if let Some(Some(seen)) = needed(op) {
        if !could_produce(ops, seen) {
            return format!("{subject} saw {key} = {seen:?}, a value no operation on {key} ever wrote.");
        }
    }
    let witness = last_completed_write(ops, op).filter(|&w| match (needed(op), written(&ops[w]), &ops[w].op) {
        (Some(needed), Some(wrote), _) => needed != wrote,
        (None, Some(wrote), _) => matches!(&op.op, ClientOp::Cas { expected, .. } if expected.as_deref() == wrote),
        // After an append completed, the key ends with what it appended (until another write).
        (Some(needed), None, ClientOp::Append { value, .. }) => !needed.unwrap_or("").ends_with(value.as_str()),
        _ => false,
    });
    if let Some(w) = witness {
        let write = &ops[w];
        let done = write.completed_us.map_or("∞".to_string(), |t| clock.show(t));
        let verb = if op.op.is_write() { "was decided" } else { "returned" };
        return format!(
            "{subject} {verb} after client {}'s {} had completed ({done}); no order consistent with real time \
             explains that.",
            write.client, write.description
        );
    }
    match needed(op) {
        Some(seen) => format!(
            "{subject} needs {key} to hold {}, but in every order consistent with real time it holds something \
             else then (the longest consistent order leaves it {}).",
            show_value(&seen.map(String::from)),
            show_value(value)
        ),
        None => format!(
            "{subject} cannot be placed in any order consistent with real time (the longest consistent order \
             leaves {key} {}).",
            show_value(value)
        ),
    }
}
