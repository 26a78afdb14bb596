//! Invariant violations as values: which rule broke, where, and when. The checker returns them, the UI shows
//! them and pauses, the CLI prints them and exits 1. A violation is never a panic.

use crate::sim::types::{format_time, Index, NodeId, Time};
use serde::{Deserialize, Serialize};

/// The invariants of DESIGN §4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Invariant {
    /// At most one leader per term.
    I1ElectionSafety,
    /// A leader never overwrites or deletes entries in its log.
    I2LeaderAppendOnly,
    /// Same index and term ⇒ same entry and same prefix.
    I3LogMatching,
    /// A committed entry is in the log of every later leader.
    I4LeaderCompleteness,
    /// No two nodes apply different entries at one index.
    I5StateMachineSafety,
    /// A node's term never decreases, even across crashes, and rises only by a campaign or by adopting a term
    /// another node held (never to a pre-vote's term); at most one vote per term.
    I6TermMonotonic,
    /// Every acknowledged write is durable on a majority when it is acknowledged.
    I7AckedDurable,
    /// An acknowledged write is in every later leader's log.
    I8AckedNeverLost,
    /// HWM ≤ highest index durable on a majority, and it advanced on a current-term entry.
    I9HwmQuorum,
    /// A node's HWM never decreases while it is up.
    I10HwmMonotonic,
    /// A follower's HWM ≤ its last index and ≤ the highest index ever committed.
    I11FollowerHwmBounded,
    /// snapshot ≤ applied ≤ HWM ≤ last on every node.
    I12WatermarkOrder,
    /// A read never returns a value above the serving node's HWM.
    I13ReadBelowHwm,
    /// Every deleted segment is covered by a durable snapshot.
    I14DeletionCovered,
    /// A lagging follower can always catch up: the leader has entries or a snapshot for it.
    I15CatchUpPossible,
    /// Segments are contiguous; only sealed prefix segments are deleted.
    I16SegmentsContiguous,
    /// No record with a bad CRC is ever applied or sent.
    I17NoCorruptRecordUsed,
    /// Each (client, seq) is applied at most once.
    I18AppliedOnce,
    /// With every clock within the drift bound, at most one node holds a valid read lease at any instant.
    I19OneLease,
    /// A learner never counts toward a commit or an election.
    I20LearnersNeverCount,
    /// The client history is not linearizable (read modes that promise linearizability only).
    Linearizability,
    /// After faults are healed, a leader is elected and every acknowledged write is readable.
    Liveness,
}

impl Invariant {
    /// Short code: `I1` … `I20`, `LIN`, `LIVE`.
    pub fn code(self) -> &'static str {
        use Invariant::*;
        match self {
            I1ElectionSafety => "I1",
            I2LeaderAppendOnly => "I2",
            I3LogMatching => "I3",
            I4LeaderCompleteness => "I4",
            I5StateMachineSafety => "I5",
            I6TermMonotonic => "I6",
            I7AckedDurable => "I7",
            I8AckedNeverLost => "I8",
            I9HwmQuorum => "I9",
            I10HwmMonotonic => "I10",
            I11FollowerHwmBounded => "I11",
            I12WatermarkOrder => "I12",
            I13ReadBelowHwm => "I13",
            I14DeletionCovered => "I14",
            I15CatchUpPossible => "I15",
            I16SegmentsContiguous => "I16",
            I17NoCorruptRecordUsed => "I17",
            I18AppliedOnce => "I18",
            I19OneLease => "I19",
            I20LearnersNeverCount => "I20",
            Linearizability => "LIN",
            Liveness => "LIVE",
        }
    }

    /// The invariant whose [`code`](Invariant::code) is `code` (`I7`, `LIN`), if any: lesson files name
    /// invariants by code, and this is the one list they are read against.
    pub fn from_code(code: &str) -> Option<Invariant> {
        Invariant::ALL.into_iter().find(|invariant| invariant.code() == code)
    }

    /// The rule in one phrase, for the invariant panel.
    pub fn title(self) -> &'static str {
        use Invariant::*;
        match self {
            I1ElectionSafety => "election safety: at most one leader per term",
            I2LeaderAppendOnly => "a leader only appends",
            I3LogMatching => "log matching",
            I4LeaderCompleteness => "leader completeness",
            I5StateMachineSafety => "state-machine safety",
            I6TermMonotonic => "terms never go back and rise only by a campaign or a term seen; one vote per term",
            I7AckedDurable => "acknowledged writes are durable on a majority",
            I8AckedNeverLost => "acknowledged writes are never lost",
            I9HwmQuorum => "HWM is on a quorum and advanced in the current term",
            I10HwmMonotonic => "HWM never decreases while up",
            I11FollowerHwmBounded => "follower HWM is bounded",
            I12WatermarkOrder => "snapshot ≤ applied ≤ HWM ≤ last",
            I13ReadBelowHwm => "reads see nothing above the HWM",
            I14DeletionCovered => "deleted segments are covered by a durable snapshot",
            I15CatchUpPossible => "a lagging follower can always catch up",
            I16SegmentsContiguous => "segments are contiguous; only sealed prefixes are deleted",
            I17NoCorruptRecordUsed => "no corrupt record is applied or sent",
            I18AppliedOnce => "each client request is applied at most once",
            I19OneLease => "with clocks within the drift bound, at most one valid lease at a time",
            I20LearnersNeverCount => "a learner never counts toward a commit or an election",
            Linearizability => "client history is linearizable",
            Liveness => "after healing: a leader, and every acknowledged write readable",
        }
    }

    /// Every invariant, for the live panel.
    pub const ALL: [Invariant; 22] = [
        Invariant::I1ElectionSafety,
        Invariant::I2LeaderAppendOnly,
        Invariant::I3LogMatching,
        Invariant::I4LeaderCompleteness,
        Invariant::I5StateMachineSafety,
        Invariant::I6TermMonotonic,
        Invariant::I7AckedDurable,
        Invariant::I8AckedNeverLost,
        Invariant::I9HwmQuorum,
        Invariant::I10HwmMonotonic,
        Invariant::I11FollowerHwmBounded,
        Invariant::I12WatermarkOrder,
        Invariant::I13ReadBelowHwm,
        Invariant::I14DeletionCovered,
        Invariant::I15CatchUpPossible,
        Invariant::I16SegmentsContiguous,
        Invariant::I17NoCorruptRecordUsed,
        Invariant::I18AppliedOnce,
        Invariant::I19OneLease,
        Invariant::I20LearnersNeverCount,
        Invariant::Linearizability,
        Invariant::Liveness,
    ];
}

/// One broken invariant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Which rule.
    pub invariant: Invariant,
    /// Virtual time it was detected.
    pub time_us: Time,
    /// Nodes involved.
    pub nodes: Vec<NodeId>,
    /// Log indexes involved.
    pub indexes: Vec<Index>,
    /// What exactly was seen.
    pub detail: String,
}

impl Violation {
    /// `I5 at 812.3ms (nodes [0, 2], indexes [7]): …`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} at {} (nodes {:?}, indexes {:?}): {}",
            self.invariant.code(),
            self.invariant.title(),
            format_time(self.time_us),
            self.nodes,
            self.indexes,
            self.detail
        )
    }
}
