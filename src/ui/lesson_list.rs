//! The lessons offered by the picker: file names in `scenarios/` and their titles, in teaching order. The files
//! are not compiled in (that cost ≈ 5 KB of the gzipped bundle); trunk copies `scenarios/` next to the app and
//! the picker fetches a lesson when it is chosen. The titles are here so the picker can list them without
//! fetching anything; `tests/scenario_files.rs` checks this list against `scenarios/*.json` (the same files, each
//! with this title).
//! This file has no imports: that test includes it natively, where `ui` is not compiled.

/// The directory (relative to the page, copied by trunk's `copy-dir` in `index.html`) that holds the lessons.
pub const LESSON_DIR: &str = "scenarios";

/// `(file in LESSON_DIR, the scenario's "name")` of each lesson, in teaching order.
pub const LESSONS: &[(&str, &str)] = &[
    ("leader-crash.json", "Leader crash"),
    ("ack-after-fsync.json", "Ack after fsync"),
    ("ack-before-fsync-broken.json", "Now break it: ack before fsync"),
    ("torn-write.json", "Torn write and bit flip"),
    ("follower-catch-up-snapshot.json", "Follower catch-up by snapshot"),
    ("stale-follower-read.json", "Stale follower read"),
    ("membership.json", "Adding and removing a server"),
    ("figure-8.json", "Raft Figure 8"),
    ("lost-update-cas.json", "Lost update, and compare-and-set"),
];
