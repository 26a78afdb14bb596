//! The world: virtual clock, `(time, sequence)`-ordered event queue, seeded RNG, network, servers, clients and
//! checker. It is the only place time advances. `step()` pops the next event, feeds it to its target, schedules
//! the outputs, runs the checker and records trace events. Its side jobs are types of their own: the servers'
//! lifecycle (`server.rs`), the operator for membership changes (`operator.rs`), the write load
//! (`write_load.rs`) and the trace ring (`trace_ring.rs`); the world wires them to the event loop.

pub mod chunked;
pub mod client;
pub mod clock;
pub mod command;
pub mod counters;
pub mod footprint;
pub mod history;
pub mod network;
pub mod operator;
pub mod server;
pub mod status;
pub mod trace;
pub mod trace_ring;
pub mod write_load;

use crate::sim::check::checker::Checker;
use crate::sim::check::violation::Violation;
use crate::sim::config::{Config, ReadMode};
use crate::sim::limits;
use crate::sim::raft::message::{Body, ClientOp, Endpoint, Message};
use crate::sim::raft::node::{Ctx, Node, Observation, Output, TimerKind};
use crate::sim::raft::role::Role;
use crate::sim::rng::SimRng;
use crate::sim::storage::disk::FsyncOutcome;
use crate::sim::types::{ms, ClientId, Index, NodeId, Time};
use crate::sim::world::chunked::ChunkedDeque;
use crate::sim::world::client::{Client, ClientAction};
use crate::sim::world::clock::clock_rate_ppm;
use crate::sim::world::command::{Command, CommandContext, JoinAs};
use crate::sim::world::counters::{Counters, NodeCounters};
use crate::sim::world::history::{HistoryOp, OpStatus};
use crate::sim::world::network::{DropReason, Network};
use crate::sim::world::operator::{Operator, Plan, Shutdown};
pub use crate::sim::world::server::Server;
use crate::sim::world::server::TimerDue;
use crate::sim::world::status::NodeStatus;
use crate::sim::world::trace::{TraceEvent, What};
use crate::sim::world::trace_ring::TraceRing;
use crate::sim::world::write_load::WriteLoad;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A command with the virtual time it was applied at: the unit of recording and replay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimedCommand {
    /// When.
    pub at_us: Time,
    /// How many world events had been processed when it was applied: its place among the events of its
    /// instant, so that a replay can stop exactly one event before or after it (the player's step back).
    pub events: u64,
    /// What.
    pub command: Command,
}

/// A message on the wire.
#[derive(Clone, Debug)]
pub struct InFlight {
    /// Stable id.
    pub id: u64,
    /// The message.
    pub message: Message,
    /// When it was sent.
    pub sent: Time,
    /// When it arrives. Invariant: not before `sent`.
    pub deliver: Time,
    /// Whether it will be dropped on arrival, and why.
    pub drop: DropReason,
    /// A copy made by the network.
    pub duplicate: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EventKind {
    Deliver { slot: u32 },
    Timer { node: NodeId, kind: TimerKind, at: Time, epoch: u32 },
    DiskDone { node: NodeId, epoch: u32 },
    ClientTimeout { client: ClientId, seq: u64, attempt: u32 },
    Restart { node: NodeId, epoch: u32 },
    LoadTick { generation: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Event {
    time: Time,
    seq: u64,
    kind: EventKind,
}

impl Ord for Event {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse so the earliest (time, seq) pops first.
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// How long a supervisor waits before rebooting a node that stopped itself (failed fsync, corrupt record).
pub const SUPERVISOR_RESTART_MS: u64 = 30;

/// The simulated cluster. `Clone` is a checkpoint.
#[derive(Clone, Debug)]
pub struct World {
    config: Config,
    seed: u64,
    now: Time,
    events: u64,
    next_seq: u64,
    queue: BinaryHeap<Event>,
    rng: SimRng,
    network: Network,
    servers: Vec<Server>,
    clients: Vec<Client>,
    /// Finished client operations, oldest first (the oldest are dropped beyond `history_capacity`). In shared
    /// chunks: most of a world's bytes, and the same in every checkpoint that holds them.
    history: ChunkedDeque<HistoryOp>,
    /// Messages on the wire by slot; a delivered message's slot is reused. Invariant: a slot is in
    /// `free_slots` exactly when it is empty.
    inflight: Vec<Option<InFlight>>,
    free_slots: Vec<u32>,
    next_message_id: u64,
    trace: TraceRing,
    checker: Checker,
    /// Every command applied, in order (shared chunks, like the history).
    commands: ChunkedDeque<TimedCommand>,
    scratch: Vec<Output>,
    /// Configuration at creation (commands change `config`; exports start from this one).
    initial_config: Config,
    write_load: WriteLoad,
    operator: Operator,
    /// What happened to each node, counted from the records (never hashed: it changes nothing of the run).
    counters: Counters,
}

impl World {
    /// Builds and boots a cluster. The error names the configuration field that is wrong.
    pub fn new(config: Config, seed: u64) -> Result<World, String> {
        config.validate()?;
        let network =
            Network::new(config.nodes, config.loss, config.duplicate, config.latency_ms_min, config.latency_ms_max);
        let mut world = World {
            seed,
            now: 0,
            events: 0,
            next_seq: 0,
            queue: BinaryHeap::new(),
            rng: SimRng::new(seed),
            network,
            servers: Vec::with_capacity(config.nodes),
            clients: (0..config.clients).map(|c| Client::new(c, config.nodes)).collect(),
            history: ChunkedDeque::new(),
            inflight: Vec::new(),
            free_slots: Vec::new(),
            next_message_id: 0,
            trace: TraceRing::new(config.trace_capacity),
            checker: Checker::new(config.nodes, config.checker).with_drift_bound(config.drift_bound_ppm()),
            commands: ChunkedDeque::new(),
            scratch: Vec::new(),
            initial_config: config.clone(),
            write_load: WriteLoad::default(),
            operator: Operator::default(),
            counters: Counters::default(),
            config,
        };
        for _ in 0..world.config.nodes {
            world.start_server();
        }
        Ok(world)
    }

    /// Boots a server with a blank disk under the next id. The first `config.nodes` form the initial cluster;
    /// later ones start outside any configuration and wait for the leader to add them.
    fn start_server(&mut self) -> NodeId {
        let id = self.servers.len();
        let mut out = Vec::new();
        self.servers.push(Server::start(id, self.now, &self.config, &mut self.rng, &mut out));
        if id >= self.config.nodes {
            self.network.add_node();
            self.checker.add_node();
            self.update_client_addresses();
        }
        debug_assert_eq!(self.network.nodes(), self.servers.len().max(self.config.nodes), "a link to every server");
        self.handle_outputs(id, out);
        id
    }

    /// Clients learn which servers exist (a client library's endpoint list, updated by the operator).
    fn update_client_addresses(&mut self) {
        let present: Vec<NodeId> =
            self.servers.iter().filter(|s| s.status() != NodeStatus::Removed).map(|s| s.node().id()).collect();
        for client in &mut self.clients {
            client.set_nodes(present.clone());
        }
    }

    /// Whether `node` was asked to leave and its removal is not committed yet.
    pub fn is_leaving(&self, node: NodeId) -> bool {
        self.operator.is_leaving(node)
    }

    /// Carries out a planned membership change: start the new server, have the leader append the config.
    fn change_membership(&mut self, command: &Command, plan: Plan) {
        let Plan { leader, members, learners } = plan;
        let (subject, what) = match command {
            Command::AddNode { join } => {
                let learner = join.is_some_and(|j| j == JoinAs::Learner);
                (
                    self.start_server(),
                    What::NodeJoined { members: members.clone(), learners: learners.clone(), learner },
                )
            }
            Command::RemoveNode { node } => {
                (*node, What::NodeLeaving { members: members.clone(), learners: learners.clone() })
            }
            Command::Promote { node } => (*node, What::Promoting { members: members.clone() }),
            _ => unreachable!("only membership commands change membership"),
        };
        self.record(Some(subject), what);
        let mut index = 0;
        self.with_node(leader, |n, ctx| index = n.propose_members(ctx, members, learners));
        match command {
            Command::AddNode { .. } => self.operator.proposed(subject, true, index),
            Command::RemoveNode { .. } => self.operator.proposed(subject, false, index),
            // A lost promotion leaves a learner: nothing to shut down, nothing to track.
            _ => {}
        }
    }

    /// Hands leadership to `to` (the command was checked): the leader starts the transfer.
    fn transfer_leadership(&mut self, leader: NodeId, to: NodeId) {
        self.with_node(leader, |n, ctx| n.start_transfer(ctx, to));
    }

    /// The leader a leadership transfer to `to` goes to, or why there can be none now: there must be a running
    /// leader, and `to` a voter of its configuration that is up and may campaign.
    fn plan_transfer(&self, to: NodeId) -> Result<NodeId, String> {
        let leader = self
            .top_leader()
            .filter(|&l| self.servers[l].status() == NodeStatus::Up)
            .ok_or_else(|| "transfer-leadership: there is no leader to hand over; wait for an election".to_string())?;
        let node = self.servers[leader].node();
        if let Some(why) = node.transfer_blocker(to) {
            return Err(format!("transfer-leadership: {why}"));
        }
        let target = &self.servers[to];
        match target.status() {
            NodeStatus::Up => {}
            status => return Err(format!("transfer-leadership: n{to} is down ({})", status.name())),
        }
        if target.node().abstain_until().is_some() {
            return Err(format!(
                "transfer-leadership: n{to} abstains from elections until it holds the records it lost again"
            ));
        }
        Ok(leader)
    }

    /// Starts the clock change of `node` and queues the timer events its faster clock now reaches sooner.
    fn set_clock_rate(&mut self, node: NodeId, rate_ppm: u64) {
        self.checker.on_clock_rate(rate_ppm);
        let requeue = self.servers[node].set_clock_rate(self.now, rate_ppm);
        for (kind, queued) in [TimerKind::Election, TimerKind::Heartbeat].into_iter().zip(requeue) {
            if let Some((due, epoch)) = queued {
                self.schedule(due, EventKind::Timer { node, kind, at: due, epoch });
            }
        }
    }

    /// Carries out the operator's shutdowns, in order.
    fn shut_down(&mut self, shutdowns: Vec<Shutdown>) {
        for Shutdown { node, join_lost } in shutdowns {
            self.decommission(node, join_lost);
        }
    }

    /// Shuts a removed node down for good: it never runs again; messages to it are lost.
    fn decommission(&mut self, node: NodeId, join_lost: bool) {
        if !self.servers[node].decommission() {
            return;
        }
        self.checker.on_crash(node);
        self.record(Some(node), What::NodeRemoved { join_lost });
        self.update_client_addresses();
    }

    /// Voting members as the cluster currently says: the log of the leader of the highest term (else of the
    /// first running node). The view shows them; chaos draws membership changes from them.
    pub fn members(&self) -> Vec<NodeId> {
        self.members_in(self.top_leader())
    }

    /// Learners as the same log says (non-voting members that follow the log).
    pub fn learners(&self) -> Vec<NodeId> {
        self.top_leader()
            .or_else(|| self.servers.iter().find(|s| s.status() == NodeStatus::Up).map(|s| s.node().id()))
            .map(|id| self.servers[id].node().learners().to_vec())
            .unwrap_or_default()
    }

    /// The running (or paused) leader of the highest term: the one the UI marks as leader.
    pub fn top_leader(&self) -> Option<NodeId> {
        self.servers
            .iter()
            .filter(|s| s.node().role() == Role::Leader && matches!(s.status(), NodeStatus::Up | NodeStatus::Paused))
            .max_by_key(|s| s.node().term())
            .map(|s| s.node().id())
    }

    /// Voting members as `leader`'s log says (else as the first running node's log says).
    pub fn members_in(&self, leader: Option<NodeId>) -> Vec<NodeId> {
        leader
            .or_else(|| self.servers.iter().find(|s| s.status() == NodeStatus::Up).map(|s| s.node().id()))
            .map(|id| self.servers[id].node().members().to_vec())
            .unwrap_or_default()
    }

    /// The configuration (as changed by commands so far).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The configuration the world was created with (before any command changed it).
    pub fn initial_config(&self) -> &Config {
        &self.initial_config
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Virtual time now, in microseconds.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Events processed so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Hash of every trace record so far.
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash()
    }

    /// What happened to `node` since the start of the run, counted (elections, snapshots installed,
    /// crashes…): lessons claim these; they are kept beside the trace, never in its hash.
    pub fn counters(&self, node: NodeId) -> NodeCounters {
        self.counters.of(node)
    }

    /// Sequence number of the newest interesting trace record (0: none yet), so a caller that moves the
    /// world event by event can tell when something interesting happened (the player replaying its past).
    pub fn last_interesting_seq(&self) -> u64 {
        self.trace.last_interesting()
    }

    /// How many trace records the run has made (kept or not): a world restored from a copy without its
    /// records shows them all again once this has grown by the ring's capacity.
    pub fn trace_records_made(&self) -> u64 {
        self.trace.seq()
    }

    /// Hash and count, but do not keep, the trace records up to number `seq` (a replay that will make at
    /// least `trace_capacity` records after them: they would leave the ring before it ends anyway).
    pub fn skip_trace_records_until(&mut self, seq: u64) {
        self.trace.skip_records_until(seq);
    }

    /// A copy without the kept trace records (everything else, the trace hash included, is the same): a
    /// checkpoint that is cheaper to rebuild by replaying `config().trace_capacity` records than to keep.
    pub fn clone_without_trace_records(&self) -> World {
        World { trace: self.trace.without_records(), ..self.clone() }
    }

    /// Every violation found so far.
    pub fn violations(&self) -> &[Violation] {
        self.checker.violations()
    }

    /// Switches the checker on or off (off is faster; violations found so far are kept).
    pub fn set_checker(&mut self, on: bool) {
        self.config.checker = on;
        self.checker.set_enabled(on, &self.servers);
    }

    /// Commands applied so far, with their times (export, share, replay).
    pub fn recorded_commands(&self) -> &ChunkedDeque<TimedCommand> {
        &self.commands
    }

    /// The servers (node + disk), for views and tests.
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// The network: links, loss, duplication and latency now in force.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The clients, in id order.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// Finished client operations, oldest first (bounded by `history_capacity`).
    pub fn completed_operations(&self) -> impl DoubleEndedIterator<Item = &HistoryOp> {
        self.history.iter()
    }

    /// Finished client operations (bounded by `history_capacity`) followed by those still in progress.
    pub fn history(&self) -> Vec<HistoryOp> {
        let mut all: Vec<HistoryOp> = self.history.iter().cloned().collect();
        all.extend(self.clients.iter().filter_map(|c| c.current.as_ref().map(|a| a.record.clone())));
        all
    }

    /// The newest trace records.
    pub fn trace(&self) -> impl Iterator<Item = &TraceEvent> {
        self.trace.iter()
    }

    /// Time of the next scheduled event.
    pub fn next_event_time(&self) -> Option<Time> {
        self.queue.peek().map(|e| e.time)
    }

    /// Generated writes per second now in force.
    pub fn write_load_per_second(&self) -> u64 {
        self.write_load.per_second()
    }

    /// Applies a command now. Invalid ones (unknown node or client, impossible values) are refused with a
    /// message naming the problem, and change nothing.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        self.validate_command(&command)?;
        let membership = match command {
            Command::AddNode { .. } | Command::RemoveNode { .. } | Command::Promote { .. } => {
                Some(self.operator.plan(&command, &self.servers)?)
            }
            _ => None,
        };
        let transfer_from = match command {
            Command::TransferLeadership { to } => Some(self.plan_transfer(to)?),
            _ => None,
        };
        self.commands.push_back(TimedCommand { at_us: self.now, events: self.events, command: command.clone() });
        self.record(None, What::Command(command.clone()));
        match command {
            Command::Put { client, key, value, node } => self.submit(client, ClientOp::Put { key, value }, node),
            Command::Get { client, key, node } => self.submit(client, ClientOp::Get { key }, node),
            Command::Delete { client, key, node } => self.submit(client, ClientOp::Delete { key }, node),
            Command::Cas { client, key, expected, value, node } => {
                self.submit(client, ClientOp::Cas { key, expected, value }, node)
            }
            Command::Append { client, key, value, node } => self.submit(client, ClientOp::Append { key, value }, node),
            Command::Crash { node } => self.crash(node),
            Command::Restart { node } => self.restart(node),
            Command::Pause { node } => {
                if self.servers[node].pause() {
                    self.record(Some(node), What::Paused);
                }
            }
            Command::Resume { node } => self.resume(node),
            Command::Partition { groups } => self.network.partition(&groups),
            Command::Heal => self.network.heal(),
            Command::CutLink { from, to } => self.network.set_cut(from, to, true),
            Command::RepairLink { from, to } => self.network.set_cut(from, to, false),
            Command::SlowLink { from, to, extra_ms } => self.network.set_extra(from, to, extra_ms),
            Command::SetLoss { probability } => {
                self.network.loss = probability;
                self.config.loss = probability;
            }
            Command::SetDuplicate { probability } => {
                self.network.duplicate = probability;
                self.config.duplicate = probability;
            }
            Command::SetLatency { min_ms, max_ms } => {
                self.network.latency_ms_min = min_ms;
                self.network.latency_ms_max = max_ms;
                self.config.latency_ms_min = min_ms;
                self.config.latency_ms_max = max_ms;
            }
            Command::TornWrite { node } => self.servers[node].disk.faults.torn_on_crash = true,
            Command::BitFlip { node, index } => {
                if !self.servers[node].disk.wal.flip_bit(index) {
                    return Err(format!("bit-flip: n{node} holds no record at index {index}"));
                }
            }
            Command::FailFsync { node } => self.servers[node].disk.faults.fail_next_fsync = true,
            Command::SlowDisk { node, fsync_ms } => self.servers[node].disk.faults.slow_fsync_ms = fsync_ms,
            Command::SetReadMode { mode } => {
                if mode != self.config.read_mode {
                    // A lease of before rests on promises made (or not) under the old mode: start afresh.
                    self.servers.iter_mut().for_each(|s| s.node.forget_lease());
                }
                self.config.read_mode = mode;
            }
            Command::SetWriteLoad { per_second, mix } => {
                if let Some((delay, generation)) = self.write_load.set_rate(per_second, mix) {
                    self.schedule(self.now + delay, EventKind::LoadTick { generation });
                }
            }
            Command::SetTimeouts { heartbeat_ms, election_timeout_ms_min, election_timeout_ms_max } => {
                self.config.heartbeat_ms = heartbeat_ms;
                self.config.election_timeout_ms_min = election_timeout_ms_min;
                self.config.election_timeout_ms_max = election_timeout_ms_max;
            }
            Command::AddNode { .. } | Command::RemoveNode { .. } | Command::Promote { .. } => {
                if let Some(plan) = membership {
                    self.change_membership(&command, plan);
                }
            }
            Command::SetClockRate { node, rate } => {
                let rate_ppm = clock_rate_ppm(rate).expect("validated by Command::validate");
                self.set_clock_rate(node, rate_ppm);
            }
            Command::TransferLeadership { to } => {
                if let Some(leader) = transfer_from {
                    self.transfer_leadership(leader, to);
                }
            }
        }
        self.after_event();
        Ok(())
    }

    /// One generated write of the write load, then the next tick.
    fn write_load_tick(&mut self, generation: u32) {
        let Some((write, next)) = self.write_load.tick(generation, self.clients.len()) else { return };
        if self.clients[write.client].queue.len() < 2 {
            self.submit(write.client, write.op(), None);
        }
        self.schedule(self.now + next, EventKind::LoadTick { generation });
    }

    /// The one command check ([`Command::validate`], as the scenario parser runs it) against this run's servers
    /// and clients, then what only the running world knows: a node that has left the cluster is gone for good.
    fn validate_command(&self, command: &Command) -> Result<(), String> {
        let context = CommandContext { nodes: self.servers.len(), clients: self.clients.len() };
        command.validate(&context).map_err(|e| e.within(command.action()).to_string())?;
        if let Some(node) = command.nodes().into_iter().find(|&n| self.servers[n].status() == NodeStatus::Removed) {
            return Err(format!("{}: n{node} has left the cluster", command.action()));
        }
        self.check_lease_promise(command)
    }

    /// In `lease` read mode a lease may not outlast the followers' promise: `set-read-mode lease` needs
    /// `lease_ms ≤ election_timeout_ms_min`, and `set-timeouts` may not lower the timeout below the lease.
    fn check_lease_promise(&self, command: &Command) -> Result<(), String> {
        let (lease_ms, timeout_ms) = match *command {
            Command::SetReadMode { mode: ReadMode::Lease } => {
                (self.config.lease_ms, self.config.election_timeout_ms_min)
            }
            Command::SetTimeouts { election_timeout_ms_min, .. } if self.config.read_mode == ReadMode::Lease => {
                (self.config.lease_ms, election_timeout_ms_min)
            }
            _ => return Ok(()),
        };
        limits::check_lease_within_timeout(lease_ms, timeout_ms)
            .map_err(|reason| format!("{}: config.lease_ms {reason}", command.action()))
    }

    /// Processes the next event. Returns false if nothing is scheduled.
    pub fn step(&mut self) -> bool {
        let Some(event) = self.queue.pop() else { return false };
        debug_assert!(event.time >= self.now, "time never goes back");
        self.now = event.time;
        self.events += 1;
        match event.kind {
            EventKind::Deliver { slot } => self.deliver(slot),
            EventKind::Timer { node, kind, at, epoch } => self.fire_timer(node, kind, at, epoch),
            EventKind::DiskDone { node, epoch } => self.disk_done(node, epoch),
            EventKind::ClientTimeout { client, seq, attempt } => {
                let max = self.config.client_max_attempts;
                let action = self.clients[client].on_timeout(seq, attempt, self.now, max);
                self.client_action(client, action);
            }
            EventKind::LoadTick { generation } => self.write_load_tick(generation),
            EventKind::Restart { node, epoch } => {
                let server = &self.servers[node];
                if server.epoch() == epoch && server.status() == NodeStatus::Crashed {
                    self.restart(node);
                }
            }
        }
        self.after_event();
        true
    }

    /// Processes every event up to and including `time_us`, then sets the clock to `time_us`.
    pub fn run_until(&mut self, time_us: Time) {
        while self.queue.peek().is_some_and(|e| e.time <= time_us) {
            self.step();
        }
        self.now = self.now.max(time_us);
    }

    /// Processes `count` events (or fewer if the queue empties).
    pub fn run_events(&mut self, count: u64) {
        for _ in 0..count {
            if !self.step() {
                break;
            }
        }
    }

    /// Steps until an event produces an interesting trace record (an election, a commit-index move, a crash,
    /// a snapshot, a deletion, a finished client operation, a violation) or the clock would pass `limit_us`.
    /// Returns true if it stopped on an interesting event.
    pub fn run_until_interesting(&mut self, limit_us: Time) -> bool {
        let before = self.trace.last_interesting();
        while self.queue.peek().is_some_and(|e| e.time <= limit_us) {
            self.step();
            if self.trace.last_interesting() != before {
                return true;
            }
        }
        self.now = self.now.max(limit_us);
        false
    }

    fn after_event(&mut self) {
        if self.config.checker {
            let found = self.checker.after_event(self.now, &self.servers);
            self.report_violations(found);
        }
    }

    fn report_violations(&mut self, found: usize) {
        if found == 0 {
            return;
        }
        let fresh: Vec<Violation> = self.checker.violations()[self.checker.violations().len() - found..].to_vec();
        for v in fresh {
            let node = v.nodes.first().copied();
            self.record(node, What::Violation(v));
        }
    }

    /// Appends a trace record (kept if there is room; always hashed) and counts it for its node.
    fn record(&mut self, node: Option<NodeId>, what: What) {
        self.counters.count(node, &what);
        self.trace.record(self.now, node, what);
    }

    fn schedule(&mut self, time: Time, kind: EventKind) {
        debug_assert!(time >= self.now, "an event is never scheduled in the past");
        self.next_seq += 1;
        self.queue.push(Event { time, seq: self.next_seq, kind });
    }

    fn submit(&mut self, client: ClientId, op: ClientOp, node: Option<NodeId>) {
        let action = self.clients[client].submit(op, node, self.now);
        self.client_action(client, action);
    }

    fn client_action(&mut self, client: ClientId, action: ClientAction) {
        match action {
            ClientAction::Idle => {}
            ClientAction::Send { seq, attempt, target } => {
                let op = self.clients[client].current.as_ref().expect("sending needs an operation").op.clone();
                if attempt > 1 {
                    self.record(None, What::ClientRetry { client, seq, attempt, target });
                }
                let message = Message {
                    from: Endpoint::Client(client),
                    to: Endpoint::Node(target),
                    term: 0,
                    body: Body::Request { client, seq, op },
                };
                self.send(message);
                let timeout = self.now + ms(self.config.client_timeout_ms);
                self.schedule(timeout, EventKind::ClientTimeout { client, seq, attempt });
            }
            ClientAction::Finished => self.finish_operation(client),
        }
    }

    /// A client's operation finished: check it, trace it, keep it in the history, start the client's next one.
    fn finish_operation(&mut self, client: ClientId) {
        let record = self.clients[client].take_finished().expect("a finished operation");
        debug_assert!(record.is_finished(), "a finished operation has its outcome");
        if self.config.checker {
            let found = self.checker.on_client_done(self.now, &record, &self.servers);
            self.report_violations(found);
        }
        self.record(None, What::ClientDone(record.clone()));
        if self.history.len() >= self.config.history_capacity.max(1) {
            self.history.pop_front();
        }
        self.history.push_back(record);
        let next = self.clients[client].start_next(self.now);
        self.client_action(client, next);
    }

    /// Puts a message on the wire (and maybe a duplicate).
    fn send(&mut self, message: Message) {
        let route = self.network.route(&mut self.rng, message.from, message.to);
        if let Some(latency) = route.duplicate_latency_us {
            self.put_in_flight(message.clone(), latency, DropReason::None, true);
        }
        self.put_in_flight(message, route.latency_us, route.drop_reason, false);
    }

    fn put_in_flight(&mut self, message: Message, latency: Time, drop: DropReason, duplicate: bool) {
        self.next_message_id += 1;
        let flight = InFlight {
            id: self.next_message_id,
            message,
            sent: self.now,
            deliver: self.now + latency,
            drop,
            duplicate,
        };
        let slot = match self.free_slots.pop() {
            Some(slot) => {
                debug_assert!(self.inflight[slot as usize].is_none(), "a free slot is empty");
                self.inflight[slot as usize] = Some(flight);
                slot
            }
            None => {
                self.inflight.push(Some(flight));
                (self.inflight.len() - 1) as u32
            }
        };
        self.schedule(self.now + latency, EventKind::Deliver { slot });
    }

    fn deliver(&mut self, slot: u32) {
        let flight = self.inflight[slot as usize].take().expect("a scheduled delivery has a message");
        debug_assert_eq!(flight.deliver, self.now, "a message arrives when its delivery was scheduled");
        self.free_slots.push(slot);
        let message = flight.message;
        let receiver = message.to.node();
        if flight.drop != DropReason::None {
            self.record(receiver, What::Dropped(message, flight.drop));
            return;
        }
        match message.to {
            Endpoint::Client(client) => {
                if let Body::Reply { seq, outcome } = &message.body {
                    let from = message.from.node().unwrap_or(0);
                    let max = self.config.client_max_attempts;
                    let action = self.clients[client].on_reply(*seq, from, outcome, self.now, max);
                    self.record(None, What::Delivered(message));
                    self.client_action(client, action);
                }
            }
            Endpoint::Node(node) => match self.servers[node].status() {
                NodeStatus::Crashed | NodeStatus::Removed => self.record(Some(node), What::LostAtDeadNode(message)),
                NodeStatus::Paused => self.servers[node].hold_while_paused(message),
                NodeStatus::Up => self.deliver_to_node(node, message),
            },
        }
    }

    fn deliver_to_node(&mut self, node: NodeId, message: Message) {
        if self.trace.keeps_next() {
            self.record(Some(node), What::Delivered(message.clone()));
        } else if self.trace.keeps_records() {
            self.trace.hash_skipped_delivery(self.now, node, &message);
        } else {
            self.trace.hash_delivery(self.now, node, &message);
        }
        self.with_node(node, |n, ctx| n.on_message(ctx, message));
    }

    /// Runs a node handler with a context and routes its outputs.
    fn with_node(&mut self, node: NodeId, handler: impl FnOnce(&mut Node, &mut Ctx)) {
        let mut out = std::mem::take(&mut self.scratch);
        self.servers[node].run(self.now, &self.config, &mut self.rng, &mut out, handler);
        self.handle_outputs(node, out);
    }

    fn handle_outputs(&mut self, node: NodeId, mut out: Vec<Output>) {
        let mut stopped = false;
        let mut committed_config = None;
        let mut commit_moved = false;
        for output in out.drain(..) {
            match output {
                Output::Observe(observation) => {
                    if self.config.checker {
                        let found = self.checker.observe(self.now, node, &observation, &self.servers);
                        self.report_violations(found);
                    }
                    match &observation {
                        Observation::ConfigCommitted { index, members, learners } => {
                            committed_config = Some((*index, [members.as_slice(), learners].concat()));
                        }
                        Observation::CommitAdvanced { .. } => commit_moved = true,
                        _ => {}
                    }
                    self.record(Some(node), What::Observed(observation));
                }
                _ if stopped => {}
                Output::Send(message) => self.send(message),
                Output::Sync => self.start_fsync(node),
                Output::Timer(kind, at) => self.set_timer(node, kind, at),
                Output::FailStop(reason) => {
                    stopped = true;
                    self.record(Some(node), What::FailStop(reason));
                    self.crash_and_supervise(node);
                }
            }
        }
        self.scratch = out;
        self.tell_operator(node, committed_config, commit_moved);
    }

    /// After the node's own outputs (a leader that removed itself has sent its last messages): the operator
    /// learns of a committed configuration and of commits that may have passed a lost change.
    fn tell_operator(&mut self, node: NodeId, committed_config: Option<(Index, Vec<NodeId>)>, commit_moved: bool) {
        if let Some((index, members)) = committed_config {
            if self.operator.has_pending() {
                let shutdowns = self.operator.on_config_committed(index, &members);
                self.shut_down(shutdowns);
            }
        }
        if commit_moved && self.operator.has_pending() {
            let shutdowns = self.operator.settle_lost_changes(&self.servers[node]);
            self.shut_down(shutdowns);
        }
    }

    /// The node set a timer for local time `at`: queue its event at the virtual instant its clock gets there.
    fn set_timer(&mut self, node: NodeId, kind: TimerKind, at: Time) {
        debug_assert!(at >= self.servers[node].local_now(self.now), "a timer is never set in the past");
        if let Some((due, epoch)) = self.servers[node].arm_timer(kind, at, self.now) {
            self.schedule(due, EventKind::Timer { node, kind, at: due, epoch });
        }
    }

    fn fire_timer(&mut self, node: NodeId, kind: TimerKind, at: Time, epoch: u32) {
        match self.servers[node].timer_due(kind, at, epoch, self.now) {
            TimerDue::Stale | TimerDue::Missed => {}
            TimerDue::Later(deadline) => self.schedule(deadline, EventKind::Timer { node, kind, at: deadline, epoch }),
            TimerDue::Fire => {
                self.record(Some(node), What::Timer(kind));
                self.with_node(node, |n, ctx| n.on_timer(ctx, kind));
            }
        }
    }

    fn start_fsync(&mut self, node: NodeId) {
        let server = &mut self.servers[node];
        if server.status() == NodeStatus::Crashed || server.disk.fsync_in_flight().is_some() {
            return;
        }
        let normal = self.rng.range(self.config.fsync_ms_min * 1_000, self.config.fsync_ms_max * 1_000);
        let latency = server.disk.faults.slow_fsync_ms.map_or(normal, |slow| slow * 1_000).max(1);
        if server.disk.begin_fsync(self.now + latency) {
            let epoch = server.epoch();
            self.schedule(self.now + latency, EventKind::DiskDone { node, epoch });
        }
    }

    fn disk_done(&mut self, node: NodeId, epoch: u32) {
        let server = &mut self.servers[node];
        if server.epoch() != epoch || server.status() == NodeStatus::Crashed {
            return;
        }
        let covers_index = server.disk.fsync_in_flight().map_or(0, |f| f.covers_index);
        match server.disk.complete_fsync() {
            None => {}
            Some(FsyncOutcome::Failed) => {
                self.record(Some(node), What::FsyncFailed);
                self.crash_and_supervise(node);
            }
            Some(FsyncOutcome::Done) => {
                self.record(Some(node), What::FsyncDone { covers_index });
                if self.servers[node].status() == NodeStatus::Paused {
                    self.servers[node].miss_disk_done();
                } else {
                    self.with_node(node, |n, ctx| n.on_disk_done(ctx));
                }
                if self.servers[node].disk.unsynced_writes() > 0 {
                    self.start_fsync(node);
                }
            }
        }
    }

    /// A node stopped itself: power it off and have a supervisor boot it shortly.
    fn crash_and_supervise(&mut self, node: NodeId) {
        self.crash(node);
        let epoch = self.servers[node].epoch();
        self.schedule(self.now + ms(SUPERVISOR_RESTART_MS), EventKind::Restart { node, epoch });
    }

    fn crash(&mut self, node: NodeId) {
        let Some(lost) = self.servers[node].crash() else { return };
        self.checker.on_crash(node);
        self.record(Some(node), What::Crashed { lost });
    }

    fn restart(&mut self, node: NodeId) {
        if self.servers[node].status() != NodeStatus::Crashed {
            return;
        }
        self.record(Some(node), What::Restarted);
        let mut out = std::mem::take(&mut self.scratch);
        self.servers[node].reboot(self.now, &self.config, &mut self.rng, &mut out);
        self.handle_outputs(node, out);
    }

    /// A paused node runs again and hears, in order, of the fsync, the messages and the timers it missed.
    fn resume(&mut self, node: NodeId) {
        if !self.servers[node].resume() {
            return;
        }
        self.record(Some(node), What::Resumed);
        if self.servers[node].take_missed_disk_done() {
            self.with_node(node, |n, ctx| n.on_disk_done(ctx));
        }
        while let Some(message) = self.servers[node].next_missed_message() {
            if self.servers[node].status() != NodeStatus::Up {
                break;
            }
            self.deliver_to_node(node, message);
        }
        for kind in [TimerKind::Election, TimerKind::Heartbeat] {
            if self.servers[node].take_missed_timer(kind) && self.servers[node].status() == NodeStatus::Up {
                self.record(Some(node), What::Timer(kind));
                self.with_node(node, |n, ctx| n.on_timer(ctx, kind));
            }
        }
    }

    /// Messages on the wire, for views.
    pub fn messages_in_flight(&self) -> impl Iterator<Item = &InFlight> {
        self.inflight.iter().flatten()
    }

    /// Marks every still-running client operation as given up (end of a run), so a history checker sees
    /// their writes as "may or may not have happened".
    pub fn finished_history(&self) -> Vec<HistoryOp> {
        let mut all = self.history();
        for op in all.iter_mut() {
            if op.status == OpStatus::Pending {
                op.status = OpStatus::Unknown { reason: "still pending at the end of the run".into() };
            }
        }
        all
    }
}
