//! Raft as a sans-IO state machine: the node and its rules (elections, replication, commit and watermarks,
//! reads, membership), the messages it exchanges and the key-value state machine it applies entries to.

pub mod commit;
pub mod election;
pub mod kv;
pub mod membership;
pub mod message;
pub mod node;
pub mod reads;
pub mod replication;
pub mod role;
