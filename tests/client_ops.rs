//! Compare-and-set and append end to end: through the log, deduplicated by `(client, seq)`, answered, in the
//! history, and checked by the linearizability checker — also under loss, duplication and retries, where a
//! retried cas must get its first decision back; with the `no-dedup` break a retried append is applied twice
//! and the checker (or I18) says so.

use logscope::sim::breaks::Break;
use logscope::sim::check::linearize::{check_history, Verdict};
use logscope::sim::config::{Config, ReadMode};
use logscope::sim::raft::message::ClientOp;
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::Scenario;
use logscope::sim::types::ms;
use logscope::sim::world::command::{Command, WriteMix};
use logscope::sim::world::history::{HistoryOp, OpStatus};
use logscope::sim::world::World;

fn settled(config: Config, seed: u64) -> World {
    let mut w = World::new(config, seed).unwrap();
    w.run_until(ms(1_000));
    assert!(w.view().leader.is_some(), "a leader after a second");
    w
}

fn done(w: &World, client: usize, seq: u64) -> HistoryOp {
    w.history().into_iter().find(|op| op.client == client && op.seq == seq).expect("the operation is recorded")
}

fn applied(op: &HistoryOp) -> Option<bool> {
    match op.status {
        OpStatus::Ok { applied, .. } => applied,
        _ => None,
    }
}

fn read(op: &HistoryOp) -> Option<String> {
    match &op.status {
        OpStatus::Ok { value, .. } => value.clone(),
        other => panic!("the read did not finish: {other:?}"),
    }
}

#[test]
fn cas_and_append_go_through_the_log_and_answer() {
    let mut w = settled(Config::default(), 3);
    let cas = |client, expected: Option<&str>, value: &str| Command::Cas {
        client,
        key: "x".into(),
        expected: expected.map(String::from),
        value: value.into(),
        node: None,
    };
    w.apply(cas(0, None, "1")).unwrap();
    w.run_until(w.now() + ms(300));
    w.apply(cas(1, None, "2")).unwrap();
    w.run_until(w.now() + ms(300));
    w.apply(Command::Append { client: 0, key: "x".into(), value: ";a".into(), node: None }).unwrap();
    w.run_until(w.now() + ms(300));
    w.apply(cas(1, Some("1;a"), "3")).unwrap();
    w.run_until(w.now() + ms(300));
    w.apply(Command::Get { client: 0, key: "x".into(), node: None }).unwrap();
    w.run_until(w.now() + ms(300));
    assert_eq!(applied(&done(&w, 0, 1)), Some(true), "x was absent");
    assert_eq!(applied(&done(&w, 1, 1)), Some(false), "x held 1");
    assert_eq!(applied(&done(&w, 1, 2)), Some(true), "x held 1;a");
    assert_eq!(read(&done(&w, 0, 3)).as_deref(), Some("3"));
    let OpStatus::Ok { index, .. } = done(&w, 1, 1).status else { panic!() };
    assert!(index > 0, "a refused cas is still an entry of the log, decided when applied");
    // Every node applied the same entries.
    for server in w.servers() {
        let entries: Vec<String> = (1..=server.disk().wal.last_index())
            .filter_map(|i| server.disk().wal.entry(i).map(|e| e.payload.describe()))
            .filter(|d| d.starts_with("cas") || d.contains("+="))
            .collect();
        assert_eq!(entries, ["cas x ∅→1", "cas x ∅→2", "x+=;a", "cas x 1;a→3"]);
    }
    let trace: Vec<String> = w.trace().map(|t| t.describe()).collect();
    assert!(trace.iter().any(|t| t.contains("client 1: cas x ∅→2 not applied")), "{trace:#?}");
    assert!(trace.iter().any(|t| t.contains("client 0: append x+=;a acknowledged")), "{trace:#?}");
    let report = check_history(&w.finished_history());
    assert_eq!(report.verdict, Verdict::Linearizable, "{}", report.summary());
    assert!(w.violations().is_empty(), "{:?}", w.violations());
}

/// A lossy, duplicating network with short client timeouts: many retries, some answered by the idempotent
/// receiver after the first attempt was applied.
fn stormy(breaks: Vec<Break>, seed: u64) -> World {
    let config = Config {
        read_mode: ReadMode::ReadIndex,
        client_timeout_ms: 60,
        client_max_attempts: 50,
        loss: 0.15,
        duplicate: 0.2,
        breaks,
        ..Config::default()
    };
    let mut w = settled(config, seed);
    let mix = WriteMix { put: 2, get: 3, cas: 3, append: 2 };
    w.apply(Command::SetWriteLoad { per_second: 60, mix: Some(mix) }).unwrap();
    w.run_until(w.now() + ms(8_000));
    w.apply(Command::SetWriteLoad { per_second: 0, mix: None }).unwrap();
    w.run_until(w.now() + ms(3_000));
    w
}

#[test]
fn under_loss_and_retries_cas_and_append_stay_linearizable() {
    for seed in 1..=4 {
        let w = stormy(Vec::new(), seed);
        let history = w.finished_history();
        let count = |f: &dyn Fn(&HistoryOp) -> bool| history.iter().filter(|op| f(op)).count();
        assert!(count(&|op| op.attempts > 1) > 20, "seed {seed}: retries happen");
        assert!(count(&|op| applied(op) == Some(true)) > 5, "seed {seed}: some cas apply");
        assert!(count(&|op| applied(op) == Some(false)) > 5, "seed {seed}: some do not");
        assert!(count(&|op| matches!(op.op, ClientOp::Append { .. })) > 20, "seed {seed}");
        let report = check_history(&history);
        assert_eq!(report.verdict, Verdict::Linearizable, "seed {seed}: {}", report.summary());
        assert!(w.violations().is_empty(), "seed {seed}: {:?}", w.violations());
    }
}

#[test]
fn without_dedup_a_retried_append_lands_twice_and_is_caught() {
    let caught = (1..=4).any(|seed| {
        let w = stormy(vec![Break::NoDedup], seed);
        let report = check_history(&w.finished_history());
        report.verdict == Verdict::NotLinearizable || !w.violations().is_empty()
    });
    assert!(caught, "applying retries again shows as a violation");
}

#[test]
fn a_mixed_load_replays_bit_for_bit() {
    let w = stormy(Vec::new(), 9);
    let scenario = Scenario::from_json(&w.to_scenario("mixed load").to_json_pretty()).unwrap();
    let mut player = Player::from_scenario(&scenario).unwrap();
    player.run_through(ms(scenario.end_ms())).unwrap();
    assert_eq!(player.world().trace_hash(), w.trace_hash());
    assert_eq!(player.world().history(), w.history());
}
