//! A check that runs in slices and follows a growing history: what the UI needs to check while the cluster
//! runs without breaking its frame budget. [`HistoryCheck::run`] does at most a given number of search steps
//! and returns; [`HistoryCheck::update`] takes the history as it is now and keeps every key whose operations
//! did not change (its verdict, or its search so far), so a new operation on one key re-checks only that key.

use super::explain::{explain, points};
use super::prepare::{prepare, KeyHistory};
use super::report::{KeyFailure, KeyOutcome, KeyReport, LinearizabilityReport, Verdict};
use super::search::{KeySearch, SearchOutcome};
use super::CheckOptions;
use crate::sim::world::history::HistoryOp;
use serde::{Deserialize, Serialize};

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
}

impl CheckProgress {
    /// Whether every key has its verdict.
    pub fn is_finished(&self) -> bool {
        self.keys_done == self.keys_total
    }
}

/// One key: its prepared operations, its search while it runs, its report once it is done.
#[derive(Clone, Debug)]
struct KeyJob {
    history: KeyHistory,
    search: Option<KeySearch>,
    report: Option<KeyReport>,
}

/// A linearizability check that can be run in slices and brought up to date with a growing history.
#[derive(Clone, Debug)]
pub struct HistoryCheck {
    options: CheckOptions,
    /// Per key, in key order.
    jobs: Vec<KeyJob>,
    /// Reads without an answer, left out.
    dropped: usize,
    /// The first key without a verdict (keys are searched in key order).
    next: usize,
}

impl HistoryCheck {
    /// A check of `history`; nothing is searched until [`HistoryCheck::run`].
    pub fn new(history: &[HistoryOp], options: CheckOptions) -> HistoryCheck {
        let prepared = prepare(history);
        let jobs = prepared.keys.into_iter().map(|history| KeyJob { history, search: None, report: None }).collect();
        let mut check = HistoryCheck { options, jobs, dropped: prepared.dropped, next: 0 };
        check.skip_finished();
        check
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
                Some(job) if job.history.summaries == fresh.summaries => self.jobs.push(job),
                _ => {
                    changed = true;
                    self.jobs.push(KeyJob { history: fresh, search: None, report: None });
                }
            }
        }
        changed |= old.next().is_some();
        self.dropped = prepared.dropped;
        self.next = 0;
        self.skip_finished();
        changed
    }

    /// Runs at most `steps` search steps (each places or takes back one operation: well under a
    /// microsecond natively, a few in a browser), then returns where the check stands.
    pub fn run(&mut self, steps: u64) -> CheckProgress {
        let mut left = steps;
        while left > 0 && self.next < self.jobs.len() {
            let budget = self.options.state_budget;
            let job = &mut self.jobs[self.next];
            let search = job.search.get_or_insert_with(|| {
                let values = std::mem::take(&mut job.history.values);
                KeySearch::new(&job.history.ops, values, budget)
            });
            left -= search.run(left);
            if search.outcome().is_some() {
                job.report = Some(finish(&job.history, search));
                job.search = None;
                self.next += 1;
                self.skip_finished();
            }
        }
        self.progress()
    }

    /// Where the check stands, without searching.
    pub fn progress(&self) -> CheckProgress {
        let reports = || self.jobs.iter().filter_map(|job| job.report.as_ref());
        let keys_done = reports().count();
        let searching = self.jobs.iter().filter_map(|job| job.search.as_ref()).map(KeySearch::states).sum::<u64>();
        let verdict = if reports().any(|r| r.verdict() == Verdict::NotLinearizable) {
            Some(Verdict::NotLinearizable)
        } else if keys_done < self.jobs.len() {
            None
        } else if reports().any(|r| r.verdict() == Verdict::Inconclusive) {
            Some(Verdict::Inconclusive)
        } else {
            Some(Verdict::Linearizable)
        };
        CheckProgress {
            keys_total: self.jobs.len(),
            keys_done,
            states_explored: reports().map(|r| r.states_explored).sum::<u64>() + searching,
            verdict,
        }
    }

    /// The verdicts of the keys done so far, in key order (a view can draw them before the rest are done).
    pub fn finished_keys(&self) -> impl Iterator<Item = &KeyReport> {
        self.jobs.iter().filter_map(|job| job.report.as_ref())
    }

    /// The whole report, once every key has its verdict (`None` before).
    pub fn report(&self) -> Option<LinearizabilityReport> {
        let progress = self.progress();
        if !progress.is_finished() {
            return None;
        }
        let keys: Vec<KeyReport> = self.finished_keys().cloned().collect();
        Some(LinearizabilityReport {
            verdict: progress.verdict.unwrap_or(Verdict::Linearizable),
            state_budget: self.options.state_budget,
            keys_checked: keys.len(),
            ops_checked: keys.iter().map(|k| k.ops.len()).sum(),
            ops_dropped: self.dropped,
            states_explored: progress.states_explored,
            keys,
        })
    }

    /// Moves `next` past keys that already have a verdict.
    fn skip_finished(&mut self) {
        while self.jobs.get(self.next).is_some_and(|job| job.report.is_some()) {
            self.next += 1;
        }
    }
}

/// A finished search as the key's report: the linearization and its points, or the failure's evidence.
fn finish(history: &KeyHistory, search: &KeySearch) -> KeyReport {
    let outcome = match search.outcome() {
        Some(SearchOutcome::Linearizable { order }) => {
            KeyOutcome::Linearizable { points_us: points(&history.ops, order), order: order.clone() }
        }
        Some(SearchOutcome::Fails { prefix, value, blocked }) => {
            let value_after_prefix = value.map(|v| search.values().text(v).to_string());
            let explanation = explain(&history.key, &history.summaries, *blocked, &value_after_prefix);
            KeyOutcome::NotLinearizable(KeyFailure {
                prefix_points_us: points(&history.ops, prefix),
                longest_prefix: prefix.clone(),
                blocked: *blocked,
                value_after_prefix,
                explanation,
            })
        }
        Some(SearchOutcome::Inconclusive) | None => KeyOutcome::Inconclusive,
    };
    KeyReport { key: history.key.clone(), ops: history.summaries.clone(), states_explored: search.states(), outcome }
}
