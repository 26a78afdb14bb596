//! Cross-checks `sim::json` against serde_json (a dev-time reference only): on random, mutated and
//! hand-picked texts both parsers must agree on the value (compared as written text) or on the error
//! (text, line and column), and both writers must write the same text.

use crate::sim::json::{Number, Value};
use crate::sim::json_read::parse;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// Parses with both and asserts they agree.
fn same(text: &str) {
    let mine = parse(text).map(|v| v.to_string()).map_err(|e| e.to_string());
    let theirs = serde_json::from_str::<serde_json::Value>(text).map(|v| v.to_string()).map_err(|e| e.to_string());
    assert_eq!(mine, theirs, "input: {text:?}");
}

#[test]
fn hand_picked_texts_parse_as_serde_json_parses_them() {
    let texts = [
        "",
        " ",
        "\n\n  ",
        "null",
        "nul",
        "nulx",
        "true",
        "tru",
        "false",
        "fals ",
        "x",
        "[",
        "]",
        "{",
        "}",
        "[]",
        "{}",
        "[1,]",
        "[1 2]",
        "[,1]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":}",
        "{a:1}",
        "{\"a\":1 \"b\":2}",
        "{,}",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,",
        "[1",
        "[1,",
        "\"abc",
        "\"a\\",
        "\"a\\x\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"\\ud800\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800x\"",
        "\"\\ud800\\x\"",
        "\"\\udc00\"",
        "\"\\ud83d\\ude00\"",
        "\"\\u00e9\\n\\t\\r\\b\\f\\/\\\\\\\"\"",
        "\"tab\there\"",
        "\"\u{1}\"",
        "\"é✓😀\"",
        "0",
        "-0",
        "-",
        "-x",
        "01",
        "-01",
        "1.",
        "1.x",
        "1.5",
        "-1.5",
        "1e",
        "1e+",
        "1e-",
        "1ex",
        "1e5",
        "1E-5",
        "1e400",
        "-1e400",
        "1e-400",
        "0e999999999999",
        "1e999999999999",
        "1e-999999999999",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "1234567890123456789012345.678e-3",
        "0.000000000000000000000000000001",
        "1.7976931348623157e308",
        "2.2250738585072014e-308",
        "5e-324",
        "0.1",
        "0.35",
        "100",
        "1.0",
        "[1]x",
        "{} {}",
        "1 2",
        "\u{feff}1",
        "[[[[]]]]",
        "{\"a\":{\"b\":[1,{\"c\":null}]}}",
        "{\"b\":1,\"a\":2,\"b\":3}",
        "\n\n   [1,\n  2,\n  ]",
        "\r\n{\r\n\"a\"\r\n:\r\n1\r\n,\r\n}",
        "[\"a\",\n \"b\"\n \"c\"]",
    ];
    for text in texts {
        same(text);
    }
    same(&"[".repeat(200));
    same(&format!("{}{}", "[".repeat(127), "]".repeat(127)));
    same(&format!("{}{}", "[".repeat(126), "]".repeat(126)));
    same(&"{\"a\":".repeat(130));
}

#[test]
fn scenario_files_and_their_mutations_parse_the_same() {
    // Every lesson file, read from scenarios/ so a new one is covered without editing this list.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| std::fs::read_to_string(p).expect("a readable lesson"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "the lessons are in {}", dir.display());
    let mut rng = Pcg64::seed_from_u64(0x150);
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u",
        "d83d",
        "de00",
        "0",
        "1",
        "-",
        ".",
        "e",
        "+",
        "n",
        "t",
        "\n",
        " ",
        "\t",
        "x",
        "é",
        "\u{7}",
        "99999999999999999999",
        "1e308",
        "null",
        "true",
    ];
    let mut count = 0;
    for file in &files {
        same(file);
        for _ in 0..3_000 {
            let mut text = file.to_string();
            for _ in 0..rng.gen_range(1..4) {
                let mut at = rng.gen_range(0..=text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match rng.gen_range(0..3) {
                    0 => text.insert_str(at, pieces[rng.gen_range(0..pieces.len())]),
                    1 => {
                        let mut end = (at + rng.gen_range(1..4)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(at..end, "");
                    }
                    _ => text.truncate(at),
                }
            }
            same(&text);
            count += 1;
        }
    }
    assert!(count > 20_000);
}

#[test]
fn random_token_soup_parses_the_same() {
    let mut rng = Pcg64::seed_from_u64(7);
    let tokens = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\"a\"",
        "\"\\n\"",
        "\\",
        "0",
        "1",
        "7",
        "-",
        ".",
        "e",
        "E",
        "+",
        "null",
        "true",
        "fals",
        " ",
        "\n",
        "\r",
        "\"\\ud800\"",
        "1e-7",
        "2.5",
        "\u{0}",
        "ü",
    ];
    for _ in 0..100_000 {
        let text: String = (0..rng.gen_range(0..12)).map(|_| tokens[rng.gen_range(0..tokens.len())]).collect();
        same(&text);
    }
}

#[test]
fn numbers_read_and_write_as_serde_json_does() {
    let mut rng = Pcg64::seed_from_u64(11);
    for _ in 0..100_000 {
        let x = f64::from_bits(rng.gen());
        let mine = Value::from(x).to_string();
        assert_eq!(mine, serde_json::Value::from(x).to_string(), "{x:e}");
        if x.is_finite() {
            same(&mine);
        }
        let digits: String = (0..rng.gen_range(1..25)).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect();
        let text = match rng.gen_range(0..4) {
            0 => digits.clone(),
            1 => format!("-{digits}"),
            2 => format!("0.{digits}e{}", rng.gen_range(-330..330)),
            _ => format!("{}.{digits}", rng.gen_range(0..100_000)),
        };
        same(&text);
    }
    for n in [0, 1, u64::MAX] {
        assert_eq!(Value::from(n).to_string(), serde_json::Value::from(n).to_string());
    }
    assert_eq!(Value::Number(Number::NegInt(i64::MIN)).to_string(), i64::MIN.to_string());
}

#[test]
fn strings_write_as_serde_json_writes_them() {
    let mut rng = Pcg64::seed_from_u64(3);
    for _ in 0..20_000 {
        let s: String = (0..rng.gen_range(0..20))
            .map(|_| match rng.gen_range(0..4) {
                0 => char::from(rng.gen_range(0..0x80u8)),
                1 => char::from_u32(rng.gen_range(0x80..0x11_0000)).unwrap_or('?'),
                _ => char::from(rng.gen_range(0..0x20u8)),
            })
            .collect();
        let mine = Value::from(s.as_str()).to_string();
        assert_eq!(mine, serde_json::Value::from(s.as_str()).to_string());
        assert_eq!(parse(&mine), Ok(Value::String(s)));
    }
}

#[test]
fn serde_round_trip_through_value() {
    let text = r#"{"a":[1,-2,3.5,"x",null,true],"b":{"c":18446744073709551615}}"#;
    let value = parse(text).unwrap();
    assert_eq!(serde_json::to_string(&value).unwrap(), text);
    let back: Value = serde_json::from_str(text).unwrap();
    assert_eq!(back, value);
}
