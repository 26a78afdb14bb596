//! How many heap bytes a world holds, and how many of them another copy of the same run does not already
//! hold: what the checkpoints' memory bound adds up. It is an estimate from the lengths of what grows with
//! a run (the history, the trace records, the commands, the logs, the state machines and snapshots, the
//! messages, the event queue, the checker's facts); fixed-size fields count by `size_of`. Shared data (full
//! chunks of the records, log entries, snapshots) counts only where the other copy does not hold the same
//! allocation. `tests/checkpoint_memory.rs` compares the figure with what a counting allocator sees.

use crate::sim::raft::message::{Body, ClientOp, Message};
use crate::sim::storage::disk::Snapshot;
use crate::sim::storage::kv::{KvState, Versioned};
use crate::sim::storage::segment::Segment;
use crate::sim::world::chunked::{ChunkedDeque, CHUNK};
use crate::sim::world::client::Client;
use crate::sim::world::history::{HistoryOp, OpStatus};
use crate::sim::world::trace::{TraceEvent, What};
use crate::sim::world::{Event, InFlight, Server, World};
use std::mem::size_of;
use std::rc::Rc;

impl World {
    /// Estimated heap bytes this world holds that `other` (an earlier or later copy of the same run, or
    /// none) does not share with it.
    pub fn heap_bytes_beyond(&self, other: Option<&World>) -> usize {
        let own = size_of::<World>()
            + self.queue.capacity() * size_of::<Event>()
            + self.inflight.capacity() * size_of::<Option<InFlight>>()
            + self.inflight.iter().flatten().map(|f| message_heap(&f.message)).sum::<usize>()
            + self.free_slots.capacity() * size_of::<u32>()
            + self.clients.iter().map(|c| client_heap(c, self.servers.len())).sum::<usize>()
            + self.network.nodes() * self.network.nodes() * (size_of::<bool>() + size_of::<u64>())
            + self.checker.heap_bytes()
            + self.servers_beyond(other);
        own + records_beyond(&self.history, other.map(|o| &o.history), history_op_heap)
            + records_beyond(self.trace.records(), other.map(|o| o.trace.records()), trace_event_heap)
            + records_beyond(&self.commands, other.map(|o| &o.commands), |_| 0)
    }
}

/// Bytes of the chunks of `records` that `other` does not share, plus the unfinished chunk and the chunk
/// pointers (always owned by each copy).
fn records_beyond<T>(records: &ChunkedDeque<T>, other: Option<&ChunkedDeque<T>>, heap: fn(&T) -> usize) -> usize {
    let (shared, sealed) = other.map_or((0, records.len() / CHUNK), |o| records.chunks_shared_with(o));
    let per_element =
        |count: usize, sample: &mut dyn Iterator<Item = &T>| count * size_of::<T>() + sample.map(heap).sum::<usize>();
    let unshared_sealed = sealed - shared;
    // The unshared chunks are the newest ones (sharing is a run of the oldest), so count the newest elements.
    let newest = unshared_sealed * CHUNK + records.unsealed_len();
    per_element(newest, &mut records.iter().rev().take(newest)) + sealed * (size_of::<Rc<Vec<T>>>() + 2 * 8)
}

impl World {
    /// The servers' bytes beyond `other`'s. Log entries are shared between the servers (a follower keeps
    /// the leader's copy), so each index is counted once, in the first log that holds it.
    fn servers_beyond(&self, other: Option<&World>) -> usize {
        let mut counted_up_to =
            other.map_or(0, |o| o.servers.iter().map(|s| s.disk.wal.last_index()).max().unwrap_or(0));
        let mut total = 0;
        for (i, server) in self.servers.iter().enumerate() {
            total += server.heap_bytes_beyond(other.and_then(|o| o.servers.get(i)), self.clients.len(), counted_up_to);
            counted_up_to = counted_up_to.max(server.disk.wal.last_index());
        }
        total
    }
}

impl Server {
    /// The node's and disk's bytes, less the snapshots that `other` (the same server in another copy of the
    /// run) holds too and the log entries up to `counted_up_to` (held by `other` or counted already).
    fn heap_bytes_beyond(&self, other: Option<&Server>, clients: usize, counted_up_to: u64) -> usize {
        let node = &self.node;
        let progress: usize = node.follower_progress().map(|(_, p)| 64 + p.inflight() * 8).sum();
        let fixed = size_of::<Server>()
            + (node.members().len() + node.bootstrap().len()) * size_of::<usize>()
            + progress
            + node.held_messages() * (size_of::<Message>() + 32)
            + kv_heap(node.state(), clients);
        let other_disk = other.map(|o| o.disk());
        let snapshots = [self.disk.snapshot(), self.disk.durable_snapshot()]
            .into_iter()
            .flatten()
            .filter(|s| {
                !other_disk.is_some_and(|d| {
                    [d.snapshot(), d.durable_snapshot()].into_iter().flatten().any(|o| Rc::ptr_eq(o, s))
                })
            })
            .map(|s| snapshot_heap(s, clients))
            .sum::<usize>();
        let log: usize = self.disk.wal.segments().map(|s| segment_heap(s, counted_up_to)).sum();
        fixed + snapshots + log
    }
}

/// A segment's entry pointers, and the entries above `known_up_to` (those below it are counted elsewhere).
fn segment_heap(segment: &Segment, known_up_to: u64) -> usize {
    let entries =
        segment.entries.iter().filter(|e| e.index > known_up_to).map(|e| entry_heap(&e.payload)).sum::<usize>();
    size_of::<Segment>() + segment.entries.capacity() * size_of::<usize>() + entries
}

fn entry_heap(payload: &crate::sim::storage::entry::Payload) -> usize {
    use crate::sim::storage::entry::Payload;
    let strings = match payload {
        Payload::Noop => 0,
        Payload::Put { key, value, .. } => 2 * 16 + key.len() + value.len(),
        Payload::Delete { key, .. } => 16 + key.len(),
        Payload::Cas { key, expected, value, .. } => {
            3 * 16 + key.len() + expected.as_ref().map_or(0, |e| e.len()) + value.len()
        }
        Payload::Append { key, value, .. } => 2 * 16 + key.len() + value.len(),
        Payload::Config { members, learners } => (members.len() + learners.len()) * size_of::<usize>(),
    };
    16 + size_of::<crate::sim::storage::entry::Entry>() + strings
}

fn snapshot_heap(snapshot: &Snapshot, clients: usize) -> usize {
    16 + size_of::<Snapshot>()
        + (snapshot.members.len() + snapshot.learners.len()) * size_of::<usize>()
        + kv_heap(&snapshot.state, clients)
}

/// A B-tree map costs about 1.5 slots per element (its nodes are at least half full); the session table
/// has at most one slot per client.
pub(crate) fn btree_heap(len: usize, slot: usize) -> usize {
    len * (slot + slot / 2)
}

fn kv_heap(state: &KvState, clients: usize) -> usize {
    btree_heap(state.len(), size_of::<(Rc<str>, Versioned)>()) + btree_heap(clients, 16)
}

/// A client's fixed part, its queue and its operation in progress; its endpoint list names every server.
fn client_heap(client: &Client, servers: usize) -> usize {
    let queued: usize =
        client.queue.iter().map(|(op, _)| size_of::<(ClientOp, Option<usize>)>() + client_op_heap(op)).sum();
    let current = client.current.as_ref().map_or(0, |a| 16 + size_of::<ClientOp>() + 2 * client_op_heap(&a.op));
    size_of::<Client>() + queued + current + servers * size_of::<usize>()
}

fn message_heap(message: &Message) -> usize {
    match &message.body {
        Body::Append { entries, .. } => entries.capacity() * size_of::<usize>(),
        Body::Request { op, .. } => 16 + size_of::<ClientOp>() + client_op_heap(op),
        _ => 0,
    }
}

fn client_op_heap(op: &ClientOp) -> usize {
    match op {
        ClientOp::Put { key, value } => key.len() + value.len(),
        ClientOp::Get { key } | ClientOp::Delete { key } => key.len(),
        ClientOp::Cas { key, expected, value } => key.len() + expected.as_ref().map_or(0, |e| e.len()) + value.len(),
        ClientOp::Append { key, value } => key.len() + value.len(),
    }
}

fn history_op_heap(op: &HistoryOp) -> usize {
    let status = match &op.status {
        OpStatus::Ok { value, .. } => value.as_ref().map_or(0, |v| v.len()),
        OpStatus::Unknown { reason } => reason.len(),
        OpStatus::Pending => 0,
    };
    client_op_heap(&op.op) + status
}

fn trace_event_heap(event: &TraceEvent) -> usize {
    match &event.what {
        What::Delivered(m) | What::Dropped(m, _) | What::LostAtDeadNode(m) => message_heap(m),
        What::ClientDone(op) => history_op_heap(op),
        What::Violation(v) => (v.nodes.len() + v.indexes.len()) * 8 + v.detail.len(),
        What::FailStop(reason) => reason.len(),
        What::NodeJoined { members, learners, .. } | What::NodeLeaving { members, learners } => {
            (members.len() + learners.len()) * 8
        }
        What::Promoting { members } => members.len() * 8,
        _ => 0,
    }
}
