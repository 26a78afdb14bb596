//! The checker: DESIGN §4's invariants evaluated after every event (and on every observation a node reports).
//! A violation is a value — which invariant, which nodes, which indexes, when — never a panic. Memory is
//! bounded: facts about indexes every node has compacted away are pruned.

use crate::sim::check::extensions::{ExtensionChecks, Finding};
use crate::sim::check::violation::{Invariant, Violation};
use crate::sim::raft::membership::configs_from;
use crate::sim::raft::node::{Node, Observation};
use crate::sim::raft::role::Role;
use crate::sim::storage::entry::EntryRef;
use crate::sim::storage::kv::ApplyEffect;
use crate::sim::types::{ClientId, Index, NodeId, Term, Time};
use crate::sim::world::history::{HistoryOp, OpStatus};
use crate::sim::world::status::NodeStatus;
use crate::sim::world::Server;
use std::collections::BTreeMap;

/// At most this many reports per invariant (a broken rule tends to fire on every event after).
const REPORTS_PER_INVARIANT: usize = 3;
/// Prune history-sized maps every this many events.
const PRUNE_EVERY: u64 = 4096;

/// Facts the checker keeps between events.
#[derive(Clone, Debug)]
pub struct Checker {
    enabled: bool,
    violations: Vec<Violation>,
    reports: BTreeMap<Invariant, usize>,
    /// I1: leader per term.
    leaders: BTreeMap<Term, NodeId>,
    /// I6: vote per (term, node).
    votes: BTreeMap<(Term, NodeId), NodeId>,
    /// Incremented by every change to `votes`, so a check can tell that a lookup would find what it did.
    votes_changes: u64,
    /// I6 after every event: the durable (term, vote) each node had when it was last recorded, with
    /// `votes_changes` then. While both are unchanged, recording it again finds it and does nothing (it was
    /// 15 % of a 9-node run's instructions: nine map lookups an event).
    durable_vote_recorded: Vec<Option<(Term, NodeId, u64)>>,
    /// I6: highest term each node ever made durable (a term never persisted was never revealed, so losing it
    /// in a crash is harmless).
    max_term: Vec<Term>,
    /// I3: every (index, term) ever appended anywhere → (crc, term of the previous entry).
    entry_ids: BTreeMap<(Index, Term), (u32, Term)>,
    /// I4/I5: what was committed or applied at each index: (entry term, content crc, the lowest term of a
    /// node seen committing it). Raft promises the entry only to leaders of later terms.
    decided: BTreeMap<Index, (Term, u32, Term)>,
    /// I11: highest index ever committed by a leader.
    max_committed: Index,
    /// I8: acknowledged writes by index: (client, seq, term of the node that acknowledged it).
    acked: BTreeMap<Index, (ClientId, u64, Term)>,
    /// I10: HWM per node while up (None after a crash).
    hwm: Vec<Option<Index>>,
    /// I2: (term, last index) of each node while it leads.
    leader_last: Vec<Option<(Term, Index)>>,
    /// I6's term rises, I19 and I20: the checks of DESIGN §3a's extensions.
    extensions: ExtensionChecks,
    events: u64,
}

impl Checker {
    /// A checker for `nodes` nodes.
    pub fn new(nodes: usize, enabled: bool) -> Checker {
        Checker {
            enabled,
            violations: Vec::new(),
            reports: BTreeMap::new(),
            leaders: BTreeMap::new(),
            votes: BTreeMap::new(),
            votes_changes: 0,
            durable_vote_recorded: vec![None; nodes],
            max_term: vec![0; nodes],
            entry_ids: BTreeMap::new(),
            decided: BTreeMap::new(),
            max_committed: 0,
            acked: BTreeMap::new(),
            hwm: vec![None; nodes],
            leader_last: vec![None; nodes],
            extensions: ExtensionChecks::new(nodes, 0),
            events: 0,
        }
    }

    /// The checker with the drift bound ρ (in millionths) within which clocks must run for I19 to be asserted.
    pub fn with_drift_bound(mut self, drift_bound_ppm: u64) -> Checker {
        self.extensions = ExtensionChecks::new(self.max_term.len(), drift_bound_ppm);
        self
    }

    /// A node's clock now runs at `rate_ppm` (I19 is asserted only while every clock stays within the bound).
    pub fn on_clock_rate(&mut self, rate_ppm: u64) {
        self.extensions.on_clock_rate(rate_ppm);
    }

    /// Violations found so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Turns checking on or off; turning on takes the current state as the baseline.
    pub fn set_enabled(&mut self, on: bool, servers: &[Server]) {
        if on && !self.enabled {
            for (i, s) in servers.iter().enumerate() {
                self.max_term[i] = self.max_term[i].max(s.disk().durable_hard_state().term);
                self.hwm[i] = (s.status() != NodeStatus::Crashed).then_some(s.node().commit());
                self.leader_last[i] = None;
                self.max_committed = self.max_committed.max(s.node().commit());
            }
            self.extensions.baseline(servers);
        }
        self.enabled = on;
    }

    fn report(
        &mut self,
        invariant: Invariant,
        time_us: Time,
        nodes: Vec<NodeId>,
        indexes: Vec<Index>,
        detail: String,
    ) -> usize {
        // The same fact seen twice in one event (say, by the commit and by the apply check) is one violation.
        if self
            .violations
            .iter()
            .any(|v| v.invariant == invariant && v.time_us == time_us && v.nodes == nodes && v.indexes == indexes)
        {
            return 0;
        }
        let count = self.reports.entry(invariant).or_insert(0);
        *count += 1;
        if *count > REPORTS_PER_INVARIANT {
            return 0;
        }
        self.violations.push(Violation { invariant, time_us, nodes, indexes, detail });
        1
    }

    /// A server joined: room for its per-node facts.
    pub fn add_node(&mut self) {
        self.max_term.push(0);
        self.durable_vote_recorded.push(None);
        self.hwm.push(None);
        self.leader_last.push(None);
        self.extensions.add_node();
    }

    fn report_finding(&mut self, now: Time, finding: Finding) -> usize {
        let Finding { invariant, nodes, indexes, detail } = finding;
        self.report(invariant, now, nodes, indexes, detail)
    }

    /// A node crashed: its volatile HWM is gone.
    pub fn on_crash(&mut self, node: NodeId) {
        self.hwm[node] = None;
        self.leader_last[node] = None;
    }

    /// Checks one observation. Returns how many new violations were recorded.
    pub fn observe(&mut self, now: Time, node: NodeId, observation: &Observation, servers: &[Server]) -> usize {
        if !self.enabled {
            return 0;
        }
        match observation {
            Observation::BecameLeader { term } => self.on_became_leader(now, node, *term, servers),
            Observation::BecameCandidate { term } => {
                self.extensions.on_candidate(node, *term);
                0
            }
            Observation::VoteGranted { term, candidate, persisted: false } => {
                self.record_vote(now, node, *term, *candidate)
            }
            Observation::Appended { prev_term, entries } => {
                self.on_appended(now, node, *prev_term, entries) + self.check_shape(now, node, servers)
            }
            Observation::Truncated { from, while_leader, .. } => {
                let is_leader = servers[node].node().role() == Role::Leader;
                let mut found = 0;
                if *while_leader || is_leader {
                    found += self.report(
                        Invariant::I2LeaderAppendOnly,
                        now,
                        vec![node],
                        vec![*from],
                        format!("leader n{node} deleted entries from {from}"),
                    );
                }
                found + self.check_shape(now, node, servers)
            }
            Observation::CommitAdvanced { from, to, term_of_entry } => {
                self.on_commit(now, node, *from, *to, *term_of_entry, servers)
            }
            Observation::Applied { entry, effect, repeat } => {
                self.on_applied(now, node, entry, *effect, *repeat, servers[node].node().term())
            }
            Observation::ReadServed { client, seq, value_index, hwm, .. } if value_index > hwm => self.report(
                Invariant::I13ReadBelowHwm,
                now,
                vec![node],
                vec![*value_index, *hwm],
                format!(
                    "n{node} answered client {client}'s read #{seq} with a value from entry {value_index}, \
                     above its HWM {hwm}"
                ),
            ),
            Observation::SegmentsDeleted { segments, .. } => {
                self.on_segments_deleted(now, node, segments, servers) + self.check_shape(now, node, servers)
            }
            Observation::SnapshotInstalled { .. } => self.check_shape(now, node, servers),
            _ => 0,
        }
    }

    /// I1: one leader per term; then I4 and I8 on the new leader's log.
    fn on_became_leader(&mut self, now: Time, node: NodeId, term: Term, servers: &[Server]) -> usize {
        let mut found = 0;
        if let Some(&other) = self.leaders.get(&term) {
            if other != node {
                found += self.report(
                    Invariant::I1ElectionSafety,
                    now,
                    vec![other, node],
                    vec![],
                    format!("n{other} and n{node} both became leader of term {term}"),
                );
            }
        }
        self.leaders.insert(term, node);
        if let Some(finding) = ExtensionChecks::election(node, term, &self.votes, servers) {
            found += self.report_finding(now, finding);
        }
        found + self.check_new_leader(now, node, servers)
    }

    /// I3: an (index, term) names one entry, after the same previous term, in every log.
    fn on_appended(&mut self, now: Time, node: NodeId, prev_term: Term, entries: &[EntryRef]) -> usize {
        let mut found = 0;
        let mut prev = prev_term;
        for e in entries {
            let content = e.content_checksum();
            match self.entry_ids.get(&(e.index, e.term)) {
                Some(&(crc, p)) if crc != content || p != prev => {
                    found += self.report(
                        Invariant::I3LogMatching,
                        now,
                        vec![node],
                        vec![e.index],
                        format!(
                            "n{node} holds entry {}/{} after an entry of term {prev}, but another log has {}/{} \
                             after term {p} (or with other contents)",
                            e.index, e.term, e.index, e.term
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    self.entry_ids.insert((e.index, e.term), (content, prev));
                }
            }
            prev = e.term;
        }
        found
    }

    /// I17 (no corrupt record applied), I18 (no client request applied twice), then I4/I5 on the value.
    fn on_applied(
        &mut self,
        now: Time,
        node: NodeId,
        entry: &EntryRef,
        effect: ApplyEffect,
        repeat: bool,
        in_term: Term,
    ) -> usize {
        let mut found = 0;
        if !entry.verify() {
            found += self.report(
                Invariant::I17NoCorruptRecordUsed,
                now,
                vec![node],
                vec![entry.index],
                format!("n{node} applied record {} whose CRC does not match its contents", entry.index),
            );
        }
        if repeat && effect == ApplyEffect::Applied {
            let (client, seq) = entry.payload.client_seq().unwrap_or((0, 0));
            found += self.report(
                Invariant::I18AppliedOnce,
                now,
                vec![node],
                vec![entry.index],
                format!("n{node} applied client {client}'s request #{seq} again at index {}", entry.index),
            );
        }
        found + self.decide(now, node, entry.index, entry.term, entry.content_checksum(), in_term)
    }

    /// I14: a deleted segment is covered by the durable snapshot.
    fn on_segments_deleted(
        &mut self,
        now: Time,
        node: NodeId,
        segments: &[(Index, Index)],
        servers: &[Server],
    ) -> usize {
        let covered = servers[node].disk().durable_snapshot_index();
        let mut found = 0;
        for &(base, last) in segments {
            if last > covered {
                found += self.report(
                    Invariant::I14DeletionCovered,
                    now,
                    vec![node],
                    vec![base, last],
                    format!(
                        "n{node} deleted segment {base}..{last} but its durable snapshot only covers up to {covered}"
                    ),
                );
            }
        }
        found
    }

    /// I6: a vote is cast once it is revealed (durable, or sent unpersisted); a second, different vote in the
    /// same term is a violation.
    /// Called for every node's durable vote after every event: only a vote not seen before costs more than a
    /// lookup.
    fn record_vote(&mut self, now: Time, node: NodeId, term: Term, candidate: NodeId) -> usize {
        match self.votes.get(&(term, node)) {
            Some(&earlier) if earlier != candidate => {
                // Remember the newer vote, so the same double vote is reported once, not on every event after.
                self.votes.insert((term, node), candidate);
                self.votes_changes += 1;
                self.report(
                    Invariant::I6TermMonotonic,
                    now,
                    vec![node, earlier, candidate],
                    vec![],
                    format!("n{node} voted twice in term {term}: for n{earlier} and for n{candidate}"),
                )
            }
            Some(_) => 0,
            None => {
                self.votes.insert((term, node), candidate);
                self.votes_changes += 1;
                0
            }
        }
    }

    fn check_shape(&mut self, now: Time, node: NodeId, servers: &[Server]) -> usize {
        match servers[node].disk().wal.check_shape() {
            Ok(()) => 0,
            Err(problem) => {
                self.report(Invariant::I16SegmentsContiguous, now, vec![node], vec![], format!("n{node}: {problem}"))
            }
        }
    }

    /// I4/I5: one value per index, whoever commits or applies it.
    fn decide(&mut self, now: Time, node: NodeId, index: Index, term: Term, crc: u32, in_term: Term) -> usize {
        match self.decided.get_mut(&index) {
            Some(&mut (t, c, _)) if t != term || c != crc => self.report(
                Invariant::I5StateMachineSafety,
                now,
                vec![node],
                vec![index],
                format!("n{node} committed/applied {index}/{term} but {index}/{t} was committed before"),
            ),
            Some(entry) => {
                entry.2 = entry.2.min(in_term);
                0
            }
            None => {
                self.decided.insert(index, (term, crc, in_term));
                0
            }
        }
    }

    fn on_commit(
        &mut self,
        now: Time,
        node: NodeId,
        from: Index,
        to: Index,
        term_of_entry: Term,
        servers: &[Server],
    ) -> usize {
        let mut found = 0;
        let server = &servers[node];
        for index in (from + 1)..=to {
            if let Some(e) = server.disk().wal.entry(index) {
                let (term, crc) = (e.term, e.content_checksum());
                found += self.decide(now, node, index, term, crc, server.node().term());
            }
        }
        if server.node().role() == Role::Leader {
            self.max_committed = self.max_committed.max(to);
            if term_of_entry != server.node().term() {
                found += self.report(
                    Invariant::I9HwmQuorum,
                    now,
                    vec![node],
                    vec![to],
                    format!(
                        "leader n{node} (term {}) advanced its HWM to {to}, an entry of old term {term_of_entry}",
                        server.node().term()
                    ),
                );
            }
            // A majority of the configuration the leader committed with (its newest, single-server changes).
            let members = server.node().members();
            let holds = |s: &&Server| {
                (s.disk().wal.synced_index() >= to && s.disk().wal.term_at(to) == Some(term_of_entry))
                    || s.disk().durable_snapshot_index() >= to
                    || lost_to_corruption(s, to)
            };
            let holders = members.iter().filter_map(|&m| servers.get(m)).filter(holds).count();
            let quorum = members.len() / 2 + 1;
            let learner_holders = server.node().learners().iter().filter_map(|&l| servers.get(l)).filter(holds).count();
            if let Some(finding) = ExtensionChecks::commit(node, to, holders, learner_holders, quorum) {
                found += self.report_finding(now, finding);
            } else if holders < quorum {
                found += self.report(
                    Invariant::I9HwmQuorum,
                    now,
                    vec![node],
                    vec![to],
                    format!(
                        "leader n{node} advanced its HWM to {to}, but only {holders} of {} nodes hold it durably",
                        members.len()
                    ),
                );
            }
        }
        found
    }

    /// I4 and I8: a new leader holds every committed entry and every acknowledged write.
    fn check_new_leader(&mut self, now: Time, node: NodeId, servers: &[Server]) -> usize {
        let mut found = 0;
        let wal = &servers[node].disk().wal;
        let first = wal.first_index();
        let leader_term = servers[node].node().term();
        let mut missing_committed = None;
        for (&index, &(term, _, committed_in)) in self.decided.range(first..) {
            if committed_in < leader_term && wal.term_at(index) != Some(term) {
                missing_committed = Some((index, term));
                break;
            }
        }
        if let Some((index, term)) = missing_committed {
            found += self.report(
                Invariant::I4LeaderCompleteness,
                now,
                vec![node],
                vec![index],
                format!("n{node} became leader without committed entry {index}/{term}"),
            );
        }
        let state = servers[node].node().state();
        let mut lost = None;
        for (&index, &(client, seq, acked_in)) in self.acked.iter() {
            if acked_in >= leader_term {
                continue;
            }
            let present = if index >= first {
                wal.entry(index).is_some_and(|e| e.payload.client_seq() == Some((client, seq)))
            } else {
                state.already_applied(client, seq)
                    || servers[node].disk().durable_snapshot().is_some_and(|s| s.state.already_applied(client, seq))
            };
            if !present {
                lost = Some((index, client, seq));
                break;
            }
        }
        if let Some((index, client, seq)) = lost {
            found += self.report(
                Invariant::I8AckedNeverLost,
                now,
                vec![node],
                vec![index],
                format!("n{node} became leader without client {client}'s acknowledged write #{seq} (index {index})"),
            );
        }
        found
    }

    /// I7 and I8 bookkeeping when a client gets its answer.
    pub fn on_client_done(&mut self, now: Time, record: &HistoryOp, servers: &[Server]) -> usize {
        if !self.enabled || !record.op.is_write() {
            return 0;
        }
        let OpStatus::Ok { index, .. } = record.status else { return 0 };
        if index == 0 {
            return 0;
        }
        let (client, seq) = (record.client, record.seq);
        let holders: Vec<NodeId> = servers
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let in_log = index <= s.disk().wal.synced_index()
                    && s.disk().wal.entry(index).is_some_and(|e| e.payload.client_seq() == Some((client, seq)));
                let in_snapshot = s
                    .disk()
                    .durable_snapshot()
                    .is_some_and(|snap| snap.last_index >= index && snap.state.already_applied(client, seq));
                in_log || in_snapshot || lost_to_corruption(s, index)
            })
            .map(|(i, _)| i)
            .collect();
        let acked_in = record.served_by.map_or(0, |n| servers[n].node().term());
        self.acked.insert(index, (client, seq, acked_in));
        // A majority of the configuration the write was committed under: the acknowledging leader's newest,
        // or (membership changed since) one in force in its log from that index on.
        let majority_of =
            |members: &[NodeId]| members.iter().filter(|m| holders.contains(m)).count() > members.len() / 2;
        let (members, durable) = match record.served_by.and_then(|n| servers.get(n)) {
            Some(s) if majority_of(s.node().members()) => (s.node().members().to_vec(), true),
            Some(s) => {
                let configs = configs_from(s.disk(), s.node().bootstrap(), index);
                let durable = configs.iter().any(|c| majority_of(c));
                (s.node().members().to_vec(), durable)
            }
            None => {
                let all: Vec<NodeId> = (0..servers.len()).collect();
                let durable = majority_of(&all);
                (all, durable)
            }
        };
        if !durable {
            return self.report(
                Invariant::I7AckedDurable,
                now,
                holders.clone(),
                vec![index],
                format!(
                    "client {client}'s write #{seq} was acknowledged at index {index} but is durable only on {:?} ({} of {} nodes)",
                    holders,
                    holders.len(),
                    members.len()
                ),
            );
        }
        0
    }

    /// Per-node invariants after every event.
    pub fn after_event(&mut self, now: Time, servers: &[Server]) -> usize {
        if !self.enabled {
            return 0;
        }
        self.events += 1;
        let mut found = 0;
        for finding in self.extensions.term_rises(servers) {
            found += self.report_finding(now, finding);
        }
        if let Some(finding) = self.extensions.leases(now, servers) {
            found += self.report_finding(now, finding);
        }
        for (i, s) in servers.iter().enumerate() {
            found += self.check_terms(now, i, s);
            if matches!(s.status(), NodeStatus::Crashed | NodeStatus::Removed) {
                continue;
            }
            // Read once for both groups: this loop runs for every node after every event.
            let (last, snapshot) = (s.disk().wal.last_index(), built_from_snapshot(s));
            found += self.check_watermarks(now, i, s.node(), last, snapshot);
            found += self.check_leader_log(now, i, s, last, snapshot);
        }
        if self.events.is_multiple_of(PRUNE_EVERY) {
            self.prune(servers);
        }
        found
    }

    /// I6: the term never goes back below the durable one, and the durable vote is recorded once revealed.
    fn check_terms(&mut self, now: Time, i: NodeId, s: &Server) -> usize {
        let mut found = 0;
        let term = s.node().term();
        if term < self.max_term[i] {
            found += self.report(
                Invariant::I6TermMonotonic,
                now,
                vec![i],
                vec![],
                format!("n{i}'s term went back from {} (durable) to {term}", self.max_term[i]),
            );
        }
        let hard = s.disk().durable_hard_state();
        self.max_term[i] = self.max_term[i].max(hard.term);
        if let Some(candidate) = hard.voted_for {
            if self.durable_vote_recorded[i] != Some((hard.term, candidate, self.votes_changes)) {
                found += self.record_vote(now, i, hard.term, candidate);
                // Now `votes` maps (term, i) to this candidate: the same call finds it until `votes` changes.
                debug_assert_eq!(self.votes.get(&(hard.term, i)), Some(&candidate));
                self.durable_vote_recorded[i] = Some((hard.term, candidate, self.votes_changes));
            }
        }
        found
    }

    /// I10 (the HWM never goes back while up), I11 (a follower's HWM is bounded), I12 (snapshot ≤ applied ≤
    /// HWM ≤ last).
    fn check_watermarks(&mut self, now: Time, i: NodeId, n: &Node, last: Index, snapshot: Index) -> usize {
        let mut found = 0;
        if let Some(previous) = self.hwm[i] {
            if n.commit() < previous {
                found += self.report(
                    Invariant::I10HwmMonotonic,
                    now,
                    vec![i],
                    vec![previous, n.commit()],
                    format!("n{i}'s HWM went back from {previous} to {} while up", n.commit()),
                );
            }
        }
        self.hwm[i] = Some(n.commit());
        if n.role() != Role::Leader && (n.commit() > last || n.commit() > self.max_committed) {
            found += self.report(
                Invariant::I11FollowerHwmBounded,
                now,
                vec![i],
                vec![n.commit(), last],
                format!(
                    "n{i}'s HWM {} is above its last index {last} or the highest commit {}",
                    n.commit(),
                    self.max_committed
                ),
            );
        }
        if !(snapshot <= n.applied() && n.applied() <= n.commit() && n.commit() <= last.max(snapshot)) {
            found += self.report(
                Invariant::I12WatermarkOrder,
                now,
                vec![i],
                vec![snapshot, n.applied(), n.commit(), last],
                format!(
                    "n{i}: snapshot {snapshot}, applied {}, HWM {}, last {last} are out of order",
                    n.applied(),
                    n.commit()
                ),
            );
        }
        found
    }

    /// I2 (a leader's log never shrinks in its term) and I15 (a leader can still catch a follower up).
    fn check_leader_log(&mut self, now: Time, i: NodeId, s: &Server, last: Index, snapshot: Index) -> usize {
        let n = s.node();
        if n.role() != Role::Leader {
            self.leader_last[i] = None;
            return 0;
        }
        let mut found = 0;
        match self.leader_last[i] {
            Some((term, previous)) if term == n.term() && last < previous => {
                found += self.report(
                    Invariant::I2LeaderAppendOnly,
                    now,
                    vec![i],
                    vec![previous, last],
                    format!("leader n{i}'s log shrank from {previous} to {last} in term {term}"),
                );
            }
            _ => {}
        }
        self.leader_last[i] = Some((n.term(), last));
        let start = s.disk().wal.start();
        if start > 0 && start > snapshot {
            found += self.report(
                Invariant::I15CatchUpPossible,
                now,
                vec![i],
                vec![start, snapshot],
                format!("leader n{i} deleted entries up to {start} but its durable snapshot covers only {snapshot}: a lagging follower cannot catch up"),
            );
        }
        found
    }

    /// Forgets facts about indexes and terms that can no longer matter.
    fn prune(&mut self, servers: &[Server]) {
        // A server that left never takes part again: its old log must not hold the floor down.
        let present = || servers.iter().filter(|s| s.status() != NodeStatus::Removed);
        let floor = present().map(|s| s.disk().wal.start()).min().unwrap_or(0);
        let min_term = present().map(|s| s.node().term()).min().unwrap_or(0);
        self.decided = self.decided.split_off(&floor);
        self.acked = self.acked.split_off(&floor);
        self.entry_ids = self.entry_ids.split_off(&(floor, 0));
        self.leaders = self.leaders.split_off(&min_term);
        self.votes = self.votes.split_off(&(min_term, 0));
        self.votes_changes += 1;
    }
}

/// The snapshot a node's state machine was built from (a received snapshot that is durable but not yet
/// installed, e.g. while the node is paused, does not count yet).
fn built_from_snapshot(server: &Server) -> Index {
    server.disk().durable_snapshot_index().min(server.node().last_snapshot_index())
}

/// A node whose recovery cut records destroyed by an injected disk corruption abstains until it has them back.
/// Such a copy was durable when the protocol relied on it; the fault, not the protocol, removed it, so I7 and
/// I9 count it (I8 — the write is never lost — is what the abstention must still guarantee).
fn lost_to_corruption(server: &Server, index: Index) -> bool {
    server.disk().abstain_until.is_some_and(|until| index <= until)
}

impl Checker {
    /// Estimated heap bytes of the facts kept (checkpoints add up what they hold; see `world/footprint.rs`).
    pub fn heap_bytes(&self) -> usize {
        use crate::sim::world::footprint::btree_heap;
        use std::mem::size_of;
        let violations: usize = self
            .violations
            .iter()
            .map(|v| size_of::<Violation>() + v.detail.len() + (v.nodes.len() + v.indexes.len()) * 8)
            .sum();
        violations
            + btree_heap(self.reports.len(), 16)
            + btree_heap(self.leaders.len(), size_of::<(Term, NodeId)>())
            + btree_heap(self.votes.len(), size_of::<((Term, NodeId), NodeId)>())
            + btree_heap(self.entry_ids.len(), size_of::<((Index, Term), (u32, Term))>())
            + btree_heap(self.decided.len(), size_of::<(Index, (Term, u32, Term))>())
            + btree_heap(self.acked.len(), size_of::<(Index, (ClientId, u64, Term))>())
            + (self.max_term.len() + self.hwm.len() + self.leader_last.len() + self.durable_vote_recorded.len()) * 32
    }
}
