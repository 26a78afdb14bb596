//! Read modes against a partitioned old leader: `leader` reads (no lease) and `follower` reads can return a
//! stale value — a non-linearizable history the checker must catch — while `read-index` reads cannot.

use logscope::sim::check::linearize::check_history;
use logscope::sim::config::{Config, ReadMode};
use logscope::sim::raft::role::Role;
use logscope::sim::world::command::Command;
use logscope::sim::world::history::OpStatus;
use logscope::sim::world::World;

const MS: u64 = 1_000;

/// Elect a leader, write x=old, cut the leader off, write x=new through the majority, then read x at the old
/// leader (client 1 asks it directly). Returns the world after the read had time to finish.
fn stale_read_attempt(mode: ReadMode) -> World {
    let config = Config { read_mode: mode, client_timeout_ms: 2_000, client_max_attempts: 3, ..Config::default() };
    let mut w = World::new(config, 11).unwrap();
    w.run_until(1_000 * MS);
    let old = w.view().leader.expect("a leader");
    w.apply(Command::Put { client: 0, key: "x".into(), value: "old".into(), node: Some(old) }).unwrap();
    w.run_until(w.now() + 300 * MS);
    let majority: Vec<usize> = (0..3).filter(|&n| n != old).collect();
    w.apply(Command::Partition { groups: vec![vec![old], majority.clone()] }).unwrap();
    w.run_until(w.now() + 800 * MS);
    let view = w.view();
    assert!(view.nodes.iter().any(|n| n.id != old && n.role == Role::Leader), "the majority elected a new leader");
    assert_eq!(view.nodes[old].role, Role::Leader, "the cut-off leader still believes it leads");
    w.apply(Command::Put { client: 0, key: "x".into(), value: "new".into(), node: Some(majority[0]) }).unwrap();
    w.run_until(w.now() + 800 * MS);
    let acked = w
        .history()
        .iter()
        .any(|op| op.op.is_write() && matches!(op.status, OpStatus::Ok { index, .. } if index > 0) && op.seq == 2);
    assert!(acked, "the majority side acknowledged x=new");
    w.apply(Command::Get { client: 1, key: "x".into(), node: Some(old) }).unwrap();
    w.run_until(w.now() + 1_000 * MS);
    w
}

fn read_result(w: &World) -> OpStatus {
    w.history().iter().find(|op| op.client == 1).expect("the read was issued").status.clone()
}

#[test]
fn a_deposed_leader_serves_a_stale_read_in_leader_mode_and_the_history_is_not_linearizable() {
    let w = stale_read_attempt(ReadMode::Leader);
    assert!(matches!(read_result(&w), OpStatus::Ok { value: Some(ref v), .. } if v == "old"), "{:?}", read_result(&w));
    let report = check_history(&w.finished_history());
    assert!(!report.is_linearizable(), "{}", report.summary());
    assert!(w.violations().is_empty(), "stale, but below the old leader's HWM: no per-event invariant breaks");
}

#[test]
fn a_partitioned_follower_read_is_stale_and_not_linearizable() {
    let w = stale_read_attempt(ReadMode::Follower);
    assert!(matches!(read_result(&w), OpStatus::Ok { value: Some(ref v), .. } if v == "old"), "{:?}", read_result(&w));
    assert!(!check_history(&w.finished_history()).is_linearizable());
}

#[test]
fn read_index_refuses_to_answer_from_a_deposed_leader() {
    let w = stale_read_attempt(ReadMode::ReadIndex);
    // The old leader cannot confirm its leadership: the read never returns "old" (it times out or is
    // answered by the new leader after a retry).
    assert!(!matches!(read_result(&w), OpStatus::Ok { value: Some(ref v), .. } if v == "old"), "{:?}", read_result(&w));
    let report = check_history(&w.finished_history());
    assert!(report.is_linearizable(), "{}", report.summary());
}
