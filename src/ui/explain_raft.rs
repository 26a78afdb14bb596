//! Hover explanations for DESIGN §3a's extensions (learners, clocks, leases, transfers, the options): like
//! `explain.rs`, they restate values from the view and never compute protocol state.

use crate::sim::types::format_time;
use crate::sim::view::{ClusterView, NodeView};

/// What a node's hover sentence adds when it is a learner, drifts, holds a lease or hands leadership over.
pub fn node_extras(node: &NodeView) -> String {
    let mut text = String::new();
    if node.learner {
        text.push_str(" It is a learner: it receives the log and snapshots but never votes and never counts toward a commit or an election; promote it once it has caught up.");
    }
    if node.clock_rate != 1.0 {
        text.push_str(&format!(
            " Its clock runs at {}× (it reads {}): its timers and its lease run on it.",
            node.clock_rate,
            format_time(node.local_time_us)
        ));
    }
    if let Some(to) = node.transfer_to {
        text.push_str(&format!(" It is handing leadership to n{to}: it takes no writes until the transfer ends."));
    }
    text
}

/// The lease arc around a leader.
pub fn lease(view: &ClusterView, node: &NodeView) -> Option<String> {
    let left = node.lease_left_us?;
    Some(format!(
        "Read lease of n{}: {} of {} left on its own clock. A majority acknowledged a heartbeat round, and followers promise not to vote for another leader within the election timeout, so until it runs out n{} serves reads locally, without a round trip. It is shortened for the clock-drift bound ρ = {}; a clock drifting beyond that bound can make it outlast the promise.",
        node.id,
        format_time(left),
        format_time(view.lease_us),
        node.id,
        view.clock_drift_bound,
    ))
}
