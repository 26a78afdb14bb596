//! Why a scenario was rejected: where (a field path, a line and column, or a byte offset) and why.

use crate::sim::field_error::FieldError;
use std::fmt;

/// Where a scenario error is, so the editor can point at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A field path such as `steps[3].do.node`; empty means the scenario as a whole.
    Field(String),
    /// A JSON syntax error at this line and column (both from 1).
    Text {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// The input is not UTF-8 from this byte offset (from 0) on.
    Byte(usize),
}

/// Why a scenario was rejected: where, and the reason, phrased for the person who wrote the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong and, where useful, what would be right.
    pub reason: String,
}

impl ScenarioError {
    /// An error at a field path (`""` for the whole scenario).
    pub(crate) fn at(path: impl Into<String>, reason: impl Into<String>) -> Self {
        ScenarioError { location: Location::Field(path.into()), reason: reason.into() }
    }

    /// A JSON syntax error as serde_json reports it: its position (line and column from 1) and its message
    /// without the position serde_json appends.
    pub(crate) fn syntax(e: &serde_json::Error) -> Self {
        let message = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let reason = message.strip_suffix(&suffix).unwrap_or(&message);
        ScenarioError {
            location: Location::Text { line: e.line().max(1), column: e.column().max(1) },
            reason: format!("not valid JSON: {reason}"),
        }
    }

    /// The location as text: `steps[3].do.node`, `scenario`, `line 4, column 9` or `byte 17`.
    pub fn path(&self) -> String {
        match &self.location {
            Location::Field(p) if p.is_empty() => "scenario".to_string(),
            Location::Field(p) => p.clone(),
            Location::Text { line, column } => format!("line {line}, column {column}"),
            Location::Byte(b) => format!("byte {b}"),
        }
    }
}

impl From<FieldError> for ScenarioError {
    fn from(e: FieldError) -> Self {
        ScenarioError::at(e.field, e.reason)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path(), self.reason)
    }
}

impl std::error::Error for ScenarioError {}
