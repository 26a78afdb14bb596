//! Linearizability checker for the recorded client history (DESIGN §3 "Clients and reads", §4 I13).
//!
//! The model is a key-value map of registers: `put k v` sets `k`, `delete k` clears it, `get k` returns the
//! current value (`None` when absent). Each key is an independent register, so the history is split per key
//! (linearizability is compositional) and each key is searched on its own, Wing–Gong style as improved by
//! Lowe and used by Porcupine: depth-first over "which pending operation takes effect next", pruned by
//! real time, memoizing every (set of linearized operations, register value) already explored.
//!
//! Semantics of the recorded statuses:
//! - `Ok` — the operation took effect exactly once, somewhere in `[invoked_us, completed_us]`.
//! - `Unknown` write — the client gave up: it may have taken effect at any time after its invocation (even
//!   long after the client gave up, e.g. a retried request committed later), or never. Its return is +∞ and
//!   it may be left out of the order.
//! - `Unknown` read, `Pending` anything — no observable effect; dropped.
//!
//! Two operations are ordered in real time only if one completed strictly before the other was invoked;
//! equal timestamps count as concurrent (in virtual time, "same microsecond" says nothing about order).
//!
//! The checker returns a value, never panics, and is bounded: a per-key state budget turns a search that
//! would take too long into an "inconclusive" answer instead of hanging the UI.

use crate::sim::check::violation::{Invariant, Violation};
use crate::sim::raft::message::ClientOp;
use crate::sim::types::{format_time, ClientId, Index, NodeId, Time};
use crate::sim::world::history::{HistoryOp, OpStatus};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Default number of distinct search states explored per key before giving up as inconclusive. A correct
/// history needs about one state per operation, so this only bites on pathological failing histories.
pub const DEFAULT_STATE_BUDGET: u64 = 1_000_000;

/// Cap on memo memory per key, in 64-bit words of stored bitsets (8 M words = 64 MiB), so that a key with
/// thousands of operations cannot exhaust memory (a browser tab has little) before the state budget bites.
const MEMO_WORD_BUDGET: u64 = 8 * 1024 * 1024;

/// Knobs of a check: exposed so tests can force an inconclusive result and the CLI can search harder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOptions {
    /// Distinct (linearized set, value) states explored per key before the key is reported inconclusive.
    pub state_budget: u64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { state_budget: DEFAULT_STATE_BUDGET }
    }
}

/// How an operation the checker considered ended, so a report can say which ones were optional.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpOutcome {
    /// Acknowledged: it must appear in the order, within its interval.
    Ok,
    /// A write whose client gave up: it may appear anywhere after its invocation, or not at all.
    Unknown,
}

/// One operation as the report shows it: who, what, when, and what it returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpSummary {
    /// Client that issued it.
    pub client: ClientId,
    /// Client sequence number, which together with `client` identifies the request across retries.
    pub seq: u64,
    /// The request itself.
    pub op: ClientOp,
    /// Human-readable request and result, e.g. `get x → "1"` or `put x=2 (outcome unknown)`.
    pub description: String,
    /// When the client issued it.
    pub invoked_us: Time,
    /// When the client got the answer or gave up.
    pub completed_us: Option<Time>,
    /// Whether the operation must be in the order or may be omitted.
    pub outcome: OpOutcome,
    /// For an acknowledged read, the value it returned (`None` = absent); `None` for writes.
    pub read_value: Option<Option<String>>,
    /// Node that gave the final answer, for pointing at it in the UI.
    pub served_by: Option<NodeId>,
    /// Log index reported with the answer (write: where it committed; read: the entry it saw).
    pub index: Option<Index>,
}

impl OpSummary {
    /// `c1#4 get x → "1" [10.0ms, 12.5ms]`: compact enough for a violation line.
    pub fn label(&self) -> String {
        let end = match (self.outcome, self.completed_us) {
            (OpOutcome::Unknown, _) | (_, None) => "∞".to_string(),
            (OpOutcome::Ok, Some(t)) => format_time(t),
        };
        format!("c{}#{} {} [{}, {}]", self.client, self.seq, self.description, format_time(self.invoked_us), end)
    }
}

/// Why a key's history is not linearizable: the evidence a student needs to see the anomaly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFailure {
    /// The key whose register history is not linearizable.
    pub key: String,
    /// Every operation on the key that the checker considered, in invocation order.
    pub ops: Vec<OpSummary>,
    /// The longest order found that respects real time and the register semantics (indexes into `ops`).
    pub longest_prefix: Vec<usize>,
    /// The acknowledged operation that could not be placed after that prefix (index into `ops`): the one
    /// that had to take effect next (it completed first among those left) yet has no consistent place.
    pub blocked: usize,
    /// The register's value after the longest prefix (`None` = absent).
    pub value_after_prefix: Option<String>,
    /// One or two sentences for humans.
    pub explanation: String,
}

impl KeyFailure {
    /// The operation that could not be linearized.
    pub fn blocked_op(&self) -> &OpSummary {
        &self.ops[self.blocked]
    }

    /// The virtual time at which the anomaly became observable: when the blocked operation returned.
    pub fn detected_us(&self) -> Time {
        let op = self.blocked_op();
        op.completed_us.unwrap_or(op.invoked_us)
    }

    /// Turns the failure into the `LIN` violation the checker panel and CLI show (nodes: who served the
    /// blocked operation and the last write of the prefix; indexes: the log indexes they reported).
    pub fn to_violation(&self) -> Violation {
        let blocked = self.blocked_op();
        let last_write = self.longest_prefix.iter().rev().map(|&i| &self.ops[i]).find(|op| op.op.is_write());
        let mut nodes: Vec<NodeId> =
            [Some(blocked), last_write].iter().flatten().filter_map(|op| op.served_by).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let mut indexes: Vec<Index> =
            [Some(blocked), last_write].iter().flatten().filter_map(|op| op.index).filter(|&i| i > 0).collect();
        indexes.sort_unstable();
        indexes.dedup();
        const SHOWN: usize = 6;
        let skipped = self.longest_prefix.len().saturating_sub(SHOWN);
        let mut order: Vec<String> = self.longest_prefix[skipped..].iter().map(|&i| self.ops[i].label()).collect();
        if skipped > 0 {
            order.insert(0, format!("…{skipped} earlier"));
        }
        let order = if order.is_empty() { "(none)".to_string() } else { order.join(" → ") };
        Violation {
            invariant: Invariant::Linearizability,
            time_us: self.detected_us(),
            nodes,
            indexes,
            detail: format!("{} Longest consistent order: {order}.", self.explanation),
        }
    }
}

/// A key whose search ran out of budget: neither proven linearizable nor shown not to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInconclusive {
    /// The key.
    pub key: String,
    /// Operations on it that were considered.
    pub ops: usize,
    /// States explored before stopping.
    pub states_explored: u64,
}

/// Overall answer, so callers can branch without inspecting lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every key's history has a linearization.
    Linearizable,
    /// At least one key's history has none (a definite bug, or a deliberately broken rule).
    NotLinearizable,
    /// No key failed, but at least one ran out of search budget.
    Inconclusive,
}

/// Result of [`check_history`]: a value the UI and CLI render, never a panic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinearizabilityReport {
    /// The overall answer.
    pub verdict: Verdict,
    /// Distinct keys checked.
    pub keys_checked: usize,
    /// Operations that took part (acknowledged operations and unknown writes).
    pub ops_checked: usize,
    /// Operations left out: pending ones and reads whose client gave up (they had no observable effect).
    pub ops_dropped: usize,
    /// Search states explored over all keys, a measure of effort.
    pub states_explored: u64,
    /// Keys that are not linearizable, in key order.
    pub failures: Vec<KeyFailure>,
    /// Keys whose search ran out of budget, in key order.
    pub inconclusive: Vec<KeyInconclusive>,
}

impl LinearizabilityReport {
    /// True only for a definite "linearizable".
    pub fn is_linearizable(&self) -> bool {
        self.verdict == Verdict::Linearizable
    }

    /// One `LIN` violation per failing key, for the checker panel.
    pub fn violations(&self) -> Vec<Violation> {
        self.failures.iter().map(KeyFailure::to_violation).collect()
    }

    /// One line for logs and the CLI.
    pub fn summary(&self) -> String {
        let verdict = match self.verdict {
            Verdict::Linearizable => "linearizable".to_string(),
            Verdict::NotLinearizable => {
                let keys: Vec<&str> = self.failures.iter().map(|f| f.key.as_str()).collect();
                format!("NOT linearizable (keys: {})", keys.join(", "))
            }
            Verdict::Inconclusive => {
                let keys: Vec<&str> = self.inconclusive.iter().map(|f| f.key.as_str()).collect();
                format!("inconclusive: search budget exhausted (keys: {})", keys.join(", "))
            }
        };
        format!(
            "{verdict}; {} ops on {} keys checked, {} dropped, {} states explored",
            self.ops_checked, self.keys_checked, self.ops_dropped, self.states_explored
        )
    }
}

/// Checks the history with the default budget. See the module docs for the semantics.
pub fn check_history(ops: &[HistoryOp]) -> LinearizabilityReport {
    check_history_with(ops, CheckOptions::default())
}

/// Checks the history with an explicit budget (tests force "inconclusive"; the CLI may search harder).
pub fn check_history_with(ops: &[HistoryOp], options: CheckOptions) -> LinearizabilityReport {
    let mut by_key: BTreeMap<&str, Vec<&HistoryOp>> = BTreeMap::new();
    let mut dropped = 0;
    for op in ops {
        if takes_part(op) {
            by_key.entry(op.op.key()).or_default().push(op);
        } else {
            dropped += 1;
        }
    }
    let mut report = LinearizabilityReport {
        verdict: Verdict::Linearizable,
        keys_checked: by_key.len(),
        ops_checked: ops.len() - dropped,
        ops_dropped: dropped,
        states_explored: 0,
        failures: Vec::new(),
        inconclusive: Vec::new(),
    };
    for (key, mut key_ops) in by_key {
        // Invocation order (ties: earlier completion, then client and seq) so output is deterministic.
        key_ops.sort_by_key(|op| (op.invoked_us, return_time(op), op.client, op.seq));
        let (lin_ops, summaries) = prepare(&key_ops);
        let outcome = search(&lin_ops, options.state_budget);
        match outcome {
            Search::Linearizable { states } => report.states_explored += states,
            Search::Inconclusive { states } => {
                report.states_explored += states;
                report.inconclusive.push(KeyInconclusive {
                    key: key.to_string(),
                    ops: lin_ops.len(),
                    states_explored: states,
                });
            }
            Search::Fails { states, prefix, value, blocked } => {
                report.states_explored += states;
                let value_after_prefix = value.map(|v| lin_ops_value(&key_ops, &lin_ops, v));
                let explanation = explain(key, &summaries, blocked, &value_after_prefix);
                report.failures.push(KeyFailure {
                    key: key.to_string(),
                    ops: summaries,
                    longest_prefix: prefix,
                    blocked,
                    value_after_prefix,
                    explanation,
                });
            }
        }
    }
    report.verdict = if !report.failures.is_empty() {
        Verdict::NotLinearizable
    } else if !report.inconclusive.is_empty() {
        Verdict::Inconclusive
    } else {
        Verdict::Linearizable
    };
    report
}

/// Whether an operation constrains the history at all (see the module docs).
fn takes_part(op: &HistoryOp) -> bool {
    match op.status {
        OpStatus::Ok { .. } => true,
        OpStatus::Unknown { .. } => op.op.is_write(),
        OpStatus::Pending => false,
    }
}

/// The end of an operation's interval: +∞ for unknown writes, and for a malformed `Ok` without a completion
/// time (it must still be placed, just without an upper bound). Never before the invocation.
fn return_time(op: &HistoryOp) -> Time {
    match (&op.status, op.completed_us) {
        (OpStatus::Ok { .. }, Some(t)) => t.max(op.invoked_us),
        _ => Time::MAX,
    }
}

/// What an operation does to, or expects from, the register. Values are interned per key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Effect {
    /// `put` (`Some`) or `delete` (`None`).
    Write(Option<u32>),
    /// `get` that returned this value.
    Read(Option<u32>),
}

/// An operation prepared for the search.
#[derive(Clone, Copy, Debug)]
struct LinOp {
    invoked: Time,
    returned: Time,
    required: bool,
    effect: Effect,
}

/// Interns values and builds search operations plus their report summaries (same order).
fn prepare(ops: &[&HistoryOp]) -> (Vec<LinOp>, Vec<OpSummary>) {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut intern = |value: Option<&String>| -> Option<u32> {
        value.map(|v| {
            let next = ids.len() as u32;
            *ids.entry(v.clone()).or_insert(next)
        })
    };
    let mut lin = Vec::with_capacity(ops.len());
    let mut summaries = Vec::with_capacity(ops.len());
    for op in ops {
        let (required, read_value, index) = match &op.status {
            OpStatus::Ok { value, index } => (true, (!op.op.is_write()).then(|| value.clone()), Some(*index)),
            _ => (false, None, None),
        };
        let effect = match (&op.op, &op.status) {
            (ClientOp::Put { value, .. }, _) => Effect::Write(intern(Some(value))),
            (ClientOp::Delete { .. }, _) => Effect::Write(None),
            (ClientOp::Get { .. }, OpStatus::Ok { value, .. }) => Effect::Read(intern(value.as_ref())),
            (ClientOp::Get { .. }, _) => Effect::Read(None), // not reached: filtered by `takes_part`
        };
        lin.push(LinOp { invoked: op.invoked_us, returned: return_time(op), required, effect });
        let description = match (&read_value, required) {
            (Some(v), _) => format!("{} → {}", op.op.describe(), show_value(v)),
            (None, true) => op.op.describe(),
            (None, false) => format!("{} (outcome unknown)", op.op.describe()),
        };
        summaries.push(OpSummary {
            client: op.client,
            seq: op.seq,
            op: op.op.clone(),
            description,
            invoked_us: op.invoked_us,
            completed_us: op.completed_us,
            outcome: if required { OpOutcome::Ok } else { OpOutcome::Unknown },
            read_value,
            served_by: op.served_by,
            index,
        });
    }
    (lin, summaries)
}

/// Maps an interned value id back to its text by finding an operation that carries it.
fn lin_ops_value(ops: &[&HistoryOp], lin: &[LinOp], id: u32) -> String {
    for (op, l) in ops.iter().zip(lin) {
        let matches = matches!(l.effect, Effect::Write(Some(v)) | Effect::Read(Some(v)) if v == id);
        if matches {
            match (&op.op, &op.status) {
                (ClientOp::Put { value, .. }, _) => return value.clone(),
                (_, OpStatus::Ok { value: Some(value), .. }) => return value.clone(),
                _ => {}
            }
        }
    }
    String::new()
}

/// `"1"` or `nothing` (absent).
fn show_value(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("{v:?}"),
        None => "nothing".to_string(),
    }
}

/// The sentence a student reads first.
fn explain(key: &str, ops: &[OpSummary], blocked: usize, value: &Option<String>) -> String {
    let op = &ops[blocked];
    let who = format!("client {} (seq {})", op.client, op.seq);
    let when = format!(
        "{}–{}",
        format_time(op.invoked_us),
        op.completed_us.map(format_time).unwrap_or_else(|| "∞".to_string())
    );
    match &op.read_value {
        Some(Some(v)) if !ops.iter().any(|o| matches!(&o.op, ClientOp::Put { value, .. } if value == v)) => {
            format!("{who} read {key} = {v:?} during {when}, but no client ever wrote that value to {key}.")
        }
        Some(read) => format!(
            "{who} read {key} → {} during {when}, but in every order consistent with real time {key} holds \
             something else then (the longest consistent order leaves it {}).",
            show_value(read),
            show_value(value)
        ),
        None => format!(
            "{who}'s {} during {when} cannot be placed in any order consistent with real time.",
            op.op.describe()
        ),
    }
}

/// Outcome of the search on one key.
enum Search {
    Linearizable { states: u64 },
    Inconclusive { states: u64 },
    Fails { states: u64, prefix: Vec<usize>, value: Option<u32>, blocked: usize },
}

/// Applies an operation to the register: the new value, or `None` if the operation cannot happen now.
fn apply(state: Option<u32>, effect: Effect) -> Option<Option<u32>> {
    match effect {
        Effect::Write(v) => Some(v),
        Effect::Read(v) if v == state => Some(state),
        Effect::Read(_) => None,
    }
}

fn bit(set: &[u64], i: usize) -> bool {
    set[i / 64] & (1 << (i % 64)) != 0
}

fn flip(set: &mut [u64], i: usize) {
    set[i / 64] ^= 1 << (i % 64);
}

/// Depth-first search with an explicit stack (no recursion, so thousands of operations cannot overflow a
/// wasm stack). `ops` must be sorted by invocation time: the candidates at any point are then a prefix.
///
/// Bookkeeping is incremental so that the common case (a correct history, searched almost greedily) costs
/// about O(n) per key rather than O(n²): `lo_inv`/`lo_ret` mark how far the finished prefix of the
/// invocation order and of the return order reaches, and `best` shares its prefix with the stack.
fn search(ops: &[LinOp], state_budget: u64) -> Search {
    let n = ops.len();
    let words = n.div_ceil(64).max(1);
    let budget = state_budget.min(MEMO_WORD_BUDGET / words as u64).max(1);
    let mut remaining = ops.iter().filter(|op| op.required).count();
    if remaining == 0 {
        return Search::Linearizable { states: 0 };
    }
    // Acknowledged operations by return time; its first unplaced entry is the real-time bound.
    let mut by_return: Vec<usize> = (0..n).filter(|&i| ops[i].required).collect();
    by_return.sort_by_key(|&i| (ops[i].returned, ops[i].invoked, i));
    let mut return_rank = vec![usize::MAX; n];
    for (rank, &i) in by_return.iter().enumerate() {
        return_rank[i] = rank;
    }
    let mut done = vec![0u64; words];
    let mut value: Option<u32> = None;
    let mut memo: HashSet<(Vec<u64>, Option<u32>)> = HashSet::new();
    memo.insert((done.clone(), value));
    let mut states: u64 = 1;
    // (operation linearized at this depth, register value before it)
    let mut stack: Vec<(usize, Option<u32>)> = Vec::new();
    let mut best: Vec<usize> = Vec::new();
    let mut shared = 0; // leading entries of `stack` that equal `best`'s
    let mut best_value = value;
    let (mut lo_inv, mut lo_ret) = (0, 0); // everything before these positions is placed
    let mut cursor = 0;
    loop {
        while lo_inv < n && bit(&done, lo_inv) {
            lo_inv += 1;
        }
        while lo_ret < by_return.len() && bit(&done, by_return[lo_ret]) {
            lo_ret += 1;
        }
        // An operation may go next only if no unplaced acknowledged operation returned before it began.
        let bound = by_return[lo_ret..].iter().find(|&&i| !bit(&done, i)).map_or(Time::MAX, |&i| ops[i].returned);
        let mut advanced = false;
        let mut i = cursor.max(lo_inv);
        while i < n && ops[i].invoked <= bound {
            if !bit(&done, i) {
                if let Some(next) = apply(value, ops[i].effect) {
                    flip(&mut done, i);
                    if memo.insert((done.clone(), next)) {
                        states += 1;
                        stack.push((i, value));
                        value = next;
                        if ops[i].required {
                            remaining -= 1;
                            if remaining == 0 {
                                return Search::Linearizable { states };
                            }
                        }
                        if stack.len() > best.len() {
                            best.truncate(shared);
                            best.extend(stack[shared..].iter().map(|&(op, _)| op));
                            shared = stack.len();
                            best_value = value;
                        }
                        if states >= budget {
                            return Search::Inconclusive { states };
                        }
                        advanced = true;
                        cursor = 0;
                        break;
                    }
                    flip(&mut done, i);
                }
            }
            i += 1;
        }
        if !advanced {
            match stack.pop() {
                None => {
                    let mut placed = vec![0u64; words];
                    for &op in &best {
                        flip(&mut placed, op);
                    }
                    let blocked = earliest_required(ops, &placed);
                    return Search::Fails { states, prefix: best, value: best_value, blocked };
                }
                Some((op, before)) => {
                    flip(&mut done, op);
                    value = before;
                    if ops[op].required {
                        remaining += 1;
                        lo_ret = lo_ret.min(return_rank[op]);
                    }
                    lo_inv = lo_inv.min(op);
                    shared = shared.min(stack.len());
                    cursor = op + 1;
                }
            }
        }
    }
}

/// The unplaced acknowledged operation that returned first (ties: invoked first): the one whose deadline
/// the search could not meet. There is always one while the search is unfinished.
fn earliest_required(ops: &[LinOp], done: &[u64]) -> usize {
    (0..ops.len())
        .filter(|&i| ops[i].required && !bit(done, i))
        .min_by_key(|&i| (ops[i].returned, ops[i].invoked, i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;

    fn put(client: ClientId, seq: u64, key: &str, value: &str, from: Time, to: Time) -> HistoryOp {
        HistoryOp {
            client,
            seq,
            op: ClientOp::Put { key: key.into(), value: value.into() },
            invoked_us: from,
            completed_us: Some(to),
            status: OpStatus::Ok { value: None, index: seq },
            attempts: 1,
            served_by: Some(0),
        }
    }

    fn del(client: ClientId, seq: u64, key: &str, from: Time, to: Time) -> HistoryOp {
        HistoryOp { op: ClientOp::Delete { key: key.into() }, ..put(client, seq, key, "", from, to) }
    }

    fn get(client: ClientId, seq: u64, key: &str, value: Option<&str>, from: Time, to: Time) -> HistoryOp {
        HistoryOp {
            op: ClientOp::Get { key: key.into() },
            status: OpStatus::Ok { value: value.map(String::from), index: 0 },
            served_by: Some(1),
            ..put(client, seq, key, "", from, to)
        }
    }

    fn unknown(mut op: HistoryOp) -> HistoryOp {
        op.status = OpStatus::Unknown { reason: "gave up".into() };
        op
    }

    fn verdict(ops: &[HistoryOp]) -> Verdict {
        check_history(ops).verdict
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
        assert_eq!(verdict(&h), Verdict::Linearizable);
    }

    #[test]
    fn stale_read_after_acknowledged_write_is_caught() {
        let h = [
            put(0, 1, "x", "1", 0, 10),
            put(0, 2, "x", "2", 20, 30),
            get(1, 1, "x", Some("1"), 40, 50), // the write of 2 had finished: 1 is stale
        ];
        let report = check_history(&h);
        assert_eq!(report.verdict, Verdict::NotLinearizable, "{}", report.summary());
        let failure = &report.failures[0];
        assert_eq!(failure.key, "x");
        let blocked = failure.blocked_op();
        assert_eq!((blocked.client, blocked.seq), (1, 1));
        assert_eq!(failure.value_after_prefix.as_deref(), Some("2"));
        let prefix: Vec<u64> = failure.longest_prefix.iter().map(|&i| failure.ops[i].seq).collect();
        assert_eq!(prefix, vec![1, 2]);
        let violation = failure.to_violation();
        assert_eq!(violation.invariant, Invariant::Linearizability);
        assert_eq!(violation.time_us, 50);
        assert_eq!(violation.nodes, vec![0, 1]);
        assert!(violation.detail.contains("client 1 (seq 1)"), "{}", violation.detail);
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
        assert_eq!(report.verdict, Verdict::NotLinearizable);
        assert!(report.failures[0].explanation.contains("no client ever wrote"), "{}", report.failures[0].explanation);
    }

    #[test]
    fn unknown_write_may_take_effect_late_or_never() {
        // The client gave up at 50, yet the write was committed later: a read at 200 may see it...
        let late =
            [unknown(put(0, 1, "x", "1", 0, 50)), get(1, 1, "x", None, 60, 70), get(1, 2, "x", Some("1"), 200, 210)];
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
    fn unknown_reads_and_pending_ops_are_dropped() {
        let mut pending = put(0, 2, "x", "9", 5, 0);
        pending.status = OpStatus::Pending;
        pending.completed_us = None;
        let h = [put(0, 1, "x", "1", 0, 10), unknown(get(1, 1, "x", Some("zzz"), 20, 30)), pending];
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
        assert_eq!(report.failures.len(), 1);
        assert_eq!(report.failures[0].key, "z");
        assert!(report.summary().contains("NOT linearizable (keys: z)"));
    }

    #[test]
    fn budget_exhaustion_is_inconclusive_not_a_hang() {
        // Many concurrent writes and a final impossible read: the search must explore many orders.
        let mut h: Vec<HistoryOp> = (0..40).map(|i| put(i, 1, "x", &i.to_string(), 0, 1000)).collect();
        h.push(get(99, 1, "x", Some("nope"), 2000, 2001));
        let report = check_history_with(&h, CheckOptions { state_budget: 500 });
        assert_eq!(report.verdict, Verdict::Inconclusive);
        assert_eq!(report.inconclusive[0].key, "x");
        assert!(report.states_explored <= 500);
        assert!(report.summary().contains("inconclusive"));
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
        h.last_mut().unwrap().status = OpStatus::Ok { value: Some("0".into()), index: 0 };
        let report = check_history(&h);
        assert_eq!(report.verdict, Verdict::NotLinearizable);
        assert_eq!(report.failures[0].longest_prefix.len(), 5999);
    }

    // ---- Oracle: brute force over every subset of unknown writes and every permutation. ----

    /// An operation in the oracle's own, independently written form.
    #[derive(Clone, Debug)]
    struct OracleOp {
        key: String,
        invoked: Time,
        returned: Option<Time>, // None = +∞
        optional: bool,
        write: Option<Option<String>>, // Some(v) = put/delete
        read: Option<String>,          // value a read returned
    }

    fn oracle(history: &[HistoryOp]) -> bool {
        let ops: Vec<OracleOp> = history
            .iter()
            .filter_map(|h| {
                let (optional, returned, read) = match (&h.status, &h.op) {
                    (OpStatus::Pending, _) => return None,
                    (OpStatus::Unknown { .. }, ClientOp::Get { .. }) => return None,
                    (OpStatus::Unknown { .. }, _) => (true, None, None),
                    (OpStatus::Ok { value, .. }, _) => (false, h.completed_us, value.clone()),
                };
                let write = match &h.op {
                    ClientOp::Put { value, .. } => Some(Some(value.clone())),
                    ClientOp::Delete { .. } => Some(None),
                    ClientOp::Get { .. } => None,
                };
                Some(OracleOp { key: h.op.key().to_string(), invoked: h.invoked_us, returned, optional, write, read })
            })
            .collect();
        let optional: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].optional).collect();
        for mask in 0..(1u32 << optional.len()) {
            let chosen: Vec<usize> = (0..ops.len())
                .filter(|&i| !ops[i].optional || mask & (1 << optional.iter().position(|&o| o == i).unwrap()) != 0)
                .collect();
            if permutations(&chosen).iter().any(|order| legal(&ops, order)) {
                return true;
            }
        }
        false
    }

    fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
        if items.is_empty() {
            return vec![Vec::new()];
        }
        let mut out = Vec::new();
        for (i, &first) in items.iter().enumerate() {
            let mut rest = items.to_vec();
            rest.remove(i);
            for mut tail in permutations(&rest) {
                tail.insert(0, first);
                out.push(tail);
            }
        }
        out
    }

    fn legal(ops: &[OracleOp], order: &[usize]) -> bool {
        // Real time: no later op in the order may have returned before an earlier one was invoked.
        for (a, &x) in order.iter().enumerate() {
            for &y in &order[a + 1..] {
                if matches!(ops[y].returned, Some(r) if r < ops[x].invoked) {
                    return false;
                }
            }
        }
        let mut map: HashMap<&str, Option<String>> = HashMap::new();
        for &i in order {
            let op = &ops[i];
            match &op.write {
                Some(v) => {
                    map.insert(&op.key, v.clone());
                }
                None => {
                    if map.get(op.key.as_str()).cloned().flatten() != op.read {
                        return false;
                    }
                }
            }
        }
        true
    }

    fn random_history(rng: &mut Pcg64) -> Vec<HistoryOp> {
        let clients = rng.gen_range(1..=3);
        let count = rng.gen_range(0..=6);
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
            let op = match rng.gen_range(0..10) {
                0..=3 => ClientOp::Put { key, value: rng.gen_range(1..=3).to_string() },
                4 => ClientOp::Delete { key },
                _ => ClientOp::Get { key },
            };
            let status = match rng.gen_range(0..20) {
                0..=2 => OpStatus::Unknown { reason: "gave up".into() },
                3 => OpStatus::Pending,
                _ => OpStatus::Ok { value: None, index: 0 },
            };
            // Where it "really" took effect (unknown writes: maybe later, maybe never).
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
        // Fill in read results from a real execution in point order, then maybe corrupt one.
        let mut order: Vec<usize> = (0..ops.len()).filter(|&i| points[i].is_some()).collect();
        order.sort_by_key(|&i| points[i]);
        let mut map: HashMap<String, String> = HashMap::new();
        for i in order {
            let key = ops[i].op.key().to_string();
            match ops[i].op.clone() {
                ClientOp::Put { value, .. } => {
                    map.insert(key, value);
                }
                ClientOp::Delete { .. } => {
                    map.remove(&key);
                }
                ClientOp::Get { .. } => {
                    if let OpStatus::Ok { value, .. } = &mut ops[i].status {
                        *value = map.get(&key).cloned();
                    }
                }
            }
        }
        if rng.gen_bool(0.35) {
            let reads: Vec<usize> = (0..ops.len()).filter(|&i| !ops[i].op.is_write()).collect();
            if !reads.is_empty() {
                let i = reads[rng.gen_range(0..reads.len())];
                if let OpStatus::Ok { value, .. } = &mut ops[i].status {
                    *value = [None, Some("1"), Some("2"), Some("3"), Some("9")][rng.gen_range(0..5)].map(String::from);
                }
            }
        }
        ops
    }

    #[test]
    fn agrees_with_brute_force_oracle_on_random_small_histories() {
        let mut rng = Pcg64::seed_from_u64(0x11e4_12ab);
        let (mut yes, mut no) = (0, 0);
        for case in 0..5000 {
            let history = random_history(&mut rng);
            let expected = oracle(&history);
            let report = check_history(&history);
            assert_ne!(report.verdict, Verdict::Inconclusive);
            assert_eq!(report.is_linearizable(), expected, "case {case}: {history:#?}\n{report:#?}");
            if let Some(failure) = report.failures.first() {
                assert!(failure.ops[failure.blocked].outcome == OpOutcome::Ok);
                assert!(failure.longest_prefix.iter().all(|&i| i < failure.ops.len() && i != failure.blocked));
            }
            if expected {
                yes += 1;
            } else {
                no += 1;
            }
        }
        assert!(yes > 1000 && no > 300, "poor coverage: {yes} linearizable, {no} not");
    }
}
