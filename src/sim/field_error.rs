//! Refusals that name the field at fault, and the wording shared by every reader of a file format.
//!
//! Scenario files are written by hand, by students, and arrive through share links, so an error message is
//! the user interface: it names the field (`steps[3].do.node`), says what is wrong, and suggests the name that
//! was probably meant. serde's own messages are kept (they are precise) but said in the words of someone who
//! writes JSON rather than Rust ([`explain_serde`]).

use serde_json::Value;
use std::fmt;

/// A value refused by a rule: the field (a path relative to what was checked, such as `node` or
/// `groups[1][0]`; empty for the whole thing) and the reason, phrased for the person who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field inside the checked value; empty means the value as a whole.
    pub field: String,
    /// What is wrong and, where useful, what would be right.
    pub reason: String,
}

impl FieldError {
    /// A refusal of `field` for `reason`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), reason: reason.into() }
    }

    /// The same refusal seen from one level up: `node` inside `do` becomes `do.node`.
    pub fn within(self, prefix: &str) -> FieldError {
        FieldError { field: join(prefix, &self.field), reason: self.reason }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{}: {}", self.field, self.reason)
        }
    }
}

impl std::error::Error for FieldError {}

/// `prefix.field`, `prefix[2]`, or whichever part is not empty.
pub fn join(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (true, _) => field.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if field.starts_with('[') => format!("{prefix}{field}"),
        (false, false) => format!("{prefix}.{field}"),
    }
}

/// serde's message in a JSON author's words: Rust type names become JSON words (`u64` → a non-negative
/// integer), and an unknown field or variant gets a "did you mean" from the names serde lists.
pub fn explain_serde(message: &str) -> String {
    const WORDS: [(&str, &str); 7] = [
        ("expected usize", "expected a non-negative integer"),
        ("expected u64", "expected a non-negative integer"),
        ("expected u32", "expected a non-negative integer"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
        ("expected string or map", "expected a name (a string)"),
        ("expected a sequence", "expected a list"),
    ];
    let mut text = message.to_string();
    for (from, to) in WORDS {
        text = text.replace(from, to);
    }
    for kind in ["unknown field `", "unknown variant `"] {
        let Some(rest) = text.strip_prefix(kind) else { continue };
        // The names serde offers come after the given one, each in backticks; the given one (which may hold
        // anything, backticks included) ends where serde's "`, expected …" starts (the list never holds that).
        let Some(end) = rest.rfind("`, expected ").or_else(|| rest.rfind("`, there are no ")) else { continue };
        let (given, known) = (&rest[..end], &rest[end + 3..]);
        let names: Vec<&str> = known.split('`').skip(1).step_by(2).collect();
        let hint = suggest(given, names.iter().copied());
        return format!("{kind}{}`{hint}, {known}", shorten(given));
    }
    text
}

/// ` (did you mean `crash`?)` when a known name is within two edits of `given`, else empty.
pub fn suggest<'a>(given: &str, known: impl Iterator<Item = &'a str>) -> String {
    if given.len() > 64 {
        return String::new();
    }
    known
        .map(|k| (edit_distance(given, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance, for [`suggest`].
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Cuts user text quoted in an error to 40 characters, so an error stays one readable line.
pub fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

/// `string "abc"`, `number -1`, `a list of 2 items`, … for the "got …" of a message (long strings shortened).
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {:?}", shorten(s)),
        Value::Array(a) => format!("a list of {} items", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_get_json_words_and_suggestions() {
        let cases = [
            ("invalid value: integer `-1`, expected u64", "invalid value: integer `-1`, expected a non-negative integer"),
            (
                "unknown field `nodez`, expected one of `nodes`, `clients`",
                "unknown field `nodez` (did you mean `nodes`?), expected one of `nodes`, `clients`",
            ),
            (
                "unknown variant `folower`, expected one of `leader`, `read-index`, `follower`",
                "unknown variant `folower` (did you mean `follower`?), expected one of `leader`, `read-index`, `follower`",
            ),
            ("unknown field `xyz`, expected `at_ms` or `do`", "unknown field `xyz`, expected `at_ms` or `do`"),
            ("unknown field `a`, b`, expected `ab`", "unknown field `a`, b`, expected `ab`"),
            ("unknown field `zz`, there are no fields", "unknown field `zz`, there are no fields"),
        ];
        for (serde, ours) in cases {
            assert_eq!(explain_serde(serde), ours);
        }
        let long = format!("unknown field `{}`, expected `a`", "q".repeat(500));
        assert!(explain_serde(&long).len() < 80, "{}", explain_serde(&long));
    }

    #[test]
    fn paths_join_like_field_paths() {
        assert_eq!(join("", "name"), "name");
        assert_eq!(join("steps[0]", "do"), "steps[0].do");
        assert_eq!(join("steps", "[3]"), "steps[3]");
        assert_eq!(join("config", ""), "config");
        assert_eq!(FieldError::new("node", "gone").within("do").to_string(), "do.node: gone");
        assert_eq!(FieldError::new("", "gone").to_string(), "gone");
    }

    #[test]
    fn suggestions_are_close_names_only() {
        assert_eq!(suggest("crsh", ["put", "crash"].into_iter()), " (did you mean `crash`?)");
        assert_eq!(suggest("explode", ["put", "crash"].into_iter()), "");
        assert_eq!(suggest(&"x".repeat(100), ["x"].into_iter()), "");
    }
}
