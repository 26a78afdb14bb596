//! The trace: one record per thing that happened, kept in a bounded ring for views and folded into a running
//! hash over the whole run (the determinism check: same seed + same commands ⇒ same hash, natively and in wasm).
//! `describe` is the one formatter for tests, the CLI and the UI's event log.

use crate::sim::check::violation::Violation;
use crate::sim::raft::message::{Body, Endpoint, Message, Outcome};
use crate::sim::raft::node::{Observation, TimerKind, TransferAbandon};
use crate::sim::storage::entry::describe_members;
use crate::sim::types::{format_time, Index, NodeId, Time};
use crate::sim::world::command::Command;
use crate::sim::world::history::{HistoryOp, OpStatus};
use crate::sim::world::network::DropReason;

/// What happened.
#[derive(Clone, Debug)]
pub enum What {
    /// A command from a user or scenario.
    Command(Command),
    /// A message arrived and was handled.
    Delivered(Message),
    /// A message was lost (loss, cut link, or its receiver was down).
    Dropped(Message, DropReason),
    /// A message reached a crashed node and vanished.
    LostAtDeadNode(Message),
    /// A timer fired.
    Timer(TimerKind),
    /// An fsync finished; everything up to `covers_index` is durable.
    FsyncDone { covers_index: Index },
    /// An fsync failed: the node stops and will be restarted from disk.
    FsyncFailed,
    /// The node found a reason to stop (a corrupt record) and will be restarted.
    FailStop(String),
    /// Power loss; `lost` unsynced records vanished.
    Crashed { lost: u64 },
    /// A node booted and recovered from its disk.
    Restarted,
    /// A node froze.
    Paused,
    /// A node resumed.
    Resumed,
    /// A node reported a fact.
    Observed(Observation),
    /// A client retried.
    ClientRetry { client: usize, seq: u64, attempt: u32, target: NodeId },
    /// A client operation finished.
    ClientDone(HistoryOp),
    /// The checker found a violation.
    Violation(Violation),
    /// A new, empty server started and the leader appended a configuration that adds it (`learner`: as a
    /// learner, which follows the log without voting).
    NodeJoined { members: Vec<NodeId>, learners: Vec<NodeId>, learner: bool },
    /// The leader appended a configuration without this node; it leaves once that is committed.
    NodeLeaving { members: Vec<NodeId>, learners: Vec<NodeId> },
    /// The leader appended a configuration in which this learner is a voter (effective at once, like any).
    Promoting { members: Vec<NodeId> },
    /// The node's process was shut down for good: the configuration without it was committed, or (`join_lost`)
    /// the configuration that added it was lost and a newer one without it was committed.
    NodeRemoved { join_lost: bool },
}

/// One trace record.
#[derive(Clone, Debug)]
pub struct TraceEvent {
    /// Position in the run.
    pub seq: u64,
    /// Virtual time.
    pub time: Time,
    /// Node concerned.
    pub node: Option<NodeId>,
    /// What happened.
    pub what: What,
}

/// FNV-1a over 64-bit words: platform-independent (no `usize`, no `Hash` impls that vary by target).
#[derive(Clone, Copy, Debug)]
pub struct Fingerprint(pub u64);

impl Fingerprint {
    /// The FNV offset basis.
    pub fn new() -> Fingerprint {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }

    /// Folds in one word.
    pub fn word(&mut self, v: u64) {
        for byte in v.to_le_bytes() {
            self.0 ^= byte as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint::new()
    }
}

fn endpoint_word(e: Endpoint) -> u64 {
    match e {
        Endpoint::Node(n) => n as u64,
        Endpoint::Client(c) => 1000 + c as u64,
    }
}

/// Folds the identifying fields of a message into the fingerprint.
pub fn fingerprint_message(f: &mut Fingerprint, m: &Message) {
    f.word(endpoint_word(m.from));
    f.word(endpoint_word(m.to));
    f.word(m.term);
    match &m.body {
        Body::RequestVote { last_index, last_term, transfer } => {
            f.word(1);
            f.word(*last_index);
            f.word(*last_term);
            // Folded in only when set, so that runs without transfers keep the hashes they had.
            if *transfer {
                f.word(101);
            }
        }
        Body::Vote { granted } => f.word(2 + *granted as u64 * 100),
        Body::Append { prev_index, prev_term, entries, commit, probe } => {
            f.word(3);
            f.word(*prev_index);
            f.word(*prev_term);
            f.word(entries.len() as u64);
            f.word(*commit);
            f.word(*probe);
        }
        Body::AppendReply { success, match_index, probe } => {
            f.word(4 + *success as u64 * 100);
            f.word(*match_index);
            f.word(*probe);
        }
        Body::InstallSnapshot { snapshot } => {
            f.word(5);
            f.word(snapshot.last_index);
        }
        Body::SnapshotReply { last_index } => {
            f.word(6);
            f.word(*last_index);
        }
        Body::Request { seq, .. } => {
            f.word(7);
            f.word(*seq);
        }
        Body::Reply { seq, outcome } => {
            f.word(8);
            f.word(*seq);
            match outcome {
                Outcome::Ok { index, .. } => f.word(*index),
                // A compare-and-set's answer folds in its decision too (no run before cas existed has one).
                Outcome::Cas { applied, index } => {
                    f.word(*index);
                    f.word(u64::from(*applied));
                }
                Outcome::NotLeader { .. } => {}
            }
        }
        Body::RequestPreVote { last_index, last_term } => {
            f.word(9);
            f.word(*last_index);
            f.word(*last_term);
        }
        Body::PreVote { granted } => f.word(10 + *granted as u64 * 100),
        Body::TimeoutNow => f.word(11),
    }
}

/// Folds a `What::Delivered(m)` record into the fingerprint (also for a delivery hashed without a record).
pub fn fingerprint_delivered(f: &mut Fingerprint, m: &Message) {
    f.word(41);
    fingerprint_message(f, m);
}

/// Folds an observation into the fingerprint.
pub fn fingerprint_observation(f: &mut Fingerprint, o: &Observation) {
    match o {
        Observation::BecameCandidate { term } => {
            f.word(20);
            f.word(*term);
        }
        Observation::BecameLeader { term } => {
            f.word(21);
            f.word(*term);
        }
        Observation::SteppedDown { term, .. } => {
            f.word(22);
            f.word(*term);
        }
        Observation::VoteGranted { term, candidate, .. } => {
            f.word(23);
            f.word(*term);
            f.word(*candidate as u64);
        }
        Observation::Appended { entries, .. } => {
            f.word(24);
            for e in entries {
                f.word(e.index);
                f.word(e.crc as u64);
            }
        }
        Observation::Truncated { from, removed, .. } => {
            f.word(25);
            f.word(*from);
            f.word(*removed);
        }
        Observation::CommitAdvanced { to, .. } => {
            f.word(26);
            f.word(*to);
        }
        Observation::Applied { entry, .. } => {
            f.word(27);
            f.word(entry.index);
        }
        Observation::SnapshotWritten { last_index } => {
            f.word(28);
            f.word(*last_index);
        }
        Observation::SnapshotInstalled { last_index, .. } => {
            f.word(29);
            f.word(*last_index);
        }
        Observation::SegmentsDeleted { lwm, segments } => {
            f.word(30);
            f.word(*lwm);
            f.word(segments.len() as u64);
        }
        Observation::ReadServed { client, seq, value_index, lease, .. } => {
            f.word(31);
            f.word(*client as u64);
            f.word(*seq);
            f.word(*value_index);
            if *lease {
                f.word(131);
            }
        }
        Observation::WriteAcked { client, seq, index, .. } => {
            f.word(32);
            f.word(*client as u64);
            f.word(*seq);
            f.word(*index);
        }
        Observation::Recovered { replayed_to, .. } => {
            f.word(33);
            f.word(*replayed_to);
        }
        Observation::LeftAsLeader { term } => {
            f.word(35);
            f.word(*term);
        }
        Observation::ConfigCommitted { index, members, learners } => {
            f.word(34);
            f.word(*index);
            members.iter().for_each(|m| f.word(*m as u64));
            fingerprint_learners(f, learners);
        }
        other => fingerprint_extension(f, other),
    }
}

/// Learners of a configuration, folded in only when there are any (configurations without learners keep the
/// hashes they had before learners existed).
fn fingerprint_learners(f: &mut Fingerprint, learners: &[NodeId]) {
    if !learners.is_empty() {
        f.word(60);
        learners.iter().for_each(|l| f.word(*l as u64));
    }
}

/// The observations of DESIGN §3a's extensions (pre-vote, check-quorum, leases, transfers).
fn fingerprint_extension(f: &mut Fingerprint, o: &Observation) {
    let (code, a, b) = match *o {
        Observation::PreVoteStarted { term, .. } => (61, term, 0),
        Observation::PreVoteGranted { term, candidate } => (62, term, candidate as u64),
        Observation::PreVoteRefused { term, candidate, reason } => (63, term, candidate as u64 * 16 + reason as u64),
        Observation::VoteIgnored { term, candidate } => (64, term, candidate as u64),
        Observation::CheckQuorumFailed { term, heard, .. } => (65, term, heard as u64),
        Observation::LeaseGranted { until } => (66, until, 0),
        Observation::LeaseExpired { until } => (67, until, 0),
        Observation::TransferStarted { to } => (68, to as u64, 0),
        Observation::TimeoutNowSent { to, index } => (69, to as u64, index),
        Observation::TransferAbandoned { to, reason } => (70, to as u64, reason as u64),
        Observation::TimeoutNowReceived { from } => (71, from as u64, 0),
        Observation::ProposalDropped { client, seq, .. } => (72, client as u64, seq),
        _ => unreachable!("fingerprint_observation folds in the other observations"),
    };
    f.word(code);
    f.word(a);
    f.word(b);
}

/// Every filter category [`What::category`] returns, in the order the event log offers them.
pub const CATEGORIES: [&str; 14] = [
    "command",
    "message",
    "timer",
    "disk",
    "election",
    "log",
    "commit",
    "snapshot",
    "segment",
    "client",
    "fault",
    "membership",
    "lease",
    "violation",
];

impl What {
    /// Folds this record into the fingerprint (without the time and node, which the caller adds).
    pub fn fingerprint(&self, f: &mut Fingerprint) {
        match self {
            What::Command(_) => f.word(40),
            What::Delivered(m) => fingerprint_delivered(f, m),
            What::Dropped(m, _) => {
                f.word(42);
                fingerprint_message(f, m);
            }
            What::LostAtDeadNode(m) => {
                f.word(43);
                fingerprint_message(f, m);
            }
            What::Timer(k) => f.word(44 + *k as u64),
            What::FsyncDone { covers_index } => {
                f.word(46);
                f.word(*covers_index);
            }
            What::FsyncFailed => f.word(47),
            What::FailStop(_) => f.word(48),
            What::Crashed { lost } => {
                f.word(49);
                f.word(*lost);
            }
            What::Restarted => f.word(50),
            What::Paused => f.word(51),
            What::Resumed => f.word(52),
            What::Observed(o) => fingerprint_observation(f, o),
            What::ClientRetry { client, seq, attempt, target } => {
                f.word(53);
                f.word(*client as u64);
                f.word(*seq);
                f.word(*attempt as u64);
                f.word(*target as u64);
            }
            What::ClientDone(op) => {
                f.word(54);
                f.word(op.client as u64);
                f.word(op.seq);
            }
            What::Violation(_) => f.word(55),
            What::NodeJoined { members, learners, .. } | What::NodeLeaving { members, learners } => {
                f.word(if matches!(self, What::NodeJoined { .. }) { 56 } else { 57 });
                members.iter().for_each(|m| f.word(*m as u64));
                fingerprint_learners(f, learners);
            }
            What::NodeRemoved { .. } => f.word(58),
            What::Promoting { members } => {
                f.word(59);
                members.iter().for_each(|m| f.word(*m as u64));
            }
        }
    }

    /// Filter category for the event log.
    pub fn category(&self) -> &'static str {
        match self {
            What::Command(_) => "command",
            What::Delivered(_) | What::Dropped(..) | What::LostAtDeadNode(_) => "message",
            What::Timer(_) => "timer",
            What::FsyncDone { .. } | What::FsyncFailed => "disk",
            What::FailStop(_) | What::Crashed { .. } | What::Restarted | What::Paused | What::Resumed => "fault",
            What::ClientRetry { .. } | What::ClientDone(_) => "client",
            What::Violation(_) => "violation",
            What::NodeJoined { .. } | What::NodeLeaving { .. } | What::NodeRemoved { .. } | What::Promoting { .. } => {
                "membership"
            }
            What::Observed(o) => match o {
                Observation::BecameCandidate { .. }
                | Observation::BecameLeader { .. }
                | Observation::SteppedDown { .. }
                | Observation::VoteGranted { .. }
                | Observation::PreVoteStarted { .. }
                | Observation::PreVoteGranted { .. }
                | Observation::PreVoteRefused { .. }
                | Observation::VoteIgnored { .. }
                | Observation::CheckQuorumFailed { .. }
                | Observation::TransferStarted { .. }
                | Observation::TimeoutNowSent { .. }
                | Observation::TransferAbandoned { .. }
                | Observation::TimeoutNowReceived { .. } => "election",
                Observation::LeaseGranted { .. } | Observation::LeaseExpired { .. } => "lease",
                Observation::ProposalDropped { .. } => "client",
                Observation::Appended { .. } | Observation::Truncated { .. } => "log",
                Observation::CommitAdvanced { .. } | Observation::Applied { .. } => "commit",
                Observation::SnapshotWritten { .. } | Observation::SnapshotInstalled { .. } => "snapshot",
                Observation::SegmentsDeleted { .. } => "segment",
                Observation::ReadServed { .. } | Observation::WriteAcked { .. } => "client",
                Observation::Recovered { .. } => "fault",
                Observation::ConfigCommitted { .. } | Observation::LeftAsLeader { .. } => "membership",
            },
        }
    }

    /// Whether "run until the next interesting event" stops here.
    pub fn interesting(&self) -> bool {
        match self {
            What::Command(_)
            | What::Dropped(..)
            | What::FsyncFailed
            | What::FailStop(_)
            | What::Crashed { .. }
            | What::Restarted
            | What::ClientDone(_)
            | What::Violation(_)
            | What::NodeJoined { .. }
            | What::NodeLeaving { .. }
            | What::NodeRemoved { .. }
            | What::Promoting { .. } => true,
            What::Observed(o) => matches!(
                o,
                Observation::BecameCandidate { .. }
                    | Observation::BecameLeader { .. }
                    | Observation::SteppedDown { .. }
                    | Observation::Truncated { .. }
                    | Observation::CommitAdvanced { .. }
                    | Observation::SnapshotWritten { .. }
                    | Observation::SnapshotInstalled { .. }
                    | Observation::SegmentsDeleted { .. }
                    | Observation::ConfigCommitted { .. }
                    | Observation::LeftAsLeader { .. }
                    | Observation::PreVoteStarted { .. }
                    | Observation::CheckQuorumFailed { .. }
                    | Observation::LeaseGranted { .. }
                    | Observation::LeaseExpired { .. }
                    | Observation::TransferStarted { .. }
                    | Observation::TimeoutNowSent { .. }
                    | Observation::TransferAbandoned { .. }
            ),
            _ => false,
        }
    }

    /// One human sentence.
    pub fn describe(&self) -> String {
        match self {
            What::Command(c) => format!("command: {}", c.describe()),
            What::Delivered(m) => format!("{} → {}: {}", m.from.label(), m.to.label(), m.summary()),
            What::Dropped(m, reason) => {
                let why = match reason {
                    DropReason::Cut => "link cut",
                    _ => "lost",
                };
                format!("{} → {}: {} ({why})", m.from.label(), m.to.label(), m.summary())
            }
            What::LostAtDeadNode(m) => {
                format!("{} → {}: {} (receiver is down)", m.from.label(), m.to.label(), m.summary())
            }
            What::Timer(TimerKind::Election) => "election timeout".to_string(),
            What::Timer(TimerKind::Heartbeat) => "heartbeat timer".to_string(),
            What::FsyncDone { covers_index } => format!("fsync done: durable up to {covers_index}"),
            What::FsyncFailed => "fsync FAILED: the node crashes and will recover from disk (no retry)".to_string(),
            What::FailStop(reason) => format!("stopping: {reason}; will recover from disk"),
            What::Crashed { lost } => format!("crashed: {lost} unsynced record(s) lost"),
            What::Restarted => "restarted".to_string(),
            What::Paused => "paused (timers frozen, messages queue)".to_string(),
            What::Resumed => "resumed".to_string(),
            What::ClientRetry { client, seq, attempt, target } => {
                format!("client {client} retries #{seq} (attempt {attempt}) at n{target}")
            }
            What::ClientDone(op) => match &op.status {
                OpStatus::Ok { value: Some(v), .. } => format!("client {}: {} → {v}", op.client, op.op.describe()),
                OpStatus::Ok { applied: Some(applied), index, .. } => {
                    let decision = if *applied { "applied" } else { "not applied" };
                    format!("client {}: {} {decision} (index {index})", op.client, op.op.describe())
                }
                OpStatus::Ok { value: None, index, .. } if op.op.is_write() => {
                    format!("client {}: {} acknowledged (index {index})", op.client, op.op.describe())
                }
                OpStatus::Ok { value: None, .. } => format!("client {}: {} → (absent)", op.client, op.op.describe()),
                OpStatus::Unknown { reason } => format!("client {}: {} gave up: {reason}", op.client, op.op.describe()),
                OpStatus::Pending => format!("client {}: {} pending", op.client, op.op.describe()),
            },
            What::Violation(v) => format!("VIOLATION {}", v.describe()),
            What::NodeJoined { members, learners, learner: false } => {
                format!(
                    "joins with an empty log; the leader appended the configuration {}",
                    describe_config(members, learners)
                )
            }
            What::NodeJoined { members, learners, learner: true } => format!(
                "joins as a learner with an empty log (it copies the log and never votes); the leader appended \
                 the configuration {}",
                describe_config(members, learners)
            ),
            What::NodeLeaving { members, learners } => format!(
                "is leaving: the leader appended the configuration {}; it shuts down once that is committed",
                describe_config(members, learners)
            ),
            What::Promoting { members } => format!(
                "is promoted from learner to voter: the leader appended the configuration {}",
                describe_members(members)
            ),
            What::NodeRemoved { join_lost: false } => {
                "left the cluster (its removal is committed) and shut down".to_string()
            }
            What::NodeRemoved { join_lost: true } => {
                "shut down: the entry that added it was truncated away and a configuration without it is committed"
                    .to_string()
            }
            What::Observed(o) => describe_observation(o),
        }
    }
}

/// One sentence for a node's observation.
pub fn describe_observation(o: &Observation) -> String {
    match o {
        Observation::BecameCandidate { term } => format!("starts an election for term {term}"),
        Observation::BecameLeader { term } => format!("becomes leader of term {term}"),
        Observation::SteppedDown { term, from } => format!("steps down ({from:?} → follower) on seeing term {term}"),
        Observation::VoteGranted { term, candidate, .. } => format!("votes for n{candidate} in term {term}"),
        Observation::Appended { entries, .. } => match (entries.first(), entries.last()) {
            (Some(a), Some(b)) if a.index == b.index => format!("appends entry {} (unsynced)", a.index),
            (Some(a), Some(b)) => format!("appends entries {}..{} (unsynced)", a.index, b.index),
            _ => "appends nothing".to_string(),
        },
        Observation::Truncated { from, removed, .. } => {
            format!("truncates {removed} conflicting entr(ies) from {from}")
        }
        Observation::CommitAdvanced { from, to, .. } => format!("HWM {from} → {to}"),
        Observation::Applied { entry, effect, .. } => {
            let dup =
                if *effect == crate::sim::storage::kv::ApplyEffect::Duplicate { " (duplicate, skipped)" } else { "" };
            format!("applies {} {}{dup}", entry.index, entry.payload.describe())
        }
        Observation::SnapshotWritten { last_index } => format!("writes a snapshot up to {last_index}"),
        Observation::SnapshotInstalled { last_index, kept_suffix, .. } => {
            let how = if *kept_suffix { "keeps its log suffix" } else { "discards its log" };
            format!("installs the leader's snapshot up to {last_index}, {how}")
        }
        Observation::SegmentsDeleted { segments, lwm } => {
            let list: Vec<String> = segments.iter().map(|(a, b)| format!("{a}..{b}")).collect();
            format!("LWM {lwm}: deletes segment(s) {}", list.join(", "))
        }
        Observation::ReadServed { client, seq, value_index, hwm, lease: false } => {
            format!("serves read #{seq} of client {client} (value from entry {value_index}, HWM {hwm})")
        }
        Observation::ReadServed { client, seq, value_index, hwm, lease: true } => {
            format!("serves read #{seq} of client {client} under its lease (value from entry {value_index}, HWM {hwm})")
        }
        Observation::WriteAcked { client, seq, index, .. } => {
            format!("acknowledges write #{seq} of client {client} at index {index}")
        }
        Observation::LeftAsLeader { term } => {
            format!("steps down as leader of term {term}: the committed configuration no longer includes it")
        }
        Observation::ConfigCommitted { index, members, learners } => {
            format!(
                "membership change at entry {index} committed: members are now {}",
                describe_config(members, learners)
            )
        }
        Observation::Recovered { lost_from, replayed_to, truncated_to_hwm } => {
            let cut = match lost_from {
                Some(i) => format!(", cut the log at corrupt record {i}"),
                None => String::new(),
            };
            let hwm = if *truncated_to_hwm { ", truncated to its HWM" } else { "" };
            format!("recovered from disk{cut}{hwm}; replayed up to {replayed_to}")
        }
        other => describe_extension(other),
    }
}

/// One sentence for the observations of DESIGN §3a's extensions. Times are the node's own clock.
fn describe_extension(o: &Observation) -> String {
    match *o {
        Observation::PreVoteStarted { term, own } => {
            format!("asks for pre-votes for term {term} (pre-vote: its own term stays {own})")
        }
        Observation::PreVoteGranted { term, candidate } => {
            format!("would vote for n{candidate} in term {term}: grants a pre-vote (its term and vote are unchanged)")
        }
        Observation::PreVoteRefused { term, candidate, reason } => {
            format!("refuses n{candidate} a pre-vote for term {term}: {}", reason.describe())
        }
        Observation::VoteIgnored { term, candidate } => format!(
            "ignores n{candidate}'s RequestVote for term {term}: it heard from a leader within the election timeout"
        ),
        Observation::CheckQuorumFailed { term, heard, needed } => format!(
            "steps down as leader of term {term} (check-quorum): heard from {heard} of the {needed} voters it \
             needs within the election timeout"
        ),
        Observation::LeaseGranted { until } => {
            format!(
                "holds a read lease until {} on its clock (a majority acknowledged its heartbeat)",
                format_time(until)
            )
        }
        Observation::LeaseExpired { until } => {
            format!("its read lease expired at {} on its clock; reads wait for a heartbeat round", format_time(until))
        }
        Observation::TransferStarted { to } => {
            format!("starts handing leadership to n{to}: takes no writes, holds no lease, brings n{to} up to date")
        }
        Observation::TimeoutNowSent { to, index } => {
            format!("n{to} holds its whole log (up to {index}): sends TimeoutNow")
        }
        Observation::TransferAbandoned { to, reason: TransferAbandon::Timeout } => {
            format!("abandons the transfer to n{to}: not done within an election timeout; takes writes again")
        }
        Observation::TimeoutNowReceived { from } => {
            format!("got TimeoutNow from leader n{from}: campaigns at once, without pre-vote")
        }
        Observation::ProposalDropped { client, seq, to } => {
            format!("drops write #{seq} of client {client}: it is handing leadership to n{to}")
        }
        _ => unreachable!("describe_observation describes the other observations"),
    }
}

/// `{n0,n1,n2}`, followed by ` + learners {n3}` when there are learners.
fn describe_config(members: &[NodeId], learners: &[NodeId]) -> String {
    if learners.is_empty() {
        describe_members(members)
    } else {
        format!("{} + learners {}", describe_members(members), describe_members(learners))
    }
}

impl TraceEvent {
    /// The sentence for this record, prefixed by the node it concerns: `n1: becomes leader of term 2` (the
    /// event log's line, without the time).
    pub fn text(&self) -> String {
        match self.node {
            Some(n) => format!("n{n}: {}", self.what.describe()),
            None => self.what.describe(),
        }
    }

    /// `12.3ms n1: becomes leader of term 2`.
    pub fn describe(&self) -> String {
        format!("{} {}", format_time(self.time), self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_is_listed_for_the_event_log() {
        let samples = [
            What::Command(Command::Heal),
            What::Timer(TimerKind::Election),
            What::FsyncFailed,
            What::Restarted,
            What::NodeRemoved { join_lost: false },
            What::Observed(Observation::BecameLeader { term: 1 }),
            What::Observed(Observation::Truncated { from: 1, removed: 1, while_leader: false }),
            What::Observed(Observation::CommitAdvanced { from: 0, to: 1, term_of_entry: 1 }),
            What::Observed(Observation::SnapshotWritten { last_index: 1 }),
            What::Observed(Observation::SegmentsDeleted { segments: vec![], lwm: 1 }),
            What::Observed(Observation::WriteAcked { client: 0, seq: 1, index: 1, term: 1 }),
            What::Observed(Observation::ConfigCommitted { index: 1, members: vec![0], learners: vec![] }),
            What::Observed(Observation::LeaseGranted { until: 1 }),
        ];
        for what in samples {
            assert!(CATEGORIES.contains(&what.category()), "{} is not listed", what.category());
        }
    }
}
