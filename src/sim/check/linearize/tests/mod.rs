//! The checker's behaviour on hand-made histories; `oracle.rs` compares it with a brute-force checker on
//! thousands of random small ones.

mod oracle;

use super::*;
use crate::sim::check::violation::Invariant;
use crate::sim::raft::message::ClientOp;
use crate::sim::types::{ClientId, Time};
use crate::sim::world::history::OpStatus;

pub(super) fn op(client: ClientId, seq: u64, op: ClientOp, status: OpStatus, from: Time, to: Time) -> HistoryOp {
    HistoryOp {
        client,
        seq,
        op,
        invoked_us: from,
        completed_us: Some(to),
        status,
        attempts: 1,
        served_by: Some(client),
    }
}

fn ok(index: u64) -> OpStatus {
    OpStatus::Ok { value: None, index, applied: None }
}

fn put(client: ClientId, seq: u64, key: &str, value: &str, from: Time, to: Time) -> HistoryOp {
    op(client, seq, ClientOp::Put { key: key.into(), value: value.into() }, ok(seq), from, to)
}

fn del(client: ClientId, seq: u64, key: &str, from: Time, to: Time) -> HistoryOp {
    op(client, seq, ClientOp::Delete { key: key.into() }, ok(seq), from, to)
}

fn append(client: ClientId, seq: u64, key: &str, value: &str, from: Time, to: Time) -> HistoryOp {
    op(client, seq, ClientOp::Append { key: key.into(), value: value.into() }, ok(seq), from, to)
}

fn cas(client: ClientId, seq: u64, key: &str, expected: Option<&str>, value: &str, applied: bool) -> HistoryOp {
    let request = ClientOp::Cas { key: key.into(), expected: expected.map(String::from), value: value.into() };
    op(client, seq, request, OpStatus::Ok { value: None, index: seq, applied: Some(applied) }, 0, 0)
}

fn during(mut op: HistoryOp, from: Time, to: Time) -> HistoryOp {
    op.invoked_us = from;
    op.completed_us = Some(to);
    op
}

fn get(client: ClientId, seq: u64, key: &str, value: Option<&str>, from: Time, to: Time) -> HistoryOp {
    let status = OpStatus::Ok { value: value.map(String::from), index: 0, applied: None };
    op(client, seq, ClientOp::Get { key: key.into() }, status, from, to)
}

fn unknown(mut op: HistoryOp) -> HistoryOp {
    op.status = OpStatus::Unknown { reason: "gave up".into() };
    op
}

fn pending(mut op: HistoryOp) -> HistoryOp {
    op.status = OpStatus::Pending;
    op.completed_us = None;
    op
}

fn verdict(ops: &[HistoryOp]) -> Verdict {
    check_history(ops).verdict
}

fn only_failure(report: &LinearizabilityReport) -> (&KeyReport, &KeyFailure) {
    let failing: Vec<&KeyReport> = report.failures().collect();
    assert_eq!(failing.len(), 1, "{}", report.summary());
    (failing[0], failing[0].failure().unwrap())
}

#[test]
fn empty_history_is_linearizable() {
    let report = check_history(&[]);
    assert_eq!(report.verdict, Verdict::Linearizable);
    assert_eq!(report.keys_checked, 0);
    assert!(report.violations().is_empty());
}

#[test]
fn sequential_reads_see_the_latest_write() {
    let h = [put(0, 1, "x", "1", 0, 10), get(1, 1, "x", Some("1"), 20, 30), get(1, 2, "y", None, 31, 40)];
    let report = check_history(&h);
    assert_eq!(report.verdict, Verdict::Linearizable);
    let KeyOutcome::Linearizable { order, points_us } = &report.key("x").unwrap().outcome else { panic!() };
    assert_eq!(order, &[0, 1]);
    assert_eq!(points_us, &[5, 25], "each point in the middle of the window its order leaves it");
}

#[test]
fn stale_read_after_acknowledged_write_is_caught_and_explained() {
    let h = [
        put(0, 1, "x", "1", 0, 10),
        put(0, 2, "x", "2", 20, 30),
        get(1, 1, "x", Some("1"), 40, 50), // the write of 2 had finished: 1 is stale
    ];
    let report = check_history(&h);
    assert_eq!(report.verdict, Verdict::NotLinearizable, "{}", report.summary());
    let (key, failure) = only_failure(&report);
    assert_eq!(key.key, "x");
    let blocked = key.blocked_op().unwrap();
    assert_eq!((blocked.client, blocked.seq), (1, 1));
    assert_eq!(failure.value_after_prefix.as_deref(), Some("2"));
    let prefix: Vec<u64> = failure.longest_prefix.iter().map(|&i| key.ops[i].seq).collect();
    assert_eq!(prefix, vec![1, 2]);
    assert_eq!(failure.prefix_points_us, vec![5, 25]);
    assert_eq!(
        failure.explanation,
        "client 1's get x → \"1\" (40.0ms–50.0ms) returned after client 0's put x=2 had completed (30.0ms); \
         no order consistent with real time explains that."
            .replace("40.0ms", &crate::sim::types::format_time(40))
            .replace("50.0ms", &crate::sim::types::format_time(50))
            .replace("30.0ms", &crate::sim::types::format_time(30))
    );
    let violation = key.to_violation().unwrap();
    assert_eq!(violation.invariant, Invariant::Linearizability);
    assert_eq!(violation.time_us, 50);
    assert_eq!(violation.nodes, vec![0, 1]);
    assert!(violation.describe().starts_with("LIN"));
}

#[test]
fn read_concurrent_with_a_write_may_see_either_value() {
    for seen in [None, Some("1")] {
        let h = [put(0, 1, "x", "1", 0, 100), get(1, 1, "x", seen, 10, 20)];
        assert_eq!(verdict(&h), Verdict::Linearizable, "read {seen:?}");
    }
}

#[test]
fn concurrent_writes_in_either_order() {
    for last in ["a", "b"] {
        let h = [put(0, 1, "x", "a", 0, 50), put(1, 1, "x", "b", 10, 40), get(2, 1, "x", Some(last), 60, 70)];
        assert_eq!(verdict(&h), Verdict::Linearizable, "last {last}");
    }
    // ...but once one reader saw b then a, another cannot see b afterwards.
    let h = [
        put(0, 1, "x", "a", 0, 50),
        put(1, 1, "x", "b", 10, 40),
        get(2, 1, "x", Some("a"), 60, 70),
        get(2, 2, "x", Some("b"), 80, 90),
    ];
    assert_eq!(verdict(&h), Verdict::NotLinearizable);
}

#[test]
fn read_of_a_value_never_written() {
    let h = [put(0, 1, "x", "1", 0, 10), get(1, 1, "x", Some("7"), 0, 30)];
    let report = check_history(&h);
    let (_, failure) = only_failure(&report);
    assert!(failure.explanation.contains("a value no operation on x ever wrote"), "{}", failure.explanation);
}

#[test]
fn unknown_write_may_take_effect_late_or_never() {
    // The client gave up at 50, yet the write was committed later: a read at 200 may see it...
    let late = [unknown(put(0, 1, "x", "1", 0, 50)), get(1, 1, "x", None, 60, 70), get(1, 2, "x", Some("1"), 200, 210)];
    assert_eq!(verdict(&late), Verdict::Linearizable);
    // ...or never see it.
    let never = [unknown(put(0, 1, "x", "1", 0, 50)), get(1, 1, "x", None, 200, 210)];
    assert_eq!(verdict(&never), Verdict::Linearizable);
    // But it cannot take effect before it was invoked.
    let early = [get(1, 1, "x", Some("1"), 0, 10), unknown(put(0, 1, "x", "1", 20, 50))];
    assert_eq!(verdict(&early), Verdict::NotLinearizable);
    // And once seen, it cannot be un-seen.
    let flicker =
        [unknown(put(0, 1, "x", "1", 0, 50)), get(1, 1, "x", Some("1"), 60, 70), get(1, 2, "x", None, 80, 90)];
    assert_eq!(verdict(&flicker), Verdict::NotLinearizable);
}

#[test]
fn a_pending_write_already_seen_by_a_reader_is_linearizable() {
    // Porcupine's meaning: no answer yet, so it may have taken effect at any time after its call.
    let h = [pending(put(0, 1, "x", "1", 0, 0)), get(1, 1, "x", Some("1"), 10, 20)];
    let report = check_history(&h);
    assert_eq!(report.verdict, Verdict::Linearizable, "{}", report.summary());
    assert_eq!((report.ops_checked, report.ops_dropped), (2, 0));
    let x = report.key("x").unwrap();
    assert_eq!(x.ops[0].outcome, OpOutcome::Unknown);
    assert!(x.ops[0].description.ends_with("(pending)"), "{}", x.ops[0].description);
    let KeyOutcome::Linearizable { order, points_us } = &x.outcome else { panic!() };
    assert_eq!(order, &[0, 1]);
    assert!(points_us[0] <= points_us[1] && points_us[1] >= 10 && points_us[1] <= 20, "{points_us:?}");
    // It may also never take effect...
    assert_eq!(verdict(&[pending(put(0, 1, "x", "1", 0, 0)), get(1, 1, "x", None, 10, 20)]), Verdict::Linearizable);
    // ...but not before it was called.
    let early = [get(1, 1, "x", Some("1"), 0, 5), pending(put(0, 1, "x", "1", 10, 0))];
    assert_eq!(verdict(&early), Verdict::NotLinearizable);
}

#[test]
fn unanswered_reads_are_dropped() {
    let h = [
        put(0, 1, "x", "1", 0, 10),
        unknown(get(1, 1, "x", Some("zzz"), 20, 30)),
        pending(get(2, 1, "x", None, 40, 0)),
    ];
    let report = check_history(&h);
    assert_eq!(report.verdict, Verdict::Linearizable);
    assert_eq!((report.ops_checked, report.ops_dropped), (1, 2));
}

#[test]
fn delete_semantics() {
    let ok = [put(0, 1, "x", "1", 0, 10), del(0, 2, "x", 20, 30), get(1, 1, "x", None, 40, 50)];
    assert_eq!(verdict(&ok), Verdict::Linearizable);
    let resurrected = [put(0, 1, "x", "1", 0, 10), del(0, 2, "x", 20, 30), get(1, 1, "x", Some("1"), 40, 50)];
    assert_eq!(verdict(&resurrected), Verdict::NotLinearizable);
    let concurrent = [put(0, 1, "x", "1", 0, 10), del(0, 2, "x", 20, 60), get(1, 1, "x", Some("1"), 40, 50)];
    assert_eq!(verdict(&concurrent), Verdict::Linearizable);
}

#[test]
fn cas_applies_only_on_its_expected_value() {
    let applied = [put(0, 1, "x", "1", 0, 10), during(cas(1, 1, "x", Some("1"), "2", true), 20, 30)];
    assert_eq!(verdict(&applied), Verdict::Linearizable);
    let wrongly_applied = [put(0, 1, "x", "1", 0, 10), during(cas(1, 1, "x", Some("0"), "2", true), 20, 30)];
    assert_eq!(verdict(&wrongly_applied), Verdict::NotLinearizable);
    let refused = [put(0, 1, "x", "1", 0, 10), during(cas(1, 1, "x", Some("0"), "2", false), 20, 30)];
    assert_eq!(verdict(&refused), Verdict::Linearizable);
    let wrongly_refused = [put(0, 1, "x", "1", 0, 10), during(cas(1, 1, "x", Some("1"), "2", false), 20, 30)];
    let report = check_history(&wrongly_refused);
    let (_, failure) = only_failure(&report);
    assert!(failure.explanation.contains("was decided after client 0's put x=1"), "{}", failure.explanation);
    // `expected: None` means "absent".
    assert_eq!(verdict(&[during(cas(0, 1, "x", None, "1", true), 0, 10)]), Verdict::Linearizable);
    assert_eq!(verdict(&[during(cas(0, 1, "x", None, "1", false), 0, 10)]), Verdict::NotLinearizable);
    // The read after an applied cas sees its value.
    let then_read = [during(cas(0, 1, "x", None, "1", true), 0, 10), get(1, 1, "x", Some("1"), 20, 30)];
    assert_eq!(verdict(&then_read), Verdict::Linearizable);
}

#[test]
fn two_concurrent_cas_from_the_same_value_cannot_both_apply() {
    // The lost update cas prevents: both clients read 1 and try 1→2 and 1→3 at the same time.
    let both = [
        put(0, 1, "x", "1", 0, 10),
        during(cas(1, 1, "x", Some("1"), "2", true), 20, 40),
        during(cas(2, 1, "x", Some("1"), "3", true), 20, 40),
    ];
    let report = check_history(&both);
    let (key, failure) = only_failure(&report);
    assert!(matches!(key.ops[failure.blocked].op, ClientOp::Cas { .. }));
    let one = [
        put(0, 1, "x", "1", 0, 10),
        during(cas(1, 1, "x", Some("1"), "2", true), 20, 40),
        during(cas(2, 1, "x", Some("1"), "3", false), 20, 40),
        get(0, 2, "x", Some("2"), 50, 60),
    ];
    assert_eq!(verdict(&one), Verdict::Linearizable);
    // A cas without an answer may have gone either way, or not happened.
    let unknown_cas = [
        put(0, 1, "x", "1", 0, 10),
        unknown(during(cas(1, 1, "x", Some("1"), "2", true), 20, 40)),
        get(0, 2, "x", Some("2"), 50, 60),
    ];
    assert_eq!(verdict(&unknown_cas), Verdict::Linearizable);
}

#[test]
fn appends_concatenate_in_some_order_consistent_with_real_time() {
    let h = [
        append(0, 1, "x", "a", 0, 10),
        append(1, 1, "x", "b", 5, 20),
        append(2, 1, "x", "c", 30, 40),
        get(3, 1, "x", Some("bac"), 50, 60),
    ];
    assert_eq!(verdict(&h), Verdict::Linearizable);
    let mut late_first = h.clone();
    late_first[3] = get(3, 1, "x", Some("cab"), 50, 60);
    let report = check_history(&late_first);
    assert_eq!(report.verdict, Verdict::NotLinearizable);
    let mut stale = h.clone();
    stale[3] = get(3, 1, "x", Some("ba"), 50, 60);
    let report = check_history(&stale);
    let (_, failure) = only_failure(&report);
    assert!(
        failure.explanation.contains("returned after client 2's append x+=c had completed"),
        "{}",
        failure.explanation
    );
    // A duplicated append (the no-dedup break) shows as a string no order of the appends can make.
    let duplicated = [append(0, 1, "x", "a", 0, 10), get(1, 1, "x", Some("aa"), 20, 30)];
    assert_eq!(verdict(&duplicated), Verdict::NotLinearizable);
    // Put then append: the append extends the value put.
    let extended = [put(0, 1, "x", "v", 0, 10), append(0, 2, "x", ";w", 20, 30), get(1, 1, "x", Some("v;w"), 40, 50)];
    assert_eq!(verdict(&extended), Verdict::Linearizable);
}

#[test]
fn equal_timestamps_are_concurrent() {
    let h = [put(0, 1, "x", "1", 0, 10), get(1, 1, "x", None, 10, 20)];
    assert_eq!(verdict(&h), Verdict::Linearizable);
    let h = [put(0, 1, "x", "1", 0, 10), get(1, 1, "x", None, 11, 20)];
    assert_eq!(verdict(&h), Verdict::NotLinearizable);
}

#[test]
fn keys_are_independent() {
    let h = [
        put(0, 1, "x", "1", 0, 10),
        put(0, 2, "y", "2", 20, 30),
        get(1, 1, "y", Some("2"), 40, 50),
        get(1, 2, "x", Some("1"), 60, 70),
        get(1, 3, "z", Some("0"), 60, 70),
    ];
    let report = check_history(&h);
    assert_eq!(report.keys_checked, 3);
    let (key, _) = only_failure(&report);
    assert_eq!(key.key, "z");
    assert!(report.summary().contains("NOT linearizable (keys: z)"));
    assert_eq!(report.key("x").unwrap().verdict(), Some(Verdict::Linearizable));
}

#[test]
fn budget_exhaustion_is_inconclusive_not_a_hang() {
    // Many concurrent writes and a final impossible read: the search must explore many orders.
    let mut h: Vec<HistoryOp> = (0..40).map(|i| put(i, 1, "x", &i.to_string(), 0, 1000)).collect();
    h.push(get(99, 1, "x", Some("nope"), 2000, 2001));
    let report = check_history_with(&h, CheckOptions { state_budget: 500, ..CheckOptions::default() });
    assert_eq!(report.verdict, Verdict::Inconclusive);
    assert_eq!(report.inconclusive().next().unwrap().key, "x");
    assert!(report.states_explored <= 500);
    assert!(report.summary().starts_with("inconclusive (budget 500 states; keys: x)"), "{}", report.summary());
}

#[test]
fn long_sequential_history_is_fast_and_deep() {
    // Thousands of operations on one key: linear search, no stack overflow.
    let mut h = Vec::new();
    for i in 0..3000u64 {
        h.push(put(0, 2 * i, "x", &i.to_string(), 10 * i, 10 * i + 3));
        h.push(get(1, 2 * i + 1, "x", Some(&i.to_string()), 10 * i + 4, 10 * i + 6));
    }
    let report = check_history(&h);
    assert_eq!(report.verdict, Verdict::Linearizable);
    assert!(report.states_explored <= 6001, "{}", report.states_explored);
    // Break it at the end: the failure names the last read and the prefix is everything before it.
    h.last_mut().unwrap().status = OpStatus::Ok { value: Some("0".into()), index: 0, applied: None };
    let report = check_history(&h);
    let (_, failure) = only_failure(&report);
    assert_eq!(failure.longest_prefix.len(), 5999);
}

#[test]
fn a_sliced_check_gives_the_same_report_as_one_run() {
    let h = [
        put(0, 1, "x", "1", 0, 10),
        put(0, 2, "x", "2", 20, 30),
        get(1, 1, "x", Some("1"), 40, 50),
        append(2, 1, "y", "a", 0, 100),
        get(3, 1, "y", Some("a"), 10, 20),
        put(2, 2, "z", "q", 0, 10),
    ];
    // Every key asked for, so that how the turns fall cannot change which keys get a verdict.
    let options = CheckOptions { every_key: true, ..CheckOptions::default() };
    let whole = check_history_with(&h, options);
    let mut sliced = HistoryCheck::new(&h, options);
    assert_eq!(sliced.progress().verdict, None, "nothing is decided before it runs");
    let mut slices = 0;
    while sliced.report().is_none() {
        let progress = sliced.run(1);
        assert!(progress.keys_done <= progress.keys_total);
        slices += 1;
        assert!(slices < 100, "one step at a time still finishes");
    }
    assert!(slices > 3, "one step per slice takes several slices: {slices}");
    assert_eq!(sliced.report().unwrap(), whole);
    assert_eq!(sliced.progress().verdict, Some(Verdict::NotLinearizable));
    assert_eq!(check_history(&h).verdict, whole.verdict, "stopping at the first failure gives the same verdict");
}

#[test]
fn the_first_failure_ends_the_check_unless_every_key_is_asked_for() {
    // Key a fails at once; key b has a long correct history.
    let mut h = vec![put(0, 1, "a", "1", 0, 10), get(1, 1, "a", Some("2"), 20, 30)];
    for i in 0..2_000 {
        h.push(put(2, i, "b", &i.to_string(), 10 * i, 10 * i + 5));
    }
    let mut check = HistoryCheck::new(&h, CheckOptions::default());
    let progress = check.run(2 * SLICE_STEPS);
    assert_eq!((progress.keys_done, progress.verdict, progress.finished), (1, Some(Verdict::NotLinearizable), true));
    assert_eq!(check.finished_keys().map(|k| k.key.as_str()).collect::<Vec<_>>(), ["a"]);
    let report = check.report().expect("over after the first failure");
    assert_eq!(report.key("b").unwrap().outcome, KeyOutcome::NotChecked);
    assert_eq!(report.key("b").unwrap().verdict(), None);
    assert_eq!(report, check_history(&h));
    // Asked for every key, b gets its verdict too.
    let every = check_history_with(&h, CheckOptions { every_key: true, ..CheckOptions::default() });
    assert_eq!(every.key("b").unwrap().verdict(), Some(Verdict::Linearizable));
    assert_eq!(every.verdict, Verdict::NotLinearizable);
}

#[test]
fn keys_take_turns_so_a_long_search_does_not_hold_up_a_quick_one() {
    let mut h: Vec<HistoryOp> = (0..2_000).map(|i| put(2, i, "a", &i.to_string(), 10 * i, 10 * i + 5)).collect();
    h.push(put(0, 1, "b", "1", 0, 10));
    let mut check = HistoryCheck::new(&h, CheckOptions::default());
    let progress = check.run(2 * SLICE_STEPS);
    assert_eq!(progress.keys_done, 1, "b is done while a is still being searched");
    assert_eq!(check.finished_keys().map(|k| k.key.as_str()).collect::<Vec<_>>(), ["b"]);
    assert!(check.report().is_none());
    assert_eq!(check.progress().verdict, None, "undecided: checking");
    let early = check.clone().into_report();
    assert_eq!(early.verdict, Verdict::Inconclusive, "taken before the end");
    assert_eq!(early.key("a").unwrap().outcome, KeyOutcome::NotChecked);
    // Small slices, as a frame budget would give: every key still advances.
    while !check.run(10).finished {}
    assert_eq!(check.report().unwrap().verdict, Verdict::Linearizable);
}

#[test]
fn update_keeps_the_keys_that_did_not_change() {
    let mut h = vec![put(0, 1, "x", "1", 0, 10), get(1, 1, "x", Some("1"), 20, 30), put(0, 2, "y", "1", 0, 10)];
    let mut check = HistoryCheck::new(&h, CheckOptions::default());
    check.run(u64::MAX);
    let before = check.progress().states_explored;
    assert!(!check.update(&h), "the same history changes nothing");
    assert_eq!(
        check.progress(),
        CheckProgress {
            keys_total: 2,
            keys_done: 2,
            states_explored: before,
            verdict: Some(Verdict::Linearizable),
            finished: true
        }
    );
    // A pending operation appears on y, then completes wrongly: only y is searched again.
    h.push(pending(get(1, 2, "y", None, 40, 0)));
    h.push(pending(put(2, 1, "y", "2", 40, 0)));
    assert!(check.update(&h));
    assert_eq!(check.progress().keys_done, 1, "x kept its verdict");
    check.run(u64::MAX);
    assert_eq!(check.report().unwrap(), check_history(&h));
    h.pop();
    h.pop();
    h.push(get(1, 2, "y", Some("2"), 40, 50));
    check.update(&h);
    check.run(u64::MAX);
    let report = check.report().unwrap();
    assert_eq!(report, check_history(&h));
    assert_eq!(report.failures().map(|k| k.key.as_str()).collect::<Vec<_>>(), ["y"]);
    // A key that disappears (a history cut to its first operations) is gone from the report.
    check.update(&h[..2]);
    check.run(u64::MAX);
    assert_eq!(check.report().unwrap().keys_checked, 1);
}
