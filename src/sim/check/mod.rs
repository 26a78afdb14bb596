//! Checking: the invariant checker run after every event (the Figure-2 invariants in `checker.rs`, those of
//! DESIGN §3a's extensions in `extensions.rs`), violations as values, and the linearizability checker for
//! client histories and the history file formats it reads.

pub mod checker;
mod extensions;
pub mod history_formats;
pub mod linearize;
pub mod violation;
