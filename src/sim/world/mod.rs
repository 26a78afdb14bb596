//! The world: virtual clock, `(time, sequence)`-ordered event queue, seeded RNG, network, disks, nodes,
//! clients and checker. It is the only place time advances. `step()` pops the next event, feeds it to its
//! target, schedules the outputs, runs the checker and records trace events.

pub mod client;
pub mod command;
pub mod history;
pub mod network;
pub mod rng;
pub mod status;
pub mod trace;

use crate::sim::check::checker::Checker;
use crate::sim::check::violation::Violation;
use crate::sim::config::Config;
use crate::sim::raft::membership::{MAX_MEMBERS, MAX_NODE_IDS};
use crate::sim::raft::message::{Body, Endpoint, Message};
use crate::sim::raft::node::{Ctx, Node, Observation, Output, TimerKind};
use crate::sim::raft::role::Role;
use crate::sim::storage::disk::{Disk, FsyncOutcome};
use crate::sim::types::{ms, ClientId, Index, NodeId, Time};
use crate::sim::world::client::{Client, ClientAction};
use crate::sim::world::command::{Command, CommandContext};
use crate::sim::world::history::{ClientOp, HistoryOp, OpStatus};
use crate::sim::world::network::{DropReason, Network};
use crate::sim::world::rng::SimRng;
use crate::sim::world::status::NodeStatus;
use crate::sim::world::trace::{Fingerprint, TraceEvent, What};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// A command with the virtual time it was applied at: the unit of recording and replay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimedCommand {
    /// When.
    pub at_us: Time,
    /// What.
    pub command: Command,
}

/// A node with its disk and its lifecycle.
#[derive(Clone, Debug)]
pub struct Server {
    /// The state machine (volatile state; rebuilt from the disk at restart).
    pub node: Node,
    /// The disk (survives crashes, minus what was not synced).
    pub disk: Disk,
    /// Up, crashed or paused.
    pub status: NodeStatus,
    /// Incremented at every crash, so timers and fsyncs of a previous life are ignored.
    epoch: u32,
    /// Deadline per timer kind as the node last set it.
    timer_deadline: [Option<Time>; 2],
    /// Time of the queued timer event per kind (there is at most one live one).
    timer_queued: [Option<Time>; 2],
    /// Timers that expired while paused.
    timer_missed: [bool; 2],
    /// Messages that arrived while paused.
    inbox: VecDeque<Message>,
    /// An fsync finished while paused; the node hears of it on resume.
    disk_done_missed: bool,
}

impl Server {
    /// The process stops (power loss or shutdown): a new epoch, so its pending timers and fsyncs are ignored,
    /// and everything volatile it was waiting on is gone.
    fn stop_process(&mut self) {
        self.epoch += 1;
        self.timer_deadline = [None; 2];
        self.timer_queued = [None; 2];
        self.timer_missed = [false; 2];
        self.inbox.clear();
        self.disk_done_missed = false;
        self.node.held.clear();
    }
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
    /// When it arrives.
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
    pub(crate) config: Config,
    seed: u64,
    now: Time,
    events: u64,
    next_seq: u64,
    queue: BinaryHeap<Event>,
    rng: SimRng,
    pub(crate) network: Network,
    pub(crate) servers: Vec<Server>,
    pub(crate) clients: Vec<Client>,
    pub(crate) history: VecDeque<HistoryOp>,
    /// Operations dropped from the front of `history` to bound memory.
    pub(crate) history_dropped: u64,
    pub(crate) inflight: Vec<Option<InFlight>>,
    free_slots: Vec<u32>,
    next_message_id: u64,
    pub(crate) trace: VecDeque<TraceEvent>,
    trace_seq: u64,
    fingerprint: Fingerprint,
    checker: Checker,
    commands: Vec<TimedCommand>,
    scratch: Vec<Output>,
    /// Trace sequence number of the newest interesting event.
    last_interesting: u64,
    /// Configuration at creation (commands change `config`; exports start from this one).
    initial_config: Config,
    /// Generated writes per second (0 = none) and the generation of the running load (a new rate restarts it).
    write_load_per_second: u64,
    write_load_generation: u32,
    write_load_count: u64,
    /// Nodes the leader was asked to remove whose removal is not committed yet (the operator shuts each one
    /// down once it is, as one would after `etcdctl member remove`).
    /// Each with the index of the config entry that removes it.
    removing: Vec<(NodeId, Index)>,
    /// Servers started by `add-node` whose addition is not committed yet, with the index of that config entry.
    joining: Vec<(NodeId, Index)>,
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
            history: VecDeque::new(),
            history_dropped: 0,
            inflight: Vec::new(),
            free_slots: Vec::new(),
            next_message_id: 0,
            trace: VecDeque::new(),
            trace_seq: 0,
            fingerprint: Fingerprint::new(),
            checker: Checker::new(config.nodes, config.checker),
            commands: Vec::new(),
            scratch: Vec::new(),
            last_interesting: 0,
            initial_config: config.clone(),
            write_load_per_second: 0,
            write_load_generation: 0,
            write_load_count: 0,
            removing: Vec::new(),
            joining: Vec::new(),
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
        let mut disk = Disk::new(self.config.segment_entries);
        let mut out = Vec::new();
        let node = {
            let mut ctx =
                Ctx { now: self.now, config: &self.config, disk: &mut disk, rng: &mut self.rng, out: &mut out };
            Node::boot(id, &mut ctx)
        };
        self.servers.push(Server {
            node,
            disk,
            status: NodeStatus::Up,
            epoch: 0,
            timer_deadline: [None; 2],
            timer_queued: [None; 2],
            timer_missed: [false; 2],
            inbox: VecDeque::new(),
            disk_done_missed: false,
        });
        if id >= self.config.nodes {
            self.network.add_node();
            self.checker.add_node();
            self.update_client_addresses();
        }
        self.handle_outputs(id, out);
        id
    }

    /// Clients learn which servers exist (a client library's endpoint list, updated by the operator).
    fn update_client_addresses(&mut self) {
        let present: Vec<NodeId> =
            self.servers.iter().filter(|s| s.status != NodeStatus::Removed).map(|s| s.node.id).collect();
        for client in &mut self.clients {
            client.set_nodes(present.clone());
        }
    }

    /// The leader an operator's membership request goes to: the up leader of the highest term.
    fn admin_leader(&self) -> Option<NodeId> {
        self.servers
            .iter()
            .filter(|s| s.status == NodeStatus::Up && s.node.role == Role::Leader)
            .max_by_key(|s| s.node.term)
            .map(|s| s.node.id)
    }

    /// Whether `node` was asked to leave and its removal is not committed yet.
    pub fn is_leaving(&self, node: NodeId) -> bool {
        self.removing.iter().any(|&(n, _)| n == node)
    }

    /// The membership change `command` asks for, checked against the leader's state: `(leader, new
    /// members)`, or why it cannot be done now.
    fn plan_membership_change(&self, command: &Command) -> Result<(NodeId, Vec<NodeId>), String> {
        let name = command.action();
        let leader = self
            .admin_leader()
            .ok_or_else(|| format!("{name}: there is no leader to take the change; wait for an election"))?;
        let server = &self.servers[leader];
        if let Some(why) = server.node.membership_change_blocker(&server.disk) {
            return Err(format!("{name}: {why}"));
        }
        let mut members = server.node.members.clone();
        match command {
            Command::AddNode => {
                if self.servers.len() >= MAX_NODE_IDS {
                    return Err(format!("add-node: a run can start at most {MAX_NODE_IDS} servers"));
                }
                if members.len() >= MAX_MEMBERS {
                    return Err(format!(
                        "add-node: the cluster already has {MAX_MEMBERS} members, the most it can have"
                    ));
                }
                members.push(self.servers.len());
            }
            Command::RemoveNode { node } => {
                if !members.contains(node) {
                    return Err(format!("remove-node: n{node} is not a member of the cluster"));
                }
                if members.len() == 1 {
                    return Err(format!("remove-node: n{node} is the only member; a cluster needs at least one"));
                }
                members.retain(|m| m != node);
            }
            _ => unreachable!("only membership commands are planned"),
        }
        Ok((leader, members))
    }

    /// Carries out a planned membership change: start the new server, have the leader append the config.
    fn change_membership(&mut self, command: &Command, leader: NodeId, members: Vec<NodeId>) {
        let (subject, what) = match command {
            Command::AddNode => (self.start_server(), What::NodeJoined { members: members.clone() }),
            Command::RemoveNode { node } => (*node, What::NodeLeaving { members: members.clone() }),
            _ => unreachable!("only membership commands change membership"),
        };
        self.record(Some(subject), what);
        let mut index = 0;
        self.with_node(leader, |n, ctx| index = n.propose_members(ctx, members));
        match command {
            Command::RemoveNode { node } => {
                self.removing.retain(|&(n, _)| n != *node);
                self.removing.push((*node, index));
            }
            _ => self.joining.push((subject, index)),
        }
    }

    /// A configuration was committed: every node whose removal it completes is shut down for good; a pending
    /// removal the committed configuration still includes was lost (its entry was truncated) and is dropped.
    /// A server whose addition was lost (its entry truncated, a newer configuration without it committed) is
    /// shut down too: left running it would campaign with a configuration nobody else has, for ever.
    fn on_config_committed(&mut self, index: Index, members: &[NodeId]) {
        let mut removed = Vec::new();
        self.removing.retain(|&(node, removal)| {
            if !members.contains(&node) {
                removed.push(node);
                false
            } else {
                // A newer configuration that still has the node: the removal entry was truncated away.
                index <= removal
            }
        });
        let mut lost = Vec::new();
        self.joining.retain(|&(node, addition)| {
            if members.contains(&node) {
                false
            } else if index > addition {
                lost.push(node);
                false
            } else {
                true
            }
        });
        for node in removed {
            self.decommission(node, false);
        }
        for node in lost {
            self.decommission(node, true);
        }
    }

    /// A leader committed past the index of a pending change whose entry is no longer there: the change was
    /// truncated away (a newer leader never had it). A lost addition shuts its server down; a lost removal
    /// leaves the node a member.
    fn settle_lost_changes(&mut self, node: NodeId) {
        let server = &self.servers[node];
        if server.node.role != Role::Leader {
            return;
        }
        let (commit, wal) = (server.node.commit, &server.disk.wal);
        let holds = |index: Index, wanted: &dyn Fn(&[NodeId]) -> bool| {
            wal.entry(index).and_then(|e| e.payload.members()).is_some_and(wanted)
        };
        let mut lost_joins = Vec::new();
        self.joining.retain(|&(joiner, index)| {
            let lost = index <= commit && index >= wal.first_index() && !holds(index, &|m| m.contains(&joiner));
            if lost {
                lost_joins.push(joiner);
            }
            !lost
        });
        self.removing.retain(|&(leaver, index)| {
            !(index <= commit && index >= wal.first_index() && !holds(index, &|m| !m.contains(&leaver)))
        });
        for joiner in lost_joins {
            self.decommission(joiner, true);
        }
    }

    /// Shuts a removed node down for good: it never runs again; messages to it are lost.
    fn decommission(&mut self, node: NodeId, join_lost: bool) {
        let server = &mut self.servers[node];
        if server.status == NodeStatus::Removed {
            return;
        }
        server.status = NodeStatus::Removed;
        server.stop_process();
        self.checker.on_crash(node);
        self.record(Some(node), What::NodeRemoved { join_lost });
        self.update_client_addresses();
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
        self.fingerprint.0
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
    pub fn recorded_commands(&self) -> &[TimedCommand] {
        &self.commands
    }

    /// The servers (node + disk), for views and tests.
    pub fn servers(&self) -> &[Server] {
        &self.servers
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

    /// Applies a command now. Invalid ones (unknown node or client, impossible values) are refused with a
    /// message naming the problem, and change nothing.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        self.validate_command(&command)?;
        let membership = match command {
            Command::AddNode | Command::RemoveNode { .. } => Some(self.plan_membership_change(&command)?),
            _ => None,
        };
        self.commands.push(TimedCommand { at_us: self.now, command: command.clone() });
        self.record(None, What::Command(command.clone()));
        match command {
            Command::Put { client, key, value, node } => self.submit(client, ClientOp::Put { key, value }, node),
            Command::Get { client, key, node } => self.submit(client, ClientOp::Get { key }, node),
            Command::Delete { client, key, node } => self.submit(client, ClientOp::Delete { key }, node),
            Command::Crash { node } => self.crash(node),
            Command::Restart { node } => self.restart(node),
            Command::Pause { node } => {
                if self.servers[node].status == NodeStatus::Up {
                    self.servers[node].status = NodeStatus::Paused;
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
            Command::SetReadMode { mode } => self.config.read_mode = mode,
            Command::SetWriteLoad { per_second } => {
                self.write_load_per_second = per_second;
                self.write_load_generation += 1;
                if let Some(interval) = 1_000_000u64.checked_div(per_second) {
                    let generation = self.write_load_generation;
                    self.schedule(self.now + interval.max(1), EventKind::LoadTick { generation });
                }
            }
            Command::SetTimeouts { heartbeat_ms, election_timeout_ms_min, election_timeout_ms_max } => {
                self.config.heartbeat_ms = heartbeat_ms;
                self.config.election_timeout_ms_min = election_timeout_ms_min;
                self.config.election_timeout_ms_max = election_timeout_ms_max;
            }
            Command::AddNode | Command::RemoveNode { .. } => {
                if let Some((leader, members)) = membership {
                    self.change_membership(&command, leader, members);
                }
            }
        }
        self.after_event();
        Ok(())
    }

    /// One generated write of the write load, then the next tick.
    fn write_load_tick(&mut self, generation: u32) {
        if generation != self.write_load_generation || self.write_load_per_second == 0 {
            return;
        }
        self.write_load_count += 1;
        let n = self.write_load_count;
        let client = (n % self.clients.len() as u64) as ClientId;
        if self.clients[client].queue.len() < 2 {
            let op = ClientOp::Put { key: format!("k{}", n % 8), value: n.to_string() };
            self.submit(client, op, None);
        }
        let interval = (1_000_000 / self.write_load_per_second).max(1);
        self.schedule(self.now + interval, EventKind::LoadTick { generation });
    }

    /// Generated writes per second now in force.
    pub fn write_load_per_second(&self) -> u64 {
        self.write_load_per_second
    }

    /// The one command check ([`Command::validate`], as the scenario parser runs it) against this run's servers
    /// and clients, then what only the running world knows: a node that has left the cluster is gone for good.
    fn validate_command(&self, command: &Command) -> Result<(), String> {
        let context = CommandContext { nodes: self.servers.len(), clients: self.clients.len() };
        command.validate(&context).map_err(|e| e.within(command.action()).to_string())?;
        if let Some(node) = command.nodes().into_iter().find(|&n| self.servers[n].status == NodeStatus::Removed) {
            return Err(format!("{}: n{node} has left the cluster", command.action()));
        }
        Ok(())
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
                if self.servers[node].epoch == epoch && self.servers[node].status == NodeStatus::Crashed {
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
        let before = self.last_interesting;
        while self.queue.peek().is_some_and(|e| e.time <= limit_us) {
            self.step();
            if self.last_interesting != before {
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

    /// Appends a trace record (kept if there is room; always hashed).
    fn record(&mut self, node: Option<NodeId>, what: What) {
        self.trace_seq += 1;
        let f = &mut self.fingerprint;
        f.word(self.now);
        f.word(node.map_or(u64::MAX, |n| n as u64));
        what.fingerprint(f);
        if what.interesting() {
            self.last_interesting = self.trace_seq;
        }
        if self.config.trace_capacity > 0 {
            if self.trace.len() >= self.config.trace_capacity {
                self.trace.pop_front();
            }
            self.trace.push_back(TraceEvent { seq: self.trace_seq, time: self.now, node, what });
        }
    }

    fn schedule(&mut self, time: Time, kind: EventKind) {
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
            ClientAction::Finished => {
                let record = self.clients[client].take_finished().expect("a finished operation");
                if self.config.checker {
                    let found = self.checker.on_client_done(self.now, &record, &self.servers);
                    self.report_violations(found);
                }
                self.record(None, What::ClientDone(record.clone()));
                if self.history.len() >= self.config.history_capacity.max(1) {
                    self.history.pop_front();
                    self.history_dropped += 1;
                }
                self.history.push_back(record);
                let next = self.clients[client].start_next(self.now);
                self.client_action(client, next);
            }
        }
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
                    let keep = self.config.trace_capacity > 0;
                    self.record(None, What::Delivered(if keep { message.clone() } else { message }));
                    self.client_action(client, action);
                }
            }
            Endpoint::Node(node) => match self.servers[node].status {
                NodeStatus::Crashed | NodeStatus::Removed => self.record(Some(node), What::LostAtDeadNode(message)),
                NodeStatus::Paused => self.servers[node].inbox.push_back(message),
                NodeStatus::Up => self.deliver_to_node(node, message),
            },
        }
    }

    fn deliver_to_node(&mut self, node: NodeId, message: Message) {
        let copy = if self.config.trace_capacity > 0 { Some(message.clone()) } else { None };
        match copy {
            Some(copy) => self.record(Some(node), What::Delivered(copy)),
            None => {
                let f = &mut self.fingerprint;
                f.word(self.now);
                f.word(node as u64);
                crate::sim::world::trace::fingerprint_message(f, &message);
                self.trace_seq += 1;
            }
        }
        self.with_node(node, |n, ctx| n.on_message(ctx, message));
    }

    /// Runs a node handler with a context and routes its outputs.
    fn with_node(&mut self, node: NodeId, handler: impl FnOnce(&mut Node, &mut Ctx)) {
        let mut out = std::mem::take(&mut self.scratch);
        {
            let server = &mut self.servers[node];
            let mut ctx =
                Ctx { now: self.now, config: &self.config, disk: &mut server.disk, rng: &mut self.rng, out: &mut out };
            handler(&mut server.node, &mut ctx);
        }
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
                        Observation::ConfigCommitted { index, members } => {
                            committed_config = Some((*index, members.clone()));
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
        // After the node's own outputs: a leader that removed itself has sent its last messages.
        if let Some((index, members)) = committed_config {
            if !self.removing.is_empty() || !self.joining.is_empty() {
                self.on_config_committed(index, &members);
            }
        }
        if commit_moved && (!self.removing.is_empty() || !self.joining.is_empty()) {
            self.settle_lost_changes(node);
        }
    }

    fn set_timer(&mut self, node: NodeId, kind: TimerKind, at: Time) {
        let k = kind as usize;
        let server = &mut self.servers[node];
        server.timer_deadline[k] = Some(at);
        if server.timer_queued[k].is_none_or(|queued| queued > at) {
            server.timer_queued[k] = Some(at);
            let epoch = server.epoch;
            self.schedule(at, EventKind::Timer { node, kind, at, epoch });
        }
    }

    fn fire_timer(&mut self, node: NodeId, kind: TimerKind, at: Time, epoch: u32) {
        let k = kind as usize;
        let server = &mut self.servers[node];
        if server.epoch != epoch || server.timer_queued[k] != Some(at) || server.status == NodeStatus::Crashed {
            return;
        }
        server.timer_queued[k] = None;
        match server.timer_deadline[k] {
            Some(deadline) if deadline > self.now => {
                server.timer_queued[k] = Some(deadline);
                self.schedule(deadline, EventKind::Timer { node, kind, at: deadline, epoch });
            }
            Some(_) => {
                server.timer_deadline[k] = None;
                if server.status == NodeStatus::Paused {
                    server.timer_missed[k] = true;
                    return;
                }
                self.record(Some(node), What::Timer(kind));
                self.with_node(node, |n, ctx| n.on_timer(ctx, kind));
            }
            None => {}
        }
    }

    fn start_fsync(&mut self, node: NodeId) {
        let server = &mut self.servers[node];
        if server.status == NodeStatus::Crashed || server.disk.fsync_in_flight().is_some() {
            return;
        }
        let normal = self.rng.range(self.config.fsync_ms_min * 1_000, self.config.fsync_ms_max * 1_000);
        let latency = server.disk.faults.slow_fsync_ms.map_or(normal, |slow| slow * 1_000).max(1);
        if server.disk.begin_fsync(self.now + latency) {
            let epoch = server.epoch;
            self.schedule(self.now + latency, EventKind::DiskDone { node, epoch });
        }
    }

    fn disk_done(&mut self, node: NodeId, epoch: u32) {
        let server = &mut self.servers[node];
        if server.epoch != epoch || server.status == NodeStatus::Crashed {
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
                if self.servers[node].status == NodeStatus::Paused {
                    self.servers[node].disk_done_missed = true;
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
        let epoch = self.servers[node].epoch;
        self.schedule(self.now + ms(SUPERVISOR_RESTART_MS), EventKind::Restart { node, epoch });
    }

    fn crash(&mut self, node: NodeId) {
        let server = &mut self.servers[node];
        if server.status == NodeStatus::Crashed {
            return;
        }
        server.status = NodeStatus::Crashed;
        let lost = server.disk.crash();
        server.stop_process();
        self.checker.on_crash(node);
        self.record(Some(node), What::Crashed { lost });
    }

    fn restart(&mut self, node: NodeId) {
        if self.servers[node].status != NodeStatus::Crashed {
            return;
        }
        self.servers[node].status = NodeStatus::Up;
        self.record(Some(node), What::Restarted);
        let mut out = std::mem::take(&mut self.scratch);
        {
            let server = &mut self.servers[node];
            let mut ctx =
                Ctx { now: self.now, config: &self.config, disk: &mut server.disk, rng: &mut self.rng, out: &mut out };
            server.node = Node::boot(node, &mut ctx);
        }
        self.handle_outputs(node, out);
    }

    fn resume(&mut self, node: NodeId) {
        if self.servers[node].status != NodeStatus::Paused {
            return;
        }
        self.servers[node].status = NodeStatus::Up;
        self.record(Some(node), What::Resumed);
        if std::mem::take(&mut self.servers[node].disk_done_missed) {
            self.with_node(node, |n, ctx| n.on_disk_done(ctx));
        }
        while let Some(message) = self.servers[node].inbox.pop_front() {
            if self.servers[node].status != NodeStatus::Up {
                break;
            }
            self.deliver_to_node(node, message);
        }
        for kind in [TimerKind::Election, TimerKind::Heartbeat] {
            if std::mem::take(&mut self.servers[node].timer_missed[kind as usize])
                && self.servers[node].status == NodeStatus::Up
            {
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
