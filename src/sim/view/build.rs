//! Builds the plain-data views the UI draws from the world's state. Nothing here decides a rule: it only
//! reads what the nodes, disks, network and clients hold, through their read-only getters.

use crate::sim::storage::disk::{Disk, Snapshot};
use crate::sim::storage::entry::EntryRef;
use crate::sim::storage::segment::Segment;
use crate::sim::types::{Index, NodeId};
use crate::sim::view::*;
use crate::sim::world::client::Client;
use crate::sim::world::network::{DropReason, Network};
use crate::sim::world::trace::TraceEvent;
use crate::sim::world::{InFlight, Server, World};

/// How many finished operations each client shows.
const RECENT_OPS: usize = 8;

impl World {
    /// Everything the UI draws, at this instant.
    pub fn view(&self) -> ClusterView {
        let servers = self.servers();
        let leader = self.top_leader();
        let network = self.network();
        ClusterView {
            time_us: self.now(),
            events: self.events(),
            seed: self.seed(),
            read_mode: self.config().read_mode,
            lwm_policy: self.config().lwm_policy,
            nodes: servers.iter().map(|s| node_view(s, self.is_leaving(s.node().id()), self.now())).collect(),
            messages: self.messages_in_flight().map(message_view).collect(),
            links: link_views(network),
            loss: network.loss,
            duplicate: network.duplicate,
            latency_ms: (network.latency_ms_min, network.latency_ms_max),
            write_load_per_second: self.write_load_per_second(),
            clients: self.clients().iter().map(|c| self.client_view(c)).collect(),
            trace: self.trace().map(trace_line).collect(),
            violations: self.violations().to_vec(),
            checker_on: self.config().checker,
            cluster_hwm: servers
                .iter()
                .filter(|s| s.node().role() == Role::Leader)
                .map(|s| s.node().commit())
                .max()
                .unwrap_or(0),
            leader,
            members: self.members_in(leader),
            learners: self.learners(),
            pre_vote: self.config().pre_vote,
            check_quorum: self.config().check_quorum,
            lease_ms: self.config().lease_ms,
            clock_drift_bound: self.config().clock_drift_bound,
            lease_us: self.config().lease_us(),
        }
    }

    /// One node's view (what [`World::view`] shows of it), without building the rest: a lesson's claims about
    /// a node read this. `None` for a node this run never started.
    pub fn node_view(&self, node: NodeId) -> Option<NodeView> {
        self.servers().get(node).map(|s| node_view(s, self.is_leaving(node), self.now()))
    }

    fn client_view(&self, client: &Client) -> ClientView {
        let mut recent: Vec<_> =
            self.completed_operations().rev().filter(|h| h.client == client.id).take(RECENT_OPS).cloned().collect();
        recent.reverse();
        ClientView {
            id: client.id,
            leader_guess: client.leader_guess,
            current: client.current.as_ref().map(|a| a.record.clone()),
            queued: client.queue.len(),
            recent,
        }
    }
}

fn message_view(flight: &InFlight) -> MessageView {
    let message = &flight.message;
    MessageView {
        id: flight.id,
        from: message.from.label(),
        to: message.to.label(),
        from_node: message.from.node(),
        to_node: message.to.node(),
        kind: message.kind(),
        summary: message.summary(),
        entries: match &message.body {
            crate::sim::raft::message::Body::Append { entries, .. } => entries.len(),
            _ => 0,
        },
        sent_us: flight.sent,
        deliver_us: flight.deliver,
        dropped: flight.drop != DropReason::None,
        duplicate: flight.duplicate,
    }
}

/// Directed links that are not plainly up (cut or slowed), in (from, to) order.
fn link_views(network: &Network) -> Vec<LinkView> {
    let n = network.nodes();
    let mut links = Vec::new();
    for from in 0..n {
        for to in (0..n).filter(|&to| to != from) {
            let (cut, extra_ms) = (network.is_cut(from, to), network.extra_ms(from, to));
            if cut || extra_ms > 0 {
                links.push(LinkView { from, to, cut, extra_ms });
            }
        }
    }
    links
}

/// The event log's line for one trace record.
fn trace_line(event: &TraceEvent) -> TraceLine {
    TraceLine {
        seq: event.seq,
        time_us: event.time,
        node: event.node,
        category: event.what.category().to_string(),
        text: event.text(),
        interesting: event.what.interesting(),
    }
}

fn node_view(server: &Server, leaving: bool, now: crate::sim::types::Time) -> NodeView {
    let node = server.node();
    let disk = server.disk();
    let wal = &disk.wal;
    let synced = wal.synced_index();
    // A crashed node has no volatile state: show only what survives on its disk (the commit hint, the durable
    // snapshot's state machine); the role it had stays visible so a student sees who crashed.
    let crashed = server.status() == NodeStatus::Crashed;
    let hwm = if crashed { disk.durable_commit().min(wal.last_index()) } else { node.commit() };
    let applied = if crashed { disk.durable_snapshot_index() } else { node.applied() };
    let progress = if node.role() == Role::Leader && !crashed {
        node.follower_progress()
            .map(|(peer, p)| ProgressView {
                peer,
                match_index: p.match_index(),
                next_index: p.next_index(),
                state: p.state().name().to_string(),
                inflight: p.inflight(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let hard = disk.durable_hard_state();
    let lwm: Index = node.lwm().max(wal.first_index().min(hwm + 1));
    let state = if crashed { disk.durable_snapshot().map(|s| &s.state) } else { Some(node.state()) };
    // A lease is valid while the leader's clock has not reached its end (a crashed leader holds none).
    let lease_until = node.lease_until().filter(|&until| !crashed && until > server.local_now(now));
    NodeView {
        id: node.id(),
        status: server.status(),
        role: node.role(),
        term: node.term(),
        voted_for: node.voted_for(),
        durable_term: hard.term,
        durable_vote: hard.voted_for,
        leader_hint: node.leader(),
        first_index: wal.first_index(),
        last_index: wal.last_index(),
        durable_index: synced,
        hwm,
        applied,
        lwm,
        snapshot: disk.durable_snapshot().map(|s| snapshot_view(s)),
        pending_snapshot: disk
            .snapshot()
            .filter(|s| s.last_index > disk.durable_snapshot_index())
            .map(|s| snapshot_view(s)),
        segments: wal.segments().map(|s| segment_view(s, synced, hwm)).collect(),
        progress,
        kv: state.map(|s| s.iter().map(|(k, v)| (k.to_string(), v.value.to_string())).collect()).unwrap_or_default(),
        disk: disk_view(disk),
        // The node's deadline is on its own clock; the view gives the virtual instant its clock gets there.
        election_deadline_us: (node.role() != Role::Leader
            && matches!(server.status(), NodeStatus::Up | NodeStatus::Paused)
            && node.is_member())
        .then_some(server.clock().virtual_at(node.election_deadline())),
        held_messages: node.held_messages(),
        abstain_until: node.abstain_until(),
        members: node.members().to_vec(),
        member: node.is_member(),
        config_index: node.config_index(),
        leaving,
        learners: node.learners().to_vec(),
        learner: node.is_learner(),
        clock_rate: server.clock().rate(),
        local_time_us: server.local_now(now),
        lease_until_us: lease_until.map(|until| server.clock().virtual_at(until)),
        lease_left_us: lease_until.map(|until| until - server.local_now(now)),
        transfer_to: if crashed { None } else { node.transfer_target() },
    }
}

fn segment_view(segment: &Segment, synced: Index, hwm: Index) -> SegmentView {
    SegmentView {
        base_index: segment.base_index,
        last_index: segment.last_index(),
        sealed: segment.sealed,
        entries: segment.entries.iter().map(|e| entry_view(e, synced, hwm)).collect(),
    }
}

fn entry_view(entry: &EntryRef, synced: Index, hwm: Index) -> EntryView {
    EntryView {
        index: entry.index,
        term: entry.term,
        summary: entry.payload.describe(),
        client_seq: entry.payload.client_seq(),
        durable: entry.index <= synced,
        corrupt: !entry.verify(),
        committed: entry.index <= hwm,
    }
}

fn snapshot_view(snapshot: &Snapshot) -> SnapshotView {
    SnapshotView { last_index: snapshot.last_index, last_term: snapshot.last_term, keys: snapshot.state.len() }
}

fn disk_view(disk: &Disk) -> DiskView {
    let fsync = disk.fsync_in_flight();
    DiskView {
        fsync_done_at_us: fsync.map(|f| f.done_at),
        fsync_covers_index: fsync.map(|f| f.covers_index),
        unsynced_writes: disk.unsynced_writes(),
        slow_fsync_ms: disk.faults.slow_fsync_ms,
        fail_next_fsync: disk.faults.fail_next_fsync,
        torn_write_armed: disk.faults.torn_on_crash,
        fsyncs: disk.fsyncs,
    }
}
