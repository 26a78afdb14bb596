//! UI state as a `Reducible`: every button, key and animation frame becomes an `Action`; `reduce` turns it
//! into calls on the session (and through it, `World`'s public API) and recomputes the one `ClusterView`
//! that this frame draws. Components receive that view (an `Rc`) as props and never hold the world.

use crate::sim::config::Config;
use crate::sim::types::{ms, NodeId, Time};
use crate::sim::view::{ClusterView, TraceLine};
use crate::sim::world::command::Command;
use crate::ui::panels::Panels;
use crate::ui::session::{ScriptStep, Session, Stop};
use crate::ui::web;
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// The panel shown in the lower half of the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// Issue client operations and see their outcomes.
    Clients,
    /// Faults: partitions, links, disks, loss.
    Faults,
    /// Key-value state machines per node.
    State,
    /// The trace.
    Events,
    /// The 19 invariants.
    Invariants,
    /// Cluster configuration and lessons.
    Config,
}

impl Tab {
    /// Every tab, in display order.
    pub const ALL: [Tab; 6] = [Tab::Clients, Tab::Faults, Tab::State, Tab::Events, Tab::Invariants, Tab::Config];

    /// Label on the tab button.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Clients => "Clients",
            Tab::Faults => "Faults",
            Tab::State => "State machines",
            Tab::Events => "Event log",
            Tab::Invariants => "Invariants",
            Tab::Config => "Configure",
        }
    }

    /// Stable id for tests and ARIA.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Clients => "clients",
            Tab::Faults => "faults",
            Tab::State => "state",
            Tab::Events => "events",
            Tab::Invariants => "invariants-tab",
            Tab::Config => "config",
        }
    }
}

/// What the red/amber/blue strip under the toolbar says.
#[derive(Clone, Debug, PartialEq)]
pub enum Banner {
    /// Something the user asked for could not be done (bad URL, bad config, refused command).
    Error(String),
    /// An invariant broke; the run paused.
    Violation(String),
    /// Neutral news (a lesson loaded, a link copied).
    Info(String),
}

/// Selectable speeds: virtual milliseconds per real millisecond.
pub const SPEEDS: [f64; 12] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0, 200.0];
/// Index of the default speed (0.1×: a 10 ms network hop takes a tenth of a second to cross the screen).
pub const DEFAULT_SPEED_INDEX: usize = 3;
/// A frame may spend at most this long advancing the simulation; beyond it the run lags behind the speed.
pub const SIM_BUDGET_MS: f64 = 9.0;
/// Real time credited to one frame at most (after a hiccup or a hidden tab nothing jumps).
const FRAME_REAL_MS_MAX: f64 = 100.0;
/// "Next interesting event" gives up after this much virtual time.
const INTERESTING_LIMIT_US: Time = 30_000_000;
/// Write load generator rate, writes per virtual second.
pub const LOAD_RATE_PER_S: u64 = 40;

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

/// Everything the UI shows and every switch it has.
pub struct AppState {
    session: Rc<RefCell<Session>>,
    /// The view this frame draws (computed once per change).
    pub view: Rc<ClusterView>,
    /// The views the slower panels draw: the same as `view` except while playing, when they are refreshed a
    /// few at a time (see `panels.rs`).
    pub panels: Panels,
    /// The configuration the current world was built from.
    pub config: Rc<Config>,
    /// Whether time flows.
    pub playing: bool,
    /// Index into `SPEEDS`.
    pub speed_index: usize,
    /// The tab is hidden: the loop stops (no wasted CPU).
    pub hidden: bool,
    /// Banner under the toolbar.
    pub banner: Option<Banner>,
    /// Node whose action menu is open.
    pub selected_node: Option<NodeId>,
    /// Entry picked in the log view (the node menu offers to corrupt it).
    pub selected_entry: Option<crate::sim::types::Index>,
    /// Link (unordered pair, lower id first) whose menu is open.
    pub selected_link: Option<(NodeId, NodeId)>,
    /// Lower panel.
    pub tab: Tab,
    /// Dark theme.
    pub dark: bool,
    /// Large type for projectors.
    pub presenter: bool,
    /// No movement animations (also follows the OS setting).
    pub reduced_motion: bool,
    /// Keyboard help overlay.
    pub help_open: bool,
    /// The aria-live sentence.
    pub announcement: String,
    /// The simulation could not keep up with the chosen speed on the last frame.
    pub lagging: bool,
    /// Lesson title and narration.
    pub title: Option<String>,
    /// Lesson summary.
    pub summary: Option<String>,
    /// Newest narration line.
    pub narration: Option<String>,
    /// Write load running (writes per virtual second).
    pub load_rate: Option<u64>,
    /// Furthest virtual time reached (for the time slider).
    pub horizon_us: Time,
    /// Showing the past of a longer run.
    pub in_past: bool,
    /// `performance.now()` when this frame's work started (for `window.__logscopePerf`).
    pub frame_started_ms: Option<f64>,
    /// Milliseconds spent in the simulation during this frame.
    pub frame_sim_ms: f64,
    /// Bumped on every change, so equal-looking states still re-render.
    pub version: u64,
    /// Number of violations already announced (a new one pauses the run).
    violations_seen: usize,
    /// Sequence number of the newest trace line already announced.
    announced_seq: u64,
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
    /// Load a lesson or scenario: title, summary, config, seed, steps.
    LoadScript { title: String, summary: String, config: Config, seed: u64, steps: Vec<ScriptStep> },
    /// Start over with the same configuration, seed and script.
    Restart,
    /// Move the time slider.
    Seek(Time),
    /// Open or close a node's menu.
    SelectNode(Option<NodeId>),
    /// Pick an entry of a node's log (opens the node menu on it).
    SelectEntry(NodeId, crate::sim::types::Index),
    /// Open or close a link's menu.
    SelectLink(Option<(NodeId, NodeId)>),
    /// Show a lower panel.
    SetTab(Tab),
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
}

impl AppState {
    /// The state at page load: a default cluster, or the scenario in `#s=` (with an error banner and the
    /// default cluster if the fragment cannot be read).
    pub fn new(config: Config, seed: u64) -> AppState {
        let (session, banner) = match Session::new(config.clone(), seed) {
            Ok(s) => (s, None),
            Err(e) => (
                Session::new(Config::default(), seed).expect("the default config is valid"),
                Some(Banner::Error(format!("Could not build the cluster: {e}. Showing the default cluster."))),
            ),
        };
        let config = Rc::new(session.world().config().clone());
        let view = Rc::new(session.world().view());
        let mut state = AppState {
            session: Rc::new(RefCell::new(session)),
            panels: Panels::new(&view, 0.0),
            view,
            config,
            playing: false,
            speed_index: DEFAULT_SPEED_INDEX,
            hidden: false,
            banner,
            selected_node: None,
            selected_link: None,
            selected_entry: None,
            tab: Tab::Clients,
            dark: web::load_pref("logscope.dark")
                .map_or_else(|| web::media_matches("(prefers-color-scheme: dark)"), |v| v == "1"),
            presenter: web::load_pref("logscope.presenter").is_some_and(|v| v == "1"),
            reduced_motion: web::media_matches("(prefers-reduced-motion: reduce)"),
            help_open: false,
            announcement: String::new(),
            lagging: false,
            title: None,
            summary: None,
            narration: None,
            load_rate: None,
            horizon_us: 0,
            in_past: false,
            frame_started_ms: None,
            frame_sim_ms: 0.0,
            version: 0,
            violations_seen: 0,
            announced_seq: 0,
        };
        state.refresh();
        state
    }

    /// Virtual milliseconds per real millisecond.
    pub fn speed(&self) -> f64 {
        SPEEDS[self.speed_index.min(SPEEDS.len() - 1)]
    }

    /// The script of the session (for export: its narrations).
    pub fn script(&self) -> Vec<ScriptStep> {
        self.session.borrow().script().to_vec()
    }

    /// The seed of the current world.
    pub fn seed(&self) -> u64 {
        self.session.borrow().world().seed()
    }

    /// The script-free description of the session for export: config, seed and every recorded command.
    pub fn recorded(&self) -> (Config, u64, Vec<(Time, Command)>) {
        let session = self.session.borrow();
        let world = session.world();
        let commands = world.recorded_commands().iter().map(|c| (c.at_us, c.command.clone())).collect();
        (world.initial_config().clone(), world.seed(), commands)
    }

    /// Copies the small fields; the session is shared (it is the one mutable thing).
    fn next(&self) -> AppState {
        AppState {
            session: self.session.clone(),
            view: self.view.clone(),
            panels: self.panels.clone(),
            config: self.config.clone(),
            playing: self.playing,
            speed_index: self.speed_index,
            hidden: self.hidden,
            banner: self.banner.clone(),
            selected_node: self.selected_node,
            selected_link: self.selected_link,
            selected_entry: self.selected_entry,
            tab: self.tab,
            dark: self.dark,
            presenter: self.presenter,
            reduced_motion: self.reduced_motion,
            help_open: self.help_open,
            announcement: self.announcement.clone(),
            lagging: self.lagging,
            title: self.title.clone(),
            summary: self.summary.clone(),
            narration: self.narration.clone(),
            load_rate: self.load_rate,
            horizon_us: self.horizon_us,
            in_past: self.in_past,
            frame_started_ms: None,
            frame_sim_ms: 0.0,
            version: self.version.wrapping_add(1),
            violations_seen: self.violations_seen,
            announced_seq: self.announced_seq,
        }
    }

    /// Recomputes the view after the world changed, pauses on a new violation and picks the sentence to
    /// announce.
    fn refresh(&mut self) {
        let session = self.session.borrow();
        let view = session.world().view();
        self.horizon_us = session.horizon_us();
        self.in_past = session.in_past();
        self.narration = session.narration.clone();
        self.title = session.title.clone();
        self.summary = session.summary.clone();
        self.load_rate = session.load_rate();
        self.config = Rc::new(session.world().config().clone());
        drop(session);
        if view.violations.len() > self.violations_seen {
            let first_new = &view.violations[self.violations_seen];
            self.banner = Some(Banner::Violation(format!(
                "Invariant broken — {}. The run is paused; see the Invariants panel.",
                first_new.describe()
            )));
            self.announcement = format!("Invariant {} broken. Paused.", first_new.invariant.code());
            self.playing = false;
            self.tab = crate::ui::state::Tab::Invariants;
        } else if let Some(line) = newest_interesting(&view.trace, self.announced_seq) {
            self.announcement = line.text.clone();
            self.announced_seq = line.seq;
        }
        self.violations_seen = view.violations.len();
        self.view = Rc::new(view);
        self.panels.refresh(&self.view, web::now_ms(), !self.playing);
    }

    fn replace_session(&mut self, session: Session) {
        self.session = Rc::new(RefCell::new(session));
        self.violations_seen = 0;
        self.announced_seq = 0;
        self.selected_node = None;
        self.selected_link = None;
    }

    fn show_result(&mut self, result: Result<(), String>) {
        if let Err(e) = result {
            self.banner = Some(Banner::Error(e));
        }
    }
}

/// The newest interesting trace line after `after_seq`, if any.
fn newest_interesting(trace: &[TraceLine], after_seq: u64) -> Option<&TraceLine> {
    trace.iter().rev().take_while(|l| l.seq > after_seq).find(|l| l.interesting)
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = self.next();
        match action {
            Action::Tick { real_ms } => {
                if !self.playing || self.hidden {
                    return self;
                }
                let started = web::now_ms();
                let advance_us = (real_ms.clamp(0.0, FRAME_REAL_MS_MAX) * self.speed() * 1000.0) as Time;
                let target = self.view.time_us.saturating_add(advance_us.max(1));
                let deadline = started + SIM_BUDGET_MS;
                let out_of_time = || web::now_ms() > deadline;
                let stop = self.session.borrow_mut().advance(target, &out_of_time);
                next.lagging = stop == Stop::OutOfBudget;
                match stop {
                    Stop::ScriptPause => next.playing = false,
                    Stop::ScriptError(e) => {
                        next.playing = false;
                        next.banner = Some(Banner::Error(e));
                    }
                    Stop::Reached | Stop::OutOfBudget => {}
                }
                next.refresh();
                next.frame_started_ms = Some(started);
                next.frame_sim_ms = web::now_ms() - started;
            }
            Action::TogglePlay => {
                next.playing = !self.playing;
                next.panels.refresh(&self.view, web::now_ms(), true);
                next.lagging = false;
                if next.playing && matches!(next.banner, Some(Banner::Violation(_))) {
                    next.banner = None;
                }
            }
            Action::Pause => {
                next.playing = false;
                next.panels.refresh(&self.view, web::now_ms(), true);
            }
            Action::Step => {
                next.playing = false;
                let result = self.session.borrow_mut().step().map(|_| ());
                next.show_result(result);
                next.refresh();
            }
            Action::NextInteresting => {
                next.playing = false;
                let result = self.session.borrow_mut().next_interesting(INTERESTING_LIMIT_US).map(|_| ());
                next.show_result(result);
                next.refresh();
            }
            Action::SetSpeed(index) => next.speed_index = index.min(SPEEDS.len() - 1),
            Action::Command(command) => {
                let result = self.session.borrow_mut().apply(command);
                next.show_result(result);
                next.refresh();
            }
            Action::Commands(commands) => {
                for command in commands {
                    let result = self.session.borrow_mut().apply(command);
                    next.show_result(result);
                }
                next.refresh();
            }
            Action::Rebuild { config, seed } => match Session::new(config, seed) {
                Ok(session) => {
                    next.replace_session(session);
                    next.banner = None;
                    next.playing = false;
                    next.refresh();
                }
                Err(e) => next.banner = Some(Banner::Error(format!("Configuration not applied: {e}"))),
            },
            Action::LoadScript { title, summary, config, seed, steps } => match Session::new(config, seed) {
                Ok(mut session) => {
                    session.title = Some(title.clone());
                    session.summary = Some(summary);
                    session.set_script(steps);
                    next.replace_session(session);
                    next.banner = Some(Banner::Info(format!("Loaded “{title}”. Press Play (Space) to run it.")));
                    next.playing = false;
                    next.refresh();
                }
                Err(e) => next.banner = Some(Banner::Error(format!("Scenario “{title}” not loaded: {e}"))),
            },
            Action::Restart => {
                let (title, summary, script, config, seed) = {
                    let s = self.session.borrow();
                    (
                        s.title.clone(),
                        s.summary.clone(),
                        s.script().to_vec(),
                        s.world().config().clone(),
                        s.world().seed(),
                    )
                };
                match Session::new(config, seed) {
                    Ok(mut session) => {
                        session.title = title;
                        session.summary = summary;
                        session.set_script(script);
                        next.replace_session(session);
                        next.playing = false;
                        next.banner = None;
                        next.refresh();
                    }
                    Err(e) => next.banner = Some(Banner::Error(e)),
                }
            }
            Action::Seek(time_us) => {
                next.playing = false;
                let result = self.session.borrow_mut().seek(time_us);
                next.show_result(result);
                // Violations before the new position were already seen; later ones will be seen again.
                next.violations_seen = next.violations_seen.min(self.session.borrow().world().violations().len());
                next.refresh();
            }
            Action::SelectNode(node) => {
                next.selected_node = node;
                next.selected_entry = None;
                next.selected_link = None;
            }
            Action::SelectEntry(node, index) => {
                next.selected_node = Some(node);
                next.selected_entry = Some(index);
                next.selected_link = None;
            }
            Action::SelectLink(link) => {
                next.selected_link = link;
                next.selected_entry = None;
                next.selected_node = None;
            }
            Action::SetTab(tab) => next.tab = tab,
            Action::Help(open) => next.help_open = open.unwrap_or(!self.help_open),
            Action::ToggleDark => {
                next.dark = !self.dark;
                web::save_pref("logscope.dark", if next.dark { "1" } else { "0" });
            }
            Action::TogglePresenter => {
                next.presenter = !self.presenter;
                web::save_pref("logscope.presenter", if next.presenter { "1" } else { "0" });
            }
            Action::ToggleReducedMotion => next.reduced_motion = !self.reduced_motion,
            Action::SetHidden(hidden) => next.hidden = hidden,
            Action::DismissBanner => next.banner = None,
            Action::ShowBanner(banner) => next.banner = Some(banner),
            Action::SetLoad(on) => {
                self.session.borrow_mut().set_load(on.then_some(LOAD_RATE_PER_S));
                next.refresh();
            }
        }
        Rc::new(next)
    }
}

/// Milliseconds → clock units, re-exported for components that build commands.
pub fn ms_to_us(value_ms: u64) -> Time {
    ms(value_ms)
}
