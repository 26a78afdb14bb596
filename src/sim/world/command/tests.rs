use super::examples::every_command;
use super::{Command, CommandContext, WriteMix};
use serde_json::{json, Map, Value};

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn every_command_round_trips_through_its_json_object() {
    for command in every_command() {
        let json = command.to_json();
        assert_eq!(json["action"], command.action(), "{json}");
        assert!(json.as_object().unwrap().values().all(|v| !v.is_null()), "absent fields are left out: {json}");
        assert_eq!(Command::from_json(object(json.clone())), Ok(command.clone()), "{json}");
        // The serde traits write and read the same object, in any serde format.
        let text = serde_json::to_string(&command).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), json);
        assert_eq!(serde_json::from_str::<Command>(&text).unwrap(), command, "{text}");
        // Optional fields may also be `null`; unknown fields are refused.
        let mut with_nulls = object(json.clone());
        let optional = match command.action() {
            "put" | "get" | "delete" | "cas" | "append" => Some("node"),
            "set-write-load" => Some("mix"),
            "slow-disk" => Some("fsync_ms"),
            "add-node" => Some("as"),
            _ => None,
        };
        if let Some(field) = optional.filter(|f| !with_nulls.contains_key(*f)) {
            with_nulls.insert(field.into(), Value::Null);
        }
        assert_eq!(Command::from_json(with_nulls), Ok(command.clone()));
        let mut bogus = object(json);
        bogus.insert("bogus".into(), json!(1));
        assert_eq!(Command::from_json(bogus).map_err(|e| e.field), Err("bogus".to_string()));
    }
}

#[test]
fn the_action_names_are_the_variants_in_order() {
    let mut names: Vec<&str> = every_command().iter().map(Command::action).collect();
    names.dedup();
    assert_eq!(Command::actions(), names.as_slice());
    assert_eq!(Command::actions().len(), 29);
}

#[test]
fn errors_name_the_field_and_the_reason() {
    let cases = [
        (json!({"action": "crash"}), "node: missing; `crash` needs it"),
        (json!({"action": "crash", "node": null}), "node: invalid type: null, expected a non-negative integer"),
        (json!({"action": "crash", "node": "0"}), "node: invalid type: string \"0\", expected a non-negative integer"),
        (json!({"action": "put", "client": "a", "key": "x", "value": "1"}), "client: invalid type: string \"a\""),
        (json!({"action": "put", "client": 0, "key": 5, "value": "x"}), "key: invalid type: integer `5`, expected a string"),
        (json!({"action": "set-loss", "probability": true}), "probability: invalid type: boolean `true`, expected a number"),
        (
            json!({"action": "partition", "groups": [[0], ["x"]]}),
            "groups[1][0]: invalid type: string \"x\", expected a non-negative integer",
        ),
        (
            json!({"action": "set-read-mode", "mode": "folower"}),
            "mode: unknown variant `folower` (did you mean `follower`?), expected one of `leader`, `read-index`, `follower`",
        ),
        (json!({"action": "slow-disk", "node": 0, "fsync_ms": -1}), "fsync_ms: invalid value: integer `-1`"),
        (json!({"action": "set-read-mode", "mode": "fast"}), "mode: unknown variant `fast`, expected one of `leader`"),
        (json!({"action": "crash", "node": 1, "x": 1, "a": 2}), "a: `crash` has no such field; expected: node"),
        (json!({"action": "crash", "node": "1", "x": 1}), "node: invalid type: string \"1\", expected a non-negative"),
        (json!({"action": "crash", "nod": 1}), "nod: `crash` has no such field (did you mean `node`?); expected: node"),
        (json!({"action": "heal", "node": 1}), "node: `heal` has no such field; it takes no fields"),
        (
            json!({"action": "add-node", "as": "observer"}),
            "as: unknown variant `observer`, expected `voter` or `learner`",
        ),
        (json!({"action": "add-node", "node": 1}), "node: `add-node` has no such field; expected: as"),
        (json!({"action": "set-clock-rate", "node": 1}), "rate: missing; `set-clock-rate` needs it"),
        (json!({"action": "transfer-leadership", "node": 1}), "node: `transfer-leadership` has no such field"),
        (json!({"action": "crsh"}), "action: unknown action `crsh` (did you mean `crash`?); expected one of: put, get,"),
        (json!({"action": "explode"}), "action: unknown action `explode`; expected one of: put, get, delete, cas, append, crash"),
        (json!({"action": 3}), "action: must be an action name, got number 3; expected one of: put"),
        (json!({"node": 3}), "action: missing; expected one of: put, get"),
        (json!({"action": "cas", "client": 0, "key": "x", "expected": 1, "value": "2"}), "expected: invalid type: integer `1`"),
        (json!({"action": "cas", "client": 0, "key": "x", "expected": "1"}), "value: missing; `cas` needs it"),
        (json!({"action": "append", "client": 0, "key": "x"}), "value: missing; `append` needs it"),
        (
            json!({"action": "set-write-load", "per_second": 4, "mix": {"put": 1, "cass": 1}}),
            "mix.cass: unknown field `cass`",
        ),
        (json!({"action": "set-write-load", "per_second": 4, "mix": {"get": -1}}), "mix.get: invalid value: integer `-1`"),
    ];
    for (json, expected) in cases {
        let error = Command::from_json(object(json.clone())).unwrap_err().to_string();
        assert!(error.starts_with(expected), "{json}\n  got:      {error}\n  expected: {expected}");
    }
    let not_an_object = serde_json::from_str::<Command>("[]").unwrap_err().to_string();
    assert!(not_an_object.starts_with("invalid type: sequence, expected a map"), "{not_an_object}");
    let long = format!(r#"{{"action": "{}"}}"#, "z".repeat(10_000));
    assert!(serde_json::from_str::<Command>(&long).unwrap_err().to_string().len() < 400);
}

#[test]
fn validate_checks_the_cluster_and_the_limits() {
    // The examples' two `add-node`s make nodes 3 and 4.
    for command in every_command() {
        assert_eq!(command.validate(&CommandContext { nodes: 5, clients: 2 }), Ok(()), "{command:?}");
    }
    let context = CommandContext { nodes: 3, clients: 2 };
    let refused = |command: Command, field: &str, reason: &str| {
        let error = command.validate(&context).unwrap_err();
        assert_eq!(error.field, field, "{command:?}: {error}");
        assert!(error.reason.starts_with(reason), "{command:?}: {error}");
    };
    refused(Command::Crash { node: 3 }, "node", "node 3 does not exist (the cluster has 3 nodes: 0..=2)");
    refused(Command::Get { client: 2, key: "x".into(), node: None }, "client", "client 2 does not exist");
    refused(Command::CutLink { from: 1, to: 1 }, "to", "must differ from `from` (1)");
    refused(Command::Partition { groups: vec![vec![0, 1], vec![1]] }, "groups[1][0]", "node 1 is in both groups[0]");
    refused(Command::Partition { groups: vec![vec![2, 2]] }, "groups[0][1]", "node 2 appears twice in groups[0]");
    refused(Command::SetLoss { probability: f64::NAN }, "probability", "must be a probability between 0 and 1");
    refused(Command::SetLoss { probability: 1.0 }, "probability", "must be below 1");
    refused(Command::SetLatency { min_ms: 5, max_ms: 4 }, "min_ms", "must not exceed max_ms (5 > 4)");
    assert_eq!(Command::add_voter().validate(&CommandContext { nodes: 16, clients: 1 }).unwrap_err().field, "");
    refused(Command::SetClockRate { node: 0, rate: 0.0 }, "rate", "must be above 0 and at most 10");
    refused(Command::SetClockRate { node: 0, rate: -2.0 }, "rate", "must be above 0 and at most 10");
    refused(Command::SetClockRate { node: 0, rate: 10.5 }, "rate", "must be above 0 and at most 10");
    refused(Command::SetClockRate { node: 3, rate: 1.0 }, "node", "node 3 does not exist");
    refused(Command::TransferLeadership { to: 5 }, "to", "node 5 does not exist");
    refused(Command::Promote { node: 4 }, "node", "node 4 does not exist");
    let long = "v".repeat(257);
    refused(
        Command::Append { client: 0, key: "x".into(), value: String::new(), node: None },
        "value",
        "must not be empty",
    );
    refused(
        Command::Append { client: 0, key: "x".into(), value: long.clone(), node: None },
        "value",
        "at most 256 bytes",
    );
    let cas = |expected: Option<&str>, value: &str| Command::Cas {
        client: 0,
        key: "x".into(),
        expected: expected.map(String::from),
        value: value.into(),
        node: None,
    };
    refused(cas(Some(&long), "1"), "expected", "at most 256 bytes");
    refused(cas(None, &long), "value", "at most 256 bytes");
    assert_eq!(cas(None, "").validate(&context), Ok(()), "a cas may write the empty string");
    let load = |mix: WriteMix| Command::SetWriteLoad { per_second: 10, mix: Some(mix) };
    refused(load(WriteMix::default()), "mix", "needs a weight above 0");
    refused(load(WriteMix { cas: 101, ..WriteMix::default() }), "mix.cas", "at most 100 as a weight, got 101");
}
