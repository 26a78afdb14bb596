//! Invariants as a lesson file names them: by their code (`I7`, `LIN`), read against the checker's one list
//! ([`Invariant::ALL`]), so a new invariant is claimable the moment the checker knows it.

use super::fields::{invalid, list, FromJson};
use crate::sim::check::violation::Invariant;
use crate::sim::field_error::{describe, shorten, suggest, FieldError};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// One invariant, written as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InvariantCode(pub Invariant);

/// The invariants a `not_violated` claim names: a list, or every one (`"all"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvariantList {
    /// Every invariant a lesson can be checked against (all but `LIVE`, which only chaos runs check).
    All,
    /// These.
    Some(Vec<InvariantCode>),
}

impl InvariantList {
    /// The invariants meant, in the checker's order for `All`, as written otherwise.
    pub fn invariants(&self) -> Vec<Invariant> {
        match self {
            InvariantList::All => Invariant::ALL.into_iter().filter(|&i| checkable(i)).collect(),
            InvariantList::Some(codes) => codes.iter().map(|c| c.0).collect(),
        }
    }
}

/// Whether a lesson can claim `invariant` while it plays: every one the checker checks as the run goes, and
/// linearizability (checked on the history so far); liveness is a property of a whole chaos run.
pub fn checkable(invariant: Invariant) -> bool {
    invariant != Invariant::Liveness
}

/// `I1, I2, …, LIN, LIVE`: every code, for error messages.
fn codes() -> String {
    Invariant::ALL.map(Invariant::code).join(", ")
}

impl Serialize for InvariantCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.code())
    }
}

impl FromJson for InvariantCode {
    fn from_json(value: &Value) -> Result<InvariantCode, FieldError> {
        let Some(code) = value.as_str() else { return Err(invalid(value, &format!("an invariant id ({})", codes()))) };
        Invariant::from_code(code).map(InvariantCode).ok_or_else(|| {
            let hint = suggest(code, Invariant::ALL.iter().map(|i| i.code()));
            FieldError::new("", format!("unknown invariant `{}`{hint}; expected one of {}", shorten(code), codes()))
        })
    }
}

impl Serialize for InvariantList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            InvariantList::All => serializer.serialize_str("all"),
            InvariantList::Some(codes) => codes.serialize(serializer),
        }
    }
}

impl InvariantList {
    /// Reads `"all"` or a list of invariant codes (each read by [`InvariantCode`]'s serde form).
    pub fn read(value: &Value) -> Result<InvariantList, FieldError> {
        match value {
            Value::String(all) if all == "all" => Ok(InvariantList::All),
            Value::Array(_) => list(value).map(InvariantList::Some),
            other => Err(FieldError::new(
                "",
                format!(r#"must be "all" or a list of invariant ids like ["I7", "I8"], got {}"#, describe(other)),
            )),
        }
    }
}
