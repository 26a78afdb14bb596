//! Linearizability checker for client histories (DESIGN §3 "Clients and reads", §4 I13).
//!
//! Each key is one string register with get, put, delete, compare-and-set and append (`model.rs`); the
//! history is split per key (linearizability is compositional) and each key is searched on its own, Wing–Gong
//! style as improved by Lowe and used by Porcupine (`search.rs`). Statuses have Porcupine's meaning
//! (`prepare.rs`): an answered operation took effect once within its interval; a write without an answer
//! (pending, or the client gave up) may have taken effect at any time after its call, or never; a read
//! without an answer is dropped.
//!
//! One entry point for a whole history, [`check_history`], and one for a check in slices that follows a
//! growing history, [`HistoryCheck`]. Both return values, never panic, and are bounded: a per-key state
//! budget turns a search that would take too long into "inconclusive (budget N states)".

mod explain;
mod incremental;
mod memo;
mod model;
mod prepare;
mod report;
mod search;
#[cfg(test)]
mod tests;

pub use incremental::{CheckProgress, HistoryCheck, SLICE_STEPS};
pub use report::{Clock, KeyFailure, KeyOutcome, KeyReport, LinearizabilityReport, OpOutcome, OpSummary, Verdict};

use crate::sim::world::history::HistoryOp;
use serde::{Deserialize, Serialize};

/// Default number of distinct search states explored per key before giving up as inconclusive. A correct
/// history needs about one state per operation, so this only bites on pathological failing histories.
pub const DEFAULT_STATE_BUDGET: u64 = 1_000_000;

/// Knobs of a check: exposed so tests can force an inconclusive result and the CLI can search harder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOptions {
    /// Distinct (linearized set, state) pairs explored per key before the key is reported inconclusive.
    pub state_budget: u64,
    /// Whether to give every key its verdict even after one has failed. Off by default: one failure decides
    /// the history, and proving a failing key has no linearization means exhausting its whole search space,
    /// so the keys are searched in turns and the first failure ends the check (as Porcupine stops at its
    /// first failing partition); the keys not yet decided are reported [`KeyOutcome::NotChecked`].
    pub every_key: bool,
    /// What the history's times count, for the sentences of the report.
    pub clock: Clock,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { state_budget: DEFAULT_STATE_BUDGET, every_key: false, clock: Clock::Virtual }
    }
}

/// Checks a whole history with the default budget: the one function a caller needs (the chaos runner, a
/// lesson's `linearizable` expectation, the CLI).
pub fn check_history(ops: &[HistoryOp]) -> LinearizabilityReport {
    check_history_with(ops, CheckOptions::default())
}

/// Checks a whole history with an explicit budget (tests force "inconclusive"; the CLI may search harder).
pub fn check_history_with(ops: &[HistoryOp], options: CheckOptions) -> LinearizabilityReport {
    let mut check = HistoryCheck::new(ops, options);
    // Unlimited steps: every key's search ends (each is bounded by the state budget).
    while !check.run(u64::MAX).finished {}
    check.into_report()
}
