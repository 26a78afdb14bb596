//! Small shared vocabulary of the simulation: identifiers and units.
//!
//! Units are last in names (`latency_ms_max`, `time_us`) so a reader never has to guess them.

/// Index of a node in the cluster, `0..nodes`. Kept small because views and messages carry it everywhere.
pub type NodeId = usize;
/// Index of a client, `0..clients`. Clients are network endpoints that are not cluster members.
pub type ClientId = usize;
/// Raft term: the generation clock stamped on every entry and message.
pub type Term = u64;
/// Position of an entry in the replicated log; the first real entry has index 1, 0 means "none".
pub type Index = u64;
/// Virtual time in microseconds since the start of the run. The world is the only thing that advances it.
pub type Time = u64;

/// Microseconds per millisecond; configuration is in milliseconds, the clock in microseconds.
pub const US_PER_MS: u64 = 1_000;

/// Converts a millisecond figure from configuration to clock units.
pub fn ms(value_ms: u64) -> Time {
    value_ms * US_PER_MS
}

/// Formats a virtual time as milliseconds with one decimal, the unit people read in the UI and traces.
pub fn format_time(time_us: Time) -> String {
    format!("{}.{}ms", time_us / US_PER_MS, (time_us % US_PER_MS) / 100)
}
