//! DESIGN §3a's options in chaos runs: what one seed draws (pre-vote, check-quorum, read mode `lease` with its
//! lease and drift bound, whether clocks drift, whether leadership transfers and learners are among the faults)
//! and the faults themselves.
//!
//! Everything here comes from two random streams of its own, seeded from the seed, so the configuration and the
//! fault schedule a seed drew before these options existed stay what they were; the options then change how the
//! cluster reacts to them. Each option is drawn in every seed in the same order whether or not it is forced
//! (`--pre-vote`, `--check-quorum`, `--read-mode`), so forcing one changes that one only. With
//! `ChaosOptions::extensions` off nothing is drawn and no such fault is applied: the seed's run is exactly the
//! one it was.
//!
//! Clock drift stays within the drift bound in `lease` seeds (beyond it a stale lease read is the protocol's
//! documented limit, not a bug); in the other read modes clocks drift between 0.5× and 2×, which Raft's safety
//! must not notice. Healing sets every clock back to 1×.

use crate::sim::config::{Config, ReadMode};
use crate::sim::rng::SimRng;
use crate::sim::scenario::chaos::ChaosOptions;
use crate::sim::world::command::Command;
use crate::sim::world::status::NodeStatus;
use crate::sim::world::World;

/// What a seed draws of DESIGN §3a.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Extensions {
    /// Pre-vote on.
    pub pre_vote: bool,
    /// Check-quorum on.
    pub check_quorum: bool,
    /// The read mode, when it replaces the base configuration's draw (`lease`, or a forced one).
    pub read_mode: Option<ReadMode>,
    /// Lease length (at most the default minimum election timeout, 150 ms).
    pub lease_ms: u64,
    /// Drift bound ρ.
    pub clock_drift_bound: f64,
    /// Clocks drift (set at the start, changed now and then).
    pub drift: bool,
    /// Leadership transfers among the faults.
    pub transfers: bool,
    /// Learners added (and promoted or removed) among the faults.
    pub learners: bool,
}

/// Chance per fault step of each extension fault (when the seed drew it).
const DRIFT_CHANGE: f64 = 0.04;
const TRANSFER: f64 = 0.03;
const LEARNER_CHANGE: f64 = 0.03;
/// Most learners at a time, and most voters plus learners, in a chaos run.
const MAX_LEARNERS: usize = 2;
const MAX_SERVERS_IN_CONFIG: usize = 7;

impl Extensions {
    /// What `seed` draws, with the options' forced values applied.
    pub fn draw(seed: u64, options: &ChaosOptions) -> Extensions {
        let mut rng = SimRng::new(seed ^ 0x0a5e_57a7_e0f0_1e55);
        let drawn = Extensions {
            pre_vote: rng.chance(0.5),
            check_quorum: rng.chance(0.5),
            read_mode: rng.chance(0.25).then_some(ReadMode::Lease),
            // Mostly the longest lease the promise allows (150 ms, the minimum election timeout): the lease whose
            // drift allowance matters most.
            lease_ms: if rng.chance(0.7) { 150 } else { rng.range(60, 150) },
            clock_drift_bound: [0.1, 0.3, 0.5][rng.below(3)],
            drift: rng.chance(0.5),
            transfers: rng.chance(0.5),
            learners: rng.chance(0.5),
        };
        let mut chosen = if options.extensions {
            drawn
        } else {
            Extensions {
                pre_vote: false,
                check_quorum: false,
                read_mode: None,
                drift: false,
                transfers: false,
                learners: false,
                ..drawn
            }
        };
        chosen.pre_vote = options.pre_vote.unwrap_or(chosen.pre_vote);
        chosen.check_quorum = options.check_quorum.unwrap_or(chosen.check_quorum);
        chosen.read_mode = options.read_mode.or(chosen.read_mode);
        chosen
    }

    /// Writes the drawn options into the seed's configuration (the lease's length and drift bound only in a
    /// lease seed, so that a plain seed's configuration is the one it always was).
    pub fn configure(&self, config: &mut Config) {
        config.pre_vote = self.pre_vote;
        config.check_quorum = self.check_quorum;
        if let Some(mode) = self.read_mode {
            config.read_mode = mode;
        }
        if self.lease() {
            config.lease_ms = self.lease_ms.min(config.election_timeout_ms_min);
            config.clock_drift_bound = self.clock_drift_bound;
        }
        debug_assert_eq!(config.check(), Ok(()), "chaos draws valid options");
    }

    /// Whether the seed reads under leases (its clocks then stay within the drift bound).
    fn lease(&self) -> bool {
        self.read_mode == Some(ReadMode::Lease)
    }
}

/// The extension faults of one seed, from their own random stream.
pub struct ExtensionFaults {
    rng: SimRng,
    plan: Extensions,
}

impl ExtensionFaults {
    /// The faults `plan` asks for, drawn from a stream of `seed`'s own.
    pub fn new(seed: u64, plan: Extensions) -> ExtensionFaults {
        ExtensionFaults { rng: SimRng::new(seed ^ 0x51de_c4a0_7e57_0002), plan }
    }

    /// Before the run: every node's clock gets a rate of its own (if the seed drifts).
    pub fn start(&mut self, world: &mut World) {
        if !self.plan.drift {
            return;
        }
        for node in 0..world.servers().len() {
            let rate = self.rate();
            let _ = world.apply(Command::SetClockRate { node, rate });
        }
    }

    /// One fault step: maybe a clock changes, leadership is handed over, a learner comes, goes or is promoted.
    /// Commands the world refuses (no leader, a change in progress, a learner not caught up) are skipped.
    pub fn step(&mut self, world: &mut World) {
        if self.plan.drift && self.rng.chance(DRIFT_CHANGE) {
            self.drift(world);
        }
        if self.plan.transfers && self.rng.chance(TRANSFER) {
            let members = world.members();
            if !members.is_empty() {
                let to = members[self.rng.below(members.len())];
                let _ = world.apply(Command::TransferLeadership { to });
            }
        }
        if self.plan.learners && self.rng.chance(LEARNER_CHANGE) {
            if let Some(command) = self.learner_change(world) {
                let _ = world.apply(command);
            }
        }
    }

    /// A clock changes rate. Half the time the leader's is slowed to the low end of the range and every other
    /// clock sped up to the high end: the disagreement a lease must allow for (elections favour fast clocks, so
    /// random rates alone seldom give a slow leader with fast followers); and half of those times the slow leader
    /// then freezes (a GC pause, resumed by the ordinary faults or the heal) while its lease still runs, so the
    /// others elect a successor within it.
    fn drift(&mut self, world: &mut World) {
        let servers = world.servers().len();
        match world.top_leader().filter(|_| self.rng.chance(0.5)) {
            Some(leader) => {
                let (slow, fast) = self.extremes();
                for node in 0..servers {
                    let rate = if node == leader { slow } else { fast };
                    let _ = world.apply(Command::SetClockRate { node, rate });
                }
                if self.rng.chance(0.5) {
                    let _ = world.apply(Command::Pause { node: leader });
                }
            }
            None => {
                let node = self.rng.below(servers);
                let rate = self.rate();
                let _ = world.apply(Command::SetClockRate { node, rate });
            }
        }
    }

    /// The slowest and fastest rates a seed's clocks may run at.
    fn extremes(&self) -> (f64, f64) {
        if self.plan.lease() {
            (1.0 - self.plan.clock_drift_bound, 1.0 + self.plan.clock_drift_bound)
        } else {
            (0.5, 2.0)
        }
    }

    /// After healing: every clock back to 1× (only those that drift, so a seed without drift records nothing).
    pub fn heal(&mut self, world: &mut World) {
        for node in 0..world.servers().len() {
            let server = &world.servers()[node];
            if server.status() != NodeStatus::Removed && server.clock().rate_ppm() != 1_000_000 {
                let _ = world.apply(Command::SetClockRate { node, rate: 1.0 });
            }
        }
    }

    /// Adds a learner while there are few (and room), else promotes one (usually) or removes one.
    fn learner_change(&mut self, world: &World) -> Option<Command> {
        let learners = world.learners();
        let room = world.members().len() + learners.len() < MAX_SERVERS_IN_CONFIG;
        if room && (learners.is_empty() || (learners.len() < MAX_LEARNERS && self.rng.chance(0.5))) {
            return Some(Command::add_learner());
        }
        if learners.is_empty() {
            return None;
        }
        let node = learners[self.rng.below(learners.len())];
        Some(if self.rng.chance(0.7) { Command::Promote { node } } else { Command::RemoveNode { node } })
    }

    /// A clock rate between the seed's extremes (in thousandths of the range): within the drift bound in lease
    /// seeds, between 0.5× and 2× otherwise.
    fn rate(&mut self) -> f64 {
        let (slow, fast) = self.extremes();
        slow + (fast - slow) * (self.rng.range(0, 1_000) as f64 / 1_000.0)
    }
}
