//! Fuzzing the untrusted inputs: scenario files (`Scenario::from_json` / `from_bytes`) and share links
//! (`share::decode`). Whatever arrives — random bytes, random text, or a valid scenario with fields deleted,
//! replaced or retyped — parsing must return, never panic, and every error must say where (a field path or
//! a position) and why. Fixed seeds: the run is reproducible and prints how many inputs it fed.

use logscope::sim::scenario::share::{self, ShareError};
use logscope::sim::scenario::{Location, Scenario, ScenarioError};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Value};

/// A valid scenario that exercises most of the format; mutations start from here.
fn base() -> Value {
    json!({
        "name": "fuzz base",
        "summary": "every kind of field",
        "seed": 7,
        "config": {"nodes": 5, "clients": 3, "breaks": ["skip-crc"], "read_mode": "read-index", "loss": 0.1},
        "duration_ms": 5000,
        "steps": [
            {"at_ms": 0, "narrate": "start", "pause": true},
            {"at_ms": 10, "do": {"action": "put", "client": 2, "key": "x", "value": "1", "node": 4}},
            {"at_ms": 20, "do": {"action": "get", "client": 0, "key": "x"}},
            {"at_ms": 30, "do": {"action": "partition", "groups": [[0, 1], [2, 3]]}},
            {"at_ms": 40, "do": {"action": "slow-link", "from": 1, "to": 2, "extra_ms": 50}},
            {"at_ms": 50, "do": {"action": "bit-flip", "node": 3, "index": 2}},
            {"at_ms": 60, "do": {"action": "set-loss", "probability": 0.5}},
            {"at_ms": 70, "do": {"action": "set-latency", "min_ms": 1, "max_ms": 20}},
            {"at_ms": 80, "do": {"action": "slow-disk", "node": 1, "fsync_ms": 30}},
            {"at_ms": 90, "do": {"action": "set-read-mode", "mode": "follower"}},
            {"at_ms": 100, "do": {"action": "set-timeouts", "heartbeat_ms": 40, "election_timeout_ms_min": 200, "election_timeout_ms_max": 300}},
            {"at_ms": 110, "do": {"action": "heal"}}
        ]
    })
}

/// Values a mutation may put anywhere: wrong types, edge numbers, deep and long things.
fn replacement(pick: u32, extra: u64) -> Value {
    match pick % 16 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(u64::MAX),
        4 => json!(1e300),
        5 => json!(0.5),
        6 => json!(extra % 12),
        7 => json!(""),
        8 => json!("crash"),
        9 => json!([]),
        10 => json!({}),
        11 => json!([[0, 1], [1]]),
        12 => json!("x".repeat((extra % 300) as usize)),
        13 => json!({"action": "crash", "node": extra % 12}),
        14 => (0..(extra % 140)).fold(json!(0), |v, _| json!([v])),
        _ => json!(extra),
    }
}

/// Applies one mutation at a pseudo-random place, walking down from the root.
fn mutate(value: &mut Value, choices: &[u32], extra: u64) {
    let mut node = value;
    for (depth, &choice) in choices.iter().enumerate() {
        let descend = choice % 4 != 0 && depth + 1 < choices.len();
        let len = match node {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if len == 0 {
            *node = replacement(choice, extra);
            return;
        }
        let at = (choice / 4) as usize % len;
        if descend {
            node = match node {
                Value::Object(map) => map.values_mut().nth(at).expect("in range"),
                Value::Array(items) => &mut items[at],
                _ => unreachable!("len > 0 only for containers"),
            };
            continue;
        }
        match (choice / 4 / len as u32) % 4 {
            0 => match node {
                // Delete a field or element.
                Value::Object(map) => {
                    let key = map.keys().nth(at).expect("in range").clone();
                    map.remove(&key);
                }
                Value::Array(items) => {
                    items.remove(at);
                }
                _ => {}
            },
            1 => match node {
                // Add an unknown field or an extra element.
                Value::Object(map) => {
                    map.insert(format!("f{}", extra % 7), replacement(choice, extra));
                }
                Value::Array(items) => items.push(replacement(choice, extra)),
                _ => {}
            },
            _ => match node {
                // Replace a value.
                Value::Object(map) => *map.values_mut().nth(at).expect("in range") = replacement(choice >> 3, extra),
                Value::Array(items) => items[at] = replacement(choice >> 3, extra),
                _ => {}
            },
        }
        return;
    }
}

fn check_scenario_error(input: &str, error: &ScenarioError) -> Result<(), TestCaseError> {
    prop_assert!(!error.reason.trim().is_empty(), "empty reason for {input:?}");
    match &error.location {
        Location::Field(path) => {
            let head = path.split(['.', '[']).next().unwrap_or("");
            let known = ["", "name", "summary", "seed", "config", "duration_ms", "steps"];
            // The top-level head is a known field, or an unknown one being reported as such.
            prop_assert!(
                known.contains(&head) || error.reason.starts_with("unknown field"),
                "error path {path:?} names no field: {error} for {input:?}"
            );
        }
        Location::Text { line, column } => prop_assert!(*line >= 1 && *column >= 1),
        Location::Byte(_) => {}
    }
    let shown = error.to_string();
    prop_assert!(shown.contains(": ") && shown.len() > 5, "{shown}");
    Ok(())
}

fn check_share_error(error: &ShareError) -> Result<(), TestCaseError> {
    let shown = error.to_string();
    prop_assert!(shown.starts_with("share link: ") && shown.len() > "share link: ".len() + 5, "{shown}");
    if let ShareError::Scenario(inner) = error {
        prop_assert!(!inner.reason.is_empty());
    }
    Ok(())
}

/// Inputs per family; together 70 000, well under 20 s in a debug build on a busy 2-core machine.
const BYTES: u32 = 15_000;
const TOKENS: u32 = 15_000;
const MUTATED: u32 = 30_000;
const LINKS: u32 = 10_000;

fn runner(cases: u32, seed: u8) -> TestRunner {
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]))
}

#[test]
fn fuzz_untrusted_inputs_never_panic_and_errors_say_where() {
    let start = std::time::Instant::now();
    let mut fed = [0usize; 4];
    let still_valid = std::cell::Cell::new(0usize);

    // 1. Arbitrary bytes into from_bytes and share::decode (as lossy text).
    runner(BYTES, 1)
        .run(&proptest::collection::vec(any::<u8>(), 0..400), |bytes| {
            match Scenario::from_bytes(&bytes) {
                Ok(_) => {}
                Err(e) => check_scenario_error(&String::from_utf8_lossy(&bytes), &e)?,
            }
            let text = String::from_utf8_lossy(&bytes);
            if let Err(e) = share::decode(&text) {
                check_share_error(&e)?;
            }
            Ok(())
        })
        .unwrap();
    fed[0] = BYTES as usize;

    // 2. Text that looks like JSON (random tokens) into from_json.
    let token = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"name\"",
        "\"steps\"",
        "\"at_ms\"",
        "\"do\"",
        "\"action\"",
        "\"crash\"",
        "\"node\"",
        "\"config\"",
        "\"nodes\"",
        "0",
        "-1",
        "1e999",
        "18446744073709551616",
        "null",
        "true",
        "\"\\u0000\"",
        "\"\\ud800\"",
        " ",
        "\n",
        "\"",
    ]);
    runner(TOKENS, 2)
        .run(&proptest::collection::vec(token, 0..60), |tokens| {
            let text = tokens.concat();
            if let Err(e) = Scenario::from_json(&text) {
                check_scenario_error(&text, &e)?;
            }
            Ok(())
        })
        .unwrap();
    fed[1] = TOKENS as usize;

    // 3. A valid scenario with 1–4 structural mutations, as JSON text and as a share link.
    let mutation = (proptest::collection::vec(any::<u32>(), 1..6), any::<u64>());
    runner(MUTATED, 3)
        .run(&proptest::collection::vec(mutation, 1..5), |mutations| {
            let mut value = base();
            for (choices, extra) in &mutations {
                mutate(&mut value, choices, *extra);
            }
            let text = value.to_string();
            match Scenario::from_json(&text) {
                Ok(parsed) => {
                    still_valid.set(still_valid.get() + 1);
                    // Whatever parses must re-validate and round-trip.
                    prop_assert_eq!(parsed.validate(), Ok(()));
                    prop_assert_eq!(Scenario::from_json(&parsed.to_json_pretty()), Ok(parsed.clone()));
                    prop_assert_eq!(share::decode(&share::encode(&parsed)), Ok(parsed));
                }
                Err(e) => {
                    check_scenario_error(&text, &e)?;
                    let link = share::decode(&share::encode_text(&text));
                    match link {
                        Err(ShareError::Scenario(inner)) => prop_assert_eq!(inner, e),
                        other => prop_assert!(false, "share decode should fail like from_json: {other:?}"),
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    fed[2] = MUTATED as usize;

    // 4. Valid share links with characters flipped, cut or inserted.
    let link = share::encode(&Scenario::from_json(&base().to_string()).unwrap());
    let len = link.len();
    runner(LINKS, 4)
        .run(&(0..len, any::<char>(), 0u8..3), |(at, c, how)| {
            let mut chars: Vec<char> = link.chars().collect();
            match how {
                0 => chars[at] = c,
                1 => chars.truncate(at),
                _ => chars.insert(at, c),
            }
            let text: String = chars.into_iter().collect();
            if let Err(e) = share::decode(&text) {
                check_share_error(&e)?;
            }
            Ok(())
        })
        .unwrap();
    fed[3] = LINKS as usize;

    let total: usize = fed.iter().sum();
    println!(
        "fuzz_inputs: {total} inputs (random bytes {}, JSON-ish tokens {}, mutated scenarios {} of which {} still valid, \
         mutated links {}) in {:.2?}",
        fed[0],
        fed[1],
        fed[2],
        still_valid.get(),
        fed[3],
        start.elapsed()
    );
}
