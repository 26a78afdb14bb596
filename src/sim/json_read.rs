//! Parsing JSON text into a [`Value`], with serde_json's behaviour: the same values (integers stay exact,
//! floats are read the way serde_json reads them by default), the same syntax error texts and the same
//! line and column, because scenario errors show them to the person who wrote the file. A test feeds
//! random and mutated texts to both parsers and compares the results.

use crate::sim::json::{Map, Number, Value};
use std::fmt;

/// Nesting deeper than this is refused (serde_json's limit), so hostile input cannot exhaust the stack.
const MAX_DEPTH: u32 = 128;

/// A JSON syntax error: what is wrong and where (line and column from 1; column 0 means "before the
/// first character of the line", as serde_json reports it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// serde_json's wording, e.g. "trailing comma" or "expected `,` or `}`".
    pub reason: &'static str,
    /// Line of the error, from 1.
    pub line: usize,
    /// Column (byte in the line) of the error.
    pub column: usize,
}

impl fmt::Display for SyntaxError {
    /// `trailing comma at line 1 column 14`, as serde_json's `Error` displays.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.reason, self.line, self.column)
    }
}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const NUMBER_OUT_OF_RANGE: &str = "number out of range";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION_LIMIT: &str = "recursion limit exceeded";

type Result<T> = std::result::Result<T, SyntaxError>;

/// Parses one JSON value; only whitespace may follow it.
pub fn parse(text: &str) -> Result<Value> {
    let mut reader = Reader { text, bytes: text.as_bytes(), index: 0, depth: MAX_DEPTH };
    let value = reader.value()?;
    match reader.whitespace() {
        Some(_) => Err(reader.peek_error(TRAILING_CHARACTERS)),
        None => Ok(value),
    }
}

/// The input and a cursor over its bytes.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    index: usize,
    /// Nesting levels still allowed.
    depth: u32,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.index).copied()
    }

    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.index += 1;
        Some(byte)
    }

    /// An error about the byte just consumed (serde_json's `error`).
    fn error(&self, reason: &'static str) -> SyntaxError {
        self.error_at(self.index, reason)
    }

    /// An error about the byte not yet consumed (serde_json's `peek_error`).
    fn peek_error(&self, reason: &'static str) -> SyntaxError {
        self.error_at((self.index + 1).min(self.bytes.len()), reason)
    }

    fn error_at(&self, index: usize, reason: &'static str) -> SyntaxError {
        let before = &self.bytes[..index];
        let start_of_line = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let line = 1 + before[..start_of_line].iter().filter(|&&b| b == b'\n').count();
        SyntaxError { reason, line, column: index - start_of_line }
    }

    /// Skips whitespace; returns the next byte without consuming it.
    fn whitespace(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.index += 1;
        }
        self.peek()
    }

    fn value(&mut self) -> Result<Value> {
        let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_VALUE)) };
        match peek {
            b'n' => self.ident(b"null", Value::Null),
            b't' => self.ident(b"true", Value::Bool(true)),
            b'f' => self.ident(b"false", Value::Bool(false)),
            b'-' => {
                self.index += 1;
                self.integer(false)
            }
            b'0'..=b'9' => self.integer(true),
            b'"' => {
                self.index += 1;
                self.string().map(Value::String)
            }
            b'[' | b'{' => {
                self.depth -= 1;
                if self.depth == 0 {
                    return Err(self.peek_error(RECURSION_LIMIT));
                }
                self.index += 1;
                let value = if peek == b'[' { self.list() } else { self.object() }?;
                self.depth += 1;
                Ok(value)
            }
            _ => Err(self.peek_error(EXPECTED_VALUE)),
        }
    }

    /// `null`, `true` or `false`, whose first byte has been peeked.
    fn ident(&mut self, word: &[u8], value: Value) -> Result<Value> {
        self.index += 1;
        for &expected in &word[1..] {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b) if b != expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(value)
    }

    /// The items of a list after its `[`, and the closing `]`.
    fn list(&mut self) -> Result<Value> {
        let mut items = Vec::new();
        loop {
            let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_LIST)) };
            if peek == b']' {
                self.index += 1;
                return Ok(Value::Array(items));
            }
            if !items.is_empty() {
                if peek != b',' {
                    return Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END));
                }
                self.index += 1;
                match self.whitespace() {
                    Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => {}
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            }
            items.push(self.value()?);
        }
    }

    /// The fields of an object after its `{`, and the closing `}`. A repeated key keeps its last value.
    fn object(&mut self) -> Result<Value> {
        let mut map = Map::new();
        let mut first = true;
        loop {
            let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_OBJECT)) };
            if peek == b'}' {
                self.index += 1;
                return Ok(Value::Object(map));
            }
            if first {
                first = false;
                if peek != b'"' {
                    return Err(self.peek_error(KEY_MUST_BE_A_STRING));
                }
            } else if peek == b',' {
                self.index += 1;
                match self.whitespace() {
                    Some(b'"') => {}
                    Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            } else {
                return Err(self.peek_error(EXPECTED_OBJECT_COMMA_OR_END));
            }
            self.index += 1;
            let key = self.string()?;
            match self.whitespace() {
                Some(b':') => self.index += 1,
                Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                None => return Err(self.peek_error(EOF_OBJECT)),
            }
            let value = self.value()?;
            map.insert(key, value);
        }
    }

    /// The rest of a string after its opening `"`, and the closing `"`.
    fn string(&mut self) -> Result<String> {
        let mut out = String::new();
        let mut start = self.index;
        loop {
            while self.peek().is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20) {
                self.index += 1;
            }
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => {
                    out.push_str(&self.text[start..self.index]);
                    self.index += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[start..self.index]);
                    self.index += 1;
                    self.escape(&mut out)?;
                    start = self.index;
                }
                Some(_) => {
                    self.index += 1;
                    return Err(self.error(CONTROL_CHARACTER));
                }
            }
        }
    }

    /// One escape sequence after its `\`.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let Some(byte) = self.next() else { return Err(self.error(EOF_STRING)) };
        out.push(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => return Err(self.error(INVALID_ESCAPE)),
        });
        Ok(())
    }

    /// A `\uXXXX` escape after its `\u`; a leading surrogate must be followed by `\uXXXX` with the trailing one.
    fn unicode_escape(&mut self) -> Result<char> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.error(LONE_SURROGATE));
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            return Ok(char::from_u32(n).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        for expected in [b'\\', b'u'] {
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b) => {
                    self.index += 1;
                    if b != expected {
                        return Err(self.error(END_OF_HEX_ESCAPE));
                    }
                }
            }
        }
        let n2 = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&n2) {
            return Err(self.error(LONE_SURROGATE));
        }
        let code = (((n - 0xD800) << 10) | (n2 - 0xDC00)) + 0x1_0000;
        Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Result<u32> {
        let Some(digits) = self.bytes.get(self.index..self.index + 4) else {
            self.index = self.bytes.len();
            return Err(self.error(EOF_STRING));
        };
        self.index += 4;
        digits
            .iter()
            .try_fold(0u32, |n, &d| char::from(d).to_digit(16).map(|d| n * 16 + d))
            .ok_or_else(|| self.error(INVALID_ESCAPE))
    }

    /// A number, its `-` (if any) already consumed.
    fn integer(&mut self, positive: bool) -> Result<Value> {
        let Some(first) = self.next() else { return Err(self.error(EOF_VALUE)) };
        let mut significand = match first {
            b'0' if self.peek_or_null().is_ascii_digit() => return Err(self.peek_error(INVALID_NUMBER)),
            b'0'..=b'9' => u64::from(first - b'0'),
            _ => return Err(self.error(INVALID_NUMBER)),
        };
        if first != b'0' {
            while let c @ b'0'..=b'9' = self.peek_or_null() {
                let digit = u64::from(c - b'0');
                if overflows(significand, digit, u64::MAX) {
                    return self.long_integer(positive, significand).map(float);
                }
                self.index += 1;
                significand = significand * 10 + digit;
            }
        }
        match self.peek_or_null() {
            b'.' => self.decimal(positive, significand, 0).map(float),
            b'e' | b'E' => self.exponent(positive, significand, 0).map(float),
            _ if positive => Ok(Value::Number(Number::PosInt(significand))),
            _ => {
                let negative = (significand as i64).wrapping_neg();
                // `-0` and integers below i64::MIN are floats.
                Ok(if negative >= 0 { float(-(significand as f64)) } else { Value::Number(Number::NegInt(negative)) })
            }
        }
    }

    /// Digits beyond what a u64 holds: they only scale the number.
    fn long_integer(&mut self, positive: bool, significand: u64) -> Result<f64> {
        let mut exponent = 0;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.index += 1;
                    exponent += 1;
                }
                b'.' => return self.decimal(positive, significand, exponent),
                b'e' | b'E' => return self.exponent(positive, significand, exponent),
                _ => return self.to_f64(positive, significand, exponent),
            }
        }
    }

    /// The fraction after the integer part, from its `.`.
    fn decimal(&mut self, positive: bool, mut significand: u64, exponent_before: i32) -> Result<f64> {
        self.index += 1;
        let mut exponent_after = 0;
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            let digit = u64::from(c - b'0');
            if overflows(significand, digit, u64::MAX) {
                // Further digits cannot change a u64 significand: skip them.
                while self.peek_or_null().is_ascii_digit() {
                    self.index += 1;
                }
                let exponent = exponent_before + exponent_after;
                return match self.peek_or_null() {
                    b'e' | b'E' => self.exponent(positive, significand, exponent),
                    _ => self.to_f64(positive, significand, exponent),
                };
            }
            self.index += 1;
            significand = significand * 10 + digit;
            exponent_after -= 1;
        }
        if exponent_after == 0 {
            return Err(self.peek_error(if self.peek().is_some() { INVALID_NUMBER } else { EOF_VALUE }));
        }
        let exponent = exponent_before + exponent_after;
        match self.peek_or_null() {
            b'e' | b'E' => self.exponent(positive, significand, exponent),
            _ => self.to_f64(positive, significand, exponent),
        }
    }

    /// The exponent, from its `e`.
    fn exponent(&mut self, positive: bool, significand: u64, starting: i32) -> Result<f64> {
        self.index += 1;
        let positive_exponent = match self.peek_or_null() {
            b'+' => {
                self.index += 1;
                true
            }
            b'-' => {
                self.index += 1;
                false
            }
            _ => true,
        };
        let mut exponent = match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        };
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            self.index += 1;
            let digit = i32::from(c - b'0');
            if overflows(exponent as u64, digit as u64, i32::MAX as u64) {
                // A huge exponent: zero for a negative one (or a zero significand), else out of range.
                if significand != 0 && positive_exponent {
                    return Err(self.error(NUMBER_OUT_OF_RANGE));
                }
                while self.peek_or_null().is_ascii_digit() {
                    self.index += 1;
                }
                return Ok(if positive { 0.0 } else { -0.0 });
            }
            exponent = exponent * 10 + digit;
        }
        let exponent =
            if positive_exponent { starting.saturating_add(exponent) } else { starting.saturating_sub(exponent) };
        self.to_f64(positive, significand, exponent)
    }

    /// `significand · 10^exponent` as serde_json computes it without its `float_roundtrip` feature.
    fn to_f64(&self, positive: bool, significand: u64, mut exponent: i32) -> Result<f64> {
        let mut f = significand as f64;
        loop {
            match exponent.unsigned_abs() {
                abs @ 0..=308 => {
                    let pow = pow10(abs);
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(NUMBER_OUT_OF_RANGE));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                _ => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }
}

/// Whether `a * 10 + b` exceeds `max`.
fn overflows(a: u64, b: u64, max: u64) -> bool {
    a >= max / 10 && (a > max / 10 || b > max % 10)
}

fn float(f: f64) -> Value {
    Value::Number(Number::Float(f))
}

/// 10^n for n in 0..=308, correctly rounded (the value of the literal `1e{n}`, as in serde_json's table):
/// exact up to 10^22, above that 5^n is computed exactly in a small big integer and rounded to 53 bits
/// (half to even). Computing it keeps a 2.5 KB table of incompressible doubles out of the bundle.
fn pow10(n: u32) -> f64 {
    if n <= 22 {
        return (0..n).fold(1.0, |x, _| x * 10.0);
    }
    // 5^n in 32-bit limbs, least significant first.
    let mut limbs: Vec<u32> = vec![1];
    for _ in 0..n {
        let mut carry = 0u64;
        for limb in limbs.iter_mut() {
            let x = u64::from(*limb) * 5 + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    let top = limbs.len() - 1;
    let bits = top as u32 * 32 + (32 - limbs[top].leading_zeros());
    let bit = |i: u32| (limbs[(i / 32) as usize] >> (i % 32)) & 1 == 1;
    // The top 53 bits, then round half to even on the bits below.
    let drop = bits - 53;
    let mut mantissa = (drop..bits).rev().fold(0u64, |m, i| (m << 1) | u64::from(bit(i)));
    let half = bit(drop - 1);
    let sticky = (0..drop - 1).any(bit);
    let mut exponent = drop + n;
    if half && (sticky || mantissa & 1 == 1) {
        mantissa += 1;
        if mantissa == 1 << 53 {
            mantissa >>= 1;
            exponent += 1;
        }
    }
    // mantissa · 2^exponent with 2^52 <= mantissa < 2^53.
    f64::from_bits((u64::from(exponent + 52 + 1023) << 52) | (mantissa & ((1 << 52) - 1)))
}

#[cfg(test)]
mod tests {
    use super::pow10;

    #[test]
    fn pow10_is_the_correctly_rounded_literal() {
        for n in 0..=308 {
            assert_eq!(pow10(n).to_bits(), format!("1e{n}").parse::<f64>().unwrap().to_bits(), "1e{n}");
        }
    }
}
