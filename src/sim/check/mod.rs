//! Checking: the invariant checker run after every event, violations as values, and the linearizability
//! checker for client histories.

pub mod checker;
pub mod linearize;
pub mod violation;
