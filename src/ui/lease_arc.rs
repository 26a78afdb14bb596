//! The leader's read lease as an arc around it that drains as the lease runs out (`lease_left_us / lease_us`
//! from the view: both on the leader's own clock, so a fast clock drains it faster). Drawn by the cluster on
//! every frame, like the election timer ring; whole dash units, so a slow drain does not touch the DOM on
//! every frame.

use crate::sim::view::NodeView;
use crate::ui::cluster::{node_position, NODE_RADIUS};
use yew::prelude::*;

/// Radius of the lease arc: outside the election timer ring.
const LEASE_RADIUS: f64 = NODE_RADIUS + 10.0;

/// The lease arc of `node` (one of `count` on the ring), or an empty keyed placeholder when it holds no lease.
pub fn lease_arc(node: &NodeView, count: usize, lease_us: u64) -> Html {
    let (Some(left), true) = (node.lease_left_us, lease_us > 0) else {
        return html! { <g key={node.id} /> };
    };
    let (x, y) = node_position(node.id, count);
    let circumference = std::f64::consts::TAU * LEASE_RADIUS;
    let shown = (left as f64 / lease_us as f64).clamp(0.0, 1.0) * circumference;
    html! {
        <g key={node.id} transform={format!("translate({x:.1},{y:.1})")} data-tip={format!("lease:{}", node.id)}
           data-testid={format!("lease-{}", node.id)}>
            <circle class="lease-arc" r={LEASE_RADIUS.to_string()}
                    stroke-dasharray={format!("{} {}", shown.round() as u32, circumference.ceil() as u32)}
                    transform="rotate(-90)" />
        </g>
    }
}
