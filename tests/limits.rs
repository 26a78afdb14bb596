//! The command schema's limits hold at parse time: a value at a limit parses and plays, one past it is a parse
//! error naming the field; and whatever parses, the world applies (the parser and `World::apply` run the same
//! `Command::validate`; only what the running cluster knows — no leader yet, a pending membership change, no
//! record to flip — may still refuse).

use logscope::sim::limits::*;
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::{Location, Scenario};
use logscope::sim::types::ms;
use logscope::sim::world::command::Command;
use logscope::sim::world::World;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde_json::{json, Value};

/// When the command under test plays: after the cluster has elected a leader and committed a write.
const AT_MS: u64 = 1_000;

/// A 3-node, 2-client scenario: a write at 300 ms (so there is a record to flip), then `command`.
fn scenario(command: &Value) -> String {
    json!({
        "name": "limit",
        "seed": 5,
        "config": {"nodes": 3, "clients": 2},
        "steps": [
            {"at_ms": 300, "do": {"action": "put", "client": 0, "key": "a", "value": "1"}},
            {"at_ms": AT_MS, "do": command},
        ]
    })
    .to_string()
}

fn plays(command: &Value) {
    let scenario = Scenario::from_json(&scenario(command)).unwrap_or_else(|e| panic!("{command}: {e}"));
    run_scenario(&scenario).unwrap_or_else(|e| panic!("{command} parses but does not play: {e}"));
}

fn refused_at(command: &Value, field: &str) {
    let error = Scenario::from_json(&scenario(command)).expect_err(&format!("{command} should be refused"));
    assert_eq!(error.location, Location::Field(format!("steps[1].do.{field}")), "{command}: {error}");
}

fn text(bytes: usize) -> String {
    "k".repeat(bytes)
}

#[test]
fn every_limit_holds_at_parse_time_and_the_value_at_the_limit_plays() {
    // Just below 1. serde_json's default float parser reads short decimals exactly; 1 - 2^-53, written with 17
    // digits, would read back as 1 (its exact mode, `float_roundtrip`, costs 8.6 KB of gzipped wasm).
    let below_one = 0.999_999_999_999;
    let above_one = 1.0 + f64::EPSILON;
    // (at the limit, one past it, the field named)
    let cases: Vec<(Value, Value, &str)> = vec![
        (
            json!({"action": "put", "client": 1, "key": text(MAX_KEY_BYTES), "value": "v"}),
            json!({"action": "put", "client": 1, "key": text(MAX_KEY_BYTES + 1), "value": "v"}),
            "key",
        ),
        (
            json!({"action": "put", "client": 0, "key": "k", "value": text(MAX_VALUE_BYTES)}),
            json!({"action": "put", "client": 0, "key": "k", "value": text(MAX_VALUE_BYTES + 1)}),
            "value",
        ),
        (
            json!({"action": "put", "client": 0, "key": "k", "value": "v"}),
            json!({"action": "put", "client": 0, "key": "", "value": "v"}),
            "key",
        ),
        (
            json!({"action": "get", "client": 1, "key": text(MAX_KEY_BYTES)}),
            json!({"action": "get", "client": 2, "key": "k"}),
            "client",
        ),
        (
            json!({"action": "get", "client": 0, "key": "k", "node": 2}),
            json!({"action": "get", "client": 0, "key": text(MAX_KEY_BYTES + 1)}),
            "key",
        ),
        (
            json!({"action": "delete", "client": 0, "key": "k", "node": 2}),
            json!({"action": "delete", "client": 0, "key": "k", "node": 3}),
            "node",
        ),
        (
            json!({"action": "put", "client": 0, "key": "k", "value": "v", "node": 2}),
            json!({"action": "put", "client": 0, "key": "k", "value": "v", "node": 3}),
            "node",
        ),
        (json!({"action": "crash", "node": 2}), json!({"action": "crash", "node": 3}), "node"),
        (json!({"action": "restart", "node": 2}), json!({"action": "restart", "node": 3}), "node"),
        (json!({"action": "pause", "node": 2}), json!({"action": "pause", "node": 3}), "node"),
        (json!({"action": "resume", "node": 2}), json!({"action": "resume", "node": 3}), "node"),
        (json!({"action": "torn-write", "node": 2}), json!({"action": "torn-write", "node": 3}), "node"),
        (json!({"action": "fail-fsync", "node": 2}), json!({"action": "fail-fsync", "node": 3}), "node"),
        (json!({"action": "remove-node", "node": 2}), json!({"action": "remove-node", "node": 3}), "node"),
        (
            json!({"action": "bit-flip", "node": 2, "index": 1}),
            json!({"action": "bit-flip", "node": 2, "index": 0}),
            "index",
        ),
        (
            json!({"action": "bit-flip", "node": 2, "index": 1}),
            json!({"action": "bit-flip", "node": 3, "index": 1}),
            "node",
        ),
        (
            json!({"action": "slow-disk", "node": 2, "fsync_ms": MAX_FSYNC_MS}),
            json!({"action": "slow-disk", "node": 2, "fsync_ms": MAX_FSYNC_MS + 1}),
            "fsync_ms",
        ),
        (json!({"action": "slow-disk", "node": 2}), json!({"action": "slow-disk", "node": 3}), "node"),
        (
            json!({"action": "partition", "groups": [[2], [0, 1]]}),
            json!({"action": "partition", "groups": [[3], [0, 1]]}),
            "groups[0][0]",
        ),
        (
            json!({"action": "partition", "groups": [[0, 1, 2]]}),
            json!({"action": "partition", "groups": [[0, 1], [1, 2]]}),
            "groups[1][0]",
        ),
        (json!({"action": "cut-link", "from": 2, "to": 0}), json!({"action": "cut-link", "from": 3, "to": 0}), "from"),
        (
            json!({"action": "repair-link", "from": 0, "to": 2}),
            json!({"action": "repair-link", "from": 0, "to": 3}),
            "to",
        ),
        (
            json!({"action": "repair-link", "from": 0, "to": 2}),
            json!({"action": "repair-link", "from": 2, "to": 2}),
            "to",
        ),
        (
            json!({"action": "slow-link", "from": 0, "to": 2, "extra_ms": MAX_LINK_EXTRA_MS}),
            json!({"action": "slow-link", "from": 0, "to": 2, "extra_ms": MAX_LINK_EXTRA_MS + 1}),
            "extra_ms",
        ),
        (
            json!({"action": "set-loss", "probability": below_one}),
            json!({"action": "set-loss", "probability": 1.0}),
            "probability",
        ),
        (
            json!({"action": "set-duplicate", "probability": 1.0}),
            json!({"action": "set-duplicate", "probability": above_one}),
            "probability",
        ),
        (
            json!({"action": "set-duplicate", "probability": 0.0}),
            json!({"action": "set-duplicate", "probability": -0.5}),
            "probability",
        ),
        (
            json!({"action": "set-latency", "min_ms": MAX_LATENCY_MS, "max_ms": MAX_LATENCY_MS}),
            json!({"action": "set-latency", "min_ms": 1, "max_ms": MAX_LATENCY_MS + 1}),
            "max_ms",
        ),
        (
            json!({"action": "set-latency", "min_ms": 7, "max_ms": 7}),
            json!({"action": "set-latency", "min_ms": 8, "max_ms": 7}),
            "min_ms",
        ),
        (
            json!({"action": "set-write-load", "per_second": MAX_WRITE_LOAD_PER_SECOND}),
            json!({"action": "set-write-load", "per_second": MAX_WRITE_LOAD_PER_SECOND + 1}),
            "per_second",
        ),
        (
            json!({"action": "set-write-load", "per_second": 50, "mix": {"put": MAX_WRITE_MIX_WEIGHT, "cas": 1}}),
            json!({"action": "set-write-load", "per_second": 50, "mix": {"append": MAX_WRITE_MIX_WEIGHT + 1}}),
            "mix.append",
        ),
        (
            json!({"action": "cas", "client": 0, "key": text(MAX_KEY_BYTES), "expected": text(MAX_VALUE_BYTES), "value": text(MAX_VALUE_BYTES)}),
            json!({"action": "cas", "client": 0, "key": "k", "expected": text(MAX_VALUE_BYTES + 1), "value": "v"}),
            "expected",
        ),
        (
            json!({"action": "cas", "client": 0, "key": "k", "value": "v"}),
            json!({"action": "cas", "client": 0, "key": "k", "value": text(MAX_VALUE_BYTES + 1)}),
            "value",
        ),
        (
            json!({"action": "append", "client": 1, "key": text(MAX_KEY_BYTES), "value": text(MAX_VALUE_BYTES)}),
            json!({"action": "append", "client": 1, "key": text(MAX_KEY_BYTES + 1), "value": "v"}),
            "key",
        ),
        (
            json!({"action": "append", "client": 1, "key": "k", "value": "v"}),
            json!({"action": "append", "client": 1, "key": "k", "value": ""}),
            "value",
        ),
        (
            json!({"action": "set-timeouts", "heartbeat_ms": 50, "election_timeout_ms_min": 150, "election_timeout_ms_max": MAX_TIMEOUT_MS}),
            json!({"action": "set-timeouts", "heartbeat_ms": 50, "election_timeout_ms_min": 150, "election_timeout_ms_max": MAX_TIMEOUT_MS + 1}),
            "election_timeout_ms_max",
        ),
        (
            json!({"action": "set-timeouts", "heartbeat_ms": 149, "election_timeout_ms_min": 150, "election_timeout_ms_max": 150}),
            json!({"action": "set-timeouts", "heartbeat_ms": 150, "election_timeout_ms_min": 150, "election_timeout_ms_max": 150}),
            "heartbeat_ms",
        ),
        (
            json!({"action": "set-clock-rate", "node": 2, "rate": MAX_CLOCK_RATE}),
            json!({"action": "set-clock-rate", "node": 2, "rate": MAX_CLOCK_RATE as f64 + 0.5}),
            "rate",
        ),
        (
            json!({"action": "set-clock-rate", "node": 2, "rate": 0.001}),
            json!({"action": "set-clock-rate", "node": 2, "rate": 0}),
            "rate",
        ),
        (
            json!({"action": "set-clock-rate", "node": 0, "rate": 1}),
            json!({"action": "set-clock-rate", "node": 0, "rate": -1}),
            "rate",
        ),
        (
            json!({"action": "set-clock-rate", "node": 0, "rate": 1.5}),
            json!({"action": "set-clock-rate", "node": 3, "rate": 1.5}),
            "node",
        ),
    ];
    for (at_limit, past_limit, field) in &cases {
        plays(at_limit);
        refused_at(past_limit, field);
    }
    // Every action with a limited field is covered.
    let covered: Vec<&str> = cases.iter().map(|(c, _, _)| c["action"].as_str().unwrap()).collect();
    // `transfer-leadership` and `promote` name a node, as `crash` does; whether the cluster can take them is the
    // running world's business (`transfer_and_promote_play_when_the_cluster_allows`).
    let runtime = ["heal", "set-read-mode", "add-node", "transfer-leadership", "promote"];
    for action in Command::actions() {
        assert!(covered.contains(action) || runtime.contains(action), "{action}");
    }
}

/// `transfer-leadership {to}` and `promote {node}` name existing nodes (a parse-time error otherwise); a transfer
/// to a follower and the promotion of a learner that has caught up play.
#[test]
fn transfer_and_promote_play_when_the_cluster_allows() {
    refused_at(&json!({"action": "transfer-leadership", "to": 3}), "to");
    refused_at(&json!({"action": "promote", "node": 5}), "node");
    // Promoting a voter can be known from the file: node 1 is one of the initial cluster, never a learner.
    refused_at(&json!({"action": "promote", "node": 1}), "node");
    // So can handing leadership to a learner that no step has promoted.
    let to_learner = json!({
        "name": "learner", "seed": 5, "config": {"nodes": 3},
        "steps": [
            {"at_ms": AT_MS, "do": {"action": "add-node", "as": "learner"}},
            {"at_ms": AT_MS + 500, "do": {"action": "transfer-leadership", "to": 3}},
        ]
    });
    let error = Scenario::from_json(&to_learner.to_string()).unwrap_err();
    assert_eq!(error.location, Location::Field("steps[1].do.to".into()), "{error}");
    assert!(error.to_string().contains("joined as a learner"), "{error}");
    let mut world =
        World::new(logscope::sim::config::Config { nodes: 3, clients: 2, ..Default::default() }, 5).unwrap();
    world.run_until(ms(AT_MS));
    let leader = world.top_leader().expect("a leader by then");
    let follower = (leader + 1) % 3;
    plays(&json!({"action": "transfer-leadership", "to": follower}));
    let file = json!({
        "name": "learner",
        "seed": 5,
        "config": {"nodes": 3, "clients": 2},
        "steps": [
            {"at_ms": AT_MS, "do": {"action": "add-node", "as": "learner"}},
            {"at_ms": AT_MS + 1_000, "do": {"action": "promote", "node": 3}},
        ]
    });
    let scenario = Scenario::from_json(&file.to_string()).unwrap();
    let world = run_scenario(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert!(world.view().members.contains(&3), "the learner became a voter");
}

/// `add-node` may start servers up to ids `0..MAX_NODE_IDS`: from 9 nodes, 7 additions (each after a removal,
/// so the cluster stays within MAX_MEMBERS) play; an 8th is refused when the file is read.
#[test]
fn add_node_plays_up_to_the_server_limit() {
    let first_new = MAX_NODES;
    let additions = MAX_NODE_IDS - MAX_NODES;
    let mut steps = Vec::new();
    for i in 0..additions {
        let at_ms = 1_000 + 1_000 * i as u64;
        steps.push(json!({"at_ms": at_ms, "do": {"action": "remove-node", "node": i}}));
        steps.push(json!({"at_ms": at_ms + 500, "do": {"action": "add-node"}}));
    }
    let file =
        |steps: &Vec<Value>| json!({"name": "servers", "seed": 3, "config": {"nodes": MAX_NODES}, "steps": steps});
    let scenario = Scenario::from_json(&file(&steps).to_string()).unwrap();
    let world = run_scenario(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(world.servers().len(), MAX_NODE_IDS);
    assert!(world.view().nodes.iter().any(|n| n.id == first_new + additions - 1));
    steps.push(json!({"at_ms": 9_000, "do": {"action": "add-node"}}));
    let error = Scenario::from_json(&file(&steps).to_string()).unwrap_err();
    assert_eq!(error.location, Location::Field(format!("steps[{}].do", steps.len() - 1)), "{error}");
}

/// One example of each action, with its fields.
fn examples() -> Vec<Value> {
    vec![
        json!({"action": "put", "client": 0, "key": "x", "value": "1", "node": 1}),
        json!({"action": "get", "client": 1, "key": "x", "node": 2}),
        json!({"action": "delete", "client": 0, "key": "x"}),
        json!({"action": "cas", "client": 0, "key": "x", "expected": null, "value": "1"}),
        json!({"action": "append", "client": 1, "key": "x", "value": "a"}),
        json!({"action": "crash", "node": 0}),
        json!({"action": "restart", "node": 0}),
        json!({"action": "pause", "node": 1}),
        json!({"action": "resume", "node": 1}),
        json!({"action": "partition", "groups": [[0], [1, 2]]}),
        json!({"action": "heal"}),
        json!({"action": "cut-link", "from": 0, "to": 1}),
        json!({"action": "repair-link", "from": 0, "to": 1}),
        json!({"action": "slow-link", "from": 1, "to": 2, "extra_ms": 100}),
        json!({"action": "set-loss", "probability": 0.25}),
        json!({"action": "set-duplicate", "probability": 0.5}),
        json!({"action": "set-latency", "min_ms": 1, "max_ms": 30}),
        json!({"action": "torn-write", "node": 2}),
        json!({"action": "bit-flip", "node": 2, "index": 1}),
        json!({"action": "fail-fsync", "node": 1}),
        json!({"action": "slow-disk", "node": 1, "fsync_ms": 200}),
        json!({"action": "set-read-mode", "mode": "read-index"}),
        json!({"action": "set-write-load", "per_second": 20, "mix": {"put": 6, "get": 2, "cas": 1, "append": 1}}),
        json!({"action": "set-timeouts", "heartbeat_ms": 40, "election_timeout_ms_min": 200, "election_timeout_ms_max": 400}),
        json!({"action": "add-node"}),
        json!({"action": "remove-node", "node": 1}),
        json!({"action": "set-clock-rate", "node": 2, "rate": 1.5}),
        json!({"action": "transfer-leadership", "to": 1}),
        json!({"action": "promote", "node": 1}),
    ]
}

/// Actions whose example the running cluster may refuse (the leader is the one named, node 1 is no learner).
const REFUSABLE_EXAMPLES: [&str; 2] = ["transfer-leadership", "promote"];

#[test]
fn every_action_that_parses_plays() {
    let examples = examples();
    let actions: Vec<&str> = examples.iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, Command::actions(), "one example of each action, in order");
    for command in examples.iter().filter(|c| !REFUSABLE_EXAMPLES.contains(&c["action"].as_str().unwrap())) {
        plays(command);
    }
}

/// A value for a mutated field: edges of the limits, small numbers, wrong types, long strings.
fn mutation(rng: &mut Pcg64) -> Value {
    let limits = [
        MAX_KEY_BYTES as u64,
        MAX_VALUE_BYTES as u64,
        MAX_LINK_EXTRA_MS,
        MAX_LATENCY_MS,
        MAX_FSYNC_MS,
        MAX_WRITE_LOAD_PER_SECOND,
        MAX_TIMEOUT_MS,
    ];
    match rng.gen_range(0..10) {
        0..=2 => json!(rng.gen_range(0..5)),
        3 => json!(limits[rng.gen_range(0..limits.len())] + rng.gen_range(0..2)),
        4 => json!(rng.gen_range(0.0..1.2)),
        5 => json!(rng.gen::<u64>()),
        6 => json!(text(rng.gen_range(0..MAX_VALUE_BYTES + 3))),
        7 => json!([[rng.gen_range(0..4)], [rng.gen_range(0..4), rng.gen_range(0..4)]]),
        8 => json!(["leader", "read-index", "follower", "fast"][rng.gen_range(0..4)]),
        _ => Value::Null,
    }
}

/// The parser and the world agree on every command: whatever the file check accepts, `World::apply` accepts
/// at that moment (unless the running cluster says no for a reason no file can know), and whatever it refuses,
/// the world refuses too.
#[test]
fn the_parser_and_the_world_agree_on_random_commands() {
    const RUNTIME_ONLY: [&str; 15] = [
        "no leader",
        "holds no record",
        "one change at a time",
        "has left",
        "not a member",
        "only member",
        "members",
        "already leads",
        "is down",
        "a learner",
        "already a voter",
        "not a learner",
        "has not caught up",
        "abstains",
        "lease",
    ];
    let mut rng = Pcg64::seed_from_u64(8);
    let mut world_at_limit_time = None::<World>;
    let (mut parsed, mut refused) = (0, 0);
    for _ in 0..600 {
        let mut command = examples()[rng.gen_range(0..examples().len())].clone();
        let fields: Vec<String> = command.as_object().unwrap().keys().filter(|k| *k != "action").cloned().collect();
        if let Some(field) = fields.get(rng.gen_range(0..fields.len().max(1))) {
            command[field] = mutation(&mut rng);
        }
        let world = world_at_limit_time.get_or_insert_with(|| {
            let warm = Scenario::from_json(&scenario(&json!({"action": "heal"}))).unwrap();
            let mut world = World::new(warm.config.clone(), warm.seed).unwrap();
            for (at_ms, c) in warm.commands().filter(|(at, _)| *at < AT_MS) {
                world.run_until(ms(at_ms));
                world.apply(c.clone()).unwrap();
            }
            world.run_until(ms(AT_MS));
            world
        });
        let applied = serde_json::from_value::<Command>(command.clone()).map(|c| world.clone().apply(c));
        match Scenario::from_json(&scenario(&command)) {
            Ok(_) => {
                parsed += 1;
                let outcome = applied.unwrap_or_else(|e| panic!("{command} parses but does not deserialize: {e}"));
                if let Err(refusal) = outcome {
                    assert!(RUNTIME_ONLY.iter().any(|r| refusal.contains(r)), "{command} parses, but: {refusal}");
                }
            }
            Err(error) => {
                refused += 1;
                assert!(
                    matches!(applied, Err(_) | Ok(Err(_))),
                    "{command} is refused ({error}) but the world takes it"
                );
            }
        }
    }
    assert!(parsed > 100 && refused > 100, "a mix of valid and invalid commands: {parsed} parsed, {refused} refused");
}

/// Plays a scenario to its end through the one player (as `logscope-cli run` does); a refusal is an error.
fn run_scenario(scenario: &Scenario) -> Result<World, String> {
    let mut player = Player::from_scenario(scenario)?;
    player.run_through(ms(scenario.end_ms())).map_err(|refusal| refusal.to_string())?;
    Ok(player.world().clone())
}

/// A lesson with one question of `choices` (answer 0) and a narration with a speaker `note`, in `course`.
fn lesson(choices: &[String], note: &str, course: &Value) -> Result<Scenario, String> {
    let question = json!({"question": "?", "choices": choices, "answer": 0, "explain": "because"});
    let text = json!({
        "name": "limit",
        "course": course,
        "steps": [
            {"at_ms": 10, "narrate": "n", "note": note},
            {"at_ms": 20, "predict": question},
            {"at_ms": 20, "expect": {"not_violated": "all"}},
        ]
    });
    Scenario::from_json(&text.to_string()).map_err(|e| e.path())
}

#[test]
fn the_lesson_limits_hold_at_parse_time_and_the_value_at_the_limit_plays() {
    let choices = |n: usize| (0..n).map(|i| format!("choice {i}")).collect::<Vec<_>>();
    let course = |order: u64, minutes: u64| json!({"pattern": "wal", "order": order, "minutes": minutes});
    let fine = course(1, 1);
    for count in [MIN_CHOICES, MAX_CHOICES] {
        let scenario = lesson(&choices(count), "note", &fine).unwrap();
        let mut player = Player::from_scenario(&scenario).unwrap();
        player.run_through(ms(scenario.end_ms())).unwrap();
        assert!(player.report().passed());
    }
    assert_eq!(lesson(&choices(MIN_CHOICES - 1), "note", &fine).err().as_deref(), Some("steps[1].predict.choices"));
    assert_eq!(lesson(&choices(MAX_CHOICES + 1), "note", &fine).err().as_deref(), Some("steps[1].predict.choices"));
    let long_choice = vec!["a".to_string(), text(MAX_NAME_CHARS)];
    assert!(lesson(&long_choice, "note", &fine).is_ok());
    let too_long = vec!["a".to_string(), text(MAX_NAME_CHARS + 1)];
    assert_eq!(lesson(&too_long, "note", &fine).err().as_deref(), Some("steps[1].predict.choices[1]"));
    assert!(lesson(&choices(2), &text(MAX_TEXT_CHARS), &fine).is_ok());
    assert_eq!(lesson(&choices(2), &text(MAX_TEXT_CHARS + 1), &fine).err().as_deref(), Some("steps[0].note"));
    assert!(lesson(&choices(2), "note", &course(MAX_COURSE_ORDER, MAX_LESSON_MINUTES)).is_ok());
    assert_eq!(lesson(&choices(2), "note", &course(MAX_COURSE_ORDER + 1, 1)).err().as_deref(), Some("course.order"));
    assert_eq!(
        lesson(&choices(2), "note", &course(1, MAX_LESSON_MINUTES + 1)).err().as_deref(),
        Some("course.minutes")
    );
}
