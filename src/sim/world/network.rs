//! The simulated network: per-link state (up, cut one way, slowed), partitions, latency ranges, loss and
//! duplication. Random latency is what reorders messages.

use crate::sim::raft::message::Endpoint;
use crate::sim::rng::SimRng;
use crate::sim::types::{NodeId, Time, US_PER_MS};

/// What the network decided for one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// Travel time of the message.
    pub latency_us: Time,
    /// It will be lost (drawn as a message that vanishes on arrival).
    pub dropped: bool,
    /// Why it will be lost.
    pub drop_reason: DropReason,
    /// Travel time of a duplicate copy, if the network makes one.
    pub duplicate_latency_us: Option<Time>,
}

/// Why a message is lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Not lost.
    None,
    /// Random loss.
    Loss,
    /// The link (or a partition) is cut.
    Cut,
}

/// Links between nodes; client links are never cut (a client reaches every node) but share loss and latency.
#[derive(Clone, Debug)]
pub struct Network {
    nodes: usize,
    /// `cut[from * nodes + to]`: messages from → to are dropped.
    cut: Vec<bool>,
    /// Extra latency per directed link.
    extra_ms: Vec<u64>,
    /// Loss probability.
    pub loss: f64,
    /// Duplication probability.
    pub duplicate: f64,
    /// Latency range.
    pub latency_ms_min: u64,
    /// Latency range.
    pub latency_ms_max: u64,
}

impl Network {
    /// A healthy network between `nodes` nodes.
    pub fn new(nodes: usize, loss: f64, duplicate: f64, latency_ms_min: u64, latency_ms_max: u64) -> Network {
        Network {
            nodes,
            cut: vec![false; nodes * nodes],
            extra_ms: vec![0; nodes * nodes],
            loss,
            duplicate,
            latency_ms_min,
            latency_ms_max,
        }
    }

    /// Makes room for one more node (a server joined). Its links start up and unslowed, even during a
    /// partition: a new machine is plugged into the network as it is, not into a side of the split.
    pub fn add_node(&mut self) {
        let n = self.nodes + 1;
        let mut cut = vec![false; n * n];
        let mut extra_ms = vec![0; n * n];
        for from in 0..self.nodes {
            for to in 0..self.nodes {
                cut[from * n + to] = self.cut[from * self.nodes + to];
                extra_ms[from * n + to] = self.extra_ms[from * self.nodes + to];
            }
        }
        self.nodes = n;
        self.cut = cut;
        self.extra_ms = extra_ms;
    }

    /// Cuts or repairs one direction.
    pub fn set_cut(&mut self, from: NodeId, to: NodeId, cut: bool) {
        self.cut[from * self.nodes + to] = cut;
    }

    /// Adds latency to one direction.
    pub fn set_extra(&mut self, from: NodeId, to: NodeId, extra_ms: u64) {
        self.extra_ms[from * self.nodes + to] = extra_ms;
    }

    /// Splits nodes into groups that cannot talk to each other; nodes in no group form one more group.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        let mut group_of = vec![usize::MAX; self.nodes];
        for (g, members) in groups.iter().enumerate() {
            for &n in members {
                group_of[n] = g;
            }
        }
        for from in 0..self.nodes {
            for to in 0..self.nodes {
                self.cut[from * self.nodes + to] = group_of[from] != group_of[to];
            }
        }
    }

    /// Repairs every link and removes every slowdown.
    pub fn heal(&mut self) {
        self.cut.iter_mut().for_each(|c| *c = false);
        self.extra_ms.iter_mut().for_each(|e| *e = 0);
    }

    /// Whether from → to is cut.
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cut[from * self.nodes + to]
    }

    /// Extra latency on from → to, in milliseconds (0: not slowed).
    pub fn extra_ms(&self, from: NodeId, to: NodeId) -> u64 {
        self.extra_ms[from * self.nodes + to]
    }

    /// Nodes the network connects (every server ever started, including ones that left).
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    /// Draws the fate of one message.
    pub fn route(&self, rng: &mut SimRng, from: Endpoint, to: Endpoint) -> Route {
        let (cut, extra_ms) = match (from, to) {
            (Endpoint::Node(a), Endpoint::Node(b)) => (self.cut[a * self.nodes + b], self.extra_ms[a * self.nodes + b]),
            _ => (false, 0),
        };
        let draw = |rng: &mut SimRng| {
            rng.range(self.latency_ms_min * US_PER_MS, self.latency_ms_max * US_PER_MS) + extra_ms * US_PER_MS
        };
        let latency_us = draw(rng);
        let lost = rng.chance(self.loss);
        let duplicate_latency_us = if !cut && !lost && rng.chance(self.duplicate) { Some(draw(rng)) } else { None };
        let drop_reason = if cut {
            DropReason::Cut
        } else if lost {
            DropReason::Loss
        } else {
            DropReason::None
        };
        Route {
            latency_us: latency_us.max(1),
            dropped: drop_reason != DropReason::None,
            drop_reason,
            duplicate_latency_us,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_cuts_across_groups_only() {
        let mut net = Network::new(5, 0.0, 0.0, 1, 2);
        net.partition(&[vec![0, 1], vec![2, 3]]);
        assert!(!net.is_cut(0, 1) && !net.is_cut(3, 2));
        assert!(net.is_cut(0, 2) && net.is_cut(2, 0));
        assert!(net.is_cut(4, 0) && net.is_cut(1, 4), "node 4 is alone in the implicit group");
        net.heal();
        assert!(!net.is_cut(0, 2));
    }

    #[test]
    fn one_way_cut_drops_one_direction() {
        let mut net = Network::new(3, 0.0, 0.0, 1, 2);
        net.set_cut(0, 1, true);
        let mut rng = SimRng::new(1);
        assert!(net.route(&mut rng, Endpoint::Node(0), Endpoint::Node(1)).dropped);
        assert!(!net.route(&mut rng, Endpoint::Node(1), Endpoint::Node(0)).dropped);
        assert!(!net.route(&mut rng, Endpoint::Client(0), Endpoint::Node(1)).dropped);
    }

    #[test]
    fn latency_stays_in_range_plus_slowdown() {
        let mut net = Network::new(2, 0.0, 0.0, 5, 15);
        net.set_extra(0, 1, 100);
        let mut rng = SimRng::new(7);
        for _ in 0..100 {
            let r = net.route(&mut rng, Endpoint::Node(0), Endpoint::Node(1));
            assert!((105_000..=115_000).contains(&r.latency_us));
        }
    }
}
