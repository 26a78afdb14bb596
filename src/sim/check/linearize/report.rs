//! What a check answers: a value the CLI prints, the UI draws and the chaos runner turns into violations.
//! Per key, either a linearization (the order and a point in time for each operation in it) or the longest
//! linearizable prefix, the operation that cannot be placed after it and a sentence saying why.

use crate::sim::check::violation::{Invariant, Violation};
use crate::sim::raft::message::ClientOp;
use crate::sim::types::{format_time, ClientId, Index, NodeId, Time};
use serde::{Deserialize, Serialize};

/// What the times of a history count: the simulation's virtual microseconds (a LogScope history) or
/// positions in a log (Porcupine's and Jepsen's logs have no clock: an event's line number is its time). The
/// report's sentences print times accordingly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clock {
    /// Virtual microseconds, printed like `12.5ms`.
    #[default]
    Virtual,
    /// Line numbers, printed like `line 12`.
    Lines,
}

impl Clock {
    /// A time as this clock prints it.
    pub fn show(self, time: Time) -> String {
        match self {
            Clock::Virtual => format_time(time),
            Clock::Lines => format!("line {time}"),
        }
    }
}

/// How an operation the checker considered ended, so a report can say which ones were optional.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpOutcome {
    /// Answered: it must appear in the order, within its interval.
    Ok,
    /// A write with no answer (still pending, or the client gave up): it may have taken effect at any time
    /// after its call, or never.
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
    /// When the client got the answer or gave up (`None`: still pending).
    pub completed_us: Option<Time>,
    /// Whether the operation must be in the order or may be left out.
    pub outcome: OpOutcome,
    /// For an answered read, the value it returned (`None` inside = absent); `None` for every other operation.
    pub read_value: Option<Option<String>>,
    /// For an answered compare-and-set, whether it applied.
    pub applied: Option<bool>,
    /// Node that gave the final answer, for pointing at it in the UI.
    pub served_by: Option<NodeId>,
    /// Log index reported with the answer (write: where it committed; read: the entry it saw).
    pub index: Option<Index>,
}

impl OpSummary {
    /// `c1#4 get x → "1" [10.0ms, 12.5ms]`: compact enough for a violation line (`∞`: no answer).
    pub fn label(&self) -> String {
        self.label_on(Clock::Virtual)
    }

    /// [`OpSummary::label`] with times as `clock` prints them.
    pub fn label_on(&self, clock: Clock) -> String {
        let end = match (self.outcome, self.completed_us) {
            (OpOutcome::Unknown, _) | (_, None) => "∞".to_string(),
            (OpOutcome::Ok, Some(t)) => clock.show(t),
        };
        format!("c{}#{} {} [{}, {}]", self.client, self.seq, self.description, clock.show(self.invoked_us), end)
    }
}

/// Why a key's history is not linearizable: the evidence a student needs to see the anomaly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFailure {
    /// The longest order found that respects real time and the register's semantics (indexes into the key's
    /// `ops`).
    pub longest_prefix: Vec<usize>,
    /// A point in time for each operation of `longest_prefix`, within its interval and never decreasing.
    pub prefix_points_us: Vec<Time>,
    /// The answered operation that could not be placed after that prefix (index into `ops`): the one that had
    /// to take effect next (it returned first among those left) yet has no consistent place.
    pub blocked: usize,
    /// The register's value after the longest prefix (`None` = absent).
    pub value_after_prefix: Option<String>,
    /// One sentence for humans, e.g. `client 1's get x → "1" (40.0ms–50.0ms) returned after client 0's put
    /// x=2 had completed (30.0ms), and nothing wrote "1" in between.`
    pub explanation: String,
}

/// A key's verdict and its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum KeyOutcome {
    /// A linearization exists: `order` (indexes into `ops`; unanswered writes left out took effect never, or
    /// after everything else) and a point in time for each, within its interval and never decreasing.
    Linearizable { order: Vec<usize>, points_us: Vec<Time> },
    /// None exists.
    NotLinearizable(KeyFailure),
    /// The search ran out of its state budget first.
    Inconclusive,
    /// Another key failed first and the check stopped before this one had a verdict (see
    /// [`super::CheckOptions::every_key`]).
    NotChecked,
}

/// One key's history and its verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyReport {
    /// The key.
    pub key: String,
    /// Every operation on the key that the checker considered, in invocation order.
    pub ops: Vec<OpSummary>,
    /// Distinct search states explored for this key.
    pub states_explored: u64,
    /// The verdict.
    pub outcome: KeyOutcome,
}

impl KeyReport {
    /// The failure, if the key is not linearizable.
    pub fn failure(&self) -> Option<&KeyFailure> {
        match &self.outcome {
            KeyOutcome::NotLinearizable(failure) => Some(failure),
            _ => None,
        }
    }

    /// The verdict alone (`None`: not checked, another key failed first).
    pub fn verdict(&self) -> Option<Verdict> {
        match self.outcome {
            KeyOutcome::Linearizable { .. } => Some(Verdict::Linearizable),
            KeyOutcome::NotLinearizable(_) => Some(Verdict::NotLinearizable),
            KeyOutcome::Inconclusive => Some(Verdict::Inconclusive),
            KeyOutcome::NotChecked => None,
        }
    }

    /// The operation that could not be linearized, if the key failed.
    pub fn blocked_op(&self) -> Option<&OpSummary> {
        self.failure().map(|f| &self.ops[f.blocked])
    }

    /// The virtual time at which a failure became observable: when the blocked operation returned.
    pub fn detected_us(&self) -> Option<Time> {
        self.blocked_op().map(|op| op.completed_us.unwrap_or(op.invoked_us))
    }

    /// Turns a failure into the `LIN` violation the checker panel and CLI show (nodes: who served the blocked
    /// operation and the last write of the prefix; indexes: the log indexes they reported).
    pub fn to_violation(&self) -> Option<Violation> {
        let failure = self.failure()?;
        let blocked = &self.ops[failure.blocked];
        let last_write = failure.longest_prefix.iter().rev().map(|&i| &self.ops[i]).find(|op| op.op.is_write());
        let involved = [Some(blocked), last_write];
        let mut nodes: Vec<NodeId> = involved.iter().flatten().filter_map(|op| op.served_by).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let mut indexes: Vec<Index> = involved.iter().flatten().filter_map(|op| op.index).filter(|&i| i > 0).collect();
        indexes.sort_unstable();
        indexes.dedup();
        const SHOWN: usize = 6;
        let skipped = failure.longest_prefix.len().saturating_sub(SHOWN);
        let mut order: Vec<String> = failure.longest_prefix[skipped..].iter().map(|&i| self.ops[i].label()).collect();
        if skipped > 0 {
            order.insert(0, format!("…{skipped} earlier"));
        }
        let order = if order.is_empty() { "(none)".to_string() } else { order.join(" → ") };
        Some(Violation {
            invariant: Invariant::Linearizability,
            time_us: self.detected_us().unwrap_or(0),
            nodes,
            indexes,
            detail: format!("{} Longest consistent order: {order}.", failure.explanation),
        })
    }
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

/// Result of [`super::check_history`]: a value the UI and CLI render, never a panic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinearizabilityReport {
    /// The overall answer.
    pub verdict: Verdict,
    /// The state budget per key the search ran with (what "inconclusive (budget N states)" names).
    pub state_budget: u64,
    /// Distinct keys in the history (each has a [`KeyReport`], checked or not).
    pub keys_checked: usize,
    /// Operations that took part (answered operations and unanswered writes).
    pub ops_checked: usize,
    /// Operations left out: reads without an answer (they had no observable effect).
    pub ops_dropped: usize,
    /// Search states explored over all keys, a measure of effort.
    pub states_explored: u64,
    /// Every key's verdict, in key order.
    pub keys: Vec<KeyReport>,
}

impl LinearizabilityReport {
    /// True only for a definite "linearizable".
    pub fn is_linearizable(&self) -> bool {
        self.verdict == Verdict::Linearizable
    }

    /// The keys that are not linearizable, in key order.
    pub fn failures(&self) -> impl Iterator<Item = &KeyReport> {
        self.keys.iter().filter(|k| k.verdict() == Some(Verdict::NotLinearizable))
    }

    /// The keys whose search ran out of budget, in key order.
    pub fn inconclusive(&self) -> impl Iterator<Item = &KeyReport> {
        self.keys.iter().filter(|k| k.verdict() == Some(Verdict::Inconclusive))
    }

    /// The report of one key.
    pub fn key(&self, key: &str) -> Option<&KeyReport> {
        self.keys.binary_search_by(|k| k.key.as_str().cmp(key)).ok().map(|i| &self.keys[i])
    }

    /// One `LIN` violation per failing key, for the checker panel.
    pub fn violations(&self) -> Vec<Violation> {
        self.failures().filter_map(KeyReport::to_violation).collect()
    }

    /// One line for logs and the CLI: `linearizable; …`, `NOT linearizable (keys: x); …` or `inconclusive
    /// (budget N states; keys: x); …`.
    pub fn summary(&self) -> String {
        let names = |keys: Vec<&KeyReport>| keys.iter().map(|k| k.key.as_str()).collect::<Vec<_>>().join(", ");
        let verdict = match self.verdict {
            Verdict::Linearizable => "linearizable".to_string(),
            Verdict::NotLinearizable => format!("NOT linearizable (keys: {})", names(self.failures().collect())),
            Verdict::Inconclusive => format!(
                "inconclusive (budget {} states; keys: {})",
                self.state_budget,
                names(self.inconclusive().collect())
            ),
        };
        format!(
            "{verdict}; {} ops on {} keys checked, {} dropped, {} states explored",
            self.ops_checked, self.keys_checked, self.ops_dropped, self.states_explored
        )
    }
}
