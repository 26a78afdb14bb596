//! UI state as a `Reducible` (Yew's todomvc shape): every button, key and animation frame becomes an
//! `Action`, and `reduce` turns it into calls on the session's player and a new state. The state is split
//! by job — the session (`session.rs`: the core's player and its transport), the viewer's preferences
//! (`preferences.rs`), what the viewer picked (`selection.rs`), the banner (`banner.rs`), the screen
//! reader's sentence (`announcer.rs`) — and `reduce` has no effect on the page: saving preferences, the
//! theme classes, the share link in the URL and the test hooks are the app's effects (`app.rs`).

use crate::sim::config::Config;
use crate::sim::scenario::authoring::{same_claim_now, step, Added};
use crate::sim::scenario::player::{Player, Stop};
use crate::sim::scenario::Scenario;
use crate::sim::types::{Index, NodeId, Time};
use crate::sim::world::command::{Command, WriteMix};
use crate::ui::announcer::{Announcer, News};
use crate::ui::lesson_list::LESSONS;
use crate::ui::live_check::{CHECK_BUDGET_MS, CHECK_STEPS_PER_FRAME, PAUSED_BUDGET_MS, PAUSED_STEPS};
use crate::ui::panels::Panels;
use crate::ui::preferences::Preferences;
use crate::ui::progress::Progress;
use crate::ui::selection::{Selection, Tab};
use crate::ui::session::{Lesson, Session};
use crate::ui::story::tab_of;
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
    /// The front door (the course's table of contents) covers the page.
    pub front: bool,
    /// Lessons finished and questions answered, as this browser remembers them.
    pub progress: Rc<Progress>,
    /// The lesson recorder is open, with the steps the teacher added (`sim::scenario::authoring`).
    pub recorder: Option<Rc<Vec<Added>>>,
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
    /// Open lesson `index` of the course index with its parsed file.
    OpenLesson(usize, Box<Scenario>),
    /// Exactly one event back (`←`).
    StepBack,
    /// Back to the previous narration or question (`Shift+←`, the Back button).
    PreviousStop,
    /// On to the next narration or question (`Shift+→`), or the lesson's end.
    NextStop,
    /// Put back the run the last change of the past replaced.
    UndoFork,
    /// The student's answer to the question of a step (`None`: skipped); the run goes on.
    Answer(usize, Option<usize>),
    /// "Explore from here": the lesson's end no longer stops the run, which plays on.
    Explore,
    /// Show or hide the front door.
    FrontDoor(bool),
    /// Open (keeping the steps added so far) or close the lesson recorder.
    Recorder(bool),
    /// The recorder adds a step of this kind (`narrate`, `expect`, `predict`) with this body at the current
    /// time (moved on to a whole millisecond, as a file counts time; an expectation is re-read there).
    Author(&'static str, serde_json::Value),
}

impl AppState {
    /// The state at page load: a paused world built from `config` and `seed`, with the viewer's preferences
    /// (a broken config falls back to the default one, with a banner saying so).
    pub fn new(config: Config, seed: u64, preferences: Preferences, progress: Progress) -> AppState {
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
            front: false,
            progress: Rc::new(progress),
            recorder: None,
        };
        state.reread();
        state
    }

    /// Reads the player after it changed: a new view for this frame and the panels, a pause on a new
    /// violation, the sentence to announce.
    fn reread(&mut self) {
        let (told, fork) = (self.told(), self.session.reading.fork);
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
        // After the violation's tab: what the lesson points at wins.
        self.follow_story(told, fork);
        self.panels.refresh(&view, web::now_ms(), !self.session.playing);
    }

    /// The step of the narration on screen.
    fn told(&self) -> Option<usize> {
        self.session.reading.story.narration.as_ref().map(|n| n.0)
    }

    /// After the player moved: a new narration brings its focus into view, a new change of the past says so
    /// (with undo), the lesson's end is remembered as progress.
    fn follow_story(&mut self, told: Option<usize>, fork: Option<crate::sim::scenario::player::Fork>) {
        let reading = &self.session.reading;
        if let Some((_, narration)) = reading.story.narration.as_ref().filter(|n| Some(n.0) != told) {
            let focus = narration.focus.unwrap_or_default();
            if let Some(tab) = focus.tab {
                // In presenter mode the log panel has the room: the lesson's tab is chosen in the folded tab bar,
                // and a click unfolds it (projector.spec: every row visible, entries ≥ 16 px).
                if self.preferences.presenter && self.selection.panel_hidden {
                    self.selection.tab = tab_of(tab);
                } else {
                    self.selection.show_tab(tab_of(tab));
                }
            }
            self.selection.spotlight = focus.node;
        }
        if reading.fork.is_some() && reading.fork != fork {
            self.banner = Some(Banner::Fork(
                "You changed the past: the rest of the run is replaced by what follows from here.".into(),
            ));
        } else if reading.fork.is_none() && matches!(self.banner, Some(Banner::Fork(_))) {
            self.banner = None;
        }
        let finished = self.session.lesson.as_ref().and_then(|l| l.index).filter(|_| reading.at_end);
        if let Some(lesson) = finished.and_then(|i| LESSONS.get(i)) {
            if !self.progress.is_finished(lesson.file) {
                Rc::make_mut(&mut self.progress).finish(lesson.file);
            }
        }
    }

    /// Loads a scenario as the lesson on screen (`index`: its place in the course index).
    fn load(&mut self, scenario: &Scenario, index: Option<usize>) {
        match Player::from_scenario(scenario) {
            Ok(player) => {
                let lesson = Lesson { title: scenario.name.clone(), summary: scenario.summary.clone(), index };
                self.replace_session(Session::new(player, Some(lesson)));
                self.banner = None;
                self.front = false;
                // The lesson opens the panels it needs; the one it was picked from steps aside.
                if self.selection.tab == Tab::Config {
                    self.selection.tab = Tab::Clients;
                }
                // In front of a class the lesson gets the room.
                self.selection.panel_hidden |= self.preferences.presenter;
            }
            Err(e) => self.banner = Some(Banner::Error(format!("Scenario “{}” not loaded: {e}", scenario.name))),
        }
    }

    /// Moves the player in time (a seek, a step back) and reads it again: violations before the new
    /// position were already seen, later ones will be seen again.
    fn travel(&mut self, go: impl FnOnce(&mut Player)) {
        self.session.playing = false;
        go(&mut self.session.drive());
        self.announcer.rewind(self.session.player().world().violations().len());
        self.reread();
    }

    /// While paused no frame runs the check: search a bounded while now, so the LIN chip settles.
    fn settle_check(&mut self) {
        self.session.follow_check(web::now_ms(), PAUSED_STEPS, PAUSED_BUDGET_MS, false);
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

    /// Puts a new session on screen (a rebuild, a lesson, a restart): paused, menus closed, nothing heard.
    fn replace_session(&mut self, mut session: Session) {
        session.hidden = self.session.hidden;
        self.session = session;
        // The recorder's steps belonged to the session replaced (their times and places are its own).
        if let Some(steps) = self.recorder.as_mut() {
            *steps = Rc::default();
        }
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
            Action::LoadScenario(scenario) => next.load(&scenario, None),
            Action::OpenLesson(index, scenario) => next.load(&scenario, Some(index)),
            Action::Restart => {
                next.replace_session(self.session.restarted());
                next.banner = None;
            }
            Action::Seek(time_us) => next.travel(|p| p.seek(time_us)),
            Action::StepBack => next.travel(|p| {
                p.step_back();
            }),
            Action::PreviousStop => next.travel(|p| {
                if let Some(at) = p.previous_stop() {
                    p.seek(at);
                }
            }),
            Action::NextStop => {
                let player = next.session.player();
                let target = player.next_stop().or(player.end_us()).filter(|&t| t > player.world().now());
                let beyond = target.filter(|&t| t > player.horizon_us());
                drop(player);
                match (target, beyond) {
                    (Some(t), None) => next.travel(|p| p.seek(t)),
                    (_, Some(t)) => {
                        next.session.playing = false;
                        let deadline = web::now_ms() + 10.0 * SIM_BUDGET_MS;
                        let stop = next.session.drive().advance(t, &|| web::now_ms() > deadline);
                        next.after_stop(stop);
                        next.reread();
                    }
                    _ => {}
                }
            }
            Action::UndoFork => {
                next.session.drive().undo_fork();
                next.announcer.rewind(next.session.player().world().violations().len());
                next.reread();
            }
            Action::Answer(step, choice) => {
                if next.session.answer(step).is_none() {
                    Rc::make_mut(&mut next.session.answers).push((step, choice));
                }
                let lesson = next.session.lesson.as_ref().and_then(|l| l.index).and_then(|i| LESSONS.get(i));
                if let (Some(lesson), Some(_)) = (lesson, choice) {
                    Rc::make_mut(&mut next.progress).answer(&format!("{}#{step}", lesson.file));
                }
                next.session.playing = true;
            }
            Action::Explore => {
                next.session.drive().lift_end();
                next.session.playing = true;
                next.reread();
            }
            Action::Recorder(open) => next.recorder = open.then(|| self.recorder.clone().unwrap_or_default()),
            Action::Author(kind, body) => {
                next.session.playing = false;
                let now = next.session.player().world().now();
                let at_ms = now.div_ceil(1000);
                if !now.is_multiple_of(1000) {
                    let stop = next.session.drive().advance(at_ms * 1000, &|| false);
                    next.after_stop(stop);
                    next.reread();
                }
                let body = match kind {
                    "expect" => same_claim_now(&body, &next.session.reading.view).unwrap_or(body),
                    _ => body,
                };
                let before = next.session.player().world().recorded_commands().len();
                if let Some(steps) = next.recorder.as_mut() {
                    Rc::make_mut(steps).push((before, step(at_ms, kind, body)));
                }
            }
            Action::FrontDoor(open) => {
                next.front = open;
                next.session.playing &= !open;
            }
            Action::SelectNode(node) => {
                next.selection.pick_node(node);
                next.selection.spotlight = None;
            }
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
