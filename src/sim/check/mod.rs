//! Checking: the invariant checker run after every event (the Figure-2 invariants in `checker.rs`, those of
//! DESIGN §3a's extensions in `extensions.rs`), violations as values, and the linearizability checker for
//! client histories.

pub mod checker;
mod extensions;
pub mod linearize;
pub mod violation;
