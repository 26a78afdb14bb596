//! What the lesson tells at the player's position, read once per change of the script's cursor: the
//! narration (with its speaker note and focus), the open question, and every `expect` step with its outcome
//! if it has run there. It is all the core player's (`current_narration`, `current_question`, `outcomes`):
//! the UI only copies it out so that the components can compare props cheaply. No markup here.

use crate::sim::scenario::lesson::{FocusTab, Narration, Predict};
use crate::sim::scenario::player::Player;
use crate::sim::scenario::StepKind;
use crate::sim::types::{ms, Time};
use crate::ui::selection::Tab;
use std::rc::Rc;

/// An `expect` step of the script: where it sits on the time line and, once it has run, how it came out.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// Its index in the script.
    pub step: usize,
    /// Its time.
    pub at_ms: u64,
    /// `Some(true)` held, `Some(false)` failed, `None` not run at the player's position.
    pub held: Option<bool>,
    /// The claim in words, or what was seen instead when it failed.
    pub text: String,
}

/// The question on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    /// Its index in the script (answers are kept by it).
    pub step: usize,
    /// The question, its choices, answer and explanation.
    pub predict: Predict,
    /// When its explanation may show.
    pub reveal_us: Time,
}

/// The story at one script cursor.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Story {
    /// How many steps had run (the story changes only when this does).
    pub cursor: usize,
    /// The narration on screen and its step.
    pub narration: Option<(usize, Narration)>,
    /// The open question.
    pub question: Option<Asked>,
    /// Every `expect` step, in time order.
    pub checks: Vec<Check>,
    /// Time of the narration or question on screen, whichever is newer (0 before either).
    pub since_ms: u64,
}

impl Story {
    /// The story at the player's position; `previous` is reused when the cursor has not moved.
    pub fn of(player: &Player, previous: Option<&Rc<Story>>) -> Rc<Story> {
        let cursor = player.script_cursor();
        if let Some(previous) = previous.filter(|p| p.cursor == cursor) {
            return previous.clone();
        }
        let outcomes: Vec<_> = player.outcomes().collect();
        let checks = player
            .script()
            .iter()
            .enumerate()
            .filter_map(|(step, s)| {
                let StepKind::Expect(claim) = &s.kind else { return None };
                let outcome = outcomes.iter().find(|(i, _)| *i == step).map(|(_, o)| *o);
                let (held, text) = match outcome {
                    Some(crate::sim::scenario::lesson::ExpectOutcome::Failed { seen }) => (Some(false), seen.clone()),
                    other => (other.map(|_| true), claim.describe()),
                };
                Some(Check { step, at_ms: s.at_ms, held, text })
            })
            .collect();
        let question = player.current_question().map(|q| Asked {
            step: q.step,
            predict: q.predict.clone(),
            reveal_us: ms(q.predict.reveal_ms(q.at_ms)),
        });
        let narration = player.current_narration();
        let since_ms = narration.map(|n| n.at_ms).max(player.current_question().map(|q| q.at_ms)).unwrap_or(0);
        Rc::new(Story {
            cursor,
            narration: narration.map(|n| (n.step, n.narration.clone())),
            question,
            checks,
            since_ms,
        })
    }

    /// The checks that ran since the narration or question on screen (those the narration bar shows).
    pub fn recent_checks(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(move |c| c.held.is_some() && c.at_ms >= self.since_ms)
    }
}

/// The lower panel's tab that a lesson's focus names.
pub fn tab_of(tab: FocusTab) -> Tab {
    match tab {
        FocusTab::Clients => Tab::Clients,
        FocusTab::Faults => Tab::Faults,
        FocusTab::State => Tab::State,
        FocusTab::Events => Tab::Events,
        FocusTab::Invariants => Tab::Invariants,
        FocusTab::Config => Tab::Config,
        FocusTab::History => Tab::History,
    }
}
