//! The replicated log: AppendEntries with the prev-index/term check, conflict truncation, per-follower
//! progress with pipelining, heartbeats, and InstallSnapshot for followers below the leader's first entry.

use crate::sim::breaks::Break;
use crate::sim::raft::message::{Body, Endpoint};
use crate::sim::raft::node::{Ctx, Node, Observation, Output, ProgressState, TimerKind};
use crate::sim::raft::role::Role;
use crate::sim::storage::disk::Snapshot;
use crate::sim::storage::entry::{Entry, EntryRef, Payload};
use crate::sim::types::{ms, Index, NodeId, Term};
use std::rc::Rc;

impl Node {
    /// Leader: append a new entry of the current term to the own log (unsynced) and ask for an fsync.
    pub(super) fn leader_append(&mut self, ctx: &mut Ctx, payload: Payload) -> Index {
        debug_assert_eq!(self.role, Role::Leader, "only a leader appends entries of its own");
        let index = ctx.disk.wal.last_index() + 1;
        let prev_term = ctx.disk.wal.last_term();
        let entry = Entry::new(index, self.term, payload);
        let config = payload_config(&entry);
        ctx.disk.wal.append(entry);
        ctx.disk.note_write();
        ctx.out.push(Output::Sync);
        if let Some((members, learners)) = config {
            // A configuration takes effect as soon as it is in the log (single-server change).
            self.members = members;
            self.learners = learners;
            self.config_index = index;
            self.ensure_progress(ctx);
        }
        let stored = ctx.disk.wal.entry(index).cloned().into_iter().collect();
        self.observe(ctx, Observation::Appended { prev_term, entries: stored });
        self.broadcast_append(ctx);
        index
    }

    /// Leader: push new entries to every follower (voter or learner) that flow control allows.
    pub(super) fn broadcast_append(&mut self, ctx: &mut Ctx) {
        for peer in self.replication_targets() {
            self.send_entries(ctx, peer);
        }
    }

    /// Leader heartbeat: a new round number (read-index confirmations count it), stall detection, then an
    /// empty AppendEntries anchored at what the follower is known to hold.
    pub(super) fn on_heartbeat_timer(&mut self, ctx: &mut Ctx) {
        if self.role != Role::Leader {
            return;
        }
        if ctx.config.check_quorum && self.check_quorum_fails(ctx) {
            return;
        }
        self.expire_transfer(ctx);
        self.probe_round += 1;
        self.note_heartbeat_round(ctx);
        let resend_after = ms(ctx.config.election_timeout_ms_max);
        for peer in self.replication_targets() {
            let pr = &mut self.progress[peer];
            match pr.state {
                ProgressState::Replicate if !pr.inflight.is_empty() && pr.match_index == pr.match_at_last_tick => {
                    // Nothing acknowledged for a whole heartbeat: appends were probably lost. Probe again.
                    pr.state = ProgressState::Probe;
                    pr.next_index = pr.match_index + 1;
                    pr.inflight.clear();
                    pr.paused = false;
                }
                ProgressState::Probe => pr.paused = false,
                ProgressState::Snapshot if ctx.now.saturating_sub(pr.snapshot_sent_at) >= resend_after => {
                    pr.state = ProgressState::Probe;
                    pr.paused = false;
                }
                _ => {}
            }
            pr.match_at_last_tick = pr.match_index;
            let start = ctx.disk.wal.start();
            let prev_index = pr.match_index.max(start).min(ctx.disk.wal.last_index());
            let prev_term = ctx.disk.wal.term_at(prev_index).unwrap_or(0);
            let body = Body::Append {
                prev_index,
                prev_term,
                entries: Vec::new(),
                commit: self.commit,
                probe: self.probe_round,
            };
            self.send(ctx, peer, body);
            self.send_entries(ctx, peer);
        }
        self.try_serve_reads(ctx);
        self.collect_garbage(ctx);
        ctx.out.push(Output::Timer(TimerKind::Heartbeat, ctx.now + ms(ctx.config.heartbeat_ms)));
    }

    /// Leader: send as many appends to `peer` as its flow-control state allows (or a snapshot if the entries
    /// it needs were deleted).
    pub(super) fn send_entries(&mut self, ctx: &mut Ctx, peer: NodeId) {
        // A commit just now may have ended this leadership (its own removal was committed).
        if self.role != Role::Leader || peer >= self.progress.len() {
            return;
        }
        loop {
            let pr = &self.progress[peer];
            match pr.state {
                ProgressState::Snapshot => return,
                ProgressState::Probe if pr.paused => return,
                ProgressState::Replicate if pr.inflight.len() >= ctx.config.max_inflight => return,
                _ => {}
            }
            let next = pr.next_index;
            let last = ctx.disk.wal.last_index();
            if next <= ctx.disk.wal.start() {
                self.send_snapshot(ctx, peer);
                return;
            }
            if next > last && pr.state == ProgressState::Replicate {
                return;
            }
            let entries = ctx.disk.wal.entries(next, ctx.config.max_batch);
            if !ctx.config.broken(Break::SkipCrc) {
                if let Some(bad) = entries.iter().find(|e| !e.verify()) {
                    ctx.out
                        .push(Output::FailStop(format!("record {} failed its CRC check while being sent", bad.index)));
                    return;
                }
            }
            let prev_index = next - 1;
            let prev_term = ctx.disk.wal.term_at(prev_index).unwrap_or(0);
            let last_sent = prev_index + entries.len() as Index;
            let empty = entries.is_empty();
            let body = Body::Append { prev_index, prev_term, entries, commit: self.commit, probe: 0 };
            self.send(ctx, peer, body);
            let pr = &mut self.progress[peer];
            if pr.state == ProgressState::Probe {
                pr.paused = true;
                return;
            }
            pr.next_index = last_sent + 1;
            pr.inflight.push_back(last_sent);
            if empty {
                return;
            }
        }
    }

    /// Leader: ship the durable snapshot. Only a durable snapshot may be sent: it is what the log was cut to.
    fn send_snapshot(&mut self, ctx: &mut Ctx, peer: NodeId) {
        let Some(snapshot) = ctx.disk.durable_snapshot().cloned() else { return };
        let pr = &mut self.progress[peer];
        pr.state = ProgressState::Snapshot;
        pr.snapshot_sent_at = ctx.now;
        pr.inflight.clear();
        self.send(ctx, peer, Body::InstallSnapshot { snapshot });
    }

    /// Follower: the AppendEntries rules of Raft Figure 2, plus the follower's HWM rule.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_append(
        &mut self,
        ctx: &mut Ctx,
        leader: NodeId,
        term: Term,
        mut prev_index: Index,
        mut prev_term: Term,
        mut entries: Vec<EntryRef>,
        leader_commit: Index,
        probe: u64,
    ) {
        if term < self.term {
            let reply = Body::AppendReply { success: false, match_index: ctx.disk.wal.last_index(), probe };
            self.send(ctx, leader, reply);
            return;
        }
        if self.role != Role::Follower || self.leader != Some(leader) {
            self.become_follower(ctx, term, Some(leader));
        }
        self.reset_election_timer(ctx);
        self.leader_contact = ctx.now;
        // Entries at or below our commit index are committed and therefore already match: skip them.
        if prev_index < self.commit {
            let skip = (self.commit - prev_index).min(entries.len() as Index) as usize;
            entries.drain(..skip);
            prev_index += skip as Index;
            prev_term = ctx.disk.wal.term_at(prev_index).unwrap_or(prev_term);
        }
        let last = ctx.disk.wal.last_index();
        // A committed prefix matches every leader's log (Leader Completeness), even where this node has compacted
        // it into a snapshot and can no longer read the entry's term: without this, a leader probing below our
        // snapshot and a follower refusing for want of a term would bounce the same append for ever.
        let prev_ok = prev_index <= last
            && (ctx.config.broken(Break::SkipPrevCheck)
                || ctx.disk.wal.term_at(prev_index) == Some(prev_term)
                || (prev_index <= self.commit && ctx.disk.wal.term_at(prev_index).is_none()));
        if !prev_ok || self.installing.is_some() {
            // Hint: resume at our last index, or just before the mismatching one.
            let hint = last.min(prev_index.saturating_sub(1)).max(self.commit.min(last));
            let reply =
                self.message(Endpoint::Node(leader), Body::AppendReply { success: false, match_index: hint, probe });
            self.send_after_durable(ctx, reply, 0);
            return;
        }
        self.append_from_leader(ctx, &entries);
        let verified = prev_index + entries.len() as Index;
        // An acknowledgement vouches only for entries this log holds (they may not be durable yet).
        debug_assert!(verified <= ctx.disk.wal.last_index(), "verified {verified} beyond the log");
        self.follow_leader_commit(ctx, term, verified, leader_commit);
        let reply =
            self.message(Endpoint::Node(leader), Body::AppendReply { success: true, match_index: verified, probe });
        self.send_after_durable(ctx, reply, verified);
    }

    /// Follower: appends the leader's entries that the log lacks, truncating at the first conflicting one.
    fn append_from_leader(&mut self, ctx: &mut Ctx, entries: &[EntryRef]) {
        let mut appended = Vec::new();
        let mut append_prev_term = 0;
        let mut membership_touched = false;
        for entry in entries {
            match ctx.disk.wal.term_at(entry.index) {
                Some(t) if t == entry.term && entry.index <= ctx.disk.wal.last_index() => continue,
                Some(_) if entry.index <= ctx.disk.wal.last_index() => {
                    debug_assert!(entry.index > self.commit, "a committed entry never conflicts");
                    let removed = ctx.disk.wal.truncate_from(entry.index);
                    ctx.disk.note_truncation(entry.index);
                    membership_touched = true;
                    self.observe(ctx, Observation::Truncated { from: entry.index, removed, while_leader: false });
                }
                _ => {}
            }
            if entry.index != ctx.disk.wal.last_index() + 1 {
                break;
            }
            if appended.is_empty() {
                append_prev_term = ctx.disk.wal.last_term();
            }
            membership_touched |= entry.payload.members().is_some();
            ctx.disk.wal.append((**entry).clone());
            appended.push(entry.clone());
        }
        if membership_touched {
            self.refresh_members(ctx);
        }
        if !appended.is_empty() {
            ctx.disk.note_write();
            ctx.out.push(Output::Sync);
            self.observe(ctx, Observation::Appended { prev_term: append_prev_term, entries: appended });
        }
    }

    /// Follower: what the leader's commit index means here once the log matches the leader's up to
    /// `verified`: the HWM follows it (never past what was verified), and an abstention may end.
    fn follow_leader_commit(&mut self, ctx: &mut Ctx, term: Term, verified: Index, leader_commit: Index) {
        self.verified_from_leader = self.verified_from_leader.max(verified);
        if self.abstain_until.is_some() && term > self.abstain_term && verified >= leader_commit {
            // Caught up with a leader elected without our vote: once that is durable, we hold what it holds.
            self.abstain_until = self.abstain_until.map(|until| until.min(leader_commit));
        }
        self.maybe_end_abstention(ctx);
        let hwm = if ctx.config.broken(Break::FollowerHwmUnbounded) {
            leader_commit
        } else {
            leader_commit.min(self.verified_from_leader)
        };
        self.advance_commit(ctx, hwm);
    }

    /// Leader: learn from an acknowledgement or a rejection.
    pub(super) fn on_append_reply(
        &mut self,
        ctx: &mut Ctx,
        peer: NodeId,
        term: Term,
        success: bool,
        match_index: Index,
        probe: u64,
    ) {
        if self.role != Role::Leader || term != self.term || !self.replicates_to(peer) {
            return;
        }
        let pr = &mut self.progress[peer];
        pr.last_heard = ctx.now;
        pr.probe_acked = pr.probe_acked.max(probe);
        if probe > 0 {
            self.renew_lease(ctx);
        }
        let pr = &mut self.progress[peer];
        if success {
            if match_index > pr.match_index {
                pr.match_index = match_index;
            }
            pr.next_index = pr.next_index.max(pr.match_index + 1);
            while pr.inflight.front().is_some_and(|&i| i <= pr.match_index) {
                pr.inflight.pop_front();
            }
            if pr.state == ProgressState::Probe {
                pr.state = ProgressState::Replicate;
                pr.paused = false;
                pr.next_index = pr.match_index + 1;
                pr.inflight.clear();
            }
            self.maybe_commit(ctx);
            self.maybe_send_timeout_now(ctx, peer);
        } else {
            if pr.state == ProgressState::Snapshot {
                return;
            }
            // The follower may have lost records to corruption: believe what it says it holds.
            pr.match_index = pr.match_index.min(match_index);
            pr.next_index = (match_index + 1).min(pr.next_index.saturating_sub(1)).max(pr.match_index + 1);
            pr.state = ProgressState::Probe;
            pr.paused = false;
            pr.inflight.clear();
        }
        self.try_serve_reads(ctx);
        self.send_entries(ctx, peer);
    }

    /// Follower: a snapshot from the leader. It is written and fsynced first; only then does it replace the log
    /// (so a crash in between leaves the old, consistent state).
    pub(super) fn on_install_snapshot(&mut self, ctx: &mut Ctx, leader: NodeId, term: Term, snapshot: Rc<Snapshot>) {
        if term < self.term {
            return;
        }
        if self.role != Role::Follower || self.leader != Some(leader) {
            self.become_follower(ctx, term, Some(leader));
        }
        self.reset_election_timer(ctx);
        self.leader_contact = ctx.now;
        let already = self.installing.as_ref().map_or(self.commit, |s| s.last_index.max(self.commit));
        if snapshot.last_index <= already {
            // Never go back to an older snapshot; tell the leader what we hold.
            let reply = self.message(Endpoint::Node(leader), Body::SnapshotReply { last_index: self.commit });
            self.send_after_durable(ctx, reply, self.commit.min(ctx.disk.wal.last_index()));
            return;
        }
        ctx.disk.write_snapshot((*snapshot).clone());
        ctx.out.push(Output::Sync);
        self.installing = Some(snapshot);
    }

    /// Follower: the received snapshot is durable; now cut the log to it and reply.
    pub(super) fn finish_install(&mut self, ctx: &mut Ctx) {
        let Some(snapshot) = self.installing.clone() else { return };
        if ctx.disk.durable_snapshot_index() < snapshot.last_index {
            return;
        }
        self.installing = None;
        let kept_suffix = ctx.disk.wal.term_at(snapshot.last_index) == Some(snapshot.last_term);
        if !kept_suffix {
            ctx.disk.wal.reset_to(snapshot.last_index, snapshot.last_term);
            ctx.disk.note_truncation(0);
        }
        self.refresh_members(ctx);
        self.state = snapshot.state.clone();
        self.applied = snapshot.last_index;
        self.last_snapshot_index = snapshot.last_index;
        self.verified_from_leader = self.verified_from_leader.max(snapshot.last_index);
        let from = self.commit;
        self.commit = snapshot.last_index;
        ctx.disk.write_commit(self.commit);
        self.observe(
            ctx,
            Observation::SnapshotInstalled {
                last_index: snapshot.last_index,
                last_term: snapshot.last_term,
                kept_suffix,
            },
        );
        self.observe(ctx, Observation::CommitAdvanced { from, to: self.commit, term_of_entry: snapshot.last_term });
        if let Some(leader) = self.leader {
            let reply = self.message(Endpoint::Node(leader), Body::SnapshotReply { last_index: snapshot.last_index });
            self.send_after_durable(ctx, reply, 0);
        }
        self.apply_committed(ctx);
    }

    /// Leader: the follower installed a snapshot; resume log replication after it.
    pub(super) fn on_snapshot_reply(&mut self, ctx: &mut Ctx, peer: NodeId, term: Term, last_index: Index) {
        if self.role != Role::Leader || term != self.term || !self.replicates_to(peer) {
            return;
        }
        let pr = &mut self.progress[peer];
        pr.last_heard = ctx.now;
        pr.match_index = pr.match_index.max(last_index);
        pr.next_index = pr.match_index + 1;
        pr.state = ProgressState::Probe;
        pr.paused = false;
        pr.inflight.clear();
        self.maybe_commit(ctx);
        self.send_entries(ctx, peer);
    }
}

/// The voters and learners a configuration entry installs (read before the entry moves into the log).
fn payload_config(entry: &Entry) -> Option<(Vec<NodeId>, Vec<NodeId>)> {
    Some((entry.payload.members()?.to_vec(), entry.payload.learners()?.to_vec()))
}
