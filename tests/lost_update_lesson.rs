//! The lost-update lesson (`scenarios/lost-update-cas.json`) says what its run does; until lessons carry
//! `expect` steps, this test backs each claim of its narration: with blind puts both clients read 0 and both
//! write 1, so the counter reads 1 after two increments, and the history is linearizable all the same; with
//! compare-and-set client 0's cas applies, client 1's returns false, its retry after a fresh read applies and
//! the counter reads 3, again in a linearizable history.

use logscope::sim::check::linearize::check_history;
use logscope::sim::raft::message::ClientOp;
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::Scenario;
use logscope::sim::types::ms;
use logscope::sim::world::history::{HistoryOp, OpStatus};

/// The lesson's history once played up to `until_ms`.
fn history_until(until_ms: u64) -> Vec<HistoryOp> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/lost-update-cas.json");
    let scenario = Scenario::from_bytes(&std::fs::read(path).expect("the lesson file")).expect("the lesson parses");
    let mut player = Player::from_scenario(&scenario).expect("the lesson builds");
    player.run_through(ms(until_ms)).expect("no step refused");
    player.world().finished_history()
}

/// `(client, what it did, what it got)` of every answered operation, in the order they were called.
fn answered(history: &[HistoryOp]) -> Vec<(usize, String, String)> {
    let mut ops: Vec<&HistoryOp> = history.iter().filter(|op| matches!(op.status, OpStatus::Ok { .. })).collect();
    ops.sort_by_key(|op| (op.invoked_us, op.client));
    ops.iter()
        .map(|op| {
            let got = match (&op.op, &op.status) {
                (ClientOp::Get { .. }, OpStatus::Ok { value, .. }) => value.clone().unwrap_or_else(|| "absent".into()),
                (ClientOp::Cas { .. }, OpStatus::Ok { applied, .. }) => format!("applied {}", applied.unwrap_or(false)),
                _ => "ok".to_string(),
            };
            (op.client, op.op.describe(), got)
        })
        .collect()
}

fn entry(client: usize, op: &str, got: &str) -> (usize, String, String) {
    (client, op.to_string(), got.to_string())
}

#[test]
fn blind_puts_lose_an_increment_in_a_linearizable_history() {
    let history = history_until(1100);
    assert_eq!(
        answered(&history),
        vec![
            entry(0, "put counter=0", "ok"),
            entry(0, "get counter", "0"),
            entry(1, "get counter", "0"),
            entry(0, "put counter=1", "ok"),
            entry(1, "put counter=1", "ok"),
            entry(0, "get counter", "1"),
        ]
    );
    assert!(check_history(&history).is_linearizable(), "{}", check_history(&history).summary());
}

#[test]
fn compare_and_set_refuses_the_losers_write_and_its_retry_counts() {
    let history = history_until(3200);
    let after_puts = &answered(&history)[6..];
    assert_eq!(
        after_puts,
        vec![
            entry(0, "get counter", "1"),
            entry(1, "get counter", "1"),
            entry(0, "cas counter 1→2", "applied true"),
            entry(1, "cas counter 1→2", "applied false"),
            entry(1, "get counter", "2"),
            entry(1, "cas counter 2→3", "applied true"),
            entry(0, "get counter", "3"),
        ]
    );
    assert!(history.iter().all(HistoryOp::is_finished), "every operation was answered");
    assert!(check_history(&history).is_linearizable(), "{}", check_history(&history).summary());
}
