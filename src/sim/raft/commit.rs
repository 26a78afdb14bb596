//! High-water mark (commit index), applying to the state machine, snapshots, the low-water mark and the
//! segment cleaner.

use crate::sim::breaks::Break;
use crate::sim::config::LwmPolicy;
use crate::sim::raft::message::{Body, Endpoint, Outcome};
use crate::sim::raft::node::{Ctx, Node, Observation, Output};
use crate::sim::raft::role::Role;
use crate::sim::storage::disk::Snapshot;
use crate::sim::types::{ms, Index};

impl Node {
    /// Leader: the commit index is the highest N held durably by a quorum (the leader's durable index counts)
    /// whose entry is of the current term (Raft Figure 8: older entries are committed only indirectly).
    pub(super) fn maybe_commit(&mut self, ctx: &mut Ctx) {
        if self.role != Role::Leader {
            return;
        }
        let own = self.own_match(ctx);
        let mut matches: Vec<Index> = Vec::with_capacity(self.members.len());
        let without_leader = ctx.config.broken(Break::CommitWithoutLeader) && self.members.len() > 1;
        // The voters' copies (learners never count, unless the `learner-votes` break says they do).
        for peer in self.counted(ctx) {
            if peer == self.id {
                if !without_leader {
                    matches.push(own);
                }
            } else {
                matches.push(self.progress.get(peer).map_or(0, |pr| pr.match_index));
            }
        }
        matches.sort_unstable_by(|a, b| b.cmp(a));
        // Broken variant: assume the leader holds everything and take the (quorum-1)-th best follower.
        let needed = if without_leader { self.quorum() - 1 } else { self.quorum() };
        let candidate = matches[needed - 1];
        if candidate <= self.commit {
            return;
        }
        let Some(term) = ctx.disk.wal.term_at(candidate) else { return };
        if term != self.term && !ctx.config.broken(Break::CommitOldTerm) {
            return;
        }
        self.advance_commit(ctx, candidate);
    }

    /// Moves the commit index (never backwards) and applies what became committed.
    pub(super) fn advance_commit(&mut self, ctx: &mut Ctx, to: Index) {
        if to <= self.commit {
            return;
        }
        let from = self.commit;
        self.commit = to;
        ctx.disk.write_commit(to);
        let term_of_entry = ctx.disk.wal.term_at(to).unwrap_or(0);
        self.observe(ctx, Observation::CommitAdvanced { from, to, term_of_entry });
        self.apply_committed(ctx);
        if self.role == Role::Leader {
            self.try_serve_reads(ctx);
        }
        self.on_config_committed(ctx, from, to);
    }

    /// Applies committed entries in order, verifying each record's CRC first.
    pub(super) fn apply_committed(&mut self, ctx: &mut Ctx) {
        let dedup = !ctx.config.broken(Break::NoDedup);
        while self.applied < self.commit {
            let index = self.applied + 1;
            let Some(entry) = ctx.disk.wal.entry(index).cloned() else { break };
            debug_assert_eq!(entry.index, index, "the log finds the record it is asked for");
            if !ctx.config.broken(Break::SkipCrc) && !entry.verify() {
                ctx.out.push(Output::FailStop(format!("record {index} failed its CRC check while being applied")));
                return;
            }
            let repeat = entry.payload.client_seq().is_some_and(|(c, s)| self.state.already_applied(c, s));
            let effect = self.state.apply(index, &entry.payload, dedup);
            self.applied = index;
            if self.role == Role::Leader {
                if let Some((client, seq)) = self.waiting_writes.remove(&index) {
                    self.observe(ctx, Observation::WriteAcked { client, seq, index, term: entry.term });
                    let outcome = match self.state.cas_decision(client, seq) {
                        Some(applied) => Outcome::Cas { applied, index },
                        None => Outcome::Ok { value: None, index },
                    };
                    let reply = Body::Reply { seq, outcome };
                    // Acknowledged once committed *and* durable on the leader itself.
                    let message = self.message(Endpoint::Client(client), reply);
                    self.send_after_durable(ctx, message, index);
                }
            }
            self.observe(ctx, Observation::Applied { entry, effect, repeat });
        }
        self.maybe_snapshot(ctx);
    }

    /// Takes a snapshot every `snapshot_every` applied entries. It is durable only after its fsync.
    fn maybe_snapshot(&mut self, ctx: &mut Ctx) {
        let every = ctx.config.snapshot_every;
        if every == 0 || self.applied < self.last_snapshot_index + every {
            return;
        }
        let Some(last_term) = ctx.disk.wal.term_at(self.applied) else { return };
        let config = self.config_as_of(ctx, self.applied);
        let (members, learners) = (config.voters, config.learners);
        let snapshot = Snapshot { last_index: self.applied, last_term, state: self.state.clone(), members, learners };
        ctx.disk.write_snapshot(snapshot);
        ctx.out.push(Output::Sync);
        self.last_snapshot_index = self.applied;
        self.observe(ctx, Observation::SnapshotWritten { last_index: self.applied });
    }

    /// Computes the low-water mark for the configured policy. Never above what a durable snapshot covers
    /// (+1) and never above the HWM (+1).
    pub(super) fn compute_lwm(&self, ctx: &Ctx) -> Index {
        let snapshot_index = if ctx.config.broken(Break::GcBeforeSnapshotDurable) {
            ctx.disk.snapshot().map_or(0, |s| s.last_index)
        } else {
            ctx.disk.durable_snapshot_index()
        };
        let covered = snapshot_index + 1;
        let lwm = match ctx.config.lwm_policy {
            LwmPolicy::Snapshot => covered,
            LwmPolicy::FollowerAware => {
                if self.role == Role::Leader {
                    let live_after = ctx.now.saturating_sub(ms(ctx.config.election_timeout_ms_max));
                    let slowest = self
                        .progress
                        .iter()
                        .enumerate()
                        .filter(|(peer, pr)| {
                            *peer != self.id && self.replicates_to(*peer) && pr.last_heard >= live_after
                        })
                        .map(|(_, pr)| pr.match_index + 1)
                        .min()
                        .unwrap_or(covered);
                    covered.min(slowest.max(covered.saturating_sub(ctx.config.follower_retention_cap)))
                } else {
                    covered
                }
            }
            LwmPolicy::Retention => {
                let keep_from = (ctx.disk.wal.last_index() + 1).saturating_sub(ctx.config.retention_entries).max(1);
                covered.min(keep_from)
            }
        };
        lwm.min(self.commit + 1).max(ctx.disk.wal.first_index().min(self.commit + 1))
    }

    /// The cleaner: deletes every sealed segment wholly below the LWM.
    pub(super) fn collect_garbage(&mut self, ctx: &mut Ctx) {
        let lwm = self.compute_lwm(ctx);
        self.lwm = lwm;
        let deleted = ctx.disk.wal.delete_below(lwm);
        if !deleted.is_empty() {
            self.observe(ctx, Observation::SegmentsDeleted { segments: deleted, lwm });
        }
    }
}
