//! LogScope's history format (`docs/history-format.md`): JSON Lines, a header line and then one event per
//! line in time order — an `invoke` when a client calls, an `ok` when it gets its answer, an `info` when it
//! gives up (the outcome is unknown); an operation without a second event is still pending. Events look like
//! Jepsen's (`type`, a process, a time), with LogScope's `(client, seq)` naming the operation.

use super::{column_of, numbered_lines, HistoryFormatError};
use crate::sim::limits::MAX_HISTORY_OPS;
use crate::sim::raft::message::ClientOp;
use crate::sim::types::{ClientId, Index, NodeId, Time};
use crate::sim::world::history::{HistoryOp, OpStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The `format` the header names.
const FORMAT: &str = "logscope-history";
/// The version this reader reads and the writer writes.
const VERSION: u32 = 1;

/// The first line.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u32,
}

/// What an event line says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    /// A client calls `call`.
    Invoke,
    /// The client got its answer.
    Ok,
    /// The client gave up (`reason`): a write may or may not have taken effect.
    Info,
}

/// One event line, every field of every kind in one flat struct (serde then reports the position of every
/// error; an internally tagged enum would buffer the fields and lose it). Which fields a kind takes is
/// checked after reading: `call` for an invoke; `value` (a get's answer; absent = the key was absent),
/// `applied` (a cas's), `index`, `node` for an ok; `reason` for an info; `attempts` for either completion.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Event {
    #[serde(rename = "type")]
    kind: Kind,
    client: ClientId,
    seq: u64,
    time_us: Time,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    call: Option<ClientOp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applied: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    index: Option<Index>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    node: Option<NodeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
}

impl Event {
    /// An event with only the fields every kind has.
    fn new(kind: Kind, op: &HistoryOp, time_us: Time) -> Event {
        Event {
            kind,
            client: op.client,
            seq: op.seq,
            time_us,
            call: None,
            value: None,
            applied: None,
            index: None,
            node: None,
            reason: None,
            attempts: None,
        }
    }

    /// The first field present that this kind of event does not take.
    fn misplaced(&self) -> Option<&'static str> {
        let present = [
            ("call", self.call.is_some()),
            ("value", self.value.is_some()),
            ("applied", self.applied.is_some()),
            ("index", self.index.is_some()),
            ("node", self.node.is_some()),
            ("reason", self.reason.is_some()),
            ("attempts", self.attempts.is_some()),
        ];
        let allowed: &[&str] = match self.kind {
            Kind::Invoke => &["call"],
            Kind::Ok => &["value", "applied", "index", "node", "attempts"],
            Kind::Info => &["reason", "attempts"],
        };
        present.iter().find(|(name, here)| *here && !allowed.contains(name)).map(|(name, _)| *name)
    }
}

/// A serde_json error inside `line` (number `number`), at its column, without serde_json's own "at line 1"
/// suffix. An unknown field is pointed at where its name starts (serde_json points after it).
fn json_error(number: usize, line: &str, error: &serde_json::Error) -> HistoryFormatError {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message).to_string();
    let unknown = message.strip_prefix("unknown field `").and_then(|rest| rest.split('`').next());
    let column = match unknown {
        Some(field) => field_column(line, field),
        _ => error.column().max(1),
    };
    HistoryFormatError::at(number, column, message)
}

/// The column of `"field"` in `line` (1 if absent), for errors about a field's value.
fn field_column(line: &str, field: &str) -> usize {
    let quoted = format!("\"{field}\"");
    line.find(&quoted).map_or(1, |at| column_of(line, &line[at..]))
}

/// Reads the whole file.
pub(super) fn parse(text: &str) -> Result<Vec<HistoryOp>, HistoryFormatError> {
    let mut lines = numbered_lines(text);
    let Some((number, first)) = lines.next() else {
        return Err(HistoryFormatError::at(0, 0, "empty history: expected the header line first"));
    };
    let header: Header = serde_json::from_str(first).map_err(|e| {
        let mut error = json_error(number, first, &e);
        error.message = format!(
            "expected the header {{\"format\": \"{FORMAT}\", \"version\": {VERSION}}} first ({})",
            error.message
        );
        error
    })?;
    if header.format != FORMAT {
        let message = format!("the header's format is {:?}; this reader reads {FORMAT:?}", header.format);
        return Err(HistoryFormatError::at(number, field_column(first, "format"), message));
    }
    if header.version != VERSION {
        let message = format!("version {} is not known; this reader reads version {VERSION}", header.version);
        return Err(HistoryFormatError::at(number, field_column(first, "version"), message));
    }
    let mut ops: Vec<HistoryOp> = Vec::new();
    let mut by_id: HashMap<(ClientId, u64), (usize, bool)> = HashMap::new(); // index, still open
    let mut last_time: Option<(Time, usize)> = None;
    for (number, line) in lines {
        let event: Event = serde_json::from_str(line).map_err(|e| json_error(number, line, &e))?;
        let time = event.time_us;
        if let Some((previous, previous_line)) = last_time.filter(|&(t, _)| time < t) {
            let message = format!(
                "time_us {time} is before the previous event's {previous} (line {previous_line}): events must be in time order"
            );
            return Err(HistoryFormatError::at(number, field_column(line, "time_us"), message));
        }
        last_time = Some((time, number));
        apply(&mut ops, &mut by_id, event, number, line)?;
    }
    Ok(ops)
}

/// Adds one event to the operations read so far.
fn apply(
    ops: &mut Vec<HistoryOp>,
    by_id: &mut HashMap<(ClientId, u64), (usize, bool)>,
    event: Event,
    number: usize,
    line: &str,
) -> Result<(), HistoryFormatError> {
    let at = |field: &str, message: String| HistoryFormatError::at(number, field_column(line, field), message);
    if let Some(field) = event.misplaced() {
        let kind = serde_json::to_value(event.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        return Err(at(field, format!("`{field}` does not belong in an `{kind}` event")));
    }
    let (client, seq) = (event.client, event.seq);
    if event.kind == Kind::Invoke {
        let Some(call) = event.call else { return Err(at("type", "an `invoke` event needs `call`".to_string())) };
        if by_id.contains_key(&(client, seq)) {
            return Err(at("seq", format!("client {client} invokes seq {seq} a second time")));
        }
        if ops.len() >= MAX_HISTORY_OPS {
            let message = format!("more than {MAX_HISTORY_OPS} operations (MAX_HISTORY_OPS)");
            return Err(HistoryFormatError::at(number, 0, message));
        }
        by_id.insert((client, seq), (ops.len(), true));
        ops.push(HistoryOp {
            client,
            seq,
            op: call,
            invoked_us: event.time_us,
            completed_us: None,
            status: OpStatus::Pending,
            attempts: 1,
            served_by: None,
        });
        return Ok(());
    }
    let op = open_op(ops, by_id, client, seq).map_err(|message| at("seq", message))?;
    op.completed_us = Some(event.time_us);
    op.attempts = event.attempts.unwrap_or(1);
    if event.kind == Kind::Info {
        let Some(reason) = event.reason else { return Err(at("type", "an `info` event needs `reason`".to_string())) };
        op.status = OpStatus::Unknown { reason };
        return Ok(());
    }
    let is_cas = matches!(op.op, ClientOp::Cas { .. });
    if event.applied.is_some() != is_cas {
        let (field, message) = if is_cas {
            ("type", "a cas's answer needs `applied`".to_string())
        } else {
            ("applied", format!("`applied` is only for a cas's answer, not for {}", op.op.describe()))
        };
        return Err(at(field, message));
    }
    if event.value.is_some() && op.op.is_write() {
        return Err(at("value", format!("`value` is only for a get's answer, not for {}", op.op.describe())));
    }
    op.status = OpStatus::Ok { value: event.value, index: event.index.unwrap_or(0), applied: event.applied };
    op.served_by = event.node;
    Ok(())
}

/// The operation `(client, seq)` that a completion closes, or why there is none to close.
fn open_op<'a>(
    ops: &'a mut [HistoryOp],
    by_id: &mut HashMap<(ClientId, u64), (usize, bool)>,
    client: ClientId,
    seq: u64,
) -> Result<&'a mut HistoryOp, String> {
    let Some((index, open)) = by_id.get_mut(&(client, seq)) else {
        return Err(format!("client {client} seq {seq} completes without an `invoke` line before it"));
    };
    if !*open {
        return Err(format!("client {client} seq {seq} completes a second time"));
    }
    *open = false;
    Ok(&mut ops[*index])
}

/// The history in LogScope's format: the header, then every call and completion in time order (at equal
/// times calls first, then by client and seq). What the UI's "Export history" saves; [`super::parse_history`]
/// reads it back.
pub fn write_logscope_history(history: &[HistoryOp]) -> String {
    let mut events: Vec<(Time, u8, ClientId, u64, Event)> = Vec::with_capacity(history.len() * 2);
    for op in history {
        let mut call = Event::new(Kind::Invoke, op, op.invoked_us);
        call.call = Some(op.op.clone());
        events.push((op.invoked_us, 0, op.client, op.seq, call));
        let Some(done) = op.completed_us else { continue };
        let attempts = Some(op.attempts).filter(|&a| a != 1);
        let completion = match &op.status {
            OpStatus::Pending => continue,
            OpStatus::Ok { value, index, applied } => Event {
                value: value.clone(),
                applied: *applied,
                index: Some(*index).filter(|&i| i > 0),
                node: op.served_by,
                attempts,
                ..Event::new(Kind::Ok, op, done)
            },
            OpStatus::Unknown { reason } => {
                Event { reason: Some(reason.clone()), attempts, ..Event::new(Kind::Info, op, done) }
            }
        };
        events.push((done.max(op.invoked_us), 1, op.client, op.seq, completion));
    }
    events.sort_by_key(|&(time, order, client, seq, _)| (time, order, client, seq));
    let header = Header { format: FORMAT.to_string(), version: VERSION };
    let mut out = serde_json::to_string(&header).expect("a header serializes");
    out.push('\n');
    for (_, _, _, _, event) in events {
        out.push_str(&serde_json::to_string(&event).expect("an event serializes"));
        out.push('\n');
    }
    out
}
