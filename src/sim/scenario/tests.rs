use super::*;
use crate::sim::breaks::Break;
use crate::sim::scenario::lesson::Narration;
use crate::sim::world::command::examples::every_command;

fn scenario_with(steps: &str) -> String {
    format!(r#"{{"name": "t", "seed": 1, "config": {{"nodes": 3, "clients": 2}}, "steps": {steps}}}"#)
}

fn error(json: &str) -> String {
    match Scenario::from_json(json) {
        Ok(s) => panic!("expected an error, parsed {s:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_action_round_trips() {
    let scenario = Scenario {
        name: "all actions".into(),
        summary: "one of each".into(),
        seed: u64::MAX,
        config: Config { nodes: 3, clients: 2, breaks: vec![Break::SkipCrc], ..Config::default() },
        steps: every_command()
            .into_iter()
            .enumerate()
            .map(|(i, c)| Step { at_ms: 10 * i as u64, kind: StepKind::Do(c) })
            .chain([Step { at_ms: 500, kind: StepKind::Narrate(Narration { pause: true, ..Narration::text("done") }) }])
            .collect(),
        duration_ms: Some(9_000),
        course: None,
    };
    let pretty = scenario.to_json_pretty();
    assert_eq!(Scenario::from_json(&pretty), Ok(scenario.clone()), "{pretty}");
    assert_eq!(Scenario::from_json(&scenario.to_json_compact()), Ok(scenario.clone()));
    let via_serde: Scenario = serde_json::from_str(&serde_json::to_string(&scenario).unwrap()).unwrap();
    assert_eq!(via_serde, scenario);
    assert!(pretty.contains("\n    {\"at_ms\":0,\"do\":{\"action\":\"put\""), "{pretty}");
    assert!(pretty.contains("\"config\": {\"breaks\":[\"skip-crc\"]}"), "{pretty}");
    assert!(pretty.contains("\"seed\": 18446744073709551615,"), "seeds are u64, beyond 2^53: {pretty}");
    assert_eq!(pretty.lines().count(), 7 + scenario.steps.len() + 2, "one step per line: {pretty}");
    assert_eq!(scenario.validate(), Ok(()));
}

#[test]
fn defaults_and_end_time() {
    let s = Scenario::from_json(r#"{"name": "free play"}"#).unwrap();
    assert_eq!((s.seed, s.steps.len(), s.config.clone()), (0, 0, Config::default()));
    assert_eq!(s.end_ms(), DEFAULT_TAIL_MS);
    let s = Scenario::from_json(&scenario_with(
        r#"[{"at_ms": 250, "do": {"action": "heal"}}, {"at_ms": 700, "narrate": "hi"}]"#,
    ))
    .unwrap();
    assert_eq!(s.end_ms(), 700 + DEFAULT_TAIL_MS);
    assert_eq!(s.commands().collect::<Vec<_>>(), vec![(250, &Command::Heal)]);
    assert_eq!(s.steps[1].kind, StepKind::Narrate(Narration::text("hi")));
    assert_eq!(Scenario::from_json("\u{feff}{\"name\": \"bom\"}").unwrap().name, "bom");
    // `null` is the same as absent for every optional field.
    let nulls = r#"{"name": "n", "summary": null, "seed": null, "config": null, "duration_ms": null, "steps": null}"#;
    assert_eq!(Scenario::from_json(nulls).unwrap(), Scenario::from_json(r#"{"name": "n"}"#).unwrap());
}

#[test]
fn add_node_raises_the_node_count_for_later_steps() {
    let steps = r#"[{"at_ms": 1, "do": {"action": "add-node"}}, {"at_ms": 2, "do": {"action": "crash", "node": 3}}]"#;
    assert!(Scenario::from_json(&scenario_with(steps)).is_ok());
    let before = r#"[{"at_ms": 1, "do": {"action": "crash", "node": 3}}, {"at_ms": 2, "do": {"action": "add-node"}}]"#;
    assert!(error(&scenario_with(before)).starts_with("steps[0].do.node: node 3 does not exist"));
    let many: Vec<&str> = vec![r#"{"at_ms": 1, "do": {"action": "add-node"}}"#; 14];
    assert_eq!(
        error(&scenario_with(&format!("[{}]", many.join(",")))),
        "steps[13].do: a run can start at most 16 servers (ids 0..=15)"
    );
}

#[test]
fn errors_name_the_field_and_the_reason() {
    let cases: &[(&str, &str)] = &[
        (r#"[{"at_ms": 1, "do": {"action": "crash", "node": 7}}]"#, "steps[0].do.node: node 7 does not exist (the cluster has 3 nodes: 0..=2)"),
        (r#"[{"at_ms": -5, "do": {"action": "heal"}}]"#, "steps[0].at_ms: invalid value: integer `-5`, expected a non-negative integer"),
        (r#"[{"at_ms": 1.5, "do": {"action": "heal"}}]"#, "steps[0].at_ms: invalid type: floating point `1.5`, expected a non-negative integer"),
        (r#"[{"at_ms": 99999999999, "do": {"action": "heal"}}]"#, "steps[0].at_ms: must be at most 86400000 ms"),
        (r#"[{"do": {"action": "heal"}}]"#, "steps[0].at_ms: missing"),
        (r#"[{"at_ms": 90, "do": {"action": "heal"}}, {"at_ms": 50, "do": {"action": "heal"}}]"#, "steps: times must not decrease (steps[1].at_ms=50 < steps[0].at_ms=90)"),
        (r#"[{"at_ms": 1, "do": {"action": "crsh", "node": 1}}]"#, "steps[0].do.action: unknown action `crsh` (did you mean `crash`?); expected one of: put, get, delete, cas, append, crash"),
        (r#"[{"at_ms": 1, "do": {"node": 1}}]"#, "steps[0].do.action: missing; expected one of: put"),
        (r#"[{"at_ms": 1, "do": {"action": 3}}]"#, "steps[0].do.action: must be an action name, got number 3"),
        (r#"[{"at_ms": 1, "do": {"action": "crash"}}]"#, "steps[0].do.node: missing; `crash` needs it"),
        (r#"[{"at_ms": 1, "do": {"action": "crash", "nod": 1}}]"#, "steps[0].do.nod: `crash` has no such field (did you mean `node`?); expected: node"),
        (r#"[{"at_ms": 1, "do": {"action": "heal", "node": 1}}]"#, "steps[0].do.node: `heal` has no such field; it takes no fields"),
        (r#"[{"at_ms": 1, "do": {"action": "put", "client": 5, "key": "x", "value": "1"}}]"#, "steps[0].do.client: client 5 does not exist (config.clients is 2: 0..=1)"),
        (r#"[{"at_ms": 1, "do": {"action": "put", "client": 0, "key": "", "value": "1"}}]"#, "steps[0].do.key: must not be empty"),
        (r#"[{"at_ms": 1, "do": {"action": "put", "client": 0, "key": "x", "value": 1}}]"#, "steps[0].do.value: invalid type: integer `1`, expected a string"),
        (r#"[{"at_ms": 1, "do": {"action": "get", "client": 0, "key": "x", "node": 3}}]"#, "steps[0].do.node: node 3 does not exist"),
        (r#"[{"at_ms": 1, "do": {"action": "bit-flip", "node": 1, "index": 0}}]"#, "steps[0].do.index: must be at least 1 (log indexes start at 1)"),
        (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": [[0, 1], [1, 2]]}}]"#, "steps[0].do.groups[1][0]: node 1 is in both groups[0] and groups[1]; groups must not overlap"),
        (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": [[0, 0]]}}]"#, "steps[0].do.groups[0][1]: node 0 appears twice"),
        (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": [[0], []]}}]"#, "steps[0].do.groups[1]: must not be empty"),
        (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": [[0], [9]]}}]"#, "steps[0].do.groups[1][0]: node 9 does not exist"),
        (r#"[{"at_ms": 1, "do": {"action": "partition", "groups": []}}]"#, "steps[0].do.groups: must name at least one group"),
        (r#"[{"at_ms": 1, "do": {"action": "cut-link", "from": 1, "to": 1}}]"#, "steps[0].do.to: must differ from `from` (1)"),
        (r#"[{"at_ms": 1, "do": {"action": "set-loss", "probability": 1.5}}]"#, "steps[0].do.probability: must be a probability between 0 and 1, got 1.5"),
        (r#"[{"at_ms": 1, "do": {"action": "set-loss", "probability": 1}}]"#, "steps[0].do.probability: must be below 1"),
        (r#"[{"at_ms": 1, "do": {"action": "set-latency", "min_ms": 50, "max_ms": 10}}]"#, "steps[0].do.min_ms: must not exceed max_ms (50 > 10)"),
        (r#"[{"at_ms": 1, "do": {"action": "set-read-mode", "mode": "folower"}}]"#, "steps[0].do.mode: unknown variant `folower` (did you mean `follower`?), expected one of `leader`, `read-index`, `follower`"),
        (r#"[{"at_ms": 1, "do": {"action": "set-timeouts", "heartbeat_ms": 300, "election_timeout_ms_min": 150, "election_timeout_ms_max": 300}}]"#, "steps[0].do.heartbeat_ms: must be positive and below election_timeout_ms_min (150), got 300"),
        (r#"[{"at_ms": 1, "do": {"action": "slow-disk", "node": 0, "fsync_ms": 20000}}]"#, "steps[0].do.fsync_ms: at most 10000 ms, got 20000"),
                (r#"[{"at_ms": 1, "do": {"action": "slow-link", "from": 0, "to": 1, "extra_ms": 20000}}]"#, "steps[0].do.extra_ms: at most 10000 ms, got 20000"),
        (r#"[{"at_ms": 1, "do": "crash"}]"#, "steps[0].do: must be an action object like {\"action\": \"crash\", \"node\": 0}, got string \"crash\""),
        (r#"[{"at_ms": 1}]"#, "steps[0]: needs one of `do` (an action), `narrate` (text to show), `expect` (a claim to check) or `predict` (a question)"),
        (r#"[{"at_ms": 1, "narrate": "x", "do": {"action": "heal"}}]"#, "steps[0]: has both `do` and `narrate`"),
        (r#"[{"at_ms": 1, "narrate": "x", "pause": "yes"}]"#, "steps[0].pause: invalid type: string \"yes\", expected true or false"),
        (r#"[{"at_ms": 1, "do": {"action": "heal"}, "pause": true}]"#, "steps[0].pause: only a narration step has `pause`"),
        (r#"[{"at_ms": 1, "narrate": ""}]"#, "steps[0].narrate: must not be empty"),
        (r#"[{"at_ms": 1, "narate": "x"}]"#, "steps[0].narate: unknown field `narate` (did you mean `narrate`?), expected one of `at_ms`, `do`, `narrate`, `pause`"),
        (r#"[3]"#, "steps[0]: must be an object like"),
        (r#"[[1, null, "x"]]"#, "steps[0]: must be an object like"),
        (r#"{"at_ms": 1}"#, "steps: must be a list of steps, got an object"),
    ];
    for (steps, expected) in cases {
        let got = error(&scenario_with(steps));
        assert!(got.starts_with(expected), "\n  steps: {steps}\n  got:      {got}\n  expected: {expected}");
    }
    let long_value = format!(
        r#"[{{"at_ms": 1, "do": {{"action": "put", "client": 0, "key": "x", "value": "{}"}}}}]"#,
        "v".repeat(500)
    );
    assert_eq!(error(&scenario_with(&long_value)), "steps[0].do.value: at most 256 bytes, got 500");
}

#[test]
fn top_level_and_config_errors() {
    let cases: &[(&str, &str)] = &[
        (r#"{"name": "t", "config": {"nodes": 0}}"#, "config.nodes: must be between 1 and 9, got 0"),
        (r#"{"name": "t", "config": {"nodes": "3"}}"#, "config.nodes: invalid type: string \"3\", expected a non-negative integer"),
        (r#"{"name": "t", "config": {"nodes": -1}}"#, "config.nodes: invalid value: integer `-1`, expected a non-negative integer"),
        (r#"{"name": "t", "config": {"nodez": 3}}"#, "config.nodez: unknown field `nodez` (did you mean `nodes`?), expected one of `nodes`,"),
        (r#"{"name": "t", "config": {"breaks": ["skip-crc", "skip-crc"]}}"#, "config.breaks[1]: `skip-crc` is listed twice"),
        (r#"{"name": "t", "config": {"breaks": ["skip-rc"]}}"#, "config.breaks[0]: unknown variant `skip-rc` (did you mean `skip-crc`?), expected one of `ack-before-fsync`"),
        (r#"{"name": "t", "config": {"read_mode": "fast"}}"#, "config.read_mode: unknown variant `fast`, expected one of `leader`, `read-index`, `follower`"),
        (r#"{"name": "t", "config": {"loss": 1.0}}"#, "config.loss: must be below 1: a network that drops every message"),
        (r#"{"name": "t", "config": {"election_timeout_ms_max": 60001}}"#, "config.election_timeout_ms_max: at most 60000 ms, got 60001"),
        (r#"{"name": "t", "config": []}"#, "config: must be an object like {\"nodes\": 5}, got a list of 0 items"),
        (r#"{"name": "t", "config": {"nodes": 1e40}}"#, "config.nodes: invalid type: floating point `1e+40`, expected a non-negative integer"),
        (r#"{"name": "t", "seed": -1}"#, "seed: invalid value: integer `-1`, expected a non-negative integer"),
        (r#"{"name": "t", "seed": 18446744073709551616}"#, "seed: invalid type: floating point"),
        (r#"{"name": ""}"#, "name: must not be empty"),
        (r#"{"summary": "no name"}"#, "name: missing"),
        (r#"{"name": 5}"#, "name: invalid type: integer `5`, expected a string"),
        (r#"{"name": "t", "stepz": []}"#, "stepz: unknown field `stepz` (did you mean `steps`?), expected one of `name`, `summary`, `seed`, `config`, `duration_ms`, `course`, `steps`"),
        (r#"{"name": "t", "duration_ms": 0}"#, "duration_ms: must be positive"),
        (r#"{"name": "t", "duration_ms": 10, "steps": [{"at_ms": 20, "do": {"action": "heal"}}]}"#, "duration_ms: must be at least the last step's time (steps[0].at_ms=20), got 10"),
        (r#"[1, 2]"#, "scenario: must be a JSON object like {\"name\": …, \"steps\": […]}, got a list of 2 items"),
        (r#"{"name": "t",}"#, "line 1, column 14: not valid JSON: trailing comma"),
        ("{\n  \"name\": \"t\"\n  \"seed\": 1}", "line 3, column 3: not valid JSON: expected `,` or `}`"),
        ("", "line 1, column 1: not valid JSON: EOF while parsing a value"),
    ];
    for (json, expected) in cases {
        let got = error(json);
        assert!(got.starts_with(expected), "\n  json: {json}\n  got:      {got}\n  expected: {expected}");
    }
}

#[test]
fn hostile_inputs_are_errors_not_panics() {
    let deep = "[".repeat(100_000);
    assert!(
        error(&deep).starts_with("line 1, column 128: not valid JSON: recursion limit exceeded"),
        "{}",
        error(&deep)
    );
    let nested_config = format!(r#"{{"name": "t", "config": {{"breaks": {}}}}}"#, "[".repeat(120) + &"]".repeat(120));
    assert!(
        error(&nested_config).starts_with("config.breaks[0]: invalid type: sequence, expected a name"),
        "{}",
        error(&nested_config)
    );
    let big = format!(r#"{{"name": "{}"}}"#, "x".repeat(MAX_SCENARIO_BYTES));
    assert!(error(&big).starts_with("scenario: too large"));
    let many =
        scenario_with(&format!("[{}]", vec![r#"{"at_ms": 1, "do": {"action": "heal"}}"#; MAX_STEPS + 1].join(",")));
    assert!(error(&many).starts_with("steps: at most 10000 steps"));
    let err = Scenario::from_bytes(b"{\"name\": \"caf\xe9\"}").unwrap_err();
    assert_eq!(err.to_string(), "byte 13: not valid UTF-8 text (a scenario is a JSON text file)");
    let long_action = format!(r#"[{{"at_ms": 1, "do": {{"action": "{}"}}}}]"#, "z".repeat(10_000));
    let long_action_error = error(&scenario_with(&long_action));
    assert!(long_action_error.len() < 500, "{long_action_error}");
    let long_field = format!(r#"[{{"at_ms": 1, "do": {{"action": "heal", "{}": 1}}}}]"#, "z".repeat(10_000));
    assert!(error(&scenario_with(&long_field)).len() < 400, "{}", error(&scenario_with(&long_field)));
    let long_top = format!(r#"{{"name": "t", "{}": 1}}"#, "z".repeat(10_000));
    assert!(error(&long_top).len() < 400, "{}", error(&long_top));
}
