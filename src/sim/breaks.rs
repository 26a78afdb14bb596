//! Deliberately broken rules ("pattern switches"). Each switch breaks exactly one rule so a lesson can show
//! what that rule protects, and so tests can prove that the checker notices. All are off by default.

use serde::{Deserialize, Serialize};

crate::sim::json_fields::serde_leaf!(Break);

/// One rule to break. The names are the ones used in scenario files, the CLI's `--break` and the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Break {
    /// Replies that depend on appended entries leave before the fsync that makes them durable.
    AckBeforeFsync,
    /// A vote is granted without persisting `voted_for` (and the term) first.
    VoteWithoutPersist,
    /// Votes are granted without checking that the candidate's log is at least as up to date.
    SkipUpToDateCheck,
    /// The leader commits an old-term entry by counting its replicas (Raft Figure 8).
    CommitOldTerm,
    /// The commit index is computed from followers' match indexes alone, assuming the leader's own copy.
    CommitWithoutLeader,
    /// Followers append without checking that they hold `prev_index` with `prev_term`.
    SkipPrevCheck,
    /// Records are read, applied and sent without verifying their CRC.
    SkipCrc,
    /// Segments are deleted as soon as a snapshot is written, before it is durable.
    GcBeforeSnapshotDurable,
    /// Reads are answered from the newest entries in the log, above the high-water mark.
    ReadAboveHwm,
    /// A follower takes the leader's commit index as its HWM even beyond what it holds from that leader.
    FollowerHwmUnbounded,
    /// On restart a node truncates its log to its last known HWM (Kafka before KIP-101).
    TruncateToHwmOnRestart,
    /// Retried client requests are applied again (no idempotent receiver).
    NoDedup,
    /// The leader's lease is `lease_ms` long on its own clock, without the allowance for clock drift.
    LeaseIgnoresDrift,
    /// A node starting a pre-vote increments (and persists) its term first, as a plain candidate would.
    PreVoteBumpsTerm,
    /// Learners count as voters: they campaign, and their votes and acknowledgements count toward quorums.
    LearnerVotes,
}

impl Break {
    /// Every switch, in a stable order (for menus, `--help` and exhaustive tests).
    pub const ALL: [Break; 15] = [
        Break::AckBeforeFsync,
        Break::VoteWithoutPersist,
        Break::SkipUpToDateCheck,
        Break::CommitOldTerm,
        Break::CommitWithoutLeader,
        Break::SkipPrevCheck,
        Break::SkipCrc,
        Break::GcBeforeSnapshotDurable,
        Break::ReadAboveHwm,
        Break::FollowerHwmUnbounded,
        Break::TruncateToHwmOnRestart,
        Break::NoDedup,
        Break::LeaseIgnoresDrift,
        Break::PreVoteBumpsTerm,
        Break::LearnerVotes,
    ];

    /// The kebab-case name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Break::AckBeforeFsync => "ack-before-fsync",
            Break::VoteWithoutPersist => "vote-without-persist",
            Break::SkipUpToDateCheck => "skip-up-to-date-check",
            Break::CommitOldTerm => "commit-old-term",
            Break::CommitWithoutLeader => "commit-without-leader",
            Break::SkipPrevCheck => "skip-prev-check",
            Break::SkipCrc => "skip-crc",
            Break::GcBeforeSnapshotDurable => "gc-before-snapshot-durable",
            Break::ReadAboveHwm => "read-above-hwm",
            Break::FollowerHwmUnbounded => "follower-hwm-unbounded",
            Break::TruncateToHwmOnRestart => "truncate-to-hwm-on-restart",
            Break::NoDedup => "no-dedup",
            Break::LeaseIgnoresDrift => "lease-ignores-drift",
            Break::PreVoteBumpsTerm => "pre-vote-bumps-term",
            Break::LearnerVotes => "learner-votes",
        }
    }

    /// Parses a switch name; the error lists the valid names.
    pub fn parse(name: &str) -> Result<Break, String> {
        Break::ALL.iter().copied().find(|b| b.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Break::ALL.iter().map(|b| b.name()).collect();
            format!("unknown break `{name}`; expected one of: {}", names.join(", "))
        })
    }

    /// One sentence on what the switch breaks, for the UI and `--help`.
    pub fn explain(self) -> &'static str {
        match self {
            Break::AckBeforeFsync => "acknowledge appends before the fsync that makes them durable",
            Break::VoteWithoutPersist => "grant votes without persisting the vote first",
            Break::SkipUpToDateCheck => "vote for candidates whose log is behind",
            Break::CommitOldTerm => "commit entries of an earlier term by counting replicas (Figure 8)",
            Break::CommitWithoutLeader => "compute the commit index from followers only",
            Break::SkipPrevCheck => "append without checking prev_index/prev_term",
            Break::SkipCrc => "use records without verifying their CRC",
            Break::GcBeforeSnapshotDurable => "delete segments before the snapshot covering them is durable",
            Break::ReadAboveHwm => "serve reads from entries above the high-water mark",
            Break::FollowerHwmUnbounded => "let a follower's HWM run past what it holds",
            Break::TruncateToHwmOnRestart => "truncate the log to the HWM on restart (pre-KIP-101 Kafka)",
            Break::NoDedup => "apply retried client requests again",
            Break::LeaseIgnoresDrift => "compute the leader's lease without the clock-drift allowance",
            Break::PreVoteBumpsTerm => "increment the term when starting a pre-vote",
            Break::LearnerVotes => "count learners as voters in elections and commits",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_parse_and_serde() {
        for b in Break::ALL {
            assert_eq!(Break::parse(b.name()), Ok(b));
            let json = serde_json::to_string(&b).unwrap();
            assert_eq!(json, format!("\"{}\"", b.name()));
        }
        assert!(Break::parse("nope").unwrap_err().contains("ack-before-fsync"));
    }
}
