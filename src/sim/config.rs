//! Cluster configuration: every timing, size and policy a lesson may want to turn.
//!
//! Defaults are chosen so that a student sees things happen: short segments (they roll often), frequent
//! snapshots (the low-water mark moves), election timeouts several heartbeats long.

use crate::sim::breaks::Break;
use crate::sim::json::{Map, Value};
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

/// serde_json's description of a JSON value in its error messages (`Unexpected` as serde_json shows it).
fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => format!("integer `{u}`"),
            (None, Some(i), _) => format!("integer `{i}`"),
            // serde_json writes floats in its errors with its own formatter, as in JSON text.
            _ => format!("floating point `{n}`"),
        },
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

fn invalid_type(v: &Value, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", unexpected(v))
}

fn unsigned(v: &Value, expected: &str) -> Result<u64, String> {
    match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Ok(u),
            (None, Some(i)) => Err(format!("invalid value: integer `{i}`, expected {expected}")),
            _ => Err(invalid_type(v, expected)),
        },
        _ => Err(invalid_type(v, expected)),
    }
}

fn narrow<T: TryFrom<u64>>(v: &Value, expected: &str) -> Result<T, String> {
    let u = unsigned(v, expected)?;
    T::try_from(u).map_err(|_| format!("invalid value: integer `{u}`, expected {expected}"))
}

/// A unit-variant enum from a string or a single-key map, as serde_json reads a derived enum.
fn variant<T: Copy>(v: &Value, all: &[(&str, T)]) -> Result<T, String> {
    let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
    variant_index(v, &names).map(|i| all[i].1)
}

/// [`variant`] without the type: the index of the name in `names` (one copy of the code for every enum).
fn variant_index(v: &Value, names: &[&str]) -> Result<usize, String> {
    let name = match v {
        Value::String(s) => s,
        Value::Object(m) if m.len() == 1 => {
            let Some((k, inner)) = m.iter().next() else { return Err(String::new()) };
            if !inner.is_null() {
                find(k, names)?;
                return Err(invalid_type(inner, "unit"));
            }
            k
        }
        Value::Object(_) => return Err("invalid value: map, expected map with a single key".into()),
        _ => return Err(invalid_type(v, "string or map")),
    };
    find(name, names)
}

fn find(name: &str, names: &[&str]) -> Result<usize, String> {
    names.iter().position(|n| *n == name).ok_or_else(|| {
        let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!("unknown variant `{name}`, expected one of {}", names.join(", "))
    })
}

impl ReadMode {
    /// Every mode with its kebab-case name, as in files and menus (the one list both parsers use).
    const NAMES: [(&'static str, ReadMode); 3] =
        [("leader", ReadMode::Leader), ("read-index", ReadMode::ReadIndex), ("follower", ReadMode::Follower)];

    /// The mode with this name (`leader`, `read-index`, `follower`).
    pub fn from_name(name: &str) -> Option<ReadMode> {
        ReadMode::NAMES.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
    }

    /// The mode's kebab-case name (`leader`, `read-index`, `follower`).
    pub fn name(self) -> &'static str {
        name_of(&ReadMode::NAMES, self)
    }

    /// Reads a mode as the derived `Deserialize` does from a JSON value, with the same error texts.
    pub fn from_value(v: &Value) -> Result<ReadMode, String> {
        variant(v, &ReadMode::NAMES)
    }
}

impl LwmPolicy {
    /// Every policy with its kebab-case name, as in files.
    const NAMES: [(&'static str, LwmPolicy); 3] = [
        ("snapshot", LwmPolicy::Snapshot),
        ("follower-aware", LwmPolicy::FollowerAware),
        ("retention", LwmPolicy::Retention),
    ];
}

/// The name of a unit variant in its `(name, variant)` table.
fn name_of<T: Copy + PartialEq>(all: &[(&'static str, T)], x: T) -> &'static str {
    all.iter().find(|(_, v)| *v == x).map_or("", |(n, _)| n)
}

impl Config {
    /// The names of the fields, in declaration order (as serde lists them).
    pub const FIELDS: [&'static str; 25] = [
        "nodes",
        "clients",
        "election_timeout_ms_min",
        "election_timeout_ms_max",
        "heartbeat_ms",
        "latency_ms_min",
        "latency_ms_max",
        "loss",
        "duplicate",
        "fsync_ms_min",
        "fsync_ms_max",
        "segment_entries",
        "snapshot_every",
        "lwm_policy",
        "retention_entries",
        "follower_retention_cap",
        "max_inflight",
        "max_batch",
        "read_mode",
        "client_timeout_ms",
        "client_max_attempts",
        "breaks",
        "checker",
        "trace_capacity",
        "history_capacity",
    ];

    /// Reads a config from a JSON object exactly as the derived `Deserialize` does (missing fields take their
    /// defaults, unknown ones are refused), with the same error texts, without serde's machinery in the bundle.
    pub fn from_map(map: &Map) -> Result<Config, String> {
        let mut c = Config::default();
        for (key, v) in map {
            c.set(key, v)?;
        }
        Ok(c)
    }

    /// Sets one field from its JSON value, as the derived `Deserialize` reads it (same error texts).
    pub fn set(&mut self, key: &str, v: &Value) -> Result<(), String> {
        let Some(i) = Config::FIELDS.iter().position(|f| *f == key) else {
            let names: Vec<String> = Config::FIELDS.iter().map(|f| format!("`{f}`")).collect();
            return Err(format!("unknown field `{key}`, expected one of {}", names.join(", ")));
        };
        match SLOTS[i] {
            Slot::Usize(field) => *field(self) = narrow(v, "usize")?,
            Slot::U64(field) => *field(self) = unsigned(v, "u64")?,
            Slot::U32(field) => *field(self) = narrow(v, "u32")?,
            Slot::F64(field) => *field(self) = v.as_f64().ok_or_else(|| invalid_type(v, "f64"))?,
            Slot::Bool(field) => *field(self) = v.as_bool().ok_or_else(|| invalid_type(v, "a boolean"))?,
            Slot::LwmPolicy => self.lwm_policy = variant(v, &LwmPolicy::NAMES)?,
            Slot::ReadMode => self.read_mode = ReadMode::from_value(v)?,
            Slot::Breaks => {
                let items = v.as_array().ok_or_else(|| invalid_type(v, "a sequence"))?;
                let all: Vec<(&str, Break)> = Break::ALL.iter().map(|b| (b.name(), *b)).collect();
                self.breaks = items.iter().map(|item| variant(item, &all)).collect::<Result<_, _>>()?;
            }
        }
        Ok(())
    }

    /// The config as a JSON object, as the derived `Serialize` writes it (every field; a test compares the
    /// text with serde_json's): what scenario files and share links carry, minus the defaults.
    pub fn to_value(&self) -> Value {
        let mut c = self.clone();
        let values = SLOTS.iter().map(|slot| match *slot {
            Slot::Usize(field) => Value::from(*field(&mut c)),
            Slot::U64(field) => Value::from(*field(&mut c)),
            Slot::U32(field) => Value::from(*field(&mut c)),
            Slot::F64(field) => Value::from(*field(&mut c)),
            Slot::Bool(field) => Value::Bool(*field(&mut c)),
            Slot::LwmPolicy => Value::from(name_of(&LwmPolicy::NAMES, c.lwm_policy)),
            Slot::ReadMode => Value::from(c.read_mode.name()),
            Slot::Breaks => Value::Array(c.breaks.iter().map(|b| Value::from(b.name())).collect()),
        });
        let values: Vec<Value> = values.collect();
        Value::Object(Config::FIELDS.iter().map(|f| f.to_string()).zip(values).collect())
    }
}

/// How one field of [`Config`] is read from and written to JSON: a table instead of one match arm per
/// field for reading and another for writing (smaller code; one place to add a field).
#[derive(Clone, Copy)]
enum Slot {
    Usize(fn(&mut Config) -> &mut usize),
    U64(fn(&mut Config) -> &mut u64),
    U32(fn(&mut Config) -> &mut u32),
    F64(fn(&mut Config) -> &mut f64),
    Bool(fn(&mut Config) -> &mut bool),
    LwmPolicy,
    ReadMode,
    Breaks,
}

/// The slot of every field, in the order of [`Config::FIELDS`].
const SLOTS: [Slot; 25] = [
    Slot::Usize(|c| &mut c.nodes),
    Slot::Usize(|c| &mut c.clients),
    Slot::U64(|c| &mut c.election_timeout_ms_min),
    Slot::U64(|c| &mut c.election_timeout_ms_max),
    Slot::U64(|c| &mut c.heartbeat_ms),
    Slot::U64(|c| &mut c.latency_ms_min),
    Slot::U64(|c| &mut c.latency_ms_max),
    Slot::F64(|c| &mut c.loss),
    Slot::F64(|c| &mut c.duplicate),
    Slot::U64(|c| &mut c.fsync_ms_min),
    Slot::U64(|c| &mut c.fsync_ms_max),
    Slot::Usize(|c| &mut c.segment_entries),
    Slot::U64(|c| &mut c.snapshot_every),
    Slot::LwmPolicy,
    Slot::U64(|c| &mut c.retention_entries),
    Slot::U64(|c| &mut c.follower_retention_cap),
    Slot::Usize(|c| &mut c.max_inflight),
    Slot::Usize(|c| &mut c.max_batch),
    Slot::ReadMode,
    Slot::U64(|c| &mut c.client_timeout_ms),
    Slot::U32(|c| &mut c.client_max_attempts),
    Slot::Breaks,
    Slot::Bool(|c| &mut c.checker),
    Slot::Usize(|c| &mut c.trace_capacity),
    Slot::Usize(|c| &mut c.history_capacity),
];

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
                return fail(
                    field,
                    format!("must be a probability between 0 and 1, got {}", super::fmtnum::shortest(p)),
                );
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

    #[test]
    fn from_map_matches_derived_deserialize() {
        let values = [
            "null",
            "true",
            "false",
            "0",
            "1",
            "3",
            "-1",
            "-0",
            "0.0",
            "1.5",
            "1e40",
            "-2.5",
            "100000000000",
            "4294967296",
            "18446744073709551615",
            "1e-7",
            "123456789012345678901234",
            "\"3\"",
            "\"a\\\"b\\n\"",
            "\"leader\"",
            "\"read-index\"",
            "\"fast\"",
            "\"snapshot\"",
            "\"retention\"",
            "\"skip-crc\"",
            "\"no-dedup\"",
            "[]",
            "[\"skip-crc\"]",
            "[\"nope\"]",
            "[1]",
            "[{\"skip-crc\": null}]",
            "[{\"skip-crc\": 1}]",
            "{}",
            "{\"leader\": null}",
            "{\"leader\": 3}",
            "{\"x\": null}",
            "{\"a\": 1, \"b\": 2}",
            "0.35",
        ];
        let mut keys: Vec<&str> = Config::FIELDS.to_vec();
        keys.push("nodez");
        for key in keys {
            for text in values {
                let mine = crate::sim::json_read::parse(&format!("{{\"{key}\": {text}}}")).unwrap();
                let theirs: serde_json::Value = serde_json::from_str(&format!("{{\"{key}\": {text}}}")).unwrap();
                let derived = serde_json::from_value::<Config>(theirs).map_err(|e| e.to_string());
                assert_eq!(Config::from_map(mine.as_object().unwrap()), derived, "{key}: {text}");
            }
        }
        let all = Config::default().to_value();
        let mut fields = Config::FIELDS.to_vec();
        fields.sort_unstable();
        assert_eq!(all.as_object().unwrap().keys().collect::<Vec<_>>(), fields);
        assert_eq!(Config::from_map(all.as_object().unwrap()), Ok(Config::default()));
    }

    #[test]
    fn to_value_writes_what_the_derived_serialize_writes() {
        let odd = Config {
            nodes: 5,
            loss: 0.1,
            duplicate: 1e-7,
            lwm_policy: LwmPolicy::FollowerAware,
            read_mode: ReadMode::ReadIndex,
            breaks: vec![Break::SkipCrc, Break::AckBeforeFsync],
            checker: false,
            client_max_attempts: u32::MAX,
            ..Config::default()
        };
        let retention = Config { lwm_policy: LwmPolicy::Retention, read_mode: ReadMode::Follower, ..odd.clone() };
        for config in [Config::default(), odd, retention] {
            assert_eq!(config.to_value().to_string(), serde_json::to_value(&config).unwrap().to_string());
        }
    }
}
