//! Cluster configuration: every timing, size and policy a lesson may want to turn.
//!
//! Defaults are chosen so that a student sees things happen: short segments (they roll often), frequent
//! snapshots (the low-water mark moves), election timeouts several heartbeats long.

use crate::sim::breaks::Break;
use crate::sim::field_error::FieldError;
use crate::sim::json_fields::{json_struct, serde_leaf};
use crate::sim::limits::{self, MAX_BATCH, MAX_CLIENTS, MAX_FSYNC_MS, MAX_HISTORY_CAPACITY, MAX_INFLIGHT};
use crate::sim::limits::{MAX_LATENCY_MS, MAX_NODES, MAX_SEGMENT_ENTRIES, MAX_TIMEOUT_MS, MAX_TRACE_CAPACITY};
use serde::{Deserialize, Deserializer, Serialize};

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
    /// The leader answers from its state machine while its lease holds (renewed by a majority's heartbeat
    /// acknowledgements, measured on its own clock, shortened by the drift bound); otherwise it confirms with a
    /// heartbeat round as `read-index` does. Followers promise not to vote within the lease (`lease.rs`).
    Lease,
}

json_struct! {
/// All knobs of a run. Validated by [`Config::validate`] before a world is built. In a file, every field is
/// optional (absent: the default) and an unknown one is refused (`json_struct!`).
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    // Raft beyond the paper's Figure 2 (DESIGN §3a). Each is off (or inert) by default.
    /// Pre-vote (dissertation §9.6): a node whose election timer fires first asks whether it could win
    /// (RequestPreVote for term+1) and increments its term only with a majority of pre-votes.
    pub pre_vote: bool,
    /// Check-quorum (dissertation §6.2): a leader that has not heard from a majority within an election timeout
    /// steps down; followers that heard from a leader within the minimum election timeout ignore RequestVote.
    pub check_quorum: bool,
    /// Read mode `lease`: how long a lease lasts on the leader's clock, from the send time of the heartbeat
    /// round a majority acknowledged, before the drift allowance. At most `election_timeout_ms_min` in `lease`
    /// mode (followers promise not to vote for that long).
    pub lease_ms: u64,
    /// Read mode `lease`: the clock-drift bound ρ the lease allows for, 0 ≤ ρ < 1. Clocks may run at rates in
    /// `[1 − ρ, 1 + ρ]`; the lease is shortened to `lease_ms × (1 − ρ) / (1 + ρ)` so that it ends before any
    /// follower's promise does. Rates beyond the bound (`set-clock-rate`) can make a lease read stale.
    pub clock_drift_bound: f64,
}
}

serde_leaf!(LwmPolicy, ReadMode);

impl<'de> Deserialize<'de> for Config {
    /// Reads the object from any serde format, as a scenario file's `config` is read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = serde_json::Map::deserialize(deserializer)?;
        Config::read_object(&object).map_err(serde::de::Error::custom)
    }
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
            pre_vote: false,
            check_quorum: false,
            lease_ms: 120,
            clock_drift_bound: 0.1,
        }
    }
}

impl ReadMode {
    /// Every mode, in menu order: the one list the parser (through serde), the UI and the docs share.
    pub const ALL: [ReadMode; 4] = [ReadMode::Leader, ReadMode::ReadIndex, ReadMode::Follower, ReadMode::Lease];

    /// The mode's kebab-case name, as in files and menus (a test checks it against serde's).
    pub fn name(self) -> &'static str {
        match self {
            ReadMode::Leader => "leader",
            ReadMode::ReadIndex => "read-index",
            ReadMode::Follower => "follower",
            ReadMode::Lease => "lease",
        }
    }

    /// The mode with this name (`leader`, `read-index`, `follower`, `lease`).
    pub fn from_name(name: &str) -> Option<ReadMode> {
        ReadMode::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl LwmPolicy {
    /// Every policy, in menu order: the one list the parser (through serde), the UI and the docs share.
    pub const ALL: [LwmPolicy; 3] = [LwmPolicy::Snapshot, LwmPolicy::FollowerAware, LwmPolicy::Retention];

    /// The policy's kebab-case name, as in files and menus (a test checks it against serde's).
    pub fn name(self) -> &'static str {
        match self {
            LwmPolicy::Snapshot => "snapshot",
            LwmPolicy::FollowerAware => "follower-aware",
            LwmPolicy::Retention => "retention",
        }
    }

    /// The policy with this name (`snapshot`, `follower-aware`, `retention`).
    pub fn from_name(name: &str) -> Option<LwmPolicy> {
        LwmPolicy::ALL.into_iter().find(|p| p.name() == name)
    }
}

impl Config {
    /// Whether a deliberately broken rule is switched on.
    pub fn broken(&self, rule: Break) -> bool {
        self.breaks.contains(&rule)
    }

    /// Checks that the configuration describes a cluster that can run: `config.field: reason` (the text the
    /// world and the UI show).
    pub fn validate(&self) -> Result<(), String> {
        self.check().map_err(|e| e.within("config").to_string())
    }

    /// [`Config::validate`] with the field apart from the reason (the scenario parser's error points at it).
    pub fn check(&self) -> Result<(), FieldError> {
        let between = |field: &str, value: usize, max: usize| {
            if (1..=max).contains(&value) {
                Ok(())
            } else {
                Err(FieldError::new(field, format!("must be between 1 and {max}, got {value}")))
            }
        };
        between("nodes", self.nodes, MAX_NODES)?;
        between("clients", self.clients, MAX_CLIENTS)?;
        limits::check_timeouts(self.heartbeat_ms, self.election_timeout_ms_min, self.election_timeout_ms_max)?;
        limits::check_range(
            ("latency_ms_min", self.latency_ms_min),
            ("latency_ms_max", self.latency_ms_max),
            MAX_LATENCY_MS,
        )?;
        limits::check_range(("fsync_ms_min", self.fsync_ms_min), ("fsync_ms_max", self.fsync_ms_max), MAX_FSYNC_MS)?;
        limits::check_loss(self.loss).map_err(|reason| FieldError::new("loss", reason))?;
        limits::check_probability(self.duplicate).map_err(|reason| FieldError::new("duplicate", reason))?;
        between("segment_entries", self.segment_entries, MAX_SEGMENT_ENTRIES)?;
        between("max_inflight", self.max_inflight, MAX_INFLIGHT)?;
        between("max_batch", self.max_batch, MAX_BATCH)?;
        if self.client_timeout_ms == 0 {
            return Err(FieldError::new("client_timeout_ms", "must be positive"));
        }
        limits::check_at_most(self.client_timeout_ms, MAX_TIMEOUT_MS, "ms")
            .map_err(|reason| FieldError::new("client_timeout_ms", reason))?;
        if self.client_max_attempts == 0 {
            return Err(FieldError::new("client_max_attempts", "must be at least 1"));
        }
        if self.lwm_policy == LwmPolicy::Retention && self.retention_entries == 0 {
            return Err(FieldError::new("retention_entries", "must be positive with the retention policy"));
        }
        for (i, b) in self.breaks.iter().enumerate() {
            if self.breaks[..i].contains(b) {
                return Err(FieldError::new(format!("breaks[{i}]"), format!("`{}` is listed twice", b.name())));
            }
        }
        limits::check_at_most(self.trace_capacity, MAX_TRACE_CAPACITY, "records")
            .map_err(|reason| FieldError::new("trace_capacity", reason))?;
        limits::check_at_most(self.history_capacity, MAX_HISTORY_CAPACITY, "operations")
            .map_err(|reason| FieldError::new("history_capacity", reason))?;
        self.check_lease()
    }

    /// `lease_ms` and `clock_drift_bound` (DESIGN §3a): a positive lease no longer than a timeout may be, at
    /// most `election_timeout_ms_min` in `lease` mode, and a drift bound in `0 ≤ ρ < 1`.
    fn check_lease(&self) -> Result<(), FieldError> {
        if self.lease_ms == 0 {
            return Err(FieldError::new("lease_ms", "must be positive"));
        }
        limits::check_at_most(self.lease_ms, MAX_TIMEOUT_MS, "ms")
            .map_err(|reason| FieldError::new("lease_ms", reason))?;
        if self.read_mode == ReadMode::Lease {
            limits::check_lease_within_timeout(self.lease_ms, self.election_timeout_ms_min)
                .map_err(|reason| FieldError::new("lease_ms", reason))?;
        }
        limits::check_drift_bound(self.clock_drift_bound).map_err(|reason| FieldError::new("clock_drift_bound", reason))
    }

    /// The lease a leader grants itself in `lease` mode, in microseconds of its own clock: `lease_ms` shortened
    /// by the drift allowance, `lease_ms × (1 − ρ) / (1 + ρ)`, in integer arithmetic on ρ in millionths (the
    /// same on every target). With the `lease-ignores-drift` break, `lease_ms` whole.
    pub fn lease_us(&self) -> crate::sim::types::Time {
        let lease_us = crate::sim::types::ms(self.lease_ms);
        if self.broken(Break::LeaseIgnoresDrift) {
            return lease_us;
        }
        let rho_ppm = self.drift_bound_ppm();
        let million = crate::sim::world::clock::PPM_PER_UNIT;
        // lease_us ≤ MAX_TIMEOUT_MS × 1000 = 6·10¹⁰ and the factors ≤ 2·10⁶: the product fits in 64 bits.
        lease_us * (million - rho_ppm) / (million + rho_ppm)
    }

    /// The drift bound ρ in millionths (rounded), as the lease and the checker's I19 use it.
    pub fn drift_bound_ppm(&self) -> u64 {
        (self.clock_drift_bound.clamp(0.0, 1.0) * crate::sim::world::clock::PPM_PER_UNIT as f64).round() as u64
    }

    /// Whether followers refuse to vote while they hear from a leader (etcd's "leader stickiness"): with
    /// check-quorum, and in `lease` mode, whose safety rests on that promise.
    pub fn sticky_leader(&self) -> bool {
        self.check_quorum || self.read_mode == ReadMode::Lease
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
    fn every_option_of_design_3a_is_off_by_default() {
        let c = Config::default();
        assert!(!c.pre_vote && !c.check_quorum && c.read_mode == ReadMode::Leader && c.breaks.is_empty());
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
    fn names_are_serde_names_and_every_variant_is_listed() {
        for mode in ReadMode::ALL {
            assert_eq!(serde_json::to_value(mode).unwrap(), mode.name());
            assert_eq!(ReadMode::from_name(mode.name()), Some(mode));
        }
        for policy in LwmPolicy::ALL {
            assert_eq!(serde_json::to_value(policy).unwrap(), policy.name());
            assert_eq!(LwmPolicy::from_name(policy.name()), Some(policy));
        }
        // serde lists the variants it knows in its error: ALL must hold exactly those.
        let error = serde_json::from_str::<ReadMode>("\"?\"").unwrap_err().to_string();
        let names: Vec<String> = ReadMode::ALL.iter().map(|m| format!("`{}`", m.name())).collect();
        assert!(error.contains(&names.join(", ")), "{error}");
        let error = serde_json::from_str::<LwmPolicy>("\"?\"").unwrap_err().to_string();
        let names: Vec<String> = LwmPolicy::ALL.iter().map(|p| format!("`{}`", p.name())).collect();
        assert!(error.contains(&names.join(", ")), "{error}");
    }

    #[test]
    fn limits_are_enforced_at_their_value() {
        let ok = |c: Config| assert_eq!(c.check(), Ok(()));
        let refused = |c: Config, field: &str| assert_eq!(c.check().map_err(|e| e.field), Err(field.to_string()));
        ok(Config { nodes: MAX_NODES, ..Config::default() });
        refused(Config { nodes: MAX_NODES + 1, ..Config::default() }, "nodes");
        ok(Config { clients: MAX_CLIENTS, ..Config::default() });
        refused(Config { clients: MAX_CLIENTS + 1, ..Config::default() }, "clients");
        ok(Config { election_timeout_ms_max: MAX_TIMEOUT_MS, ..Config::default() });
        refused(Config { election_timeout_ms_max: MAX_TIMEOUT_MS + 1, ..Config::default() }, "election_timeout_ms_max");
        ok(Config { latency_ms_max: MAX_LATENCY_MS, ..Config::default() });
        refused(Config { latency_ms_max: MAX_LATENCY_MS + 1, ..Config::default() }, "latency_ms_max");
        ok(Config { fsync_ms_max: MAX_FSYNC_MS, ..Config::default() });
        refused(Config { fsync_ms_max: MAX_FSYNC_MS + 1, ..Config::default() }, "fsync_ms_max");
        ok(Config { client_timeout_ms: MAX_TIMEOUT_MS, ..Config::default() });
        refused(Config { client_timeout_ms: MAX_TIMEOUT_MS + 1, ..Config::default() }, "client_timeout_ms");
        ok(Config { segment_entries: MAX_SEGMENT_ENTRIES, ..Config::default() });
        refused(Config { segment_entries: MAX_SEGMENT_ENTRIES + 1, ..Config::default() }, "segment_entries");
        ok(Config { max_inflight: MAX_INFLIGHT, max_batch: MAX_BATCH, ..Config::default() });
        refused(Config { max_batch: MAX_BATCH + 1, ..Config::default() }, "max_batch");
        refused(Config { breaks: vec![Break::SkipCrc, Break::SkipCrc], ..Config::default() }, "breaks[1]");
        refused(Config { loss: 1.0, ..Config::default() }, "loss");
        ok(Config { duplicate: 1.0, ..Config::default() });
        // Leases: positive, within a timeout, and in lease mode no longer than the followers' promise.
        refused(Config { lease_ms: 0, ..Config::default() }, "lease_ms");
        refused(Config { lease_ms: MAX_TIMEOUT_MS + 1, ..Config::default() }, "lease_ms");
        ok(Config { lease_ms: MAX_TIMEOUT_MS, ..Config::default() });
        let lease = |lease_ms| Config { read_mode: ReadMode::Lease, lease_ms, ..Config::default() };
        ok(lease(150));
        refused(lease(151), "lease_ms");
        ok(Config { clock_drift_bound: 0.0, ..Config::default() });
        ok(Config { clock_drift_bound: 0.999, ..Config::default() });
        for bad in [-0.1, 1.0, f64::NAN] {
            refused(Config { clock_drift_bound: bad, ..Config::default() }, "clock_drift_bound");
        }
    }

    #[test]
    fn the_lease_is_shortened_by_the_drift_bound_in_integer_arithmetic() {
        let lease = |lease_ms, clock_drift_bound| Config { lease_ms, clock_drift_bound, ..Config::default() };
        assert_eq!(lease(120, 0.1).lease_us(), 98_181, "120 ms × 0.9 / 1.1");
        assert_eq!(lease(150, 0.0).lease_us(), 150_000);
        assert_eq!(lease(150, 0.5).lease_us(), 50_000);
        let broken = Config { breaks: vec![Break::LeaseIgnoresDrift], ..lease(120, 0.1) };
        assert_eq!(broken.lease_us(), 120_000, "the break drops the allowance");
        assert!(!Config::default().sticky_leader(), "off by default");
        assert!(Config { check_quorum: true, ..Config::default() }.sticky_leader());
        assert!(Config { read_mode: ReadMode::Lease, ..Config::default() }.sticky_leader());
    }
}
