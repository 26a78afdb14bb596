//! The lesson or session on screen: the core's scenario player (`sim::scenario::player`, the same one the
//! CLI plays files with), the lesson's title and summary, the student's answers, whether time flows, and what the UI last read
//! from the player. No markup and no browser calls here: the reducer drives it, components draw what it
//! read.

use crate::sim::config::Config;
use crate::sim::scenario::player::{Fork, Player};
use crate::sim::types::Time;
use crate::sim::view::ClusterView;
use crate::ui::live_check::{LinSnapshot, LiveCheck};
use crate::ui::story::Story;
use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

/// Title and summary of the lesson or scenario that was loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The scenario's name.
    pub title: String,
    /// Its one-paragraph summary.
    pub summary: String,
    /// Its place in the course index (`lesson_list::LESSONS`), if it came from there.
    pub index: Option<usize>,
}

/// What the UI read from the player after the last change (recomputed once per change, shared by `Rc`).
#[derive(Clone)]
pub struct Reading {
    /// The view this frame draws.
    pub view: Rc<ClusterView>,
    /// The configuration in force (live commands change some knobs).
    pub config: Rc<Config>,
    /// The seed of the world.
    pub seed: u64,
    /// What the lesson tells at this position: narration, question, expectations.
    pub story: Rc<Story>,
    /// Where the lesson ends (`None`: free play, or explored past its end).
    pub end_us: Option<Time>,
    /// The clock has reached the lesson's end.
    pub at_end: bool,
    /// The last change of the past, while it can be undone.
    pub fork: Option<Fork>,
    /// The furthest virtual time reached (the time slider's end).
    pub horizon_us: u64,
    /// Showing the past of a longer run.
    pub in_past: bool,
    /// Write load running (writes per virtual second).
    pub load_rate: Option<u64>,
}

impl Reading {
    fn of(player: &Player, previous: Option<&Rc<Story>>) -> Reading {
        let world = player.world();
        Reading {
            story: Story::of(player, previous),
            end_us: player.end_us(),
            at_end: player.at_end(),
            fork: player.last_fork(),
            view: Rc::new(world.view()),
            config: Rc::new(world.config().clone()),
            seed: world.seed(),
            horizon_us: player.horizon_us(),
            in_past: player.in_past(),
            load_rate: player.load_rate(),
        }
    }
}

/// The player on screen and its transport state.
#[derive(Clone)]
pub struct Session {
    /// The one mutable thing of the UI: states share it, so an `AppState` clone is cheap.
    player: Rc<RefCell<Player>>,
    /// The lesson that was loaded, if any.
    pub lesson: Option<Lesson>,
    /// Time flows.
    pub playing: bool,
    /// The page is hidden (another tab in front): the loop stops, wasting no CPU.
    pub hidden: bool,
    /// The simulation could not keep up with the chosen speed on the last frame.
    pub lagging: bool,
    /// What was read from the player after the last change.
    pub reading: Reading,
    /// The student's answers to this run's questions, by step (`None`: skipped).
    pub answers: Rc<Vec<(usize, Option<usize>)>>,
    /// The linearizability check following this session's client history (shared like the player).
    check: Rc<RefCell<LiveCheck>>,
    /// What the check showed after the last change: the LIN chip's state and the history tab's picture.
    pub lin: Rc<LinSnapshot>,
}

impl Session {
    /// A paused session around `player`.
    pub fn new(player: Player, lesson: Option<Lesson>) -> Session {
        let reading = Reading::of(&player, None);
        let check = LiveCheck::new();
        let lin = check.snapshot();
        Session {
            player: Rc::new(RefCell::new(player)),
            lesson,
            playing: false,
            hidden: false,
            lagging: false,
            reading,
            answers: Rc::default(),
            check: Rc::new(RefCell::new(check)),
            lin,
        }
    }

    /// The player, to read.
    pub fn player(&self) -> Ref<'_, Player> {
        self.player.borrow()
    }

    /// The player, to drive (the reducer only); call [`Session::reread`] afterwards.
    pub fn drive(&self) -> RefMut<'_, Player> {
        self.player.borrow_mut()
    }

    /// Reads the player again after it changed.
    pub fn reread(&mut self) {
        self.reading = Reading::of(&self.player.borrow(), Some(&self.reading.story));
    }

    /// Brings the live check up to date with the player's history and searches at most `steps` steps and
    /// `budget_ms` (see `live_check.rs`); `finish` searches until the verdict instead (the Check button).
    pub fn follow_check(&mut self, now_ms: f64, steps: u64, budget_ms: f64, finish: bool) {
        let mut check = self.check.borrow_mut();
        {
            let player = self.player.borrow();
            check.follow(player.world(), player.in_past(), now_ms, self.playing, steps, budget_ms);
        }
        if finish {
            check.finish(now_ms);
        }
        self.lin = check.snapshot();
    }

    /// The same lesson from time zero, paused, stopping at its end again, its questions unanswered (the
    /// hidden flag is the page's, so it is kept).
    pub fn restarted(&self) -> Session {
        Session { hidden: self.hidden, ..Session::new(self.player.borrow().restarted(), self.lesson.clone()) }
    }

    /// The answer given to the question of step `step`, if any (`Some(None)`: skipped).
    pub fn answer(&self, step: usize) -> Option<Option<usize>> {
        self.answers.iter().find(|(s, _)| *s == step).map(|(_, a)| *a)
    }

    /// Whether the animation loop should run.
    pub fn running(&self) -> bool {
        self.playing && !self.hidden
    }
}
