//! What turns a scenario into a checked lesson (issue 9): `expect` claims checked by the player
//! (`claim.rs`, `check.rs`, `number.rs`, `invariants.rs`), `predict` questions (`predict.rs`), a narration's
//! speaker note and focus (`narration.rs`) and the course metadata (`course.rs`). Each is serde data with
//! the rules serde cannot state in a `validate` that names the field; the format is documented in
//! `docs/scenario-format.md`.

pub mod check;
pub mod claim;
pub mod course;
mod fields;
pub mod invariants;
pub mod narration;
pub mod number;
pub mod predict;
#[cfg(test)]
mod tests;

pub use check::{linearizability_so_far, violations_so_far, ExpectOutcome};
pub use claim::Claim;
pub use course::{Course, Pattern};
pub use narration::{Focus, FocusTab, Narration};
pub use predict::Predict;
