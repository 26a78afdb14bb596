//! Cluster membership: Raft's single-server changes (Ongaro's dissertation §4.1). A configuration is an entry
//! in the log; a node uses the newest one in its log whether or not it is committed, so a truncation that
//! removes it puts the previous one back. Adding or removing one server at a time keeps every majority of
//! the old configuration overlapping every majority of the new one, which is what makes a single entry safe.
//! The leader takes one change at a time (the previous one must be committed) and only after it has committed
//! an entry of its own term (the dissertation's fix for a change racing a leader change).

use crate::sim::raft::node::{Ctx, Node, Observation};
use crate::sim::raft::role::Role;
use crate::sim::storage::disk::Disk;
use crate::sim::storage::entry::Payload;
use crate::sim::types::{Index, NodeId};

/// Most voting members a configuration may have (the cluster drawing and the lessons assume at most nine).
pub const MAX_MEMBERS: usize = 9;
/// Most servers one run may start (ids are never reused: a new server with an old id could meet votes and
/// messages addressed to its predecessor). Votes are a 32-bit mask, so this must stay below 32.
pub const MAX_NODE_IDS: usize = 16;

impl Node {
    /// Whether this node is a voting member in the configuration it knows. Non-members do not campaign.
    pub fn is_member(&self) -> bool {
        self.members.contains(&self.id)
    }

    /// Bit per member: votes are counted only from members of the candidate's configuration.
    pub(super) fn members_mask(&self) -> u32 {
        self.members.iter().fold(0, |mask, &m| mask | (1 << m))
    }

    /// Re-derives `members` from the log (after a truncation, an append carrying a config entry, a snapshot
    /// install or at boot): the newest config entry wins, then the durable snapshot's, then the bootstrap list.
    pub(super) fn refresh_members(&mut self, ctx: &Ctx) {
        let (members, index) = self.members_as_of(ctx, ctx.disk.wal.last_index());
        self.members = members;
        self.config_index = index;
        if self.role == Role::Leader {
            self.ensure_progress(ctx);
        }
    }

    /// The configuration in force at `index` and the index of the entry that set it (0 if it came from the
    /// snapshot or the bootstrap list). Entries below the log's start are covered by the durable snapshot:
    /// segments are deleted only below the LWM, which never passes the durable snapshot.
    pub(super) fn members_as_of(&self, ctx: &Ctx, index: Index) -> (Vec<NodeId>, Index) {
        members_at(ctx.disk, &self.bootstrap, index)
    }

    /// Why this node cannot start a membership change now (`None`: it can). Only a leader with no change in
    /// progress that has committed an entry of its own term may.
    pub fn membership_change_blocker(&self, ctx_disk: &Disk) -> Option<String> {
        if self.role != Role::Leader {
            return Some(format!("n{} is not the leader", self.id));
        }
        if self.config_index > self.commit {
            return Some(format!(
                "leader n{} is still committing the previous membership change (entry {}); one change at a time",
                self.id, self.config_index
            ));
        }
        if ctx_disk.wal.term_at(self.commit) != Some(self.term) {
            return Some(format!(
                "leader n{} has not committed an entry of its term {} yet; try again in a moment",
                self.id, self.term
            ));
        }
        None
    }

    /// Leader: appends a configuration entry that adds or removes one member. The caller has checked
    /// [`Node::membership_change_blocker`] and that `members` differs from the current set by one server.
    pub fn propose_members(&mut self, ctx: &mut Ctx, members: Vec<NodeId>) -> Index {
        debug_assert!(self.membership_change_blocker(ctx.disk).is_none());
        self.leader_append(ctx, Payload::Config { members })
    }

    /// After the commit index moved past the newest config entry: report it, and if it no longer includes
    /// this node while it leads, step down (it kept leading, without counting itself, until the change was
    /// committed, so the remaining members can elect a successor right away).
    pub(super) fn on_config_committed(&mut self, ctx: &mut Ctx, from: Index, to: Index) {
        if self.config_index == 0 || self.config_index <= from || self.config_index > to {
            return;
        }
        let members = self.members.clone();
        self.observe(ctx, Observation::ConfigCommitted { index: self.config_index, members });
        if self.role == Role::Leader && !self.is_member() {
            self.role = Role::Follower;
            self.leader = None;
            self.drop_leader_state(ctx);
            self.observe(ctx, Observation::LeftAsLeader { term: self.term });
        }
    }
}

/// The configuration in force at `index` on this disk, and the index of the entry that set it (0 if it came
/// from the durable snapshot or from `bootstrap`). Shared by the node and the checker.
pub fn members_at(disk: &Disk, bootstrap: &[NodeId], index: Index) -> (Vec<NodeId>, Index) {
    let wal = &disk.wal;
    let mut i = index.min(wal.last_index());
    while i >= wal.first_index().max(1) {
        if let Some(members) = wal.entry(i).and_then(|e| e.payload.members()) {
            return (members.to_vec(), i);
        }
        i -= 1;
    }
    match disk.durable_snapshot() {
        Some(snapshot) if snapshot.last_index > 0 => (snapshot.members.clone(), 0),
        _ => (bootstrap.to_vec(), 0),
    }
}

/// Every configuration in force on this disk's log from `index` to its end, oldest first: the one at
/// `index`, then each later config entry. An entry at `index` was committed under one of them.
pub fn configs_from(disk: &Disk, bootstrap: &[NodeId], index: Index) -> Vec<Vec<NodeId>> {
    let mut configs = vec![members_at(disk, bootstrap, index).0];
    let wal = &disk.wal;
    for i in (index + 1).max(wal.first_index())..=wal.last_index() {
        if let Some(members) = wal.entry(i).and_then(|e| e.payload.members()) {
            configs.push(members.to_vec());
        }
    }
    configs
}
