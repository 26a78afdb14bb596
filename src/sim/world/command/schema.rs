//! The declaration form of the command schema: [`command_schema!`] takes the enum once — variants, their
//! `action` names, their fields and types — and generates the enum itself, the list of action names, and the
//! reading and writing of each action's fields (`{"action": "crash", "node": 0}`) with `sim::json_fields`, so
//! a name, a field or a type is written in one place only.
//!
//! Why not serde's derive, as before: reading the tagged shape with field paths needed the derived externally
//! tagged enum under `serde_path_to_error` (serde's derive cannot give the tagged shape field paths:
//! dtolnay/path-to-error#1, and a unit variant accepts unknown fields: serde-rs/serde#2123), and those ~30
//! visitors weighed 11.5 KB of the gzipped browser bundle (docs/PERFORMANCE.md). The messages are the same.

use crate::sim::field_error::FieldError;
use crate::sim::json_fields::{refused, serde_leaf, JsonField};
use serde::Deserialize;
use serde_json::{Map, Value};

serde_leaf!(super::JoinAs);

impl JsonField for super::WriteMix {
    /// A nested object: an error names the weight (`cass`, `get`).
    fn read(value: &Value) -> Result<Self, FieldError> {
        let Value::Object(object) = value else {
            // serde's words for what is not an object.
            let error = Map::<String, Value>::deserialize(value).err();
            return Err(error.map_or_else(|| FieldError::new("", "expected an object"), refused));
        };
        super::WriteMix::read_object(object)
    }
    fn write(&self) -> Option<Value> {
        Some(Value::Object(self.to_object()))
    }
}

/// Declares the command enum: `Variant = "action" { field: Type, … }` (a field's JSON name is its Rust name
/// unless given as `field as "name"`; an `Option` field is optional), or `Variant = "action"` for an action
/// without fields. Generates the enum, `Command::ACTIONS`, `Command::action`, and the field readers and writers
/// `command/json.rs` uses.
macro_rules! command_schema {
    (@name $field:ident) => { stringify!($field) };
    (@name $field:ident $json:literal) => { $json };
    (
        $(#[$enum_meta:meta])*
        pub enum Command {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $action:literal $({
                    $( $(#[$field_meta:meta])* $field:ident $(as $json:literal)? : $ty:ty ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$enum_meta])*
        pub enum Command {
            $( $(#[$variant_meta])* $variant $({ $( $(#[$field_meta])* $field: $ty ),* })? ),*
        }

        impl Command {
            /// Every `action` name, in declaration order (for menus, docs and errors).
            pub const ACTIONS: &'static [&'static str] = &[$($action),*];

            /// The `action` tag of this command in JSON (`"crash"`, `"set-loss"`, …).
            pub fn action(&self) -> &'static str {
                match self {
                    $( Command::$variant { .. } => $action ),*
                }
            }

            /// Reads the fields of `action` (a name from [`Command::ACTIONS`]) from `object`.
            fn read_fields(
                action: &str,
                object: &serde_json::Map<String, serde_json::Value>,
            ) -> Option<Result<Command, $crate::sim::field_error::FieldError>> {
                use $crate::sim::json_fields::FieldReader;
                match action {
                    $( $action => {
                        let fields: &'static [&'static str] =
                            &[$($( command_schema!(@name $field $($json)?) ),*)?];
                        #[allow(unused_mut)]
                        let mut reader = FieldReader::for_action($action, object, fields);
                        let command = Command::$variant $({
                            $( $field: reader.read(command_schema!(@name $field $($json)?)) ),*
                        })?;
                        Some(reader.finish().map(|()| command))
                    } )*
                    _ => None,
                }
            }

            /// Writes this command's fields into `object` (absent options left out).
            #[allow(unused_variables)]
            fn write_fields(&self, object: &mut serde_json::Map<String, serde_json::Value>) {
                use $crate::sim::json_fields::write_field;
                match self {
                    $( Command::$variant $({ $($field),* })? => {
                        $($( write_field(object, command_schema!(@name $field $($json)?), $field); )*)?
                    } )*
                }
            }
        }
    };
}
pub(crate) use command_schema;
