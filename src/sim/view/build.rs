//! Builds the plain-data views the UI draws from the world's state. Nothing here decides a rule: it only
//! reads what the nodes, disks, network and clients hold.

use crate::sim::raft::node::{Node, ProgressState};
use crate::sim::types::Index;
use crate::sim::view::*;
use crate::sim::world::{Server, World};

/// How many finished operations each client shows.
const RECENT_OPS: usize = 8;

impl World {
    /// Voting members as the cluster currently says: the log of the leader of the highest term (else of the
    /// first running node). Chaos draws membership changes from it without building a whole view.
    pub fn members(&self) -> Vec<crate::sim::types::NodeId> {
        self.members_in(self.top_leader())
    }

    /// The running (or paused) leader of the highest term: the one the UI marks as leader.
    fn top_leader(&self) -> Option<crate::sim::types::NodeId> {
        self.servers
            .iter()
            .filter(|s| s.node.role == Role::Leader && matches!(s.status, NodeStatus::Up | NodeStatus::Paused))
            .max_by_key(|s| s.node.term)
            .map(|s| s.node.id)
    }

    fn members_in(&self, leader: Option<crate::sim::types::NodeId>) -> Vec<crate::sim::types::NodeId> {
        leader
            .or_else(|| self.servers.iter().find(|s| s.status == NodeStatus::Up).map(|s| s.node.id))
            .map(|id| self.servers[id].node.members.clone())
            .unwrap_or_default()
    }

    /// Everything the UI draws, at this instant.
    pub fn view(&self) -> ClusterView {
        let nodes: Vec<NodeView> = self.servers.iter().map(|s| node_view(s, self.is_leaving(s.node.id))).collect();
        let leader = self.top_leader();
        let members = self.members_in(leader);
        let messages = self
            .messages_in_flight()
            .map(|f| MessageView {
                id: f.id,
                from: f.message.from.label(),
                to: f.message.to.label(),
                from_node: f.message.from.node(),
                to_node: f.message.to.node(),
                kind: f.message.kind(),
                summary: f.message.summary(),
                entries: match &f.message.body {
                    crate::sim::raft::message::Body::Append { entries, .. } => entries.len(),
                    _ => 0,
                },
                sent_us: f.sent,
                deliver_us: f.deliver,
                dropped: f.drop != crate::sim::world::network::DropReason::None,
                duplicate: f.duplicate,
            })
            .collect();
        let clients = self
            .clients
            .iter()
            .map(|c| ClientView {
                id: c.id,
                leader_guess: c.leader_guess,
                current: c.current.as_ref().map(|a| a.record.clone()),
                queued: c.queue.len(),
                recent: {
                    let mut recent: Vec<_> =
                        self.history.iter().rev().filter(|h| h.client == c.id).take(RECENT_OPS).cloned().collect();
                    recent.reverse();
                    recent
                },
            })
            .collect();
        ClusterView {
            time_us: self.now(),
            events: self.events(),
            seed: self.seed(),
            read_mode: self.config.read_mode,
            lwm_policy: self.config.lwm_policy,
            nodes,
            messages,
            links: self.network.link_views(),
            loss: self.network.loss,
            duplicate: self.network.duplicate,
            latency_ms: (self.network.latency_ms_min, self.network.latency_ms_max),
            write_load_per_second: self.write_load_per_second(),
            clients,
            trace: self.trace.iter().map(|t| t.line()).collect(),
            violations: self.violations().to_vec(),
            checker_on: self.config.checker,
            cluster_hwm: self
                .servers
                .iter()
                .filter(|s| s.node.role == Role::Leader)
                .map(|s| s.node.commit)
                .max()
                .unwrap_or(0),
            leader,
            members,
        }
    }
}

fn node_view(server: &Server, leaving: bool) -> NodeView {
    let node: &Node = &server.node;
    let disk = &server.disk;
    let wal = &disk.wal;
    let synced = wal.synced_index();
    // A crashed node has no volatile state: show only what survives on its disk (the commit hint, the durable
    // snapshot's state machine); the role it had stays visible so a student sees who crashed.
    let crashed = server.status == NodeStatus::Crashed;
    let hwm = if crashed { disk.durable_commit().min(wal.last_index()) } else { node.commit };
    let applied = if crashed { disk.durable_snapshot_index() } else { node.applied };
    let segments = wal
        .segments()
        .map(|s| SegmentView {
            base_index: s.base_index,
            last_index: s.last_index(),
            sealed: s.sealed,
            entries: s
                .entries
                .iter()
                .map(|e| EntryView {
                    index: e.index,
                    term: e.term,
                    summary: e.payload.describe(),
                    client_seq: e.payload.client_seq(),
                    durable: e.index <= synced,
                    corrupt: !e.verify(),
                    committed: e.index <= hwm,
                })
                .collect(),
        })
        .collect();
    let snapshot_view = |s: &crate::sim::storage::disk::Snapshot| SnapshotView {
        last_index: s.last_index,
        last_term: s.last_term,
        keys: s.state.map.len(),
    };
    let durable_snapshot = disk.durable_snapshot().map(|s| snapshot_view(s));
    let pending_snapshot =
        disk.snapshot().filter(|s| s.last_index > disk.durable_snapshot_index()).map(|s| snapshot_view(s));
    let progress = if node.role == Role::Leader && !crashed {
        node.progress
            .iter()
            .enumerate()
            .filter(|(peer, _)| *peer != node.id && node.members.contains(peer))
            .map(|(peer, p)| ProgressView {
                peer,
                match_index: p.match_index,
                next_index: p.next_index,
                state: match p.state {
                    ProgressState::Probe => "probe",
                    ProgressState::Replicate => "replicate",
                    ProgressState::Snapshot => "snapshot",
                }
                .to_string(),
                inflight: p.inflight.len(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let hard = disk.durable_hard_state();
    let fsync = disk.fsync_in_flight();
    let lwm: Index = node.lwm.max(wal.first_index().min(hwm + 1));
    NodeView {
        id: node.id,
        status: server.status,
        role: node.role,
        term: node.term,
        voted_for: node.voted_for,
        durable_term: hard.term,
        durable_vote: hard.voted_for,
        leader_hint: node.leader,
        first_index: wal.first_index(),
        last_index: wal.last_index(),
        durable_index: synced,
        hwm,
        applied,
        lwm,
        snapshot: durable_snapshot,
        pending_snapshot,
        segments,
        progress,
        kv: if crashed {
            disk.durable_snapshot()
                .map(|s| s.state.map.iter().map(|(k, v)| (k.to_string(), v.value.to_string())).collect())
                .unwrap_or_default()
        } else {
            node.state.map.iter().map(|(k, v)| (k.to_string(), v.value.to_string())).collect()
        },
        disk: DiskView {
            fsync_done_at_us: fsync.map(|f| f.done_at),
            fsync_covers_index: fsync.map(|f| f.covers_index),
            unsynced_writes: disk.unsynced_writes(),
            slow_fsync_ms: disk.faults.slow_fsync_ms,
            fail_next_fsync: disk.faults.fail_next_fsync,
            torn_write_armed: disk.faults.torn_on_crash,
            fsyncs: disk.fsyncs,
        },
        election_deadline_us: (node.role != Role::Leader
            && matches!(server.status, NodeStatus::Up | NodeStatus::Paused)
            && node.is_member())
        .then_some(node.election_deadline),
        held_messages: node.held.len(),
        abstain_until: node.abstain_until,
        members: node.members.clone(),
        member: node.is_member(),
        config_index: node.config_index,
        leaving,
    }
}
