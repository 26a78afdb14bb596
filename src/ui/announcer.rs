//! What the screen reader hears (an aria-live sentence) and which violations have been seen: each new view
//! is compared with the last one heard, so a new violation pauses the run once, and the newest interesting
//! trace line is announced once.

use crate::sim::check::violation::Violation;
use crate::sim::view::{ClusterView, TraceLine};

/// The news of one view.
pub enum News<'v> {
    /// Nothing new worth saying.
    Quiet,
    /// An invariant broke since the last view (the first new violation).
    Violation(&'v Violation),
    /// A new interesting trace line (it is now the sentence).
    Line,
}

/// The aria-live sentence and what has been announced.
///
/// Invariant: `violations_seen` never exceeds the violations of the newest view heard.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Announcer {
    /// The sentence the live region reads out.
    pub sentence: String,
    /// Number of violations already announced.
    violations_seen: usize,
    /// Sequence number of the newest trace line already announced.
    announced_seq: u64,
}

impl Announcer {
    /// Takes in the view after a change and says what is new in it.
    pub fn hear<'v>(&mut self, view: &'v ClusterView) -> News<'v> {
        let news = if let Some(first_new) = view.violations.get(self.violations_seen) {
            self.sentence = format!("Invariant {} broken. Paused.", first_new.invariant.code());
            News::Violation(first_new)
        } else if let Some(line) = newest_interesting(&view.trace, self.announced_seq) {
            self.sentence = line.text.clone();
            self.announced_seq = line.seq;
            News::Line
        } else {
            News::Quiet
        };
        self.violations_seen = view.violations.len();
        news
    }

    /// After a seek back: the violations after the new position will happen, and be announced, again.
    pub fn rewind(&mut self, violations_now: usize) {
        self.violations_seen = self.violations_seen.min(violations_now);
    }
}

/// The newest interesting trace line after `after_seq`, if any.
fn newest_interesting(trace: &[TraceLine], after_seq: u64) -> Option<&TraceLine> {
    trace.iter().rev().take_while(|l| l.seq > after_seq).find(|l| l.interesting)
}
