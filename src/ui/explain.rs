//! One-sentence explanations shown on hover (and read by screen readers): what a thing is and why it is
//! there. They only restate values from the view; they never compute protocol state.

use crate::sim::types::{format_time, Index, NodeId, Time};
use crate::sim::view::{EntryView, MessageKind, MessageView, NodeView, ProgressView, SegmentView};
use crate::sim::world::status::NodeStatus;
use crate::ui::palette::message_name;

/// `n3`.
pub fn node_name(id: NodeId) -> String {
    format!("n{id}")
}

/// A node, for its circle.
pub fn node(node: &NodeView) -> String {
    let name = node_name(node.id);
    let status = match node.status {
        NodeStatus::Up => "",
        NodeStatus::Crashed => " It has crashed: only what was fsynced to its disk survives until it restarts.",
        NodeStatus::Paused => " It is paused (like a long GC pause): its timers are stopped and messages wait.",
        NodeStatus::Removed => " It has left the cluster: its removal was committed and its process shut down.",
    };
    let vote = node.voted_for.map_or_else(|| "has not voted".to_string(), |v| format!("voted for n{v}"));
    format!(
        "{name} is a {} in term {} and {vote} this term; its log holds {}..{}, durable to {}, HWM {}.{status}{} Click for faults.",
        node.role.name(),
        node.term,
        node.first_index,
        node.last_index,
        node.durable_index,
        node.hwm,
        crate::ui::explain_raft::node_extras(node)
    )
}

/// A log entry cell.
pub fn entry(node: NodeId, entry: &EntryView, hwm: Index) -> String {
    let who = entry.client_seq.map_or_else(String::new, |(c, s)| format!(" from client {c} (request #{s})"));
    let durability = if entry.durable {
        "It is fsynced: it survives a crash."
    } else {
        "It is not fsynced yet (hollow): a crash now would lose it."
    };
    let commit = if entry.corrupt {
        " Its stored CRC does not match: the record is corrupt and must never be applied or sent."
    } else if entry.committed {
        " It is at or below this node's HWM, so it is applied and visible to reads."
    } else {
        " It is above this node's HWM: not yet known committed, invisible to reads."
    };
    format!(
        "Entry {} on n{node}, term {}: {}{who}. {durability}{commit} (HWM {hwm}) Click to flip a bit in it.",
        entry.index, entry.term, entry.summary
    )
}

/// A WAL segment box.
pub fn segment(node: NodeId, segment: &SegmentView) -> String {
    if segment.sealed {
        format!(
            "Sealed WAL segment {}..{} on n{node}: it never changes again and is deleted whole once the low-water mark passes its last entry.",
            segment.base_index, segment.last_index
        )
    } else {
        format!(
            "Active WAL segment starting at {} on n{node}: new entries are appended here until it is full, then it is sealed and a new one starts.",
            segment.base_index
        )
    }
}

/// Markers under a node's log.
pub fn marker(name: &str, node: NodeId, index: Index) -> String {
    match name {
        "lwm" => format!("Low-water mark of n{node} = {index}: the oldest entry it still keeps; sealed segments wholly below it are deleted (a snapshot covers them)."),
        "snapshot" => format!("Snapshot of n{node} covers entries up to {index}: the state machine at that point, fsynced, so older log can go."),
        "applied" => format!("n{node} has applied entries up to {index} to its key-value state machine."),
        "hwm" => format!("High-water mark (commit index) of n{node} = {index}: entries up to here are known committed; reads served here see nothing above it."),
        "durable" => format!("n{node} has fsynced its log up to {index}; entries above are still only in memory."),
        "last" => format!("Last entry in n{node}'s log = {index} (synced or not)."),
        _ => format!("{name} of n{node} = {index}"),
    }
}

/// The cluster-wide commit line.
pub fn cluster_commit(index: Index) -> String {
    format!("Cluster commit index (the leader's high-water mark) = {index}: stored on a majority in the leader's term. Followers learn it with the next AppendEntries, so their HWM trails it.")
}

/// The leader's belief about a follower, drawn under that follower's log.
pub fn progress(leader: NodeId, progress: &ProgressView) -> String {
    format!(
        "Leader n{leader} believes n{} has durably stored up to {} (match) and will send {} next (next); state {}, {} append(s) in flight.",
        progress.peer, progress.match_index, progress.next_index, progress.state, progress.inflight
    )
}

/// A message in flight.
pub fn message(message: &MessageView, now: Time) -> String {
    let fate = if message.dropped {
        " It will be lost (loss or a cut link)."
    } else if message.duplicate {
        " It is a duplicate copy made by the network."
    } else {
        ""
    };
    let kind = match message.kind {
        MessageKind::Append if message.entries == 0 => "heartbeat",
        kind => message_name(kind),
    };
    format!(
        "{} → {}: {} ({kind}), sent at {}, arrives at {} (now {}).{fate}",
        message.from,
        message.to,
        message.summary,
        format_time(message.sent_us),
        format_time(message.deliver_us),
        format_time(now)
    )
}
