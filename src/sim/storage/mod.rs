//! Storage: checksummed records, the segmented write-ahead log, the simulated disk (durable vs. unsynced,
//! fsync with latency, faults) and the key-value state machine the records build (a snapshot is a copy of
//! it). Knows nothing of Raft.

pub mod disk;
pub mod entry;
pub mod kv;
pub mod segment;
pub mod wal;
