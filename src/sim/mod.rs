//! The simulation core: pure, deterministic Rust with no web dependencies. See ARCHITECTURE.md.

pub mod breaks;
pub mod chaos;
pub mod check;
pub mod client;
pub mod command;
pub mod commit;
pub mod config;
pub mod disk;
pub mod election;
pub mod entry;
pub mod fmtnum;
pub mod history;
pub mod json;
#[cfg(test)]
mod json_check;
pub mod json_read;
pub mod json_serde;
pub mod json_write;
pub mod kv;
pub mod linearize;
pub mod message;
pub mod network;
pub mod node;
pub mod reads;
pub mod replication;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod segment;
pub mod share;
pub mod trace;
pub mod types;
pub mod view;
pub mod views;
pub mod violation;
pub mod wal;
pub mod world;
