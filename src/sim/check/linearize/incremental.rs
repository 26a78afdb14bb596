//! A check that runs in slices and follows a growing history: what the UI needs to check while the cluster
//! runs without breaking its frame budget. [`HistoryCheck::run`] does at most a given number of search steps
//! and returns; [`HistoryCheck::update`] takes the history as it is now and keeps every key whose operations
//! did not change (its verdict, or its search so far), so a new operation on one key re-checks only that key.
//!
//! The keys are searched in turns, a slice of [`SLICE_STEPS`] each, so a key whose search is long does not
//! hold up a quick verdict on another: unless every key is asked for, the first failure ends the check, and
//! the failing key found first is the one that fails soonest (Porcupine runs its partitions concurrently and
//! stops at the first failure, to the same effect).

use super::explain::{explain, points};
use super::prepare::{prepare, KeyHistory};
use super::report::{Clock, KeyFailure, KeyOutcome, KeyReport, LinearizabilityReport, OpSummary, Verdict};
use super::search::{KeySearch, SearchOutcome};
use super::CheckOptions;
use crate::sim::world::history::HistoryOp;
use serde::{Deserialize, Serialize};

/// Steps a key searches before the next key's turn.
pub const SLICE_STEPS: u64 = 256;

/// Where a sliced check stands, for a progress line and the invariant panel's LIN state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckProgress {
    /// Keys in the history.
    pub keys_total: usize,
    /// Keys with a verdict.
    pub keys_done: usize,
    /// Search states explored so far (finished keys and the one being searched).
    pub states_explored: u64,
    /// The verdict as far as it is known: `NotLinearizable` as soon as one key failed, `Inconclusive` once a
    /// key ran out of budget and the rest are done without a failure, `Linearizable` only when every key is
    /// done; `None` while undecided ("checking").
    pub verdict: Option<Verdict>,
    /// Whether the check is over: every key has its verdict, or one failed and not every key was asked for.
    pub finished: bool,
}

/// One key: its prepared operations, its search while it runs, its report once it is done (the operations
/// move into the search, then into the report).
#[derive(Clone, Debug)]
struct KeyJob {
    history: KeyHistory,
    search: Option<KeySearch>,
    report: Option<KeyReport>,
}

impl KeyJob {
    /// The key's operations as the report shows them, wherever they are now.
    fn summaries(&self) -> &[OpSummary] {
        self.report.as_ref().map_or(&self.history.summaries, |report| &report.ops)
    }
}

/// A linearizability check that can be run in slices and brought up to date with a growing history.
#[derive(Clone, Debug)]
pub struct HistoryCheck {
    options: CheckOptions,
    /// Per key, in key order.
    jobs: Vec<KeyJob>,
    /// Reads without an answer, left out.
    dropped: usize,
    /// The key whose turn is next (keys take turns in key order).
    next: usize,
}

impl HistoryCheck {
    /// A check of `history`; nothing is searched until [`HistoryCheck::run`].
    pub fn new(history: &[HistoryOp], options: CheckOptions) -> HistoryCheck {
        let prepared = prepare(history);
        let jobs = prepared.keys.into_iter().map(|history| KeyJob { history, search: None, report: None }).collect();
        HistoryCheck { options, jobs, dropped: prepared.dropped, next: 0 }
    }

    /// Brings the check up to date with `history` (the same run's history, grown or changed): every key whose
    /// operations are exactly as before keeps its verdict or its search so far; the others start over.
    /// Returns whether any key changed. Costs a pass over the history, not a search.
    pub fn update(&mut self, history: &[HistoryOp]) -> bool {
        let prepared = prepare(history);
        let mut old = std::mem::take(&mut self.jobs).into_iter().peekable();
        let mut changed = false;
        for fresh in prepared.keys {
            while old.next_if(|job| job.history.key < fresh.key).is_some() {
                changed = true;
            }
            match old.next_if(|job| job.history.key == fresh.key) {
                Some(job) if job.summaries() == fresh.summaries.as_slice() => self.jobs.push(job),
                _ => {
                    changed = true;
                    self.jobs.push(KeyJob { history: fresh, search: None, report: None });
                }
            }
        }
        changed |= old.next().is_some();
        self.dropped = prepared.dropped;
        self.next = 0;
        changed
    }

    /// Runs at most `steps` search steps (each places or takes back one operation: well under a
    /// microsecond natively, a few in a browser), the keys taking turns, then returns where the check stands.
    pub fn run(&mut self, steps: u64) -> CheckProgress {
        let mut left = steps;
        while left > 0 && !self.is_over() {
            let Some(turn) = self.next_turn() else { break };
            let budget = self.options.state_budget;
            let job = &mut self.jobs[turn];
            let search = job.search.get_or_insert_with(|| {
                let values = std::mem::take(&mut job.history.values);
                KeySearch::new(std::mem::take(&mut job.history.ops), values, budget)
            });
            left -= search.run(left.min(SLICE_STEPS));
            if search.outcome().is_some() {
                let search = job.search.take().expect("the search just run");
                let summaries = std::mem::take(&mut job.history.summaries);
                job.report = Some(finish(job.history.key.clone(), summaries, search, self.options.clock));
            }
            self.next = turn + 1;
        }
        self.progress()
    }

    /// The first key from `next` on (wrapping around) without a verdict.
    fn next_turn(&self) -> Option<usize> {
        let n = self.jobs.len();
        (0..n).map(|i| (self.next + i) % n).find(|&i| self.jobs[i].report.is_none())
    }

    /// Whether nothing is left to search: every key is done, or one failed and that is enough.
    fn is_over(&self) -> bool {
        let failed = self.finished_keys().any(|r| r.verdict() == Some(Verdict::NotLinearizable));
        (failed && !self.options.every_key) || self.jobs.iter().all(|job| job.report.is_some())
    }

    /// Where the check stands, without searching.
    pub fn progress(&self) -> CheckProgress {
        let reports = || self.jobs.iter().filter_map(|job| job.report.as_ref());
        let keys_done = reports().count();
        let searching = self.jobs.iter().filter_map(|job| job.search.as_ref()).map(KeySearch::states).sum::<u64>();
        let verdict = if reports().any(|r| r.verdict() == Some(Verdict::NotLinearizable)) {
            Some(Verdict::NotLinearizable)
        } else if keys_done < self.jobs.len() {
            None
        } else if reports().any(|r| r.verdict() == Some(Verdict::Inconclusive)) {
            Some(Verdict::Inconclusive)
        } else {
            Some(Verdict::Linearizable)
        };
        CheckProgress {
            keys_total: self.jobs.len(),
            keys_done,
            states_explored: reports().map(|r| r.states_explored).sum::<u64>() + searching,
            verdict,
            finished: self.is_over(),
        }
    }

    /// The verdicts of the keys done so far, in key order (a view can draw them before the rest are done).
    pub fn finished_keys(&self) -> impl Iterator<Item = &KeyReport> {
        self.jobs.iter().filter_map(|job| job.report.as_ref())
    }

    /// The whole report, once the check is over (`None` before); keys left undecided by an early stop are
    /// [`KeyOutcome::NotChecked`].
    pub fn report(&self) -> Option<LinearizabilityReport> {
        if !self.is_over() {
            return None;
        }
        let keys = self.jobs.iter().map(|job| job.report.clone().unwrap_or_else(|| not_checked(job))).collect();
        Some(self.assemble(keys))
    }

    /// The whole report, taking the check apart (no copies). Taken before the check is over, its verdict is
    /// inconclusive and the keys without a verdict are [`KeyOutcome::NotChecked`].
    pub fn into_report(mut self) -> LinearizabilityReport {
        let over = self.is_over();
        let jobs = std::mem::take(&mut self.jobs);
        let keys: Vec<KeyReport> = jobs
            .into_iter()
            .map(|job| match job.report {
                Some(report) => report,
                None => not_checked(&job),
            })
            .collect();
        let mut report = self.assemble(keys);
        if !over {
            report.verdict = Verdict::Inconclusive;
        }
        report
    }

    /// The report around the keys' reports.
    fn assemble(&self, keys: Vec<KeyReport>) -> LinearizabilityReport {
        let failed = keys.iter().any(|k| k.verdict() == Some(Verdict::NotLinearizable));
        let verdict = if failed {
            Verdict::NotLinearizable
        } else if keys.iter().all(|k| k.verdict() == Some(Verdict::Linearizable)) {
            Verdict::Linearizable
        } else {
            Verdict::Inconclusive
        };
        LinearizabilityReport {
            verdict,
            state_budget: self.options.state_budget,
            keys_checked: keys.len(),
            ops_checked: keys.iter().map(|k| k.ops.len()).sum(),
            ops_dropped: self.dropped,
            states_explored: keys.iter().map(|k| k.states_explored).sum(),
            keys,
        }
    }
}

/// The report of a key the check stopped before deciding.
fn not_checked(job: &KeyJob) -> KeyReport {
    KeyReport {
        key: job.history.key.clone(),
        ops: job.history.summaries.clone(),
        states_explored: job.search.as_ref().map_or(0, KeySearch::states),
        outcome: KeyOutcome::NotChecked,
    }
}

/// A finished search as the key's report: the linearization and its points, or the failure's evidence.
fn finish(key: String, ops: Vec<OpSummary>, search: KeySearch, clock: Clock) -> KeyReport {
    let states_explored = search.states();
    let (lin_ops, values, outcome) = search.into_parts();
    debug_assert!(outcome.is_some(), "only a finished search is reported");
    let outcome = match outcome {
        Some(SearchOutcome::Linearizable { order }) => {
            KeyOutcome::Linearizable { points_us: points(&lin_ops, &order), order }
        }
        Some(SearchOutcome::Fails { prefix, value, blocked }) => {
            let value_after_prefix = value.map(|v| values.text(v));
            let explanation = explain(&key, &ops, blocked, &value_after_prefix, clock);
            KeyOutcome::NotLinearizable(KeyFailure {
                prefix_points_us: points(&lin_ops, &prefix),
                longest_prefix: prefix,
                blocked,
                value_after_prefix,
                explanation,
            })
        }
        Some(SearchOutcome::Inconclusive) | None => KeyOutcome::Inconclusive,
    };
    KeyReport { key, ops, states_explored, outcome }
}
