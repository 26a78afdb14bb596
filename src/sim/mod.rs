//! The simulation core: pure, deterministic Rust with no web dependencies. See ARCHITECTURE.md.
//!
//! Layers, each using only the ones above it: `storage` (records, segments, the WAL, the disk, the key-value
//! state machine) → `raft` (the sans-IO node and its rules) → `world` (clock, events, servers, network,
//! clients, commands, the operator, trace). Beside them: `check` (invariants, linearizability), `scenario`
//! (files, links, the player, chaos) and `view` (what the UI draws), which read the layers but are never read
//! by them. `types`, `config`, `breaks` and `rng` are the vocabulary every layer shares.

pub mod breaks;
pub mod check;
pub mod config;
pub mod field_error;
pub mod json_fields;
pub mod limits;
pub mod raft;
pub mod rng;
pub mod scenario;
pub mod storage;
pub mod types;
pub mod view;
pub mod world;
