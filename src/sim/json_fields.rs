//! Reading and writing JSON objects field by field, for the hand-written file formats (scenario files, their
//! steps, the configuration, commands): each field a [`JsonField`], the object read by a [`FieldReader`] that
//! refuses what serde would refuse, in serde's words and order, at the field's path.
//!
//! Why not serde's derive under `serde_path_to_error`, as before: the derived visitors, instantiated once more
//! for the path tracker's wrapper of every value, were a third of the browser bundle's overrun (the scenario
//! reader alone weighed 37 KB of the gzipped wasm; docs/PERFORMANCE.md). Leaf values (numbers, strings, the
//! named enums) are still read by serde from the `serde_json::Value`, so every message is serde's own; only the
//! walk over an object's fields is ours, and [`json_struct!`] or `command_schema!` generate it from the one
//! declaration of the type, so a field's name and type are written once.

use crate::sim::field_error::{explain_serde, shorten, suggest, FieldError};
use serde::de::{Error as _, IgnoredAny};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The type of a field: read from its JSON value (the error's field relative to the value, such as `[1][0]`),
/// written as one (`None`: left out), and what an absent field means.
pub trait JsonField: Sized {
    /// Reads the value.
    fn read(value: &Value) -> Result<Self, FieldError>;
    /// The value of an absent field: `None` when the field is required.
    fn absent() -> Option<Self> {
        None
    }
    /// The value as JSON; `None` leaves the field out.
    fn write(&self) -> Option<Value>;
}

/// serde's refusal of a value, in a JSON author's words.
pub fn refused(error: serde_json::Error) -> FieldError {
    FieldError::new("", explain_serde(&error.to_string()))
}

/// Makes types that serde reads and writes [`JsonField`]s (numbers, strings, the enums written by name).
macro_rules! serde_leaf {
    ($($leaf:ty),* $(,)?) => {$(
        impl $crate::sim::json_fields::JsonField for $leaf {
            fn read(value: &serde_json::Value) -> Result<Self, $crate::sim::field_error::FieldError> {
                <$leaf as serde::Deserialize>::deserialize(value).map_err($crate::sim::json_fields::refused)
            }
            fn write(&self) -> Option<serde_json::Value> {
                serde_json::to_value(self).ok()
            }
        }
    )*};
}
pub(crate) use serde_leaf;

serde_leaf!(u64, u32, usize, f64, bool, String);

impl JsonField for Value {
    /// Any value: a container that the reader checks the shape of itself.
    fn read(value: &Value) -> Result<Self, FieldError> {
        Ok(value.clone())
    }
    fn write(&self) -> Option<Value> {
        Some(self.clone())
    }
}

impl<T: JsonField> JsonField for Option<T> {
    /// `null` is absent.
    fn read(value: &Value) -> Result<Self, FieldError> {
        match value {
            Value::Null => Ok(None),
            other => T::read(other).map(Some),
        }
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
    fn write(&self) -> Option<Value> {
        self.as_ref().and_then(T::write)
    }
}

impl<T: JsonField> JsonField for Vec<T> {
    /// A list; an item's error names its index.
    fn read(value: &Value) -> Result<Self, FieldError> {
        let Value::Array(items) = value else {
            // serde's words for what is not a list.
            let error = Vec::<IgnoredAny>::deserialize(value).err();
            return Err(error.map_or_else(|| FieldError::new("", "expected a list"), refused));
        };
        items.iter().enumerate().map(|(i, item)| T::read(item).map_err(|e| e.within(&format!("[{i}]")))).collect()
    }
    fn write(&self) -> Option<Value> {
        Some(Value::Array(self.iter().map(|item| item.write().unwrap_or(Value::Null)).collect()))
    }
}

/// Reads an object's fields, keeping the refusal serde would give first: of the fields that are unknown or
/// fail to read, the one earliest in the object's order; if there is none, the first missing required field
/// in declaration order.
pub struct FieldReader<'a> {
    /// The command whose fields these are (its words in the messages), or `None` for a struct.
    action: Option<&'static str>,
    object: &'a Map<String, Value>,
    /// The earliest refusal so far, with its field's position in the object.
    first: Option<(usize, FieldError)>,
    /// The first required field found absent.
    missing: Option<&'static str>,
}

impl<'a> FieldReader<'a> {
    /// A reader of the fields of a struct, named `fields`: another field is refused in serde's words
    /// (`unknown field `x`, expected one of …`, with a "did you mean").
    pub fn for_struct(object: &'a Map<String, Value>, fields: &'static [&'static str]) -> Self {
        let mut reader = FieldReader { action: None, object, first: None, missing: None };
        if let Some((position, unknown)) = reader.first_unknown(fields) {
            let message = serde_json::Error::unknown_field(unknown, fields).to_string();
            reader.first = Some((position, FieldError::new(shorten(unknown), explain_serde(&message))));
        }
        reader
    }

    /// A reader of the fields of the command `action`: another field is refused in the words of a command
    /// (``crash` has no such field; expected: node`).
    pub fn for_action(action: &'static str, object: &'a Map<String, Value>, fields: &'static [&'static str]) -> Self {
        let mut reader = FieldReader { action: Some(action), object, first: None, missing: None };
        if let Some((position, unknown)) = reader.first_unknown(fields) {
            let expected = if fields.is_empty() {
                "it takes no fields".to_string()
            } else {
                format!("expected: {}", fields.join(", "))
            };
            let hint = suggest(unknown, fields.iter().copied());
            let reason = format!("`{action}` has no such field{hint}; {expected}");
            reader.first = Some((position, FieldError::new(shorten(unknown), reason)));
        }
        reader
    }

    fn first_unknown(&self, fields: &[&str]) -> Option<(usize, &'a str)> {
        self.object
            .keys()
            .enumerate()
            .find(|(_, key)| !fields.contains(&key.as_str()))
            .map(|(i, key)| (i, key.as_str()))
    }

    /// The field `name`, if it is there and reads (else `None`; a refusal is kept for [`FieldReader::finish`]).
    pub fn present<T: JsonField>(&mut self, name: &'static str) -> Option<T> {
        let value = self.object.get(name)?;
        match T::read(value) {
            Ok(value) => Some(value),
            Err(error) => {
                let position = self.object.keys().position(|key| key == name).unwrap_or(usize::MAX);
                if self.first.as_ref().is_none_or(|(first, _)| position < *first) {
                    self.first = Some((position, error.within(name)));
                }
                None
            }
        }
    }

    /// The field `name`: its value, what its absence means, or (refused or missing) its type's default, with
    /// the reason kept for [`FieldReader::finish`].
    pub fn read<T: JsonField + Default>(&mut self, name: &'static str) -> T {
        if !self.object.contains_key(name) {
            return T::absent().unwrap_or_else(|| {
                self.missing.get_or_insert(name);
                T::default()
            });
        }
        self.present(name).unwrap_or_default()
    }

    /// Whether every field was there and read.
    pub fn finish(self) -> Result<(), FieldError> {
        match (self.first, self.missing) {
            (Some((_, error)), _) => Err(error),
            (None, Some(field)) => {
                let needed =
                    self.action.map_or_else(|| "this field is required".to_string(), |a| format!("`{a}` needs it"));
                Err(FieldError::new(field, format!("missing; {needed}")))
            }
            (None, None) => Ok(()),
        }
    }
}

/// Writes `value` under `name` unless it is left out (an absent option).
pub fn write_field<T: JsonField>(object: &mut Map<String, Value>, name: &str, value: &T) {
    if let Some(value) = value.write() {
        object.insert(name.to_string(), value);
    }
}

/// Declares a struct read from a JSON object whose fields are all optional (absent: the struct's `Default`):
/// `field: Type`, or `field as "name": Type` for a JSON name that is not the Rust one. Generates the struct,
/// `FIELDS`, `read_object` and `to_object` (a `Serialize` derive on the struct would not know the `as` names).
macro_rules! json_struct {
    (@name $field:ident) => { stringify!($field) };
    (@name $field:ident $json:literal) => { $json };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$field_meta:meta])* $field_vis:vis $field:ident $(as $json:literal)? : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$field_meta])* $field_vis $field: $ty ),*
        }

        impl $name {
            /// The JSON names of the fields, in declaration order.
            pub const FIELDS: &'static [&'static str] = &[$( $crate::sim::json_fields::json_struct!(@name $field $($json)?) ),*];

            /// Reads the object: a field that is there replaces its default; an unknown field or a value of
            /// the wrong type is refused at its path, in serde's words.
            pub fn read_object(
                object: &serde_json::Map<String, serde_json::Value>,
            ) -> Result<Self, $crate::sim::field_error::FieldError> {
                let mut reader = $crate::sim::json_fields::FieldReader::for_struct(object, Self::FIELDS);
                let mut value = Self::default();
                $(
                    if let Some(field) = reader.present($crate::sim::json_fields::json_struct!(@name $field $($json)?)) {
                        value.$field = field;
                    }
                )*
                reader.finish().map(|()| value)
            }

            /// The struct as a JSON object (absent options left out), the inverse of `read_object`.
            pub fn to_object(&self) -> serde_json::Map<String, serde_json::Value> {
                let mut object = serde_json::Map::new();
                $(
                    $crate::sim::json_fields::write_field(
                        &mut object,
                        $crate::sim::json_fields::json_struct!(@name $field $($json)?),
                        &self.$field,
                    );
                )*
                object
            }
        }
    };
}
pub(crate) use json_struct;
