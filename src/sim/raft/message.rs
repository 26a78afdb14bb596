//! Messages on the simulated network: Raft RPCs between nodes and requests/replies between clients and nodes.

use crate::sim::storage::disk::Snapshot;
use crate::sim::storage::entry::EntryRef;
use crate::sim::types::{ClientId, Index, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// Something that can send or receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// A cluster member.
    Node(NodeId),
    /// A client.
    Client(ClientId),
}

impl Endpoint {
    /// `n2`, `c0`.
    pub fn label(self) -> String {
        match self {
            Endpoint::Node(n) => format!("n{n}"),
            Endpoint::Client(c) => format!("c{c}"),
        }
    }

    /// The node id, if this is a node.
    pub fn node(self) -> Option<NodeId> {
        match self {
            Endpoint::Node(n) => Some(n),
            Endpoint::Client(_) => None,
        }
    }
}

/// What a client asked for. It travels in a [`Body::Request`], so it is the protocol's; the world's history
/// records it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum ClientOp {
    /// Write a value.
    Put { key: String, value: String },
    /// Read a value.
    Get { key: String },
    /// Remove a key.
    Delete { key: String },
    /// Compare-and-set: write `value` only if the key holds `expected` now (`None`: only if it is absent).
    /// The answer says whether it applied.
    Cas { key: String, expected: Option<String>, value: String },
    /// Append `value` to the key's string (an absent key counts as empty). The answer carries nothing.
    Append { key: String, value: String },
}

impl ClientOp {
    /// The key the operation touches (linearizability is checked per key).
    pub fn key(&self) -> &str {
        match self {
            ClientOp::Put { key, .. }
            | ClientOp::Get { key }
            | ClientOp::Delete { key }
            | ClientOp::Cas { key, .. }
            | ClientOp::Append { key, .. } => key,
        }
    }

    /// Whether the operation changes state.
    pub fn is_write(&self) -> bool {
        !matches!(self, ClientOp::Get { .. })
    }

    /// `put x=1`, `get x`, `delete x`, `cas x 1→2` (`cas x ∅→2` when it expects the key absent), `append x+=a`.
    pub fn describe(&self) -> String {
        match self {
            ClientOp::Put { key, value } => format!("put {key}={value}"),
            ClientOp::Get { key } => format!("get {key}"),
            ClientOp::Delete { key } => format!("delete {key}"),
            ClientOp::Cas { key, expected: Some(expected), value } => format!("cas {key} {expected}→{value}"),
            ClientOp::Cas { key, expected: None, value } => format!("cas {key} ∅→{value}"),
            ClientOp::Append { key, value } => format!("append {key}+={value}"),
        }
    }
}

/// A client request's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done. Writes: the index they were committed at. Reads: the value and the index that wrote it.
    Ok { value: Option<Rc<str>>, index: Index },
    /// This node does not lead; try the hinted node.
    NotLeader { hint: Option<NodeId> },
    /// A compare-and-set was decided when its entry (at `index`) was applied: `applied` says whether it wrote.
    Cas { applied: bool, index: Index },
}

/// The body of a message.
#[derive(Clone, Debug)]
pub enum Body {
    /// A candidate asks for a vote. `transfer`: it campaigns because the leader handed leadership to it
    /// (TimeoutNow), so voters that still hear from that leader vote anyway (etcd's `campaignTransfer`).
    RequestVote { last_index: Index, last_term: Term, transfer: bool },
    /// The answer to RequestVote.
    Vote { granted: bool },
    /// Entries to append after `(prev_index, prev_term)`, or none (heartbeat). `probe` numbers heartbeat
    /// rounds so a leader can confirm it still leads (read-index).
    Append { prev_index: Index, prev_term: Term, entries: Vec<EntryRef>, commit: Index, probe: u64 },
    /// The answer: on success `match_index` is durable on the follower; on failure it hints where to resume.
    AppendReply { success: bool, match_index: Index, probe: u64 },
    /// The leader's durable snapshot for a follower that needs entries the leader deleted.
    InstallSnapshot { snapshot: Rc<Snapshot> },
    /// The follower now holds everything up to `last_index`.
    SnapshotReply { last_index: Index },
    /// A client operation; `(client, seq)` makes retries idempotent.
    Request { client: ClientId, seq: u64, op: Rc<ClientOp> },
    /// The answer to a client.
    Reply { seq: u64, outcome: Outcome },
    /// A pre-candidate asks whether the receiver would vote for it in the message's term (its own term + 1,
    /// which it has not adopted). The receiver's term and vote do not change.
    RequestPreVote { last_index: Index, last_term: Term },
    /// The answer to RequestPreVote: granted in the asked term, or refused with the receiver's term.
    PreVote { granted: bool },
    /// The leader hands leadership over: the receiver campaigns at once, without pre-vote (dissertation §3.10).
    TimeoutNow,
}

/// Kind of a message: what the UI colours and filters by, and what a reader of a trace groups messages by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageKind {
    /// RequestVote and its reply.
    Vote,
    /// AppendEntries (with entries or as heartbeat).
    Append,
    /// AppendEntries reply.
    Ack,
    /// InstallSnapshot and its reply.
    Snapshot,
    /// Client request or reply.
    Client,
    /// RequestPreVote and its reply (they change no term).
    PreVote,
    /// The leader's TimeoutNow in a leadership transfer.
    TimeoutNow,
}

/// A message with its envelope. `term` is the sender's term (0 for client messages).
#[derive(Clone, Debug)]
pub struct Message {
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// Sender's term.
    pub term: Term,
    /// Contents.
    pub body: Body,
}

impl Message {
    /// Colour class in the UI.
    pub fn kind(&self) -> MessageKind {
        match self.body {
            Body::RequestVote { .. } | Body::Vote { .. } => MessageKind::Vote,
            Body::Append { .. } => MessageKind::Append,
            Body::AppendReply { .. } => MessageKind::Ack,
            Body::InstallSnapshot { .. } | Body::SnapshotReply { .. } => MessageKind::Snapshot,
            Body::Request { .. } | Body::Reply { .. } => MessageKind::Client,
            Body::RequestPreVote { .. } | Body::PreVote { .. } => MessageKind::PreVote,
            Body::TimeoutNow => MessageKind::TimeoutNow,
        }
    }

    /// Whether the message is a pre-vote poll whose term is the candidate's next one, not a term anyone holds
    /// (a request, or a grant in the asked term): a receiver must not adopt it.
    pub fn is_pre_vote_poll(&self) -> bool {
        matches!(self.body, Body::RequestPreVote { .. } | Body::PreVote { granted: true })
    }

    /// One line, e.g. `AppendEntries t3 prev=4/2 [5..7] commit=4`.
    pub fn summary(&self) -> String {
        let t = self.term;
        match &self.body {
            Body::RequestVote { last_index, last_term, transfer: false } => {
                format!("RequestVote t{t} last={last_index}/{last_term}")
            }
            Body::RequestVote { last_index, last_term, transfer: true } => {
                format!("RequestVote t{t} last={last_index}/{last_term} (leadership transfer)")
            }
            Body::RequestPreVote { last_index, last_term } => {
                format!("RequestPreVote t{t} last={last_index}/{last_term}")
            }
            Body::PreVote { granted } => format!("PreVote t{t} {}", if *granted { "granted" } else { "refused" }),
            Body::TimeoutNow => format!("TimeoutNow t{t}"),
            Body::Vote { granted } => format!("Vote t{t} {}", if *granted { "granted" } else { "refused" }),
            Body::Append { prev_index, prev_term, entries, commit, .. } => match (entries.first(), entries.last()) {
                (Some(a), Some(b)) => {
                    format!(
                        "AppendEntries t{t} prev={prev_index}/{prev_term} [{}..{}] commit={commit}",
                        a.index, b.index
                    )
                }
                _ => format!("Heartbeat t{t} prev={prev_index}/{prev_term} commit={commit}"),
            },
            Body::AppendReply { success: true, match_index, .. } => format!("Ack t{t} match={match_index}"),
            Body::AppendReply { success: false, match_index, .. } => {
                format!("Reject t{t} (have up to {match_index})")
            }
            Body::InstallSnapshot { snapshot } => {
                format!("InstallSnapshot t{t} up to {}/{}", snapshot.last_index, snapshot.last_term)
            }
            Body::SnapshotReply { last_index } => format!("SnapshotAck t{t} up to {last_index}"),
            Body::Request { seq, op, .. } => format!("{} (#{seq})", op.describe()),
            Body::Reply { seq, outcome: Outcome::Ok { value, .. } } => match value {
                Some(v) => format!("ok {v} (#{seq})"),
                None => format!("ok (#{seq})"),
            },
            Body::Reply { seq, outcome: Outcome::Cas { applied, .. } } => {
                format!("ok: {} (#{seq})", if *applied { "applied" } else { "not applied" })
            }
            Body::Reply { seq, outcome: Outcome::NotLeader { hint } } => match hint {
                Some(h) => format!("not leader, try n{h} (#{seq})"),
                None => format!("not leader (#{seq})"),
            },
        }
    }
}
