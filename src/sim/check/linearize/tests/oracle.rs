//! The checker against a brute-force oracle (etcd's `quorum/quick_test.go` pattern): on thousands of seeded
//! random small histories — several clients and keys, every kind of operation, answered, unknown and pending
//! ones — the verdict must equal the oracle's, which tries every subset of the unanswered writes in every
//! order, with its own, independently written model of the key-value map.

use super::*;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use std::collections::HashMap;

/// An operation in the oracle's own form.
#[derive(Clone, Debug)]
struct OracleOp {
    key: String,
    invoked: Time,
    /// `None`: no answer (+∞), and the order may leave it out.
    returned: Option<Time>,
    op: ClientOp,
    /// A read's answer.
    read: Option<String>,
    /// A cas's answer (`None`: unknown).
    applied: Option<bool>,
}

fn oracle_ops(history: &[HistoryOp]) -> Vec<OracleOp> {
    history
        .iter()
        .filter_map(|h| {
            let answered = matches!(h.status, OpStatus::Ok { .. });
            if !answered && matches!(h.op, ClientOp::Get { .. }) {
                return None; // an unanswered read shows nothing
            }
            let (read, applied) = match &h.status {
                OpStatus::Ok { value, applied, .. } => (value.clone(), *applied),
                _ => (None, None),
            };
            let returned = if answered { h.completed_us } else { None };
            Some(OracleOp {
                key: h.op.key().to_string(),
                invoked: h.invoked_us,
                returned,
                op: h.op.clone(),
                read,
                applied,
            })
        })
        .collect()
}

/// Applies `op` to the map if its answer is possible there.
fn oracle_step(map: &mut HashMap<String, String>, op: &OracleOp) -> bool {
    let current = map.get(&op.key).cloned();
    match &op.op {
        ClientOp::Get { .. } => current == op.read,
        ClientOp::Put { value, .. } => {
            map.insert(op.key.clone(), value.clone());
            true
        }
        ClientOp::Delete { .. } => {
            map.remove(&op.key);
            true
        }
        ClientOp::Append { value, .. } => {
            if !value.is_empty() {
                map.insert(op.key.clone(), current.unwrap_or_default() + value);
            }
            true
        }
        ClientOp::Cas { expected, value, .. } => {
            let holds = current == *expected;
            if op.applied.is_some_and(|answer| answer != holds) {
                return false;
            }
            if holds {
                map.insert(op.key.clone(), value.clone());
            }
            true
        }
    }
}

/// Is there an order of a subset of `ops` that holds every answered operation, respects real time (no
/// operation after one that was called after it returned) and the map's semantics? Exhaustive: every
/// sequence of distinct operations is tried, a sequence being abandoned only once its prefix is illegal.
fn oracle(ops: &[OracleOp]) -> bool {
    fn extend(ops: &[OracleOp], order: &mut Vec<usize>, map: &HashMap<String, String>) -> bool {
        let all_answered_placed = (0..ops.len()).all(|i| ops[i].returned.is_none() || order.contains(&i));
        if all_answered_placed {
            return true;
        }
        for next in 0..ops.len() {
            if order.contains(&next) {
                continue;
            }
            // Real time: `next` may not follow an operation that was called after `next` returned.
            if order.iter().any(|&earlier| ops[next].returned.is_some_and(|r| r < ops[earlier].invoked)) {
                continue;
            }
            let mut after = map.clone();
            if !oracle_step(&mut after, &ops[next]) {
                continue;
            }
            order.push(next);
            if extend(ops, order, &after) {
                return true;
            }
            order.pop();
        }
        false
    }
    extend(ops, &mut Vec::new(), &HashMap::new())
}

fn random_history(rng: &mut Pcg64) -> Vec<HistoryOp> {
    let clients = rng.gen_range(1..=3);
    let count = rng.gen_range(0..=7);
    let keys = if rng.gen_bool(0.3) { 2 } else { 1 };
    let mut clock = vec![0u64; clients];
    let mut ops = Vec::new();
    let mut points = Vec::new();
    for seq in 0..count {
        let client = rng.gen_range(0..clients);
        let invoked = clock[client] + rng.gen_range(0..4);
        let returned = invoked + rng.gen_range(0..8);
        clock[client] = returned + rng.gen_range(0..2);
        let key = ["x", "y"][rng.gen_range(0..keys)].to_string();
        let value = ["1", "2", "3"][rng.gen_range(0..3)].to_string();
        let op = match rng.gen_range(0..14) {
            0..=3 => ClientOp::Put { key, value },
            4 => ClientOp::Delete { key },
            5..=6 => ClientOp::Append { key, value },
            7..=8 => {
                let expected = [None, Some("1"), Some("2"), Some("12")][rng.gen_range(0..4)].map(String::from);
                ClientOp::Cas { key, expected, value }
            }
            _ => ClientOp::Get { key },
        };
        let status = match rng.gen_range(0..20) {
            0..=2 => OpStatus::Unknown { reason: "gave up".into() },
            3..=4 => OpStatus::Pending,
            _ => OpStatus::Ok { value: None, index: 0, applied: None },
        };
        // Where it "really" took effect (unanswered ones: maybe later, maybe never).
        let point = match status {
            OpStatus::Ok { .. } => Some(rng.gen_range(invoked..=returned)),
            _ if rng.gen_bool(0.3) => None,
            _ => Some(rng.gen_range(invoked..=returned + 10)),
        };
        points.push(point.map(|p| (p, rng.gen::<u32>())));
        let completed_us = (status != OpStatus::Pending).then_some(returned);
        ops.push(HistoryOp {
            client,
            seq,
            op,
            invoked_us: invoked,
            completed_us,
            status,
            attempts: 1,
            served_by: None,
        });
    }
    // Fill in the answers from a real execution in point order...
    let mut order: Vec<usize> = (0..ops.len()).filter(|&i| points[i].is_some()).collect();
    order.sort_by_key(|&i| points[i]);
    let mut map: HashMap<String, String> = HashMap::new();
    for i in order {
        let key = ops[i].op.key().to_string();
        let current = map.get(&key).cloned();
        let answer = match ops[i].op.clone() {
            ClientOp::Put { value, .. } => {
                map.insert(key, value);
                None
            }
            ClientOp::Delete { .. } => {
                map.remove(&key);
                None
            }
            ClientOp::Append { value, .. } => {
                map.insert(key, current.unwrap_or_default() + &value);
                None
            }
            ClientOp::Cas { expected, value, .. } => {
                let holds = current == expected;
                if holds {
                    map.insert(key, value);
                }
                Some((None, Some(holds)))
            }
            ClientOp::Get { .. } => Some((current, None)),
        };
        if let (OpStatus::Ok { value, applied, .. }, Some((read, decided))) = (&mut ops[i].status, answer) {
            *value = read;
            *applied = decided;
        }
    }
    // ...then maybe corrupt one answer: a read's value or a cas's decision.
    if rng.gen_bool(0.45) {
        let answered: Vec<usize> =
            (0..ops.len()).filter(|&i| matches!(ops[i].op, ClientOp::Get { .. } | ClientOp::Cas { .. })).collect();
        if !answered.is_empty() {
            let i = answered[rng.gen_range(0..answered.len())];
            let corrupt_value =
                [None, Some("1"), Some("2"), Some("13"), Some("9")][rng.gen_range(0..5)].map(String::from);
            if let OpStatus::Ok { value, applied, .. } = &mut ops[i].status {
                match applied {
                    Some(decided) => *decided = !*decided,
                    None => *value = corrupt_value,
                }
            }
        }
    }
    ops
}

#[test]
fn agrees_with_a_brute_force_oracle_on_random_small_histories() {
    let mut rng = Pcg64::seed_from_u64(0x11e4_12ab);
    let (mut yes, mut no) = (0, 0);
    let mut kinds = [0usize; 5];
    for case in 0..20_000 {
        let history = random_history(&mut rng);
        for op in &history {
            let kind = match op.op {
                ClientOp::Put { .. } => 0,
                ClientOp::Get { .. } => 1,
                ClientOp::Delete { .. } => 2,
                ClientOp::Cas { .. } => 3,
                ClientOp::Append { .. } => 4,
            };
            kinds[kind] += 1;
        }
        let expected = oracle(&oracle_ops(&history));
        let report = check_history(&history);
        assert_ne!(report.verdict, Verdict::Inconclusive);
        assert_eq!(report.is_linearizable(), expected, "case {case}: {history:#?}\n{report:#?}");
        for key in &report.keys {
            check_evidence(key);
        }
        if expected {
            yes += 1;
        } else {
            no += 1;
        }
    }
    assert!(yes > 5000 && no > 2000, "poor coverage: {yes} linearizable, {no} not");
    assert!(kinds.iter().all(|&k| k > 3000), "every kind of operation is tried often: {kinds:?}");
}

/// The evidence is consistent: orders are legal sequences of the key's operations with points in their
/// intervals; a failure's blocked operation is answered and not in the prefix.
fn check_evidence(key: &KeyReport) {
    let (order, points) = match &key.outcome {
        KeyOutcome::Linearizable { order, points_us } => (order, points_us),
        KeyOutcome::NotLinearizable(failure) => {
            assert_eq!(key.ops[failure.blocked].outcome, OpOutcome::Ok);
            assert!(!failure.longest_prefix.contains(&failure.blocked));
            assert!(!failure.explanation.is_empty());
            (&failure.longest_prefix, &failure.prefix_points_us)
        }
        KeyOutcome::NotChecked => return,
        KeyOutcome::Inconclusive => panic!("small histories never run out of budget"),
    };
    assert_eq!(order.len(), points.len());
    assert!(points.windows(2).all(|w| w[0] <= w[1]), "{points:?}");
    for (&i, &point) in order.iter().zip(points) {
        let op = &key.ops[i];
        assert!(op.invoked_us <= point, "{op:?} at {point}");
        if op.outcome == OpOutcome::Ok {
            assert!(point <= op.completed_us.unwrap(), "{op:?} at {point}");
        }
    }
    let mut seen = order.clone();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), order.len(), "no operation twice");
    if let KeyOutcome::Linearizable { order, .. } = &key.outcome {
        let answered = key.ops.iter().filter(|op| op.outcome == OpOutcome::Ok).count();
        assert_eq!(order.iter().filter(|&&i| key.ops[i].outcome == OpOutcome::Ok).count(), answered);
    }
}

#[test]
fn the_oracle_itself_tells_the_textbook_cases_apart() {
    let op = |op: ClientOp, invoked, returned, read: Option<&str>| OracleOp {
        key: op.key().to_string(),
        invoked,
        returned,
        op,
        read: read.map(String::from),
        applied: None,
    };
    let put = ClientOp::Put { key: "x".into(), value: "1".into() };
    let get = ClientOp::Get { key: "x".into() };
    assert!(oracle(&[op(put.clone(), 0, Some(10), None), op(get.clone(), 20, Some(30), Some("1"))]));
    assert!(!oracle(&[op(put.clone(), 0, Some(10), None), op(get.clone(), 20, Some(30), None)]), "stale read");
    assert!(oracle(&[op(put.clone(), 0, None, None), op(get.clone(), 20, Some(30), None)]), "never happened");
    assert!(!oracle(&[op(get, 0, Some(5), Some("1")), op(put, 10, None, None)]), "seen before it was called");
}
