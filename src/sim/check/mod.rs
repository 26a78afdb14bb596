//! Checking: the invariant checker run after every event, violations as values, and the linearizability
//! checker for client histories and the history file formats it reads.

pub mod checker;
pub mod history_formats;
pub mod linearize;
pub mod violation;
