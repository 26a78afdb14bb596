//! A lesson's verdict at the player's position: every `expect` step that has run with its outcome, every
//! violation so far, and those no held `violated` claim expected. `logscope-cli run` prints it and exits by
//! it, the lesson tests assert it natively and in the browser.

use super::Player;
use crate::sim::check::violation::{Invariant, Violation};
use crate::sim::scenario::lesson::{violations_so_far, Claim, ExpectOutcome};
use crate::sim::scenario::StepKind;
use serde::Serialize;

/// One `expect` step that has run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Expectation {
    /// Its index in the script (the field path `steps[N]`).
    pub step: usize,
    /// Its time.
    pub at_ms: u64,
    /// The claim, as the file writes it.
    pub claim: Claim,
    /// The claim in words.
    pub description: String,
    /// Whether it held, and what was seen if not.
    #[serde(flatten)]
    pub outcome: ExpectOutcome,
}

impl Expectation {
    /// `✓ steps[7] at 900 ms: n2 role follower, hwm 3` or `✗ steps[7] at 900 ms: n2.hwm is 1, expected 3`.
    pub fn line(&self) -> String {
        match &self.outcome {
            ExpectOutcome::Held => format!("✓ steps[{}] at {} ms: {}", self.step, self.at_ms, self.description),
            ExpectOutcome::Failed { seen } => format!("✗ steps[{}] at {} ms: {seen}", self.step, self.at_ms),
        }
    }
}

/// The verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The `expect` steps that have run, in order.
    pub expectations: Vec<Expectation>,
    /// Every violation so far (the checker's, and `LIN` if the history so far is not linearizable).
    pub violations: Vec<Violation>,
    /// The violations of invariants that no held `violated` claim names.
    pub unexpected: Vec<Violation>,
}

impl Report {
    /// Every expectation held and no violation came unexpected: the lesson says only what happens.
    pub fn passed(&self) -> bool {
        self.unexpected.is_empty() && self.expectations.iter().all(|e| e.outcome.held())
    }
}

impl Player {
    /// The verdict at the player's position (it runs a linearizability check of the history so far).
    pub fn report(&self) -> Report {
        let ran = &self.script()[..self.script_cursor()];
        let outcomes = self.outcomes().collect::<Vec<_>>();
        let mut expectations = Vec::new();
        let mut expected: Vec<Invariant> = Vec::new();
        for (step, outcome) in outcomes {
            let StepKind::Expect(claim) = &ran[step].kind else { continue };
            if outcome.held() {
                expected.extend(claim.violated());
            }
            expectations.push(Expectation {
                step,
                at_ms: ran[step].at_ms,
                claim: claim.clone(),
                description: claim.describe(),
                outcome: outcome.clone(),
            });
        }
        let violations = violations_so_far(self.world());
        let unexpected = violations.iter().filter(|v| !expected.contains(&v.invariant)).cloned().collect();
        Report { expectations, violations, unexpected }
    }
}
