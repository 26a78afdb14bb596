//! Jepsen's etcd register log as Porcupine's tests read it (`test_data/jepsen/etcd_*.log`): one event per
//! line, `INFO  jepsen.util - PROCESS :TYPE :F VALUE` (tabs or spaces), `:f` one of `:read` (value `nil`,
//! or what was read), `:write` (the value) and `:cas` (`[from to]`). Times are line numbers.
//!
//! The completions mean what they mean in Porcupine's etcd model: `:ok` answered; `:fail :cas` answered "not
//! applied" (the register did not hold `from`); `:info` (a timed-out write or cas) and any other `:fail` (a
//! timed-out read) are "no answer"; an operation never completed is pending.

use super::{column_of, numbered_lines, HistoryFormatError, OpenOps};
use crate::sim::raft::message::ClientOp;
use crate::sim::types::ClientId;
use crate::sim::world::history::{HistoryOp, OpStatus};

/// Every register of these logs is the same key.
const KEY: &str = "register";

/// One line split into its words, each with its column.
struct Words<'a> {
    line: &'a str,
    number: usize,
    words: Vec<&'a str>,
}

impl<'a> Words<'a> {
    fn error(&self, word: usize, message: impl Into<String>) -> HistoryFormatError {
        let column = self.words.get(word).map_or(self.line.chars().count() + 1, |w| column_of(self.line, w));
        HistoryFormatError::at(self.number, column, message)
    }

    /// Word `i` with its leading `:` removed.
    fn keyword(&self, i: usize, what: &str) -> Result<&'a str, HistoryFormatError> {
        match self.words.get(i).and_then(|w| w.strip_prefix(':')) {
            Some(k) if !k.is_empty() => Ok(k),
            _ => Err(self.error(i, format!("expected {what}"))),
        }
    }

    /// Word `i` as a non-negative integer.
    fn integer(&self, i: usize, what: &str) -> Result<u64, HistoryFormatError> {
        self.words.get(i).and_then(|w| w.parse().ok()).ok_or_else(|| self.error(i, format!("expected {what}")))
    }
}

/// Reads the whole log.
pub(super) fn parse(text: &str) -> Result<Vec<HistoryOp>, HistoryFormatError> {
    let mut log = OpenOps::default();
    for (number, line) in numbered_lines(text) {
        let words = Words { line, number, words: line.split_whitespace().collect() };
        let prefix = ["INFO", "jepsen.util", "-"];
        if let Some(wrong) = (0..prefix.len()).find(|&i| words.words.get(i) != Some(&prefix[i])) {
            return Err(words.error(wrong, "expected `INFO jepsen.util - PROCESS :TYPE :F VALUE`"));
        }
        let process = words.integer(3, "a process number")?;
        let process = ClientId::try_from(process).map_err(|_| words.error(3, "the process number is too large"))?;
        let kind = words.keyword(4, "`:invoke`, `:ok`, `:fail` or `:info`")?;
        let f = words.keyword(5, "`:read`, `:write` or `:cas`")?;
        let value: Vec<&str> = words.words[6.min(words.words.len())..].to_vec();
        match kind {
            "invoke" => log.invoke(process, invocation(&words, f, &value)?, number)?,
            "ok" | "fail" | "info" => {
                let op = log.complete(process, number)?;
                let invoked = match op.op {
                    ClientOp::Get { .. } => "read",
                    ClientOp::Put { .. } => "write",
                    _ => "cas",
                };
                if f != invoked {
                    return Err(words.error(5, format!("completes a `:{invoked}` with `:{f}`")));
                }
                op.status = match (kind, f) {
                    ("ok", "read") => OpStatus::Ok { value: read_value(&words, &value)?, index: 0, applied: None },
                    ("ok", "cas") => OpStatus::Ok { value: None, index: 0, applied: Some(true) },
                    ("fail", "cas") => OpStatus::Ok { value: None, index: 0, applied: Some(false) },
                    ("ok", _) => OpStatus::Ok { value: None, index: 0, applied: None },
                    (other, _) => OpStatus::Unknown { reason: format!("`:{other}` in the log") },
                };
            }
            other => {
                return Err(words.error(4, format!("unknown type `:{other}` (expected :invoke, :ok, :fail or :info)")))
            }
        }
    }
    Ok(log.ops)
}

/// The operation an `:invoke` line calls.
fn invocation(words: &Words, f: &str, value: &[&str]) -> Result<ClientOp, HistoryFormatError> {
    let key = KEY.to_string();
    match (f, value) {
        ("read", ["nil"]) => Ok(ClientOp::Get { key }),
        ("write", [v]) if v.parse::<u64>().is_ok() => Ok(ClientOp::Put { key, value: v.to_string() }),
        ("cas", [from, to]) => {
            let pair = (from.strip_prefix('['), to.strip_suffix(']'));
            match pair {
                (Some(from), Some(to)) if from.parse::<u64>().is_ok() && to.parse::<u64>().is_ok() => {
                    Ok(ClientOp::Cas { key, expected: Some(from.to_string()), value: to.to_string() })
                }
                _ => Err(words.error(6, "expected `[FROM TO]` (two non-negative integers)")),
            }
        }
        ("read", _) => Err(words.error(6, "an invoked read has the value `nil`")),
        ("write", _) => Err(words.error(6, "expected the value written (a non-negative integer)")),
        ("cas", _) => Err(words.error(6, "expected `[FROM TO]` (two non-negative integers)")),
        (other, _) => Err(words.error(5, format!("unknown operation `:{other}` (expected :read, :write or :cas)"))),
    }
}

/// What an `:ok :read` returned: `nil` (absent) or an integer.
fn read_value(words: &Words, value: &[&str]) -> Result<Option<String>, HistoryFormatError> {
    match value {
        ["nil"] => Ok(None),
        [v] if v.parse::<u64>().is_ok() => Ok(Some(v.to_string())),
        _ => Err(words.error(6, "expected the value read (`nil` or a non-negative integer)")),
    }
}
