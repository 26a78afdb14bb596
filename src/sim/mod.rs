//! The simulation core: pure, deterministic Rust with no web dependencies. See ARCHITECTURE.md.
//!
//! Layers, each using only the ones above it: `storage` (records, segments, the WAL, the disk) → `raft` (the
//! sans-IO node and its rules) → `world` (clock, events, network, clients, commands, trace). Beside them:
//! `check` (invariants, linearizability), `scenario` (files, links, the player, chaos) and `view` (what the UI
//! draws), which read the layers but are never read by them.

pub mod breaks;
pub mod check;
pub mod config;
pub mod field_error;
pub mod limits;
pub mod raft;
pub mod scenario;
pub mod storage;
pub mod types;
pub mod view;
pub mod world;
