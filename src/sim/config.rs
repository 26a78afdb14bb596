//! Cluster configuration: every timing, size and policy a lesson may want to turn.
//!
//! Defaults are chosen so that a student sees things happen: short segments (they roll often), frequent
//! snapshots (the low-water mark moves), election timeouts several heartbeats long.

use crate::sim::breaks::Break;
use serde::{Deserialize, Serialize};

/// Which rule decides the low-water mark (the oldest entry a node still keeps).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LwmPolicy {
    /// LWM = durable snapshot's last index + 1: everything covered by the snapshot may go.
    #[default]
    Snapshot,
    /// Like `snapshot`, but a leader keeps entries a live lagging follower still needs, up to a cap.
    FollowerAware,
    /// Kafka-like: keep the newest `retention_entries` entries (never more than the snapshot allows).
    Retention,
}

/// How a node answers a `get`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ReadMode {
    /// The node that believes it leads answers from its state machine at its HWM. Fast; stale if deposed.
    #[default]
    Leader,
    /// The leader confirms it still leads with a heartbeat round, then answers at that commit index.
    ReadIndex,
    /// Any node answers at its own HWM: may be stale, never dirty.
    Follower,
}

/// All knobs of a run. Validated by [`Config::validate`] before a world is built.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Cluster members, 1..=9.
    pub nodes: usize,
    /// Client endpoints, 1..=8.
    pub clients: usize,
    /// Lower bound of the randomized election timeout.
    pub election_timeout_ms_min: u64,
    /// Upper bound of the randomized election timeout.
    pub election_timeout_ms_max: u64,
    /// Leader heartbeat period; must be well below the election timeout.
    pub heartbeat_ms: u64,
    /// One-way network latency range; random latency is what reorders messages.
    pub latency_ms_min: u64,
    /// Upper end of the latency range.
    pub latency_ms_max: u64,
    /// Probability that a message is dropped, 0..=1.
    pub loss: f64,
    /// Probability that a message is delivered twice, 0..=1.
    pub duplicate: f64,
    /// Fsync latency range on a healthy disk.
    pub fsync_ms_min: u64,
    /// Upper end of the fsync latency range.
    pub fsync_ms_max: u64,
    /// Entries per WAL segment before it is sealed and a new one starts.
    pub segment_entries: usize,
    /// A node snapshots its state machine every this many applied entries (0 = never).
    pub snapshot_every: u64,
    /// Rule for the low-water mark.
    pub lwm_policy: LwmPolicy,
    /// `retention` policy: newest entries to keep.
    pub retention_entries: u64,
    /// `follower-aware` policy: at most this many entries are kept beyond the snapshot for a lagging follower.
    pub follower_retention_cap: u64,
    /// Appends a leader may have outstanding to one follower.
    pub max_inflight: usize,
    /// Entries per AppendEntries message.
    pub max_batch: usize,
    /// How `get` is served.
    pub read_mode: ReadMode,
    /// A client retries an operation after this long without an answer.
    pub client_timeout_ms: u64,
    /// A client gives up (the outcome stays unknown) after this many attempts.
    pub client_max_attempts: u32,
    /// Deliberately broken rules, for "now break it" lessons and to prove the checker can fail.
    pub breaks: Vec<Break>,
    /// Check invariants after every event.
    pub checker: bool,
    /// How many trace events the world keeps for views (older ones only feed the trace hash).
    pub trace_capacity: usize,
    /// How many completed client operations are kept in the history (older ones are dropped).
    pub history_capacity: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            nodes: 3,
            clients: 2,
            election_timeout_ms_min: 150,
            election_timeout_ms_max: 300,
            heartbeat_ms: 50,
            latency_ms_min: 5,
            latency_ms_max: 15,
            loss: 0.0,
            duplicate: 0.0,
            fsync_ms_min: 2,
            fsync_ms_max: 6,
            segment_entries: 8,
            snapshot_every: 16,
            lwm_policy: LwmPolicy::Snapshot,
            retention_entries: 24,
            follower_retention_cap: 64,
            max_inflight: 4,
            max_batch: 4,
            read_mode: ReadMode::Leader,
            client_timeout_ms: 400,
            client_max_attempts: 20,
            breaks: Vec::new(),
            checker: true,
            trace_capacity: 500,
            history_capacity: 5_000,
        }
    }
}

/// Largest cluster the UI can draw legibly and the checker is tuned for.
pub const MAX_NODES: usize = 9;
/// Largest number of client endpoints.
pub const MAX_CLIENTS: usize = 8;

impl Config {
    /// Whether a deliberately broken rule is switched on.
    pub fn broken(&self, rule: Break) -> bool {
        self.breaks.contains(&rule)
    }

    /// Checks that the configuration describes a cluster that can run; the error names the field and why.
    pub fn validate(&self) -> Result<(), String> {
        let fail = |field: &str, why: String| Err(format!("config.{field}: {why}"));
        if self.nodes == 0 || self.nodes > MAX_NODES {
            return fail("nodes", format!("must be between 1 and {MAX_NODES}, got {}", self.nodes));
        }
        if self.clients == 0 || self.clients > MAX_CLIENTS {
            return fail("clients", format!("must be between 1 and {MAX_CLIENTS}, got {}", self.clients));
        }
        if self.election_timeout_ms_min == 0 || self.election_timeout_ms_min > self.election_timeout_ms_max {
            return fail(
                "election_timeout_ms_min",
                format!(
                    "must be positive and at most election_timeout_ms_max ({} > {})",
                    self.election_timeout_ms_min, self.election_timeout_ms_max
                ),
            );
        }
        if self.heartbeat_ms == 0 || self.heartbeat_ms >= self.election_timeout_ms_min {
            return fail(
                "heartbeat_ms",
                format!(
                    "must be positive and below election_timeout_ms_min ({}), got {}",
                    self.election_timeout_ms_min, self.heartbeat_ms
                ),
            );
        }
        if self.latency_ms_min > self.latency_ms_max {
            return fail("latency_ms_min", "must not exceed latency_ms_max".into());
        }
        if self.latency_ms_max > 10_000 {
            return fail("latency_ms_max", "must be at most 10000 ms".into());
        }
        if self.fsync_ms_min > self.fsync_ms_max || self.fsync_ms_max > 10_000 {
            return fail("fsync_ms_min", "must be at most fsync_ms_max, and fsync_ms_max at most 10000".into());
        }
        for (field, p) in [("loss", self.loss), ("duplicate", self.duplicate)] {
            if !(0.0..=1.0).contains(&p) || p.is_nan() {
                return fail(field, format!("must be a probability between 0 and 1, got {p}"));
            }
        }
        if self.loss >= 1.0 {
            return fail("loss", "a network that drops every message can never elect a leader".into());
        }
        if self.segment_entries == 0 || self.segment_entries > 4096 {
            return fail("segment_entries", format!("must be between 1 and 4096, got {}", self.segment_entries));
        }
        if self.max_inflight == 0 || self.max_inflight > 64 {
            return fail("max_inflight", format!("must be between 1 and 64, got {}", self.max_inflight));
        }
        if self.max_batch == 0 || self.max_batch > 1024 {
            return fail("max_batch", format!("must be between 1 and 1024, got {}", self.max_batch));
        }
        if self.client_timeout_ms == 0 {
            return fail("client_timeout_ms", "must be positive".into());
        }
        if self.client_max_attempts == 0 {
            return fail("client_max_attempts", "must be at least 1".into());
        }
        if self.lwm_policy == LwmPolicy::Retention && self.retention_entries == 0 {
            return fail("retention_entries", "must be positive with the retention policy".into());
        }
        if self.trace_capacity > 1_000_000 || self.history_capacity > 10_000_000 {
            return fail("trace_capacity", "trace_capacity ≤ 1e6 and history_capacity ≤ 1e7".into());
        }
        Ok(())
    }

    /// Votes (or acknowledgements) needed for a decision: ⌊n/2⌋+1, the leader included.
    pub fn quorum(&self) -> usize {
        self.nodes / 2 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid() {
        assert_eq!(Config::default().validate(), Ok(()));
    }

    #[test]
    fn invalid_fields_are_named() {
        let cases: Vec<(Config, &str)> = vec![
            (Config { nodes: 0, ..Config::default() }, "config.nodes"),
            (Config { nodes: 10, ..Config::default() }, "config.nodes"),
            (Config { heartbeat_ms: 500, ..Config::default() }, "config.heartbeat_ms"),
            (Config { loss: 1.5, ..Config::default() }, "config.loss"),
            (Config { loss: f64::NAN, ..Config::default() }, "config.loss"),
            (Config { segment_entries: 0, ..Config::default() }, "config.segment_entries"),
        ];
        for (config, field) in cases {
            let error = config.validate().unwrap_err();
            assert!(error.starts_with(field), "{error} should name {field}");
        }
    }

    #[test]
    fn quorum_counts_the_leader() {
        for (nodes, quorum) in [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (9, 5)] {
            assert_eq!(Config { nodes, ..Config::default() }.quorum(), quorum);
        }
    }
}
