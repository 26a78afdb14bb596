//! The simulation core: pure, deterministic Rust with no web dependencies. See ARCHITECTURE.md.

pub mod breaks;
pub mod command;
pub mod config;
pub mod entry;
pub mod history;
pub mod linearize;
pub mod types;
pub mod view;
pub mod violation;
