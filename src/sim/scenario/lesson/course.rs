//! Course metadata of a lesson file: which pattern of the course it teaches, its place, its "now break it"
//! twin and its length. The front door's table of contents groups lessons by [`Pattern`], one name list.

use super::fields::{known_fields, name, optional, required, FromJson};
use super::predict::text;
use crate::sim::field_error::FieldError;
use crate::sim::limits::{MAX_COURSE_ORDER, MAX_LESSON_MINUTES, MAX_NAME_CHARS};
use serde::Serialize;
use serde_json::{Map, Value};

/// Where a lesson sits in the course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Course {
    /// The pattern it teaches (the table of contents' group).
    pub pattern: Pattern,
    /// Its position in the course (1 = first).
    pub order: u64,
    /// File name (in `scenarios/`) of its "now break it" twin, or of the correct lesson for a twin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twin: Option<String>,
    /// The author's estimate of its length at the default speed, in whole minutes.
    pub minutes: u64,
}

impl Course {
    /// Reads and validates the `course` object; the field is relative to it.
    pub fn read(object: &Map<String, Value>) -> Result<Course, FieldError> {
        known_fields(object, &["pattern", "order", "twin", "minutes"])?;
        let course = Course {
            pattern: required(object, "pattern")?,
            order: required(object, "order")?,
            twin: optional(object, "twin")?,
            minutes: required(object, "minutes")?,
        };
        course.validate()?;
        Ok(course)
    }

    /// Bounds and the shape of the twin's file name; the field is relative to `course`.
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(1..=MAX_COURSE_ORDER).contains(&self.order) {
            return Err(FieldError::new(
                "order",
                format!("must be between 1 and {MAX_COURSE_ORDER}, got {}", self.order),
            ));
        }
        if !(1..=MAX_LESSON_MINUTES).contains(&self.minutes) {
            return Err(FieldError::new(
                "minutes",
                format!("a lesson of the course takes 1 to {MAX_LESSON_MINUTES} minutes, got {}", self.minutes),
            ));
        }
        if let Some(twin) = &self.twin {
            text("twin", twin, MAX_NAME_CHARS)?;
            let stem = twin.strip_suffix(".json").unwrap_or("");
            if stem.is_empty() || !stem.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(FieldError::new(
                    "twin",
                    format!("must be a lesson file name like `ack-after-fsync.json`, got {twin:?}"),
                ));
            }
        }
        Ok(())
    }
}

/// The patterns the course teaches, in the order of the table of contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    /// Write-ahead log: ack after fsync, group commit, torn tails, bit flips.
    Wal,
    /// Segmented log and the low-water mark: rolling, snapshots, deletion, InstallSnapshot.
    Segments,
    /// Replicated log: elections, leader crashes, back-off and truncation, Figure 8.
    Replication,
    /// High-water mark and reads: commit by majority, follower lag, stale and linearizable reads.
    Hwm,
    /// Clients: retries applied once.
    Clients,
    /// Raft beyond the basics: pre-vote, check-quorum, leases, transfer, learners.
    RaftExtensions,
    /// Histories and their linearizability.
    History,
}

impl FromJson for Pattern {
    fn from_json(value: &Value) -> Result<Pattern, FieldError> {
        name(value, &Pattern::ALL.map(Pattern::name)).map(|i| Pattern::ALL[i])
    }
}

impl Pattern {
    /// Every pattern, in the table of contents' order.
    pub const ALL: [Pattern; 7] = [
        Pattern::Wal,
        Pattern::Segments,
        Pattern::Replication,
        Pattern::Hwm,
        Pattern::Clients,
        Pattern::RaftExtensions,
        Pattern::History,
    ];

    /// The name a file uses.
    pub fn name(self) -> &'static str {
        match self {
            Pattern::Wal => "wal",
            Pattern::Segments => "segments",
            Pattern::Replication => "replication",
            Pattern::Hwm => "hwm",
            Pattern::Clients => "clients",
            Pattern::RaftExtensions => "raft-extensions",
            Pattern::History => "history",
        }
    }

    /// The heading of its group in the table of contents.
    pub fn title(self) -> &'static str {
        match self {
            Pattern::Wal => "Write-ahead log",
            Pattern::Segments => "Segmented log and low-water mark",
            Pattern::Replication => "Replicated log",
            Pattern::Hwm => "High-water mark and reads",
            Pattern::Clients => "Clients",
            Pattern::RaftExtensions => "Raft extensions",
            Pattern::History => "Histories",
        }
    }
}

/// Virtual milliseconds per real millisecond at the UI's default speed (0.1×; the web tests check that the
/// UI's default is this one): what a lesson's `minutes` are measured at.
pub const LESSON_SPEED: f64 = 0.1;

/// Whole minutes (rounded up) that a run of `end_ms` virtual milliseconds takes at [`LESSON_SPEED`], pauses
/// not counted.
pub fn playing_minutes(end_ms: u64) -> u64 {
    let real_ms = end_ms as f64 / LESSON_SPEED;
    (real_ms / 60_000.0).ceil() as u64
}
