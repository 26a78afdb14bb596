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
    ("ack-after-fsync.json", "Ack after fsync"),
    ("ack-before-fsync-broken.json", "Now break it: ack before fsync"),
    // Patterns `wal` and `segments` (lessons-a), in course order.
    ("group-commit.json", "Group commit"),
    ("crash-unsynced-tail.json", "A crash loses only the unsynced tail"),
    ("torn-write.json", "Torn tail"),
    ("bit-flip-repair.json", "Mid-log bit flip, repaired from a healthy copy"),
    ("bit-flip-skip-crc-broken.json", "Now break it: skip the CRC check"),
    ("fsync-failure.json", "A failed fsync: crash and recover, never retry"),
    ("segments-and-lwm.json", "Segments, snapshot and the low-water mark"),
    ("gc-before-snapshot-durable-broken.json", "Now break it: delete segments before the snapshot is durable"),
    ("retention-snapshot.json", "Retention 1: keep only what the snapshot needs"),
    ("retention-follower-aware.json", "Retention 2: wait for a live follower"),
    ("retention-count.json", "Retention 3: keep the newest entries"),
    ("follower-catch-up-snapshot.json", "Follower catch-up by snapshot"),
    // Replication, HWM and reads, clients (patterns `replication`, `hwm`, `clients`).
    ("election.json", "Electing a leader"),
    ("leader-crash.json", "Leader crash"),
    ("log-repair.json", "Log repair: back-off and truncation"),
    ("skip-prev-check-broken.json", "Now break it: skip the previous-entry check"),
    ("figure-8.json", "Raft Figure 8"),
    ("commit-old-term-broken.json", "Now break it: commit an old term"),
    ("membership.json", "Adding and removing a server"),
    ("commit-needs-majority.json", "Commit needs a majority"),
    ("follower-hwm-lag.json", "Follower HWM lags a round trip"),
    ("follower-hwm-unbounded-broken.json", "Now break it: follower HWM unbounded"),
    ("stale-follower-read.json", "Stale reads: follower, leader, read-index"),
    ("read-above-hwm-broken.json", "Now break it: read above the HWM"),
    ("paused-leader-fenced.json", "A paused old leader is fenced by its term"),
    ("client-retry-once.json", "A retry is applied once"),
    ("no-dedup-broken.json", "Now break it: no dedup"),
    // Raft beyond Figure 2 (pattern `raft-extensions`).
    ("disruptive-rejoin.json", "Disruptive rejoin (no pre-vote)"),
    ("disruptive-rejoin-pre-vote.json", "Disruptive rejoin with pre-vote"),
    ("cut-off-leader.json", "Cut-off leader (no check-quorum)"),
    ("cut-off-leader-check-quorum.json", "Cut-off leader with check-quorum"),
    ("lease-drift-within-bound.json", "Lease reads, clocks within the drift bound"),
    ("lease-drift-beyond-bound.json", "Lease reads, clocks beyond the drift bound"),
    ("leadership-transfer.json", "Leadership transfer for a planned restart"),
    ("learner-join.json", "Adding a server as a learner, then promoting it"),
    // Client histories (pattern `history`).
    ("lost-update-cas.json", "Lost update, and compare-and-set"),
];
