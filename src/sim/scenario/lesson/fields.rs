//! Reading the objects of the lesson step kinds field by field: unknown fields refused (in serde's words,
//! with a "did you mean"), required ones present, each value read as the type of its field
//! ([`FromJson`]), every error at its field path.
//!
//! Why not `#[derive(Deserialize)]` with `serde_path_to_error`: for these shapes and the claims that cost
//! 20 KB of the gzipped wasm (measured with twiggy after `wasm-opt -Oz`); reading by name from the
//! `serde_json::Map` the parser already holds costs a fraction of it (the rest of the format now reads the same
//! way, with `sim::json_fields`, whose type errors are serde's own words; these say `number 3` where serde says
//! ``integer `3` ``, and the tests pin both).

use crate::sim::field_error::{describe, explain_serde, FieldError};
use serde_json::{Map, Value};

/// A field's type, read from its JSON value; the error's field is relative to the value (`[1]`, `min`).
pub trait FromJson: Sized {
    /// Reads the value.
    fn from_json(value: &Value) -> Result<Self, FieldError>;
}

/// `invalid type: string "3", expected a non-negative integer`.
pub fn invalid(value: &Value, expected: &str) -> FieldError {
    FieldError::new("", format!("invalid type: {}, expected {expected}", describe(value)))
}

impl FromJson for u64 {
    fn from_json(value: &Value) -> Result<u64, FieldError> {
        value.as_u64().ok_or_else(|| invalid(value, "a non-negative integer"))
    }
}

impl FromJson for usize {
    fn from_json(value: &Value) -> Result<usize, FieldError> {
        value.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| invalid(value, "a non-negative integer"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<bool, FieldError> {
        value.as_bool().ok_or_else(|| invalid(value, "true or false"))
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<String, FieldError> {
        value.as_str().map(str::to_string).ok_or_else(|| invalid(value, "a string"))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Option<T>, FieldError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

/// The index in `names` of the name `value` holds (an enum written by name), refused as serde refuses an
/// unknown variant.
pub fn name(value: &Value, names: &[&str]) -> Result<usize, FieldError> {
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let Some(given) = value.as_str() else { return Err(invalid(value, &format!("one of {}", listed.join(", ")))) };
    names.iter().position(|n| *n == given).ok_or_else(|| {
        FieldError::new("", explain_serde(&format!("unknown variant `{given}`, expected one of {}", listed.join(", "))))
    })
}

/// Refuses a field that is not in `known`, as serde would (`unknown field `x`, expected one of `a`, `b``,
/// with a suggestion when a known name is close).
pub fn known_fields(object: &Map<String, Value>, known: &[&str]) -> Result<(), FieldError> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        None => Ok(()),
        Some(unknown) => {
            let names: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
            let message = format!("unknown field `{unknown}`, expected one of {}", names.join(", "));
            Err(FieldError::new(unknown.as_str(), explain_serde(&message)))
        }
    }
}

/// The value of the field `name`, which must be there (and not `null`).
pub fn required_value<'a>(object: &'a Map<String, Value>, name: &str) -> Result<&'a Value, FieldError> {
    match object.get(name) {
        None | Some(Value::Null) => Err(FieldError::new(name, "missing; this field is required")),
        Some(value) => Ok(value),
    }
}

/// The field `name`, which must be there (and not `null`).
pub fn required<T: FromJson>(object: &Map<String, Value>, name: &str) -> Result<T, FieldError> {
    T::from_json(required_value(object, name)?).map_err(|e| e.within(name))
}

/// The field `name`, if it is there and not `null`.
pub fn optional<T: FromJson>(object: &Map<String, Value>, name: &str) -> Result<Option<T>, FieldError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => T::from_json(value).map(Some).map_err(|e| e.within(name)),
    }
}

/// A list, each item read as a `T`, an error naming the item's index.
pub fn list<T: FromJson>(value: &Value) -> Result<Vec<T>, FieldError> {
    let Value::Array(items) = value else { return Err(invalid(value, "a list")) };
    items.iter().enumerate().map(|(i, v)| T::from_json(v).map_err(|e| e.within(&format!("[{i}]")))).collect()
}
