//! Seeded swarm testing (after TigerBeetle's VOPR): one seed chooses a configuration and a random fault
//! schedule using every fault kind, run with the checker on (safety phase); then everything is healed and
//! the run must settle (liveness phase: a leader exists and every acknowledged write is readable). A failing
//! seed is a reproducible bug report: the session is returned as a scenario file.
//!
//! The options of DESIGN §3a are drawn per seed too (`extensions.rs`): pre-vote, check-quorum, read mode
//! `lease` with and without clock drift, leadership transfers and learners among the faults. They come from
//! random streams of their own, so a seed's configuration and fault schedule are the ones it always had; with
//! `extensions` off nothing is drawn and a seed runs exactly as before these options existed.

use crate::sim::breaks::Break;
use crate::sim::check::linearize::check_history;
use crate::sim::check::violation::{Invariant, Violation};
use crate::sim::config::{Config, LwmPolicy, ReadMode};
use crate::sim::raft::role::Role;
use crate::sim::rng::SimRng;
use crate::sim::scenario::extensions::{ExtensionFaults, Extensions};
use crate::sim::scenario::Scenario;
use crate::sim::types::{ms, Time, US_PER_MS};
use crate::sim::world::command::Command;
use crate::sim::world::history::OpStatus;
use crate::sim::world::status::NodeStatus;
use crate::sim::world::World;

/// Knobs of a chaos run.
#[derive(Clone, Debug)]
pub struct ChaosOptions {
    /// Cluster size; `None` lets the seed choose 3 or 5.
    pub nodes: Option<usize>,
    /// Broken rules to switch on.
    pub breaks: Vec<Break>,
    /// Length of the fault phase.
    pub safety_ms: u64,
    /// Length of the healed phase.
    pub settle_ms: u64,
    /// Also add and remove servers during the fault phase (single-server membership changes).
    pub membership: bool,
    /// Draw DESIGN §3a's options and faults per seed (see `extensions.rs`); off: the plain runs of before.
    pub extensions: bool,
    /// Pre-vote on (or off) for every seed instead of drawn.
    pub pre_vote: Option<bool>,
    /// Check-quorum on (or off) for every seed instead of drawn.
    pub check_quorum: Option<bool>,
    /// This read mode for every seed instead of drawn.
    pub read_mode: Option<ReadMode>,
}

impl Default for ChaosOptions {
    fn default() -> Self {
        ChaosOptions {
            nodes: None,
            breaks: Vec::new(),
            safety_ms: 6_000,
            settle_ms: 5_000,
            membership: false,
            extensions: true,
            pre_vote: None,
            check_quorum: None,
            read_mode: None,
        }
    }
}

impl ChaosOptions {
    /// The runs of before DESIGN §3a's options existed: nothing drawn, every option off (a seed's events, trace
    /// and reproduction file are what they were).
    pub fn plain() -> ChaosOptions {
        ChaosOptions { extensions: false, ..ChaosOptions::default() }
    }
}

/// What one seed produced.
#[derive(Clone, Debug)]
pub struct ChaosOutcome {
    /// The seed.
    pub seed: u64,
    /// World events processed.
    pub events: u64,
    /// Safety violations, linearizability and liveness failures.
    pub violations: Vec<Violation>,
    /// The whole session, replayable with `logscope-cli run`.
    pub scenario: Scenario,
}

const KEYS: [&str; 4] = ["x", "y", "z", "w"];

/// Events one seed may process. A healthy seed needs a few thousand; a run past this budget is a message
/// storm (messages multiplying without progress, e.g. a retry loop amplified by duplication) and is reported
/// as a liveness failure instead of running (and allocating) without end.
pub const MAX_EVENTS_PER_SEED: u64 = 250_000;

/// The configuration a seed chooses (with DESIGN §3a's options as `extensions::draw` chose them).
pub fn chaos_config(seed: u64, options: &ChaosOptions) -> Config {
    let mut config = base_config(seed, options);
    Extensions::draw(seed, options).configure(&mut config);
    config
}

/// The configuration a seed chose before DESIGN §3a's options existed.
fn base_config(seed: u64, options: &ChaosOptions) -> Config {
    let mut rng = SimRng::new(seed ^ 0x5eed_c4a0_5c4e_d01e);
    let nodes = options.nodes.unwrap_or(if rng.chance(0.5) { 3 } else { 5 });
    Config {
        nodes,
        clients: 3,
        latency_ms_min: 2,
        latency_ms_max: 2 + rng.range(3, 20),
        segment_entries: rng.range(3, 8) as usize,
        snapshot_every: rng.range(6, 24),
        lwm_policy: [LwmPolicy::Snapshot, LwmPolicy::FollowerAware, LwmPolicy::Retention][rng.below(3)],
        retention_entries: rng.range(8, 32),
        follower_retention_cap: rng.range(4, 32),
        max_inflight: rng.range(1, 4) as usize,
        max_batch: rng.range(1, 6) as usize,
        read_mode: [ReadMode::Leader, ReadMode::ReadIndex, ReadMode::Follower][rng.below(3)],
        client_timeout_ms: 300,
        client_max_attempts: 12,
        breaks: options.breaks.clone(),
        checker: true,
        trace_capacity: 0,
        history_capacity: 100_000,
        ..Config::default()
    }
}

/// Runs one seed.
pub fn run_chaos(seed: u64, options: &ChaosOptions) -> ChaosOutcome {
    let extensions = Extensions::draw(seed, options);
    let mut config = base_config(seed, options);
    extensions.configure(&mut config);
    let nodes = config.nodes;
    let read_mode = config.read_mode;
    let mut world = World::new(config, seed).expect("chaos configurations are valid");
    let mut extension_faults = ExtensionFaults::new(seed, extensions);
    extension_faults.start(&mut world);
    let mut rng = SimRng::new(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0xc4a0);
    // Membership changes draw from their own stream, so a seed's other faults are the same with or without.
    let mut membership_rng = SimRng::new(seed ^ 0x3e3b_e25d_c4a0_0001);
    // Bit flips hit one node only: corrupting a majority's copy of a committed entry would lose it for real,
    // which no protocol can prevent; one node's loss must be survivable.
    let flip_node = (seed % nodes as u64) as usize;
    let mut value = 0u64;
    let mut t: Time = ms(200);
    let mut storm = false;
    while t < ms(options.safety_ms) {
        if !run_bounded(&mut world, t) {
            storm = true;
            break;
        }
        let command = pick_action(&mut rng, &world, flip_node, &mut value);
        // A refused command (say, a bit flip on an index compacted a moment ago) is simply skipped.
        let _ = world.apply(command);
        if options.membership && membership_rng.chance(0.06) {
            // Refused while a change is in progress or there is no leader: skipped like any refused command.
            let _ = world.apply(pick_membership_change(&mut membership_rng, &world));
        }
        extension_faults.step(&mut world);
        t += ms(rng.range(10, 120));
    }
    let end = t + ms(options.settle_ms);
    if !storm {
        heal(&mut world);
        extension_faults.heal(&mut world);
        storm = !run_bounded(&mut world, t + ms(options.settle_ms / 2));
    }
    if !storm {
        for (k, key) in KEYS.iter().enumerate() {
            let _ = world.apply(Command::Get { client: k % 3, key: key.to_string(), node: None });
        }
        storm = !run_bounded(&mut world, end);
    }
    let mut violations = world.violations().to_vec();
    if storm {
        violations.push(Violation {
            invariant: Invariant::Liveness,
            time_us: world.now(),
            nodes: vec![],
            indexes: vec![],
            detail: format!(
                "message storm: {} events by {} ms (a healthy seed needs a few thousand); the run was stopped",
                world.events(),
                world.now() / US_PER_MS
            ),
        });
    } else {
        violations.extend(check_liveness(&world, end));
        // Read-index and lease reads (clocks within the drift bound) promise linearizability.
        if matches!(read_mode, ReadMode::ReadIndex | ReadMode::Lease) {
            violations.extend(check_history(&world.finished_history()).violations());
        }
    }
    let mut scenario = world.to_scenario(&format!("chaos seed {seed}"));
    scenario.summary = format!("Random fault schedule of chaos seed {seed} ({nodes} nodes).");
    ChaosOutcome { seed, events: world.events(), violations, scenario }
}

/// `world.run_until(time)` within the event budget; false (and the clock left where the budget ran out) if
/// the budget is spent first.
fn run_bounded(world: &mut World, time: Time) -> bool {
    while world.next_event_time().is_some_and(|next| next <= time) {
        if world.events() >= MAX_EVENTS_PER_SEED {
            return false;
        }
        world.step();
    }
    world.run_until(time);
    true
}

fn random_node(rng: &mut SimRng, world: &World) -> usize {
    rng.below(world.servers().len())
}

/// Adds a server or removes a random member, keeping between 3 and 7 members: with fewer than three, one
/// corrupted node (which abstains from elections until repaired) would stop the cluster for good.
fn pick_membership_change(rng: &mut SimRng, world: &World) -> Command {
    let members = world.members();
    if members.len() <= 3 || (members.len() < 7 && rng.chance(0.5)) {
        Command::add_voter()
    } else {
        Command::RemoveNode { node: members[rng.below(members.len())] }
    }
}

fn pick_action(rng: &mut SimRng, world: &World, flip_node: usize, value: &mut u64) -> Command {
    // Servers started so far (equal to `config.nodes` unless membership changes are on).
    let n = world.servers().len();
    let client = rng.below(3);
    let key = KEYS[rng.below(KEYS.len())].to_string();
    let roll = rng.below(100);
    if roll < 55 {
        *value += 1;
        return match rng.below(10) {
            0..=4 => Command::Put { client, key, value: format!("v{value}"), node: None },
            5..=8 => Command::Get { client, key, node: None },
            _ => Command::Delete { client, key, node: None },
        };
    }
    let node = random_node(rng, world);
    let status = world.servers()[node].status();
    let crashed = world.servers().iter().filter(|s| s.status() != NodeStatus::Up).count();
    match rng.below(16) {
        0 | 1 if status == NodeStatus::Up && crashed < n => Command::Crash { node },
        0..=2 if status == NodeStatus::Crashed => Command::Restart { node },
        3 if status == NodeStatus::Up => Command::Pause { node },
        3 | 4 if status == NodeStatus::Paused => Command::Resume { node },
        5 => {
            let mut group = Vec::new();
            for id in 0..n {
                if rng.chance(0.5) {
                    group.push(id);
                }
            }
            if group.is_empty() || group.len() == n {
                group = vec![node];
            }
            Command::Partition { groups: vec![group] }
        }
        6 => Command::Heal,
        7 => Command::CutLink { from: node, to: (node + 1 + rng.below(n.max(2) - 1)) % n },
        8 => Command::RepairLink { from: node, to: (node + 1) % n },
        9 => Command::SlowLink { from: node, to: (node + 1) % n, extra_ms: rng.range(0, 80) },
        10 => Command::SetLoss { probability: [0.0, 0.02, 0.1][rng.below(3)] },
        11 => Command::SetDuplicate { probability: [0.0, 0.05, 0.2][rng.below(3)] },
        12 => {
            let low = rng.range(1, 10);
            Command::SetLatency { min_ms: low, max_ms: low + rng.range(0, 30) }
        }
        13 => Command::TornWrite { node },
        14 => {
            let wal = &world.servers()[flip_node].disk().wal;
            let (first, durable) = (wal.first_index(), wal.synced_index());
            // Not the last durable record: a corrupt last record is indistinguishable from a torn write.
            if durable > first {
                Command::BitFlip { node: flip_node, index: rng.range(first, durable - 1) }
            } else {
                Command::FailFsync { node }
            }
        }
        15 if rng.chance(0.5) => Command::FailFsync { node },
        _ => Command::SlowDisk { node, fsync_ms: if rng.chance(0.5) { Some(rng.range(10, 60)) } else { None } },
    }
}

/// Ends every fault: the liveness phase starts from a healthy cluster.
fn heal(world: &mut World) {
    let normal = Config::default();
    let _ = world.apply(Command::Heal);
    let _ = world.apply(Command::SetLoss { probability: 0.0 });
    let _ = world.apply(Command::SetDuplicate { probability: 0.0 });
    let _ = world.apply(Command::SetLatency { min_ms: normal.latency_ms_min, max_ms: normal.latency_ms_max });
    for node in 0..world.servers().len() {
        let _ = world.apply(Command::SlowDisk { node, fsync_ms: None });
        match world.servers()[node].status() {
            NodeStatus::Crashed => {
                let _ = world.apply(Command::Restart { node });
            }
            NodeStatus::Paused => {
                let _ = world.apply(Command::Resume { node });
            }
            NodeStatus::Up | NodeStatus::Removed => {}
        }
    }
}

/// After healing: one live leader in the highest term, and every acknowledged write applied by it.
fn check_liveness(world: &World, now: Time) -> Vec<Violation> {
    let servers = world.servers();
    // A server that left keeps whatever term it had; only the servers still running count.
    let top_term =
        servers.iter().filter(|s| s.status() != NodeStatus::Removed).map(|s| s.node().term()).max().unwrap_or(0);
    let leader = servers
        .iter()
        .enumerate()
        .find(|(_, s)| s.status() == NodeStatus::Up && s.node().role() == Role::Leader && s.node().term() == top_term);
    let fail = |detail: String, nodes: Vec<usize>| Violation {
        invariant: Invariant::Liveness,
        time_us: now,
        nodes,
        indexes: vec![],
        detail,
    };
    let Some((id, leader)) = leader else {
        return vec![fail(format!("no leader in term {top_term} {} ms after healing", now / US_PER_MS), vec![])];
    };
    let mut problems = Vec::new();
    for op in world.history() {
        if let (true, OpStatus::Ok { index, .. }) = (op.op.is_write(), &op.status) {
            if !leader.node().state().already_applied(op.client, op.seq) {
                problems.push(fail(
                    format!(
                        "client {}'s acknowledged write #{} (index {index}) is not in leader n{id}'s state",
                        op.client, op.seq
                    ),
                    vec![id],
                ));
                break;
            }
        }
    }
    let unanswered =
        world.history().iter().rev().take(KEYS.len()).filter(|op| !matches!(op.status, OpStatus::Ok { .. })).count();
    if unanswered > 0 {
        problems.push(fail(format!("{unanswered} of the final reads got no answer after healing"), vec![id]));
    }
    problems
}
