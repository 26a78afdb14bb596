//! The JSON shape of a command: one object tagged by `action` (`{"action": "crash", "node": 0}`), read with
//! the field at fault named in every error (`node: missing; `crash` needs it`).
//!
//! serde's derive can write that shape itself (`#[serde(tag = "action")]`), but reading it has two known
//! limits that matter here: errors inside the variant lose their field path (dtolnay/path-to-error#1: the
//! fields are buffered and replayed without the path tracker) and a unit variant such as `heal` accepts any
//! unknown field despite `deny_unknown_fields` (serde-rs/serde#2123). So the enum derives serde's externally
//! tagged form (`{"crash": {"node": 0}}`) as inherent functions (`remote = "Self"`), and this file moves the tag:
//! [`Tagged`] presents `{"action": "crash", "node": 0}` to the derived code as the variant `crash` with the
//! fields `{"node": 0}`, under `serde_path_to_error`. Every name, field and type still comes from the derive.

use super::Command;
use crate::sim::field_error::{describe, explain_serde, render_path, shorten, suggest, FieldError};
use serde::de::{self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, VariantAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

impl Command {
    /// Every `action` name, in declaration order, exactly as the derived code knows them (for menus, docs and
    /// errors; a new variant appears here by itself).
    pub fn actions() -> &'static [&'static str] {
        match Command::deserialize(Tagged { action: "", fields: Map::new() }) {
            Err(Problem::Actions(names)) => names,
            _ => &[],
        }
    }

    /// The command as its JSON object: `{"action": "crash", "node": 0}`, absent optional fields left out.
    pub fn to_json(&self) -> Value {
        let tagged = |action: String, mut fields: Map<String, Value>| {
            fields.insert("action".to_string(), Value::String(action));
            Value::Object(fields)
        };
        match Command::serialize(self, serde_json::value::Serializer) {
            // A variant without fields: `"heal"`.
            Ok(Value::String(action)) => tagged(action, Map::new()),
            // A variant with fields: `{"crash": {"node": 0}}`.
            Ok(Value::Object(outer)) if outer.len() == 1 => match outer.into_iter().next() {
                Some((action, Value::Object(fields))) => tagged(action, fields),
                other => unreachable!("serde writes a struct variant as a map of its fields, got {other:?}"),
            },
            other => unreachable!("serde writes an enum variant as a string or a one-key map, got {other:?}"),
        }
    }

    /// Reads a command from its JSON object. The error names the field at fault, relative to the object
    /// (`node`, `groups[1][0]`, `action`), and says why; limits are [`Command::validate`]'s job.
    pub fn from_json(mut object: Map<String, Value>) -> Result<Command, FieldError> {
        let names = Command::actions();
        let expected = || names.join(", ");
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
        let Some(&action) = names.iter().find(|name| **name == action) else {
            let hint = suggest(&action, names.iter().copied());
            return Err(FieldError::new(
                "action",
                format!("unknown action `{}`{hint}; expected one of: {}", shorten(&action), expected()),
            ));
        };
        let mut track = serde_path_to_error::Track::new();
        let tagged = serde_path_to_error::Deserializer::new(Tagged { action, fields: object }, &mut track);
        Command::deserialize(tagged).map_err(|problem| problem.located(action, &render_path(&track.path())))
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

/// What went wrong while the derived code read a command, kept structured until the field is known.
#[derive(Debug)]
enum Problem {
    /// A required field is absent.
    Missing(&'static str),
    /// A field the action does not have; `expected` lists those it has.
    Unknown { field: String, expected: &'static [&'static str] },
    /// The variant names, which [`Command::actions`] asks the derived code for.
    Actions(&'static [&'static str]),
    /// Anything else (a value of the wrong type, out of range, an unknown enum name), as serde says it.
    Other(String),
}

impl Problem {
    /// The refusal, with the field path where the path tracker saw it and the action's name in the words.
    fn located(self, action: &str, path: &str) -> FieldError {
        match self {
            Problem::Missing(field) => FieldError::new(field, format!("missing; `{action}` needs it")),
            Problem::Unknown { field, expected } => {
                let fields = if expected.is_empty() {
                    "it takes no fields".to_string()
                } else {
                    format!("expected: {}", expected.join(", "))
                };
                let hint = suggest(&field, expected.iter().copied());
                FieldError::new(shorten(&field), format!("`{action}` has no such field{hint}; {fields}"))
            }
            Problem::Actions(_) => FieldError::new("action", "unknown action"),
            Problem::Other(message) => FieldError::new(path, explain_serde(&message)),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing(field) => write!(f, "missing field `{field}`"),
            Problem::Unknown { field, .. } => write!(f, "unknown field `{field}`"),
            Problem::Actions(names) => write!(f, "actions: {}", names.join(", ")),
            Problem::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Problem {}

impl de::Error for Problem {
    fn custom<T: fmt::Display>(message: T) -> Problem {
        Problem::Other(message.to_string())
    }

    fn missing_field(field: &'static str) -> Problem {
        Problem::Missing(field)
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Problem {
        Problem::Unknown { field: field.to_string(), expected }
    }
}

/// A tagged command object presented to the derived code as an externally tagged enum: the variant named by
/// `action`, with the remaining fields as its struct.
struct Tagged {
    action: &'static str,
    fields: Map<String, Value>,
}

impl<'de> Deserializer<'de> for Tagged {
    type Error = Problem;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Problem> {
        if self.action.is_empty() {
            return Err(Problem::Actions(variants));
        }
        visitor.visit_enum(self)
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Problem> {
        Err(Problem::Other("a command is read as an enum".into()))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'de> EnumAccess<'de> for Tagged {
    type Error = Problem;
    type Variant = Fields;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Fields), Problem> {
        let variant = seed.deserialize(self.action.into_deserializer())?;
        Ok((variant, Fields { entries: self.fields.into_iter(), value: None }))
    }
}

/// The fields of the tagged object (the tag removed), read one by one by the derived struct visitor.
struct Fields {
    entries: serde_json::map::IntoIter,
    /// The value of the key just handed out.
    value: Option<Value>,
}

impl<'de> VariantAccess<'de> for Fields {
    type Error = Problem;

    fn unit_variant(mut self) -> Result<(), Problem> {
        match self.entries.next() {
            Some((field, _)) => Err(Problem::Unknown { field, expected: &[] }),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Problem> {
        Err(Problem::Other("commands have no newtype variants".into()))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Problem> {
        Err(Problem::Other("commands have no tuple variants".into()))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Problem> {
        visitor.visit_map(self)
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Problem;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Problem> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Problem> {
        let value = self.value.take().unwrap_or(Value::Null);
        seed.deserialize(value).map_err(|e| Problem::Other(e.to_string()))
    }
}
