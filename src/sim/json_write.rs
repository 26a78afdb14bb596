//! Writing [`Value`]s as compact JSON text, byte for byte as serde_json's `to_string` does (share links
//! and exported files must read back, and their text is compared in tests): no spaces, keys in map order,
//! `"`, `\` and control characters escaped, floats in their shortest round-trip form.

use crate::sim::json::{Number, Value};
use crate::sim::json_float;
use std::fmt;

impl fmt::Display for Number {
    /// Integers in decimal; floats as their shortest round-trip digits (`0.25`, `1e40`, `100.0`), the text
    /// serde_json writes ([`json_float::to_json`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::PosInt(n) => write!(f, "{n}"),
            Number::NegInt(n) => write!(f, "{n}"),
            Number::Float(x) => f.write_str(&json_float::to_json(x)),
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Number(n) => n.fmt(f),
            Value::String(s) => write_string(f, s),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    item.fmt(f)?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (key, value)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, key)?;
                    f.write_str(":")?;
                    value.fmt(f)?;
                }
                f.write_str("}")
            }
        }
    }
}

/// A JSON string literal with serde_json's escapes: `\"`, `\\`, `\b \t \n \f \r`, other control
/// characters as `\u00xx`; everything else (including non-ASCII) as is.
fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut start = 0;
    for (i, byte) in s.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0c => "\\f",
            b'\r' => "\\r",
            0x00..=0x1f => "",
            _ => continue,
        };
        f.write_str(&s[start..i])?;
        if escape.is_empty() {
            write!(f, "\\u00{byte:02x}")?;
        } else {
            f.write_str(escape)?;
        }
        start = i + 1;
    }
    f.write_str(&s[start..])?;
    f.write_str("\"")
}
