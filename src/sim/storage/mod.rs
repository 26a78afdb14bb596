//! Storage: checksummed records, the segmented write-ahead log and the simulated disk (durable vs. unsynced,
//! fsync with latency, faults). Knows nothing of Raft.

pub mod disk;
pub mod entry;
pub mod segment;
pub mod wal;
