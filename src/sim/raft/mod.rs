//! Raft as a sans-IO state machine: the node and its rules (elections, replication, commit and watermarks,
//! reads, membership and learners; pre-vote, check-quorum, leases and leadership transfer, each switched by the
//! configuration) and the messages it exchanges. It builds on `storage` (the log, the disk and the
//! key-value state machine it applies entries to) and knows nothing of the world that drives it.

pub mod check_quorum;
pub mod commit;
pub mod election;
pub mod lease;
pub mod membership;
pub mod message;
pub mod node;
pub mod prevote;
pub mod reads;
pub mod replication;
pub mod role;
pub mod transfer;
