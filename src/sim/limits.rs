//! Every bound on what a configuration, a command or a scenario file may ask for, written once.
//!
//! The scenario parser, `Config::validate`, `Command::validate` (and through it `World::apply`), the UI's
//! input fields and `docs/scenario-format.md` all read these constants, so a file that parses always plays and
//! a form never offers a value the core refuses. A test checks the figures in the doc against them.

use crate::sim::field_error::FieldError;
use std::fmt;

/// Most cluster members a configuration may start with: the drawing and the lessons are laid out for nine.
pub const MAX_NODES: usize = 9;
/// Most client endpoints.
pub const MAX_CLIENTS: usize = 8;
pub use crate::sim::raft::membership::{MAX_MEMBERS, MAX_NODE_IDS};

/// Longest heartbeat period, election timeout or client timeout (a minute). Longer ones teach nothing, and the
/// bound keeps every millisecond-to-microsecond conversion far from overflow.
pub const MAX_TIMEOUT_MS: u64 = 60_000;
/// Longest one-way network latency (`latency_ms_max`, `set-latency`): ten seconds.
pub const MAX_LATENCY_MS: u64 = 10_000;
/// Longest fsync (`fsync_ms_max`, `slow-disk`): ten seconds.
pub const MAX_FSYNC_MS: u64 = 10_000;
/// Most latency `slow-link` may add to one link: ten seconds, as much as the slowest latency.
pub const MAX_LINK_EXTRA_MS: u64 = 10_000;
/// Most entries per WAL segment: beyond that a segment never rolls within a lesson.
pub const MAX_SEGMENT_ENTRIES: usize = 4096;
/// Most appends a leader may have outstanding to one follower.
pub const MAX_INFLIGHT: usize = 64;
/// Most entries in one AppendEntries message.
pub const MAX_BATCH: usize = 1024;
/// Most trace records a world keeps for its views (each costs memory in the browser).
pub const MAX_TRACE_CAPACITY: usize = 1_000_000;
/// Most finished client operations a world keeps in its history.
pub const MAX_HISTORY_CAPACITY: usize = 10_000_000;

/// Longest key a client operation may name, in bytes: keys are drawn inside log entries and the state table.
pub const MAX_KEY_BYTES: usize = 64;
/// Longest value a `put`, `cas` or `append` may carry, in bytes: values are shown in tooltips and the state table.
pub const MAX_VALUE_BYTES: usize = 256;
/// Highest write load (`set-write-load`): more than a simulated cluster commits teaches nothing.
pub const MAX_WRITE_LOAD_PER_SECOND: u64 = 1_000;
/// Fastest a node's clock may run (`set-clock-rate`), × virtual time: at ten times a follower's election timer
/// already fires before the next heartbeat arrives; faster clocks teach nothing more. (Rates must be above 0.)
pub const MAX_CLOCK_RATE: u64 = 10;
/// Largest weight of one kind of operation in a `set-write-load` mix (weights are ratios: 100 is plenty).
pub const MAX_WRITE_MIX_WEIGHT: u64 = 100;

/// Largest history file `check-history` (or an import) reads, in bytes: a history is checked in memory.
pub const MAX_HISTORY_BYTES: usize = 64 * 1024 * 1024;
/// Most operations a history file may hold (Porcupine's largest test history has about 2,000).
pub const MAX_HISTORY_OPS: usize = 1_000_000;
/// Largest scenario text accepted, so a hostile file or link cannot make the page allocate without bound.
pub const MAX_SCENARIO_BYTES: usize = 1024 * 1024;
/// Longest share link accepted (characters), so a pasted or hostile link cannot make the page allocate without
/// bound. 256 KiB of base64 is ~192 KB of JSON: thousands of steps.
pub const MAX_SHARE_CHARS: usize = 256 * 1024;
/// Most steps a scenario may have; far beyond any lesson, small enough to list in the UI.
pub const MAX_STEPS: usize = 10_000;
/// Latest virtual time a step (or `duration_ms`) may name: one day, so microsecond arithmetic cannot overflow.
pub const MAX_TIME_MS: u64 = 24 * 60 * 60 * 1000;
/// Longest scenario `name`, in characters (it is a title).
pub const MAX_NAME_CHARS: usize = 200;
/// Longest `summary` or narration text, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Fewest choices a `predict` question offers: a question needs an alternative.
pub const MIN_CHOICES: usize = 2;
/// Most choices a `predict` question offers: more do not fit a projector, nor a student's attention.
pub const MAX_CHOICES: usize = 4;
/// Longest lesson of the course, in minutes at the default speed (`course.minutes`): a class has little time.
pub const MAX_LESSON_MINUTES: u64 = 3;
/// Highest `course.order`: a course with more lessons than this is several courses.
pub const MAX_COURSE_ORDER: u64 = 999;

// The rules that a configuration field and a command field share, so that both say the same thing.

/// `at most 256 bytes, got 500` unless `value ≤ max`.
pub fn check_at_most<N: PartialOrd + fmt::Display>(value: N, max: N, unit: &str) -> Result<(), String> {
    if value <= max {
        Ok(())
    } else {
        Err(format!("at most {max} {unit}, got {value}"))
    }
}

/// A probability: 0 ≤ p ≤ 1 (and not NaN).
pub fn check_probability(p: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(format!("must be a probability between 0 and 1, got {p}"))
    }
}

/// A loss probability: a probability below 1 (a network that drops everything never elects a leader).
pub fn check_loss(p: f64) -> Result<(), String> {
    check_probability(p)?;
    if p >= 1.0 {
        return Err("must be below 1: a network that drops every message can never elect a leader".into());
    }
    Ok(())
}

/// A millisecond range `min ≤ max ≤ limit`, each end given with its field name (the error names the one at
/// fault).
pub fn check_range(min: (&str, u64), max: (&str, u64), limit: u64) -> Result<(), FieldError> {
    let ((min_field, min_ms), (max_field, max_ms)) = (min, max);
    if min_ms > max_ms {
        return Err(FieldError::new(min_field, format!("must not exceed {max_field} ({min_ms} > {max_ms})")));
    }
    check_at_most(max_ms, limit, "ms").map_err(|reason| FieldError::new(max_field, reason))
}

/// Heartbeat and election timeouts: `0 < heartbeat_ms < election_timeout_ms_min ≤ election_timeout_ms_max ≤
/// MAX_TIMEOUT_MS` (a follower must hear several heartbeats before it times out).
pub fn check_timeouts(heartbeat_ms: u64, min_ms: u64, max_ms: u64) -> Result<(), FieldError> {
    if min_ms == 0 || min_ms > max_ms {
        return Err(FieldError::new(
            "election_timeout_ms_min",
            format!("must be positive and at most election_timeout_ms_max ({min_ms} > {max_ms})"),
        ));
    }
    check_at_most(max_ms, MAX_TIMEOUT_MS, "ms").map_err(|reason| FieldError::new("election_timeout_ms_max", reason))?;
    if heartbeat_ms == 0 || heartbeat_ms >= min_ms {
        return Err(FieldError::new(
            "heartbeat_ms",
            format!("must be positive and below election_timeout_ms_min ({min_ms}), got {heartbeat_ms}"),
        ));
    }
    Ok(())
}

/// A lease in `lease` read mode lasts at most the minimum election timeout: followers promise not to vote for
/// that long after hearing the leader, and a lease that outlasted the promise could overlap a new leader's.
pub fn check_lease_within_timeout(lease_ms: u64, election_timeout_ms_min: u64) -> Result<(), String> {
    if lease_ms <= election_timeout_ms_min {
        return Ok(());
    }
    Err(format!(
        "must be at most election_timeout_ms_min ({election_timeout_ms_min}) in lease read mode, got {lease_ms}: \
         followers promise not to vote for that long, and a lease may not outlast the promise"
    ))
}

/// A clock-drift bound ρ: 0 ≤ ρ < 1 (a bound of 1 would allow a clock that stops).
pub fn check_drift_bound(rho: f64) -> Result<(), String> {
    if (0.0..1.0).contains(&rho) {
        Ok(())
    } else {
        Err(format!("must be at least 0 and below 1 (clocks run at rates within [1 − ρ, 1 + ρ]), got {rho}"))
    }
}
