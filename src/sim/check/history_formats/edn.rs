//! The one EDN shape Porcupine's key-value log uses: a flat map on one line, `{:process 0, :type :invoke,
//! :f :get, :key "3", :value nil}` — keywords, strings, integers and `nil`, commas as whitespace. Anything
//! else is an error with its column, so a malformed line is named, not skipped.

use super::{column_of, HistoryFormatError};

/// One value of such a map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Value<'a> {
    /// `:invoke` (without the colon).
    Keyword(&'a str),
    /// `"x 0 1 y"` (unescaped).
    Text(String),
    /// `17`.
    Integer(u64),
    /// `nil`.
    Nil,
}

/// A map's entries in file order: `(keyword, value, column of the value)`.
pub(super) type Entries<'a> = Vec<(&'a str, Value<'a>, usize)>;

/// Reads `line` (number `number`) as a flat map.
pub(super) fn read_map(line: &str, number: usize) -> Result<Entries<'_>, HistoryFormatError> {
    let error = |at: &str, message: &str| HistoryFormatError::at(number, column_of(line, at), message);
    let trimmed = line.trim();
    let Some(body) = trimmed.strip_prefix('{') else { return Err(error(trimmed, "expected `{` (a map per line)")) };
    let Some(body) = body.strip_suffix('}') else {
        return Err(error(&trimmed[trimmed.len()..], "expected `}` at the end of the line"));
    };
    let mut entries = Vec::new();
    let mut rest = body;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            return Ok(entries);
        }
        let Some(after_colon) = rest.strip_prefix(':') else {
            return Err(error(rest, "expected a keyword such as `:type`"));
        };
        let (name, after) = split_word(after_colon);
        if name.is_empty() {
            return Err(error(after_colon, "empty keyword"));
        }
        let value_text = after.trim_start();
        let column = column_of(line, value_text);
        let (value, remaining) = read_value(value_text).map_err(|(at, message)| error(at, message))?;
        entries.push((name, value, column));
        rest = remaining;
    }
}

/// Splits at the first character that ends a word (whitespace, comma, brace, quote).
fn split_word(text: &str) -> (&str, &str) {
    let end = text.find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | '{' | '"')).unwrap_or(text.len());
    text.split_at(end)
}

/// One value and what follows it, or where and why it is not one.
fn read_value(text: &str) -> Result<(Value<'_>, &str), (&str, &'static str)> {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((Value::Text(out), &quoted[i + 1..])),
                '\\' => match chars.next() {
                    Some((_, '"')) => out.push('"'),
                    Some((_, '\\')) => out.push('\\'),
                    Some((_, 'n')) => out.push('\n'),
                    Some((j, _)) => return Err((&quoted[j..], "unknown escape (use \\\", \\\\ or \\n)")),
                    None => return Err((&quoted[i..], "unterminated string")),
                },
                c => out.push(c),
            }
        }
        return Err((text, "unterminated string"));
    }
    if let Some(keyword) = text.strip_prefix(':') {
        let (name, rest) = split_word(keyword);
        if name.is_empty() {
            return Err((keyword, "empty keyword"));
        }
        return Ok((Value::Keyword(name), rest));
    }
    let (word, rest) = split_word(text);
    match word {
        "" => Err((text, "expected a value (a string, a keyword, an integer or nil)")),
        "nil" => Ok((Value::Nil, rest)),
        _ => word
            .parse::<u64>()
            .map(|n| (Value::Integer(n), rest))
            .map_err(|_| (text, "expected a string, a keyword, a non-negative integer or nil")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_porcupines_lines() {
        let line = r#"{:process 12, :type :ok, :f :get, :key "3", :value "x 0 1 y"}"#;
        let entries = read_map(line, 1).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.0).collect();
        assert_eq!(names, ["process", "type", "f", "key", "value"]);
        assert_eq!(entries[0].1, Value::Integer(12));
        assert_eq!(entries[1].1, Value::Keyword("ok"));
        assert_eq!(entries[4].1, Value::Text("x 0 1 y".into()));
        assert_eq!(entries[4].2, 52, "the column of the value");
        let nil = read_map(r#"{:process 0, :type :invoke, :f :get, :key "5", :value nil}"#, 1).unwrap();
        assert_eq!(nil[4].1, Value::Nil);
        assert_eq!(read_map(r#"{:key "a\"b"}"#, 1).unwrap()[0].1, Value::Text("a\"b".into()));
    }

    #[test]
    fn malformed_lines_name_line_and_column() {
        let cases = [
            ("{:process 0", "line 3, column 12: expected `}` at the end of the line"),
            (":process 0}", "line 3, column 1: expected `{` (a map per line)"),
            ("{process 0}", "line 3, column 2: expected a keyword such as `:type`"),
            (r#"{:key "open}"#, "line 3, column 7: unterminated string"),
            ("{:process -1}", "line 3, column 11: expected a string, a keyword, a non-negative integer or nil"),
            ("{:process}", "line 3, column 10: expected a value"),
            (r#"{:key "a\qb"}"#, "line 3, column 10: unknown escape"),
        ];
        for (line, expected) in cases {
            let error = read_map(line, 3).unwrap_err().to_string();
            assert!(error.starts_with(expected), "{line}\n  got:      {error}\n  expected: {expected}");
        }
    }
}
