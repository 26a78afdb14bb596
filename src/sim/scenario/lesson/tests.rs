//! The lesson step kinds as a file writes them: what parses, what is refused (with the field path), what is
//! written back, and that a claim's facts are the node's and the operation's as the views show them.

use super::check::node_facts;
use super::claim::node_fields;
use super::*;
use crate::sim::config::Config;
use crate::sim::scenario::{Scenario, StepKind};
use crate::sim::world::World;

fn with_steps(steps: &str) -> Result<Scenario, String> {
    let json = format!(r#"{{"name": "t", "config": {{"nodes": 3, "clients": 2}}, "steps": [{steps}]}}"#);
    Scenario::from_json(&json).map_err(|e| e.to_string())
}

fn refused(steps: &str) -> String {
    match with_steps(steps) {
        Ok(s) => panic!("expected an error, parsed {:?}", s.steps),
        Err(e) => e,
    }
}

#[test]
fn every_lesson_step_kind_round_trips() {
    let text = r#"
        {"at_ms": 0, "narrate": "Go.", "pause": true, "note": "Ask first.", "focus": {"tab": "invariants", "node": 1}},
        {"at_ms": 10, "expect": {"node": 2, "role": "follower", "hwm": 3, "durable_index": {"min": 3}, "voted_for": null,
            "kv": {"x": "1", "y": null}, "elections_started": {"max": 1}}},
        {"at_ms": 10, "expect": {"leader": null}},
        {"at_ms": 10, "expect": {"leader": 0}},
        {"at_ms": 10, "expect": {"client": 1, "seq": 2, "op": "get", "status": "ok", "value": null, "attempts": {"min": 1, "max": 3}, "served_by": 0}},
        {"at_ms": 10, "expect": {"client": 1, "status": "pending"}},
        {"at_ms": 10, "expect": {"violated": ["I7", "LIN"]}},
        {"at_ms": 10, "expect": {"not_violated": "all"}},
        {"at_ms": 10, "expect": {"not_violated": ["I8"]}},
        {"at_ms": 10, "expect": {"linearizable": false}},
        {"at_ms": 20, "predict": {"question": "Lost?", "choices": ["Yes", "No"], "answer": 1, "explain": "A majority has it.", "reveal_at_ms": 900}}"#;
    let json = format!(
        r#"{{"name": "t", "course": {{"pattern": "wal", "order": 3, "twin": "ack-before-fsync-broken.json", "minutes": 2}}, "steps": [{text}]}}"#
    );
    let scenario = Scenario::from_json(&json).unwrap();
    assert_eq!(scenario.course.as_ref().map(|c| (c.pattern, c.order, c.minutes)), Some((Pattern::Wal, 3, 2)));
    let StepKind::Expect(claim) = &scenario.steps[1].kind else { panic!("an expect step") };
    assert_eq!(claim.fields()["voted_for"], serde_json::Value::Null, "null is a claim (no vote), not an absent field");
    assert_eq!(claim.fields()["kv"]["y"], serde_json::Value::Null);
    assert_eq!(Scenario::from_json(&scenario.to_json_pretty()).as_ref(), Ok(&scenario));
    assert_eq!(Scenario::from_json(&scenario.to_json_compact()).as_ref(), Ok(&scenario));
    assert!(scenario
        .to_json_pretty()
        .contains(r#""course": {"minutes":2,"order":3,"pattern":"wal","twin":"ack-before-fsync-broken.json"},"#));
    let StepKind::Predict(predict) = &scenario.steps[10].kind else { panic!("a predict step") };
    assert_eq!((predict.reveal_ms(20), predict.is_right(1), predict.is_right(0)), (900, true, false));
}

#[test]
fn lesson_step_errors_name_the_field() {
    let cases: &[(&str, &str)] = &[
        (r#"{"at_ms": 1, "expect": {"node": 9, "hwm": 1}}"#, "steps[0].expect.node: node 9 does not exist (the cluster has 3 nodes: 0..=2)"),
        (r#"{"at_ms": 1, "expect": {"node": 1}}"#, "steps[0].expect: says nothing about n1: add a fact (status, role"),
        (r#"{"at_ms": 1, "expect": {}}"#, "steps[0].expect: needs a subject: one of node, leader, client, violated, not_violated, linearizable"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "client": 0, "status": "ok"}}"#, "steps[0].expect.client: a claim has one subject and this one already has `node`"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "hwn": 3}}"#, "steps[0].expect.hwn: unknown field `hwn` (did you mean `hwm`?)"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "hwm": 3}}"#, "steps[0].expect.hwm: not a fact about `client`: a `client` claim takes seq, op, status, value, attempts, served_by, applied"),
        (r#"{"at_ms": 1, "expect": {"leader": 1, "term": 3}}"#, "steps[0].expect.term: not a fact about `leader`: a `leader` claim takes no other field"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "hwm": {"min": 5, "max": 3}}}"#, "steps[0].expect.hwm.min: must not exceed max (5 > 3)"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "hwm": {}}}"#, "steps[0].expect.hwm: give `min`, `max` or both"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "hwm": {"mn": 1}}}"#, "steps[0].expect.hwm.mn: unknown field `mn` (did you mean `min`?)"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "hwm": -1}}"#, "steps[0].expect.hwm: invalid type: number -1, expected a non-negative integer or an object"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "status": "ok"}}"#, "steps[0].expect.status: unknown variant `ok` (did you mean `up`?), expected one of `up`, `crashed`, `paused`, `removed`"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "status": "dead"}}"#, "steps[0].expect.status: unknown variant `dead`, expected one of `up`"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "role": "leeder"}}"#, "steps[0].expect.role: unknown variant `leeder` (did you mean `leader`?)"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "voted_for": 7}}"#, "steps[0].expect.voted_for: node 7 does not exist"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "kv": {}}}"#, "steps[0].expect.kv: must name at least one key"),
        (r#"{"at_ms": 1, "expect": {"leader": 4}}"#, "steps[0].expect.leader: node 4 does not exist"),
        (r#"{"at_ms": 1, "expect": {"client": 2, "status": "ok"}}"#, "steps[0].expect.client: client 2 does not exist (config.clients is 2: 0..=1)"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "seq": 2}}"#, "steps[0].expect: says nothing about the operation: add one of op, status, value, attempts, served_by, applied"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "seq": 0, "status": "ok"}}"#, "steps[0].expect.seq: must be at least 1"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "status": "up"}}"#, "steps[0].expect.status: unknown variant `up` (did you mean `ok`?), expected one of `pending`, `ok`, `unknown`"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "op": "put", "value": "1"}}"#, "steps[0].expect.value: only a read (`get`) returns a value"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "op": "append", "value": "1"}}"#, "steps[0].expect.value: only a read (`get`) returns a value"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "op": "put", "applied": true}}"#, "steps[0].expect.applied: only a compare-and-set (`cas`) says whether it applied"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "op": "cass"}}"#, "steps[0].expect.op: unknown variant `cass` (did you mean `cas`?)"),
        (r#"{"at_ms": 1, "expect": {"client": 1, "served_by": 5, "status": "ok"}}"#, "steps[0].expect.served_by: node 5 does not exist"),
        (r#"{"at_ms": 1, "expect": {"violated": []}}"#, "steps[0].expect.violated: must name at least one invariant"),
        (r#"{"at_ms": 1, "expect": {"violated": ["I7", "FOO"]}}"#, "steps[0].expect.violated[1]: unknown invariant `FOO`; expected one of I1, I2,"),
        (r#"{"at_ms": 1, "expect": {"violated": ["i7"]}}"#, "steps[0].expect.violated[0]: unknown invariant `i7` (did you mean `I7`?)"),
        (r#"{"at_ms": 1, "expect": {"violated": ["I7", "I7"]}}"#, "steps[0].expect.violated[1]: `I7` is listed twice"),
        (r#"{"at_ms": 1, "expect": {"violated": ["LIVE"]}}"#, "steps[0].expect.violated[0]: `LIVE` is checked by chaos runs, not while a lesson plays"),
        (r#"{"at_ms": 1, "expect": {"not_violated": "none"}}"#, "steps[0].expect.not_violated: must be \"all\" or a list of invariant ids like [\"I7\", \"I8\"], got string \"none\""),
        (r#"{"at_ms": 1, "expect": {"linearizable": "yes"}}"#, "steps[0].expect.linearizable: invalid type: string \"yes\", expected true or false"),
        (r#"{"at_ms": 1, "expect": [1]}"#, "steps[0].expect: must be a claim object like {\"node\": 2, \"hwm\": 3}, got a list of 1 items"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "hwm": 1}, "pause": true}"#, "steps[0].pause: only a narration step has `pause`"),
        (r#"{"at_ms": 1, "expect": {"node": 1, "hwm": 1}, "narrate": "x"}"#, "steps[0]: has both `narrate` and `expect`"),
        (r#"{"at_ms": 1, "narrate": "x", "note": ""}"#, "steps[0].note: must not be empty"),
        (r#"{"at_ms": 1, "do": {"action": "heal"}, "note": "x"}"#, "steps[0].note: only a narration step has `note`"),
        (r#"{"at_ms": 1, "narrate": "x", "focus": {}}"#, "steps[0].focus: needs a `tab`, a `node` or both"),
        (r#"{"at_ms": 1, "narrate": "x", "focus": {"tab": "client"}}"#, "steps[0].focus.tab: unknown variant `client` (did you mean `clients`?)"),
        (r#"{"at_ms": 1, "narrate": "x", "focus": {"node": 3}}"#, "steps[0].focus.node: node 3 does not exist"),
        (r#"{"at_ms": 1, "narrate": "x", "focus": {"tab": "clients", "zoom": 2}}"#, "steps[0].focus.zoom: unknown field `zoom`"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a"], "answer": 0, "explain": "e"}}"#, "steps[0].predict.choices: needs 2 to 4 choices, got 1"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a", "b", "c", "d", "e"], "answer": 0, "explain": "e"}}"#, "steps[0].predict.choices: needs 2 to 4 choices, got 5"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a", "b"], "answer": 2, "explain": "e"}}"#, "steps[0].predict.answer: must be the index of a choice (0..=1), got 2"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a", "a"], "answer": 0, "explain": "e"}}"#, "steps[0].predict.choices[1]: the same choice is offered twice"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a", ""], "answer": 0, "explain": "e"}}"#, "steps[0].predict.choices[1]: must not be empty"),
        (r#"{"at_ms": 5, "predict": {"question": "", "choices": ["a", "b"], "answer": 0, "explain": "e"}}"#, "steps[0].predict.question: must not be empty"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a", "b"], "answer": 0}}"#, "steps[0].predict.explain: missing; this field is required"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a", "b"], "answer": 0, "explain": "e", "reveal_at_ms": 4}}"#, "steps[0].predict.reveal_at_ms: must not be before the question (at_ms 5), got 4"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a", "b"], "answer": 0, "explain": "e", "reveal_at_ms": 9000}}"#, "steps[0].predict.reveal_at_ms: 9000 is after the end of the run (3005 ms)"),
        (r#"{"at_ms": 5, "predict": {"question": "?", "choices": ["a", "b"], "answer": 0, "explain": "e", "hint": "h"}}"#, "steps[0].predict.hint: unknown field `hint`"),
    ];
    for (steps, expected) in cases {
        let got = refused(steps);
        assert!(got.starts_with(expected), "\n  steps: {steps}\n  got:      {got}\n  expected: {expected}");
    }
    // A node added by an earlier step may be claimed about.
    assert!(with_steps(
        r#"{"at_ms": 1, "do": {"action": "add-node"}}, {"at_ms": 2, "expect": {"node": 3, "member": true}}"#
    )
    .is_ok());
}

#[test]
fn course_errors_name_the_field() {
    let cases: &[(&str, &str)] = &[
        (r#"{"pattern": "wall", "order": 1, "minutes": 2}"#, "course.pattern: unknown variant `wall` (did you mean `wal`?)"),
        (r#"{"pattern": "wal", "minutes": 2}"#, "course.order: missing; this field is required"),
        (r#"{"pattern": "wal", "order": 0, "minutes": 2}"#, "course.order: must be between 1 and 999, got 0"),
        (r#"{"pattern": "wal", "order": 1, "minutes": 4}"#, "course.minutes: a lesson of the course takes 1 to 3 minutes, got 4"),
        (r#"{"pattern": "wal", "order": 1, "minutes": 2, "twin": "../x.json"}"#, "course.twin: must be a lesson file name like `ack-after-fsync.json`"),
        (r#"{"pattern": "wal", "order": 1, "minutes": 2, "level": 1}"#, "course.level: unknown field `level`"),
        (r#"[]"#, "course: must be an object like {\"pattern\": \"wal\", \"order\": 1, \"minutes\": 2}, got a list of 0 items"),
    ];
    for (course, expected) in cases {
        let got = Scenario::from_json(&format!(r#"{{"name": "t", "course": {course}}}"#)).unwrap_err().to_string();
        assert!(got.starts_with(expected), "\n  course: {course}\n  got:      {got}\n  expected: {expected}");
    }
    let names: Vec<&str> = Pattern::ALL.iter().map(|p| p.name()).collect();
    assert_eq!(names, ["wal", "segments", "replication", "hwm", "clients", "raft-extensions", "history"]);
    for pattern in Pattern::ALL {
        let json =
            format!(r#"{{"name": "t", "course": {{"pattern": "{}", "order": 1, "minutes": 1}}}}"#, pattern.name());
        assert_eq!(Scenario::from_json(&json).unwrap().course.map(|c| c.pattern), Some(pattern));
    }
    assert_eq!(course::playing_minutes(6_000), 1);
    assert_eq!(course::playing_minutes(18_000), 3);
    assert_eq!(course::playing_minutes(18_001), 4);
}

#[test]
fn the_node_facts_are_the_claimable_node_fields() {
    let world = World::new(Config::default(), 3).unwrap();
    let facts = node_facts(&world.node_view(1).unwrap(), world.counters(1));
    let mut keys: Vec<&str> = facts.keys().map(String::as_str).collect();
    let mut fields: Vec<&str> = node_fields().filter(|&f| f != "kv").collect();
    keys.sort_unstable();
    fields.sort_unstable();
    assert_eq!(keys, fields, "every node field a claim may name has a fact, and no other");
    let tabs: Vec<&str> = FocusTab::ALL.iter().map(|t| t.name()).collect();
    for tab in FocusTab::ALL {
        assert_eq!(serde_json::to_value(tab).unwrap(), tab.name(), "the file's name is the one listed");
    }
    assert_eq!(tabs, ["clients", "faults", "state", "events", "invariants", "config", "history"]);
}

fn claim(json: &str) -> Claim {
    let serde_json::Value::Object(fields) = serde_json::from_str(json).unwrap() else { panic!("an object") };
    Claim::read(fields, &crate::sim::world::command::CommandContext { nodes: 3, clients: 2 }).unwrap()
}

fn seen(world: &World, json: &str) -> String {
    match claim(json).check(world) {
        ExpectOutcome::Held => "held".to_string(),
        ExpectOutcome::Failed { seen } => seen,
    }
}

#[test]
fn a_claim_says_what_was_seen_instead() {
    let mut world = World::new(Config::default(), 6).unwrap();
    world.run_until(600_000);
    let leader = world.top_leader().expect("seed 6 elects a leader by 600 ms");
    let follower = (leader + 1) % 3;
    world
        .apply(crate::sim::world::command::Command::Put {
            client: 0,
            key: "x".into(),
            value: "1".into(),
            node: Some(leader),
        })
        .unwrap();
    world
        .apply(crate::sim::world::command::Command::Get { client: 1, key: "nope".into(), node: Some(leader) })
        .unwrap();
    world.run_until(900_000);
    world.apply(crate::sim::world::command::Command::Crash { node: follower }).unwrap();
    assert_eq!(seen(&world, &format!(r#"{{"leader": {leader}}}"#)), "held");
    assert_eq!(
        seen(&world, &format!(r#"{{"leader": {follower}}}"#)),
        format!("the leader is n{leader}, expected n{follower}")
    );
    assert_eq!(
        seen(&world, &format!(r#"{{"node": {leader}, "role": "leader", "kv": {{"x": "1", "y": null}}}}"#)),
        "held"
    );
    assert_eq!(
        seen(&world, &format!(r#"{{"node": {leader}, "role": "follower", "hwm": {{"min": 90}}, "kv": {{"x": "2"}}}}"#)),
        format!(
            "n{leader}.role is leader, expected follower; n{leader}.hwm is 2, expected at least 90; n{leader}.kv.x is \"1\", expected \"2\""
        )
    );
    assert_eq!(
        seen(&world, &format!(r#"{{"node": {follower}, "status": "crashed", "crashes": 1, "recoveries": 0}}"#)),
        "held"
    );
    assert_eq!(seen(&world, r#"{"client": 0, "seq": 1, "op": "put", "status": "ok", "attempts": 1}"#), "held");
    assert_eq!(seen(&world, r#"{"client": 0, "seq": 1, "status": "pending"}"#), "c0#1.status is ok, expected pending");
    assert_eq!(seen(&world, r#"{"client": 0, "value": "1"}"#), "c0#1 is a put x=1; only a read returns a value");
    assert_eq!(seen(&world, r#"{"client": 1, "op": "get", "value": null}"#), "held");
    assert_eq!(seen(&world, r#"{"client": 1, "value": "1"}"#), "c1#1 returned absent, expected \"1\"");
    assert_eq!(
        seen(&world, r#"{"client": 0, "seq": 5, "status": "ok"}"#),
        "c0#5 has not started (or is no longer in the history)"
    );
    assert_eq!(seen(&world, r#"{"not_violated": "all"}"#), "held");
    assert_eq!(seen(&world, r#"{"violated": ["I7", "LIN"]}"#), "no violation of I7, LIN so far");
    assert_eq!(seen(&world, r#"{"linearizable": true}"#), "held");
    assert!(seen(&world, r#"{"linearizable": false}"#).starts_with("the history so far is linearizable"));
    assert_eq!(
        claim(r#"{"node": 1, "hwm": {"min": 2}, "role": "leader"}"#).describe(),
        "n1 role leader, hwm at least 2"
    );
    assert_eq!(
        claim(r#"{"client": 1, "seq": 2, "status": "ok", "value": null}"#).describe(),
        "c1#2 status ok, returned absent"
    );
    assert_eq!(claim(r#"{"not_violated": ["I7"]}"#).describe(), "no violation of I7");
}

#[test]
fn the_claims_names_are_the_simulations_names() {
    use crate::sim::raft::message::ClientOp;
    use crate::sim::raft::role::Role;
    use crate::sim::world::history::OpStatus;
    use crate::sim::world::status::NodeStatus;
    let roles = [Role::Follower, Role::PreCandidate, Role::Candidate, Role::Leader].map(Role::name);
    assert_eq!(roles, claim::ROLES);
    let statuses = [NodeStatus::Up, NodeStatus::Crashed, NodeStatus::Paused, NodeStatus::Removed].map(NodeStatus::name);
    assert_eq!(statuses, claim::NODE_STATUSES);
    let op_statuses = [
        OpStatus::Pending,
        OpStatus::Ok { value: None, index: 0, applied: None },
        OpStatus::Unknown { reason: String::new() },
    ]
    .map(|s| serde_json::to_value(s).unwrap()["status"].as_str().unwrap().to_string());
    assert_eq!(op_statuses, claim::OP_STATUSES);
    let key = || "k".to_string();
    let ops = [
        ClientOp::Put { key: key(), value: key() },
        ClientOp::Get { key: key() },
        ClientOp::Delete { key: key() },
        ClientOp::Cas { key: key(), expected: None, value: key() },
        ClientOp::Append { key: key(), value: key() },
    ]
    .map(|op| serde_json::to_value(op).unwrap()["op"].as_str().unwrap().to_string());
    assert_eq!(ops, claim::OPS);
}

#[test]
fn a_compare_and_set_claim_says_whether_it_applied() {
    use crate::sim::world::command::Command;
    let mut world = World::new(Config::default(), 6).unwrap();
    world.run_until(600_000);
    let leader = world.top_leader().expect("seed 6 elects a leader by 600 ms");
    let cas = |client| Command::Cas { client, key: "x".into(), expected: None, value: "1".into(), node: Some(leader) };
    world.apply(cas(0)).unwrap();
    assert_eq!(seen(&world, r#"{"client": 0, "op": "cas", "applied": true}"#), "c0#1.applied is none, expected true");
    world.run_until(900_000);
    world.apply(cas(1)).unwrap();
    world.run_until(1_200_000);
    assert_eq!(seen(&world, r#"{"client": 0, "op": "cas", "status": "ok", "applied": true}"#), "held");
    assert_eq!(seen(&world, r#"{"client": 1, "op": "cas", "status": "ok", "applied": false}"#), "held");
    assert_eq!(seen(&world, r#"{"client": 1, "applied": true}"#), "c1#1.applied is false, expected true");
    assert_eq!(seen(&world, r#"{"client": 1, "op": "append"}"#), "c1#1.op is cas, expected append");
}
