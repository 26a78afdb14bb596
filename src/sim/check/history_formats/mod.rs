//! Client histories in files: LogScope's own format (JSON Lines, `docs/history-format.md`; what the UI
//! exports and `logscope-cli check-history` reads), Porcupine's key-value log and Jepsen's etcd register log
//! (both as in Porcupine's `test_data/`). Each reader turns a file into the [`HistoryOp`]s the checker takes,
//! or into an error naming the line and column; none panics, and each refuses input beyond
//! [`MAX_HISTORY_BYTES`] or [`MAX_HISTORY_OPS`] before it allocates for it.

mod edn;
mod jepsen_etcd;
mod logscope;
mod porcupine_kv;

pub use logscope::write_logscope_history;

use crate::sim::limits::{MAX_HISTORY_BYTES, MAX_HISTORY_OPS};
use crate::sim::types::ClientId;
use crate::sim::world::history::HistoryOp;
use std::collections::HashMap;
use std::fmt;

/// The formats `check-history --format` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HistoryFormat {
    /// LogScope's JSON Lines: a header, then one event per line (`docs/history-format.md`).
    Logscope,
    /// Porcupine's key-value log: `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}`.
    PorcupineKv,
    /// Jepsen's etcd register log as Porcupine's tests read it: `INFO  jepsen.util - 3 :invoke :cas [3 0]`.
    JepsenEtcd,
}

impl HistoryFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [HistoryFormat; 3] =
        [HistoryFormat::Logscope, HistoryFormat::PorcupineKv, HistoryFormat::JepsenEtcd];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            HistoryFormat::Logscope => "logscope",
            HistoryFormat::PorcupineKv => "porcupine-kv",
            HistoryFormat::JepsenEtcd => "jepsen-etcd",
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<HistoryFormat> {
        HistoryFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// One line for `--help`.
    pub fn explain(self) -> &'static str {
        match self {
            HistoryFormat::Logscope => "LogScope's JSON Lines history (docs/history-format.md; the UI exports it)",
            HistoryFormat::PorcupineKv => "Porcupine's key-value log (get/put/append), as in its test_data/kv",
            HistoryFormat::JepsenEtcd => {
                "Jepsen's etcd register log (read/write/cas), as in Porcupine's test_data/jepsen"
            }
        }
    }
}

/// Why a history file cannot be read: where (line and column, from 1; 0 when the whole input is at fault)
/// and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryFormatError {
    /// Line, from 1 (0: the input as a whole).
    pub line: usize,
    /// Column in characters, from 1 (0: the line as a whole).
    pub column: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl HistoryFormatError {
    /// An error at `line`, `column`.
    pub fn at(line: usize, column: usize, message: impl Into<String>) -> HistoryFormatError {
        HistoryFormatError { line, column, message: message.into() }
    }
}

impl fmt::Display for HistoryFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => f.write_str(&self.message),
            (line, 0) => write!(f, "line {line}: {}", self.message),
            (line, column) => write!(f, "line {line}, column {column}: {}", self.message),
        }
    }
}

impl std::error::Error for HistoryFormatError {}

/// The refusal of an input larger than [`MAX_HISTORY_BYTES`] (the CLI says it before reading a file).
pub fn too_large(bytes: u64) -> HistoryFormatError {
    HistoryFormatError::at(
        0,
        0,
        format!("the history is {bytes} bytes; at most {MAX_HISTORY_BYTES} bytes are read (MAX_HISTORY_BYTES)"),
    )
}

/// Reads a history in `format`. The operations keep the file's order of invocation.
pub fn parse_history(format: HistoryFormat, text: &str) -> Result<Vec<HistoryOp>, HistoryFormatError> {
    if text.len() > MAX_HISTORY_BYTES {
        return Err(too_large(text.len() as u64));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let ops = match format {
        HistoryFormat::Logscope => logscope::parse(text)?,
        HistoryFormat::PorcupineKv => porcupine_kv::parse(text)?,
        HistoryFormat::JepsenEtcd => jepsen_etcd::parse(text)?,
    };
    debug_assert!(ops.len() <= MAX_HISTORY_OPS, "every reader counts against the limit");
    Ok(ops)
}

/// The lines of a text with their numbers (from 1), blank ones left out.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, line)| (i + 1, line)).filter(|(_, line)| !line.trim().is_empty())
}

/// The 1-based column (in characters) where `part`, a slice of `line`, starts.
fn column_of(line: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize).min(line.len());
    line[..offset].chars().count() + 1
}

/// Operations of a log whose events name a process but no sequence number (Porcupine's and Jepsen's): each
/// process has at most one operation open; a completion closes it. Times are line numbers.
#[derive(Debug, Default)]
struct OpenOps {
    ops: Vec<HistoryOp>,
    /// Per process, its open operation (index into `ops`).
    open: HashMap<ClientId, usize>,
    /// Per process, the next sequence number.
    next_seq: HashMap<ClientId, u64>,
}

impl OpenOps {
    /// A process calls `op` at `line`.
    fn invoke(
        &mut self,
        process: ClientId,
        op: crate::sim::raft::message::ClientOp,
        line: usize,
    ) -> Result<(), HistoryFormatError> {
        if let Some(&open) = self.open.get(&process) {
            let since = self.ops[open].invoked_us;
            return Err(HistoryFormatError::at(
                line,
                0,
                format!("process {process} invokes again, but its operation from line {since} has not completed"),
            ));
        }
        if self.ops.len() >= MAX_HISTORY_OPS {
            return Err(HistoryFormatError::at(
                line,
                0,
                format!("more than {MAX_HISTORY_OPS} operations (MAX_HISTORY_OPS)"),
            ));
        }
        let seq = self.next_seq.entry(process).or_insert(1);
        self.open.insert(process, self.ops.len());
        self.ops.push(HistoryOp {
            client: process,
            seq: *seq,
            op,
            invoked_us: line as u64,
            completed_us: None,
            status: crate::sim::world::history::OpStatus::Pending,
            attempts: 1,
            served_by: None,
        });
        *seq += 1;
        Ok(())
    }

    /// The open operation of `process`, which a completion at `line` closes.
    fn complete(&mut self, process: ClientId, line: usize) -> Result<&mut HistoryOp, HistoryFormatError> {
        let Some(open) = self.open.remove(&process) else {
            return Err(HistoryFormatError::at(
                line,
                0,
                format!("process {process} completes an operation it never invoked"),
            ));
        };
        let op = &mut self.ops[open];
        op.completed_us = Some(line as u64);
        Ok(op)
    }
}

#[cfg(test)]
mod tests;
