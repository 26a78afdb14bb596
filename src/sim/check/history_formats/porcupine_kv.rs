//! Porcupine's key-value log (`test_data/kv/*.txt`): one EDN map per line, an `:invoke` then an `:ok` per
//! operation of a process, `:f` one of `:get`, `:put`, `:append`. Times are line numbers.
//!
//! Porcupine's model keeps one string per key with `""` for a key never written, so here a get that returned
//! `""` read an absent key and a put of `""` is a delete (the checker's register tells absent from empty).
//! `:fail` and `:info` completions (Jepsen's "did not happen" and "unknown") are read as "no answer", the
//! safe reading of both; an operation never completed is pending. Porcupine itself gives a pending get the
//! answer `""`; the files have none.

use super::edn::{read_map, Value};
use super::{column_of, numbered_lines, HistoryFormatError, OpenOps};
use crate::sim::raft::message::ClientOp;
use crate::sim::types::ClientId;
use crate::sim::world::history::{HistoryOp, OpStatus};

/// One line's fields.
struct Line<'a> {
    process: ClientId,
    kind: &'a str,
    f: &'a str,
    key: String,
    value: Option<String>,
}

/// Reads the whole log.
pub(super) fn parse(text: &str) -> Result<Vec<HistoryOp>, HistoryFormatError> {
    let mut log = OpenOps::default();
    for (number, text) in numbered_lines(text) {
        let line = fields(text, number)?;
        match line.kind {
            "invoke" => {
                let op = match (line.f, line.value) {
                    ("get", _) => ClientOp::Get { key: line.key },
                    ("put", Some(value)) if value.is_empty() => ClientOp::Delete { key: line.key },
                    ("put", Some(value)) => ClientOp::Put { key: line.key, value },
                    ("append", Some(value)) => ClientOp::Append { key: line.key, value },
                    (f, None) => {
                        return Err(HistoryFormatError::at(number, 0, format!("`:{f}` needs a string `:value`")))
                    }
                    (f, _) => return Err(unknown_f(number, f)),
                };
                log.invoke(line.process, op, number)?;
            }
            "ok" | "fail" | "info" => {
                let op = log.complete(line.process, number)?;
                let expected = match op.op {
                    ClientOp::Get { .. } => "get",
                    ClientOp::Put { .. } | ClientOp::Delete { .. } => "put",
                    _ => "append",
                };
                if line.f != expected {
                    let message = format!("completes a `:{expected}` with `:f :{}`", line.f);
                    return Err(HistoryFormatError::at(number, 0, message));
                }
                op.status = match line.kind {
                    "ok" => {
                        let read = (expected == "get").then(|| line.value.filter(|v| !v.is_empty())).flatten();
                        OpStatus::Ok { value: read, index: 0, applied: None }
                    }
                    other => OpStatus::Unknown { reason: format!("`:{other}` in the log") },
                };
            }
            other => {
                let message = format!("unknown `:type :{other}` (expected :invoke, :ok, :fail or :info)");
                return Err(HistoryFormatError::at(number, 0, message));
            }
        }
    }
    Ok(log.ops)
}

fn unknown_f(number: usize, f: &str) -> HistoryFormatError {
    HistoryFormatError::at(number, 0, format!("unknown `:f :{f}` (expected :get, :put or :append)"))
}

/// The fields of one line, each of the right type.
fn fields(text: &str, number: usize) -> Result<Line<'_>, HistoryFormatError> {
    let entries = read_map(text, number)?;
    let find = |name: &str| entries.iter().find(|(n, _, _)| *n == name);
    let missing = |name: &str| HistoryFormatError::at(number, 0, format!("missing `:{name}`"));
    let wrong = |name: &str, column: usize, what: &str| {
        HistoryFormatError::at(number, column, format!("`:{name}` must be {what}"))
    };
    let process = match find("process").ok_or_else(|| missing("process"))? {
        (_, Value::Integer(n), column) => {
            ClientId::try_from(*n).map_err(|_| wrong("process", *column, "a small integer"))?
        }
        (_, _, column) => return Err(wrong("process", *column, "an integer")),
    };
    let keyword = |name: &str| match find(name) {
        Some((_, Value::Keyword(k), _)) => Ok(*k),
        Some((_, _, column)) => Err(wrong(name, *column, "a keyword")),
        None => Err(missing(name)),
    };
    let (kind, f) = (keyword("type")?, keyword("f")?);
    let key = match find("key").ok_or_else(|| missing("key"))? {
        (_, Value::Text(key), _) => key.clone(),
        (_, _, column) => return Err(wrong("key", *column, "a string")),
    };
    let value = match find("value") {
        Some((_, Value::Text(value), _)) => Some(value.clone()),
        Some((_, Value::Nil, _)) | None => None,
        Some((_, _, column)) => return Err(wrong("value", *column, "a string or nil")),
    };
    if let Some((name, _, _)) = entries.iter().find(|(n, _, _)| !["process", "type", "f", "key", "value"].contains(n)) {
        return Err(HistoryFormatError::at(number, column_of(text, name) - 1, format!("unknown field `:{name}`")));
    }
    if f != "get" && f != "put" && f != "append" {
        return Err(unknown_f(number, f));
    }
    Ok(Line { process, kind, f, key, value })
}
