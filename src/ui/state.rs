//! UI state as a `Reducible` (Yew's todomvc shape): every button, key and animation frame becomes an
//! `Action`, and `reduce` turns it into calls on the session's player and a new state. The state is split
//! by job — the session (`session.rs`: the core's player and its transport), the viewer's preferences
//! (`preferences.rs`), what the viewer picked (`selection.rs`), the banner (`banner.rs`), the screen
//! reader's sentence (`announcer.rs`) — and `reduce` has no effect on the page: saving preferences, the
//! theme classes, the share link in the URL and the test hooks are the app's effects (`app.rs`).

use crate::sim::config::Config;
use crate::sim::scenario::player::{Player, Stop};
use crate::sim::scenario::Scenario;
use crate::sim::types::{Index, NodeId, Time};
use crate::sim::world::command::{Command, WriteMix};
use crate::ui::announcer::{Announcer, News};
use crate::ui::live_check::{CHECK_BUDGET_MS, CHECK_STEPS_PER_FRAME, PAUSED_BUDGET_MS, PAUSED_STEPS};
use crate::ui::panels::Panels;
use crate::ui::preferences::Preferences;
use crate::ui::selection::{Selection, Tab};
use crate::ui::session::{Lesson, Session};
use crate::ui::web;
use std::rc::Rc;
use yew::Reducible;

/// Re-exported: the forms name the banner type from here.
pub use crate::ui::banner::Banner;

/// A frame may spend at most this long advancing the simulation; beyond it the run lags behind the speed.
pub const SIM_BUDGET_MS: f64 = 9.0;
/// Real time credited to one frame at most (after a hiccup or a hidden tab nothing jumps).
const FRAME_REAL_MS_MAX: f64 = 100.0;
/// "Next interesting event" gives up after this much virtual time.
const INTERESTING_LIMIT_US: Time = 30_000_000;
/// Write load generator rate, writes per virtual second.
pub const LOAD_RATE_PER_S: u64 = 40;
/// The write load's mix when mixed (the Clients tab's menu): mostly puts, with reads, compare-and-sets and
/// appends, so the history tab has every kind of operation to draw and check.
pub const MIXED_LOAD: WriteMix = WriteMix { put: 6, get: 2, cas: 1, append: 1 };

/// An `Rc` compared by identity: props holding one change only when a new value was made, so a component
/// given the same view twice skips its render without comparing the whole view.
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What one animation frame cost, for `window.__logscopePerf` (recorded by the app after the render).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameCost {
    /// `performance.now()` when the frame's work started.
    pub started_ms: f64,
    /// Milliseconds spent in the simulation and the view.
    pub sim_ms: f64,
    /// Milliseconds of those spent on the live linearizability check.
    pub check_ms: f64,
}

/// Everything the UI shows and every switch it has.
#[derive(Clone)]
pub struct AppState {
    /// The lesson or session: the core's player and its transport.
    pub session: Session,
    /// The views the slower panels draw: the session's view, except while playing, when they are refreshed
    /// a few at a time (see `panels.rs`).
    pub panels: Panels,
    /// Speed, theme, presenter mode, motion.
    pub preferences: Preferences,
    /// Open menus, the tab, the help overlay.
    pub selection: Selection,
    /// The strip under the toolbar.
    pub banner: Option<Banner>,
    /// The aria-live sentence.
    pub announcer: Announcer,
    /// Set by the frame that advanced the simulation.
    pub frame: Option<FrameCost>,
}

/// Everything that can happen to the UI.
pub enum Action {
    /// An animation frame: `real_ms` of wall time passed.
    Tick { real_ms: f64 },
    /// Play or pause.
    TogglePlay,
    /// Pause (e.g. a menu wants a still picture).
    Pause,
    /// Process one event.
    Step,
    /// Run until the next interesting event.
    NextInteresting,
    /// Choose a speed (index into `SPEEDS`).
    SetSpeed(usize),
    /// A command for the world (from a button, a menu, a form).
    Command(Command),
    /// Several commands at once (e.g. cut both directions of a link).
    Commands(Vec<Command>),
    /// Rebuild the world from a configuration and seed.
    Rebuild { config: Config, seed: u64 },
    /// Load a lesson or scenario (a file, a share link, an import).
    LoadScenario(Box<Scenario>),
    /// Start over with the same configuration, seed and script.
    Restart,
    /// Move the time slider.
    Seek(Time),
    /// Open or close a node's menu.
    SelectNode(Option<NodeId>),
    /// Pick an entry of a node's log (opens the node menu on it).
    SelectEntry(NodeId, Index),
    /// Open or close a link's menu.
    SelectLink(Option<(NodeId, NodeId)>),
    /// Show a lower panel.
    SetTab(Tab),
    /// Fold the lower panel to its tab bar, or unfold it.
    TogglePanel,
    /// Show or hide help (`None` toggles).
    Help(Option<bool>),
    /// Light/dark.
    ToggleDark,
    /// Presenter mode.
    TogglePresenter,
    /// Reduced motion.
    ToggleReducedMotion,
    /// The page became hidden or visible.
    SetHidden(bool),
    /// Close the banner.
    DismissBanner,
    /// Show a banner.
    ShowBanner(Banner),
    /// Start or stop the write load.
    SetLoad(bool),
    /// Choose the write load's mix (puts only, or mixed); a running load switches to it.
    SetLoadMix(bool),
    /// Run the linearizability check to its verdict now (the history tab's Check button).
    CheckHistory,
}

impl AppState {
    /// The state at page load: a paused world built from `config` and `seed`, with the viewer's preferences
    /// (a broken config falls back to the default one, with a banner saying so).
    pub fn new(config: Config, seed: u64, preferences: Preferences) -> AppState {
        let (player, banner) = match Player::new(config, seed) {
            Ok(player) => (player, None),
            Err(e) => (
                Player::new(Config::default(), seed).expect("the default config is valid"),
                Some(Banner::Error(format!("Could not build the cluster: {e}. Showing the default cluster."))),
            ),
        };
        let session = Session::new(player, None);
        let mut state = AppState {
            panels: Panels::new(&session.reading.view, 0.0),
            session,
            preferences,
            selection: Selection { panel_hidden: preferences.presenter, ..Selection::default() },
            banner,
            announcer: Announcer::default(),
            frame: None,
        };
        state.reread();
        state
    }

    /// Reads the player after it changed: a new view for this frame and the panels, a pause on a new
    /// violation, the sentence to announce.
    fn reread(&mut self) {
        self.session.reread();
        if !self.session.playing {
            self.settle_check();
        }
        let view = self.session.reading.view.clone();
        if let News::Violation(first_new) = self.announcer.hear(&view) {
            self.banner = Some(Banner::Violation(format!(
                "Invariant broken — {}. The run is paused; see the Invariants panel.",
                first_new.describe()
            )));
            self.session.playing = false;
            self.selection.show_tab(Tab::Invariants);
        }
        self.panels.refresh(&view, web::now_ms(), !self.session.playing);
    }

    /// While paused no frame runs the check: search a bounded while now, so the LIN chip settles.
    fn settle_check(&mut self) {
        self.session.follow_check(web::now_ms(), PAUSED_STEPS, PAUSED_BUDGET_MS, false);
    }

    /// Puts a new session on screen (a rebuild, a lesson, a restart): paused, menus closed, nothing heard.
    fn replace_session(&mut self, mut session: Session) {
        session.hidden = self.session.hidden;
        self.session = session;
        self.announcer = Announcer::default();
        self.selection.close_menus();
        self.reread();
    }

    /// Shows a refused command (a click, or a scenario step) in the banner; the run goes on.
    fn show_refusal(&mut self, result: Result<(), String>) {
        if let Err(e) = result {
            self.banner = Some(Banner::Error(e));
        }
    }

    /// Reacts to why the player stopped: a paused narration stops the clock, a refused scenario step is
    /// shown while the run goes on.
    fn after_stop(&mut self, stop: Stop) {
        match stop {
            Stop::Paused | Stop::Ended => self.session.playing = false,
            Stop::Refused(refusal) => {
                self.banner = Some(Banner::Error(format!(
                    "A step of the scenario was refused — {refusal}. The run goes on without it."
                )))
            }
            Stop::Reached | Stop::OutOfBudget | Stop::Idle => {}
        }
    }

    /// Starts the write load (with the chosen mix) or stops it.
    fn set_load(&mut self, on: bool) {
        let result = if on && self.selection.load_mixed {
            let command = Command::SetWriteLoad { per_second: LOAD_RATE_PER_S, mix: Some(MIXED_LOAD) };
            self.session.drive().apply(command)
        } else {
            self.session.drive().set_load(on.then_some(LOAD_RATE_PER_S))
        };
        self.show_refusal(result);
        self.reread();
    }

    /// One animation frame: advance the player by the frame's real time times the speed, within the budget.
    fn tick(&mut self, real_ms: f64) {
        let started = web::now_ms();
        let advance_us = (real_ms.clamp(0.0, FRAME_REAL_MS_MAX) * self.preferences.speed() * 1000.0) as Time;
        let target = self.session.reading.view.time_us.saturating_add(advance_us.max(1));
        let deadline = started + SIM_BUDGET_MS;
        let stop = self.session.drive().advance(target, &|| web::now_ms() > deadline);
        self.session.lagging = stop == Stop::OutOfBudget;
        self.after_stop(stop);
        let checked = web::now_ms();
        self.session.follow_check(checked, CHECK_STEPS_PER_FRAME, CHECK_BUDGET_MS, false);
        let check_ms = web::now_ms() - checked;
        self.reread();
        self.frame = Some(FrameCost { started_ms: started, sim_ms: web::now_ms() - started, check_ms });
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if matches!(action, Action::Tick { .. }) && !self.session.running() {
            return self;
        }
        let mut next = (*self).clone();
        next.frame = None;
        match action {
            Action::Tick { real_ms } => next.tick(real_ms),
            Action::TogglePlay => {
                next.session.playing = !self.session.playing;
                next.session.lagging = false;
                next.panels.refresh(&self.session.reading.view, web::now_ms(), true);
                if next.session.playing && matches!(next.banner, Some(Banner::Violation(_))) {
                    next.banner = None;
                }
                if !next.session.playing {
                    next.settle_check();
                }
            }
            Action::Pause => {
                next.session.playing = false;
                next.panels.refresh(&self.session.reading.view, web::now_ms(), true);
                next.settle_check();
            }
            Action::Step => {
                next.session.playing = false;
                let stop = next.session.drive().step_forward();
                next.after_stop(stop);
                next.reread();
            }
            Action::NextInteresting => {
                next.session.playing = false;
                let stop = next.session.drive().next_interesting(INTERESTING_LIMIT_US);
                next.after_stop(stop);
                next.reread();
            }
            Action::SetSpeed(index) => next.preferences = self.preferences.with_speed(index),
            Action::Command(command) => {
                let result = next.session.drive().apply(command);
                next.show_refusal(result);
                next.reread();
            }
            Action::Commands(commands) => {
                for command in commands {
                    let result = next.session.drive().apply(command);
                    next.show_refusal(result);
                }
                next.reread();
            }
            Action::Rebuild { config, seed } => match Player::new(config, seed) {
                Ok(player) => {
                    next.replace_session(Session::new(player, None));
                    next.banner = None;
                }
                Err(e) => next.banner = Some(Banner::Error(format!("Configuration not applied: {e}"))),
            },
            Action::LoadScenario(scenario) => match Player::from_scenario(&scenario).map(Session::lesson_player) {
                Ok(player) => {
                    let lesson = Lesson { title: scenario.name.clone(), summary: scenario.summary.clone() };
                    next.replace_session(Session::new(player, Some(lesson)));
                    next.banner =
                        Some(Banner::Info(format!("Loaded “{}”. Press Play (Space) to run it.", scenario.name)));
                    // In front of a class the lesson gets the room: the panel it was picked from folds away.
                    next.selection.panel_hidden |= next.preferences.presenter;
                }
                Err(e) => next.banner = Some(Banner::Error(format!("Scenario “{}” not loaded: {e}", scenario.name))),
            },
            Action::Restart => {
                next.replace_session(self.session.restarted());
                next.banner = None;
            }
            Action::Seek(time_us) => {
                next.session.playing = false;
                next.session.drive().seek(time_us);
                // Violations before the new position were already seen; later ones will be seen again.
                next.announcer.rewind(next.session.player().world().violations().len());
                next.reread();
            }
            Action::SelectNode(node) => next.selection.pick_node(node),
            Action::SelectEntry(node, index) => next.selection.pick_entry(node, index),
            Action::SelectLink(link) => next.selection.pick_link(link),
            Action::SetTab(tab) => next.selection.show_tab(tab),
            Action::TogglePanel => next.selection.panel_hidden = !self.selection.panel_hidden,
            Action::Help(open) => next.selection.help_open = open.unwrap_or(!self.selection.help_open),
            Action::ToggleDark => next.preferences.dark = !self.preferences.dark,
            Action::TogglePresenter => {
                next.preferences.presenter = !self.preferences.presenter;
                // Presenter mode gives the room to the drawing; leaving it brings the panel back.
                next.selection.panel_hidden = next.preferences.presenter;
            }
            Action::ToggleReducedMotion => next.preferences.reduced_motion = !self.preferences.reduced_motion,
            Action::SetHidden(hidden) => next.session.hidden = hidden,
            Action::DismissBanner => next.banner = None,
            Action::ShowBanner(banner) => next.banner = Some(banner),
            Action::CheckHistory => next.session.follow_check(web::now_ms(), 0, 0.0, true),
            Action::SetLoad(on) => next.set_load(on),
            Action::SetLoadMix(mixed) => {
                next.selection.load_mixed = mixed;
                if self.session.reading.load_rate.is_some() {
                    next.set_load(true);
                }
            }
        }
        Rc::new(next)
    }
}
