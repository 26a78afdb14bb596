//! The linearizability check that follows the run on screen: the core's sliced [`HistoryCheck`], brought up
//! to date with the world's client history and searched a bounded number of steps per animation frame, so
//! the invariant strip's LIN chip and the history tab show a live verdict without breaking the frame budget.
//! No markup: the reducer drives it (`state.rs`), the history view and the chip draw its [`LinSnapshot`].

use crate::sim::check::linearize::{CheckOptions, CheckProgress, HistoryCheck, LinearizabilityReport, Verdict};
use crate::sim::world::history::{HistoryOp, OpStatus};
use crate::sim::world::World;
use std::rc::Rc;

/// Search steps a frame may spend at most. Sized by timing it in the browser (`tests/web_history_check.rs`,
/// docs/PERFORMANCE.md): the release wasm in headless Chromium takes ≈ 0.75 µs a step on the UI's histories
/// (a minute of the mixed load), so this is ≈ 1.5 ms.
pub const CHECK_STEPS_PER_FRAME: u64 = 2048;
/// Wall-clock guard on top of the step bound: a frame stops searching after this long even if steps are left
/// (a slow machine, a key whose steps are expensive).
pub const CHECK_BUDGET_MS: f64 = 2.0;
/// While playing, the check takes the world's history again at most this often (real milliseconds): taking
/// it costs a pass over up to `history_capacity` operations (≈ 5–10 ms in the browser for 2,400 operations,
/// docs/PERFORMANCE.md), so it is done once a second, not every frame.
pub const REFRESH_MS: f64 = 1000.0;
/// Steps searched at once when the run is paused (a step, a seek, a command): enough to settle an ordinary
/// history in one go, bounded so a pathological one cannot freeze the page (the Check button goes on).
pub const PAUSED_STEPS: u64 = 200_000;
/// Wall-clock bound of that search (a click must stay quick; the Check button searches on).
pub const PAUSED_BUDGET_MS: f64 = 50.0;

/// The LIN chip's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LinState {
    /// No client operation yet: nothing to check.
    #[default]
    Empty,
    /// The search is under way (keys with a verdict, keys in all).
    Checking { keys_done: usize, keys_total: usize },
    /// Every key has a linearization.
    Holds,
    /// A key has none: the key and the one-sentence explanation.
    Violated { key: String, explanation: String },
    /// No failure, but a key's search ran out of its state budget.
    Inconclusive { budget: u64 },
}

impl LinState {
    /// The word the chip and the history tab show.
    pub fn word(&self) -> &'static str {
        match self {
            LinState::Empty => "no operations",
            LinState::Checking { .. } => "checking",
            LinState::Holds => "holds",
            LinState::Violated { .. } => "violated",
            LinState::Inconclusive { .. } => "inconclusive",
        }
    }

    /// One sentence for a tooltip or the history tab's verdict line.
    pub fn sentence(&self) -> String {
        match self {
            LinState::Empty => "no client operation yet".to_string(),
            LinState::Checking { keys_done, keys_total } => {
                format!("checking the client history ({keys_done} of {keys_total} keys decided)")
            }
            LinState::Holds => {
                "linearizable: every key's operations have an order consistent with real time".to_string()
            }
            LinState::Violated { key, explanation } => format!("NOT linearizable (key {key}): {explanation}"),
            LinState::Inconclusive { budget } => format!("inconclusive (budget {budget} states per key)"),
        }
    }
}

/// What the check shows: the history it checked, the verdict so far and, once decided, the report.
#[derive(Clone, Debug, PartialEq)]
pub struct LinSnapshot {
    /// The history as last taken from the world (finished operations, then those in progress).
    pub history: Rc<Vec<HistoryOp>>,
    /// The chip's state.
    pub state: LinState,
    /// Search states explored so far, for the progress line.
    pub states: u64,
    /// The full report once the check is over.
    pub report: Option<Rc<LinearizabilityReport>>,
}

/// A cheap fingerprint of a world's history: the newest finished operation and every operation in progress.
/// Equal fingerprints mean the same history (operations only finish at the end of the list, and the oldest
/// is dropped only when a new one finishes), so the history is not copied when nothing happened.
type Fingerprint = (usize, Option<(usize, u64, Option<u64>)>, Vec<(usize, u64, bool)>);

fn fingerprint(world: &World) -> Fingerprint {
    let last = world.completed_operations().next_back().map(|op| (op.client, op.seq, op.completed_us));
    let current = world
        .clients()
        .iter()
        .filter_map(|c| c.current.as_ref())
        .map(|a| (a.record.client, a.record.seq, matches!(a.record.status, OpStatus::Pending)))
        .collect();
    (world.completed_operations().count(), last, current)
}

/// The live check of one session.
pub struct LiveCheck {
    check: HistoryCheck,
    history: Rc<Vec<HistoryOp>>,
    fingerprint: Option<Fingerprint>,
    taken_ms: f64,
    snapshot: Rc<LinSnapshot>,
}

impl LiveCheck {
    /// A check of an empty history.
    pub fn new() -> LiveCheck {
        let history = Rc::new(Vec::new());
        let check = HistoryCheck::new(&history, CheckOptions::default());
        let snapshot =
            Rc::new(LinSnapshot { history: history.clone(), state: LinState::Empty, states: 0, report: None });
        LiveCheck { check, history, fingerprint: None, taken_ms: f64::NEG_INFINITY, snapshot }
    }

    /// Follows `world`: takes its history again if it changed (at most every [`REFRESH_MS`] while playing;
    /// never while showing the past, so the view keeps the whole run recorded), then searches at most
    /// `steps` steps and `budget_ms`. Returns whether the snapshot changed.
    pub fn follow(
        &mut self,
        world: &World,
        in_past: bool,
        now_ms: f64,
        playing: bool,
        steps: u64,
        budget_ms: f64,
    ) -> bool {
        let due = !playing || now_ms - self.taken_ms >= REFRESH_MS;
        if due && !in_past {
            let print = fingerprint(world);
            if self.fingerprint.as_ref() != Some(&print) {
                self.history = Rc::new(world.history());
                self.check.update(&self.history);
                self.fingerprint = Some(print);
            }
            self.taken_ms = now_ms;
        }
        self.search(steps, budget_ms, now_ms)
    }

    /// Searches until the check is over (the Check button): bounded by the per-key state budget.
    pub fn finish(&mut self, now_ms: f64) -> bool {
        self.search(u64::MAX, f64::INFINITY, now_ms)
    }

    /// Runs slices of the search within `steps` and `budget_ms`, then refreshes the snapshot if anything moved.
    fn search(&mut self, steps: u64, budget_ms: f64, started_ms: f64) -> bool {
        let slice = crate::sim::check::linearize::SLICE_STEPS;
        let mut left = steps;
        let mut progress = self.check.progress();
        while left > 0 && !progress.finished {
            progress = self.check.run(left.min(slice));
            left = left.saturating_sub(slice);
            if crate::ui::web::now_ms() - started_ms > budget_ms {
                break;
            }
        }
        self.refresh_snapshot(progress)
    }

    /// A new snapshot when the history, the state or the report changed (props compare by identity). Not
    /// for every search step: a new snapshot re-renders the panels that show it, so the count of states
    /// explored is only brought up to date with those changes (a few times a second at most).
    fn refresh_snapshot(&mut self, progress: CheckProgress) -> bool {
        let state = state_of(&progress, &self.check, &self.history);
        let same = Rc::ptr_eq(&self.snapshot.history, &self.history)
            && self.snapshot.state == state
            && self.snapshot.report.is_some() == progress.finished;
        if same {
            return false;
        }
        let report = if progress.finished { self.check.report().map(Rc::new) } else { None };
        let report = match (&self.snapshot.report, report) {
            (Some(old), Some(new)) if **old == *new => Some(old.clone()),
            (_, new) => new,
        };
        self.snapshot =
            Rc::new(LinSnapshot { history: self.history.clone(), state, states: progress.states_explored, report });
        true
    }

    /// What the chip and the history tab draw.
    pub fn snapshot(&self) -> Rc<LinSnapshot> {
        self.snapshot.clone()
    }
}

impl Default for LiveCheck {
    fn default() -> Self {
        LiveCheck::new()
    }
}

/// The chip's state from the check's progress.
fn state_of(progress: &CheckProgress, check: &HistoryCheck, history: &[HistoryOp]) -> LinState {
    if history.is_empty() {
        return LinState::Empty;
    }
    match progress.verdict {
        None => LinState::Checking { keys_done: progress.keys_done, keys_total: progress.keys_total },
        Some(Verdict::Linearizable) => LinState::Holds,
        Some(Verdict::Inconclusive) => LinState::Inconclusive { budget: CheckOptions::default().state_budget },
        Some(Verdict::NotLinearizable) => {
            let failed =
                check.finished_keys().find_map(|k| k.failure().map(|f| (k.key.clone(), f.explanation.clone())));
            let (key, explanation) = failed.unwrap_or_default();
            LinState::Violated { key, explanation }
        }
    }
}
