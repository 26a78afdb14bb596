//! Scenario tests for the four logging patterns: each drives a small cluster into one situation and checks
//! what the core shows (every run has the checker on after every event).

use logscope::sim::config::Config;
use logscope::sim::raft::role::Role;
use logscope::sim::world::command::Command;
use logscope::sim::world::history::OpStatus;
use logscope::sim::world::status::NodeStatus;
use logscope::sim::world::World;

const MS: u64 = 1_000;

fn world(config: Config) -> World {
    let mut w = World::new(config, 7).unwrap();
    w.run_until(1_000 * MS);
    w
}

fn leader(w: &World) -> usize {
    w.view().leader.expect("a leader after a second")
}

fn put(w: &mut World, client: usize, key: &str, value: &str) {
    w.apply(Command::Put { client, key: key.into(), value: value.into(), node: None }).unwrap();
}

#[test]
fn a_write_is_acknowledged_only_after_the_fsync_that_covers_it() {
    let mut w = world(Config { fsync_ms_min: 40, fsync_ms_max: 40, ..Config::default() });
    let l = leader(&w);
    w.apply(Command::Put { client: 0, key: "x".into(), value: "1".into(), node: Some(l) }).unwrap();
    let mut acked = false;
    for _ in 0..20_000 {
        w.step();
        let v = w.view();
        let done = v.clients[0].recent.iter().any(|op| matches!(op.status, OpStatus::Ok { .. }));
        if done {
            let index = match &v.clients[0].recent.last().unwrap().status {
                OpStatus::Ok { index, .. } => *index,
                _ => unreachable!(),
            };
            let durable = v.nodes.iter().filter(|n| n.durable_index >= index).count();
            assert!(durable >= 2, "acknowledged entry {index} must be durable on a majority, is on {durable}");
            assert!(v.nodes[l].durable_index >= index, "and on the leader itself");
            acked = true;
            break;
        }
    }
    assert!(acked);
    assert!(w.violations().is_empty(), "{:?}", w.violations());
}

#[test]
fn a_crash_loses_only_the_unsynced_tail_and_a_torn_record_is_cut_on_recovery() {
    let mut w = world(Config {
        clients: 3,
        fsync_ms_min: 60,
        fsync_ms_max: 60,
        election_timeout_ms_min: 400,
        election_timeout_ms_max: 800,
        ..Config::default()
    });
    let l = leader(&w);
    let durable_before = w.view().nodes[l].durable_index;
    for i in 0..3 {
        w.apply(Command::Put { client: i, key: "k".into(), value: i.to_string(), node: Some(l) }).unwrap();
    }
    w.run_until(w.now() + 40 * MS);
    let v = w.view();
    assert!(v.nodes[l].last_index > v.nodes[l].durable_index, "appends wait for the slow fsync");
    w.apply(Command::TornWrite { node: l }).unwrap();
    w.apply(Command::Crash { node: l }).unwrap();
    let crashed = &w.view().nodes[l];
    assert_eq!(crashed.status, NodeStatus::Crashed);
    assert_eq!(crashed.last_index, crashed.durable_index + 1, "only the torn record survives past the durable prefix");
    assert!(crashed.segments.iter().flat_map(|s| &s.entries).any(|e| e.corrupt));
    w.apply(Command::Restart { node: l }).unwrap();
    let recovered = &w.view().nodes[l];
    assert_eq!(recovered.last_index, recovered.durable_index);
    assert!(recovered.last_index >= durable_before);
    assert!(!recovered.segments.iter().flat_map(|s| &s.entries).any(|e| e.corrupt), "recovery cut the torn record");
    w.run_until(w.now() + 2_000 * MS);
    assert!(w.violations().is_empty(), "{:?}", w.violations());
}

#[test]
fn follower_hwm_trails_the_leader_and_converges() {
    let mut w = world(Config { latency_ms_min: 20, latency_ms_max: 20, ..Config::default() });
    let l = leader(&w);
    put(&mut w, 0, "x", "1");
    let mut saw_lag = false;
    for _ in 0..5_000 {
        w.step();
        let v = w.view();
        let leader_hwm = v.nodes[l].hwm;
        if v.nodes.iter().any(|n| n.id != l && n.hwm < leader_hwm) {
            saw_lag = true;
        }
        assert!(v.nodes.iter().all(|n| n.hwm <= n.last_index.max(n.hwm.min(leader_hwm))));
    }
    assert!(saw_lag, "a follower learns the HWM a round trip after the leader");
    let v = w.view();
    assert!(v.nodes.iter().all(|n| n.hwm == v.nodes[l].hwm));
}

#[test]
fn segments_below_the_lwm_are_deleted_and_a_lagging_follower_gets_a_snapshot() {
    let mut w = world(Config { segment_entries: 4, snapshot_every: 8, ..Config::default() });
    let l = leader(&w);
    let lagging = (l + 1) % 3;
    w.apply(Command::Crash { node: lagging }).unwrap();
    for i in 0..40 {
        put(&mut w, (i % 2) as usize, &format!("k{}", i % 3), &i.to_string());
        w.run_until(w.now() + 30 * MS);
    }
    w.run_until(w.now() + 500 * MS);
    let v = w.view();
    let ln = &v.nodes[l];
    assert!(ln.first_index > 1, "the leader deleted segments below its LWM (first index {})", ln.first_index);
    assert!(
        ln.snapshot.as_ref().unwrap().last_index + 1 >= ln.first_index,
        "deleted entries are covered by the snapshot"
    );
    assert!(ln.segments.iter().all(|s| s.last_index >= ln.lwm || !s.sealed || s.base_index == ln.first_index));
    w.apply(Command::Restart { node: lagging }).unwrap();
    w.run_until(w.now() + 1_500 * MS);
    let v = w.view();
    assert!(v.nodes[lagging].snapshot.is_some(), "the follower below the leader's first index got a snapshot");
    assert_eq!(v.nodes[lagging].hwm, v.nodes[l].hwm);
    assert_eq!(v.nodes[lagging].kv, v.nodes[l].kv);
    assert!(w.trace().any(|t| t.describe().contains("installs the leader's snapshot")));
    assert!(w.violations().is_empty(), "{:?}", w.violations());
}

#[test]
fn a_partitioned_follower_serves_stale_reads_in_follower_mode() {
    let mut w = world(Config { read_mode: logscope::sim::config::ReadMode::Follower, ..Config::default() });
    let l = leader(&w);
    let f = (l + 1) % 3;
    put(&mut w, 0, "x", "old");
    w.run_until(w.now() + 300 * MS);
    let others: Vec<usize> = (0..3).filter(|&n| n != f).collect();
    w.apply(Command::Partition { groups: vec![others, vec![f]] }).unwrap();
    put(&mut w, 0, "x", "new");
    w.run_until(w.now() + 300 * MS);
    w.apply(Command::Get { client: 1, key: "x".into(), node: Some(f) }).unwrap();
    w.run_until(w.now() + 100 * MS);
    let read = w.view().clients[1].recent.last().cloned().unwrap();
    assert_eq!(read.status, OpStatus::Ok { value: Some("old".into()), index: read_index(&read), applied: None });
    assert_eq!(w.view().nodes[l].role, Role::Leader);
    assert!(w.violations().is_empty(), "stale but below the follower's HWM: no violation");
}

fn read_index(op: &logscope::sim::world::history::HistoryOp) -> u64 {
    match op.status {
        OpStatus::Ok { index, .. } => index,
        _ => 0,
    }
}
