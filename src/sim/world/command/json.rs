//! The JSON shape of a command: one object tagged by `action` (`{"action": "crash", "node": 0}`), read with
//! the field at fault named in every error (`node: missing; `crash` needs it`). The fields of each action are
//! read and written by the code `command_schema!` generates (`schema.rs`); this file handles the tag and gives
//! the serde traits that shape, so a command reads and writes the same in any serde format.

use super::Command;
use crate::sim::field_error::{describe, shorten, suggest, FieldError};
use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

impl Command {
    /// Every `action` name, in declaration order ([`Command::ACTIONS`]).
    pub fn actions() -> &'static [&'static str] {
        Command::ACTIONS
    }

    /// The command as its JSON object: `{"action": "crash", "node": 0}`, absent optional fields left out.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("action".to_string(), Value::String(self.action().to_string()));
        self.write_fields(&mut object);
        Value::Object(object)
    }

    /// Reads a command from its JSON object. The error names the field at fault, relative to the object
    /// (`node`, `groups[1][0]`, `action`), and says why; limits are [`Command::validate`]'s job.
    pub fn from_json(mut object: Map<String, Value>) -> Result<Command, FieldError> {
        let expected = || Command::ACTIONS.join(", ");
        let action = match object.remove("action") {
            None => return Err(FieldError::new("action", format!("missing; expected one of: {}", expected()))),
            Some(Value::String(action)) => action,
            Some(other) => {
                return Err(FieldError::new(
                    "action",
                    format!("must be an action name, got {}; expected one of: {}", describe(&other), expected()),
                ))
            }
        };
        Command::read_fields(&action, &object).unwrap_or_else(|| {
            let hint = suggest(&action, Command::ACTIONS.iter().copied());
            Err(FieldError::new(
                "action",
                format!("unknown action `{}`{hint}; expected one of: {}", shorten(&action), expected()),
            ))
        })
    }
}

impl Serialize for Command {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Command {
    /// Reads the tagged object from any serde format; the error is `field: reason` ([`Command::from_json`]).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = Map::deserialize(deserializer)?;
        Command::from_json(object).map_err(de::Error::custom)
    }
}
