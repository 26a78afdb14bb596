//! The cluster as SVG: nodes on a ring, clients on the left, a link between every pair of nodes, and every
//! message in flight at `(now − sent) / (deliver − sent)` of the way along its link. Click a node or a link
//! to open its fault menu.

use crate::sim::types::{NodeId, Time};
use crate::sim::view::{ClusterView, LinkView, MessageKind, MessageView, NodeView};
use crate::sim::world::status::NodeStatus;
use crate::ui::client_glyph::{client_glyph, ClientGlyphProps};
use crate::ui::lease_arc::lease_arc;
use crate::ui::message_dot::{message_dot, MessageLook};
use crate::ui::node_glyph::{node_glyph, Badges, NodeGlyphProps};
use crate::ui::state::{Action, AppState};
use std::rc::Rc;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Width of the drawing in SVG units (it scales to its box).
pub const WIDTH: f64 = 640.0;
/// Height of the drawing in SVG units.
pub const HEIGHT: f64 = 400.0;
/// Radius of a node circle in SVG units.
pub const NODE_RADIUS: f64 = 34.0;
const CLIENT_X: f64 = 46.0;

/// What [`cluster`] needs (a plain function, not a component: Yew would gain nothing by diffing its
/// props, and each component costs ≈ 1 KB of wasm).
pub struct ClusterProps {
    /// What to draw.
    pub view: Rc<ClusterView>,
    /// Longest election timeout (to draw the timer ring as a fraction).
    pub election_timeout_ms_max: u64,
    /// Node whose menu is open.
    pub selected_node: Option<NodeId>,
    /// Link whose menu is open.
    pub selected_link: Option<(NodeId, NodeId)>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Centre of node `index` of `count` on the ring.
pub fn node_position(index: usize, count: usize) -> (f64, f64) {
    let (cx, cy) = (WIDTH / 2.0 + 40.0, HEIGHT / 2.0);
    if count <= 1 {
        return (cx, cy);
    }
    let angle = -std::f64::consts::FRAC_PI_2 + index as f64 * std::f64::consts::TAU / count as f64;
    // JS Math: Rust's sin/cos bring libm's argument reduction (~7 KB) into the bundle.
    (cx + 215.0 * js_sys::Math::cos(angle), cy + 150.0 * js_sys::Math::sin(angle))
}

/// Centre of client `index` of `count`, in a column on the left.
pub fn client_position(index: usize, count: usize) -> (f64, f64) {
    let gap = (HEIGHT - 80.0) / count.max(1) as f64;
    (CLIENT_X, 40.0 + gap * (index as f64 + 0.5))
}

/// Where an endpoint name (`n2`, `c0`) is drawn.
fn endpoint_position(name: &str, node: Option<NodeId>, nodes: &[(f64, f64)], view: &ClusterView) -> Option<(f64, f64)> {
    if let Some(n) = node {
        return nodes.get(n).copied();
    }
    let client: usize = name.strip_prefix('c')?.parse().ok()?;
    Some(client_position(client, view.clients.len()))
}

/// Fraction of the way a message has travelled.
pub fn progress(message: &MessageView, now: Time) -> f64 {
    let span = message.deliver_us.saturating_sub(message.sent_us);
    if span == 0 {
        return 1.0;
    }
    (now.saturating_sub(message.sent_us) as f64 / span as f64).clamp(0.0, 1.0)
}

/// The cluster drawing. It renders on every animation frame while playing, so the per-frame part is kept
/// small: nodes, clients and links are plain view functions whose markup Yew's diff leaves alone while it is
/// unchanged (components, which could skip even the building, cost ≈ 0.6 KB gzipped each), and so are message shapes; what moves every frame is one transform per message and one dash length
/// per election timer.
pub fn cluster(props: &ClusterProps) -> Html {
    let view = &props.view;
    let count = view.nodes.len();
    let on_background = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectNode(None)))
    };
    let clients = view.clients.iter().map(|c| {
        client_glyph(&ClientGlyphProps {
            id: c.id,
            count: view.clients.len(),
            current: c.current.clone(),
            queued: c.queued,
            leader_guess: c.leader_guess,
        })
    });
    let timers = view.nodes.iter().map(|n| election_timer(n, count, view.time_us, props.election_timeout_ms_max));
    let leases = view.nodes.iter().map(|n| lease_arc(n, count, view.lease_us));
    let nodes = view.nodes.iter().map(|n| {
        node_glyph(&NodeGlyphProps {
            id: n.id,
            count,
            role: n.role,
            status: n.status,
            member: n.member,
            leaving: n.leaving,
            learner: n.learner,
            clock_rate: (n.clock_rate != 1.0).then_some(n.clock_rate),
            term: n.term,
            voted_for: n.voted_for,
            selected: props.selected_node == Some(n.id),
            badges: Badges::of(n),
            dispatch: props.dispatch.clone(),
        })
    });
    // Node centres once per frame, not twice per message.
    let centres: Vec<(f64, f64)> = (0..count).map(|i| node_position(i, count)).collect();
    let messages = view.messages.iter().filter_map(|m| render_message(m, &centres, view));
    html! {
        <svg class="cluster" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="group"
             aria-label={format!("Cluster of {count} nodes; {} messages in flight", view.messages.len())}
             preserveAspectRatio="xMidYMid meet">
            <rect class="cluster-bg" x="0" y="0" width={format!("{WIDTH}")} height={format!("{HEIGHT}")} onclick={on_background} />
            { links(&LinksProps {
                count,
                removed: view.nodes.iter().filter(|n| n.status == NodeStatus::Removed).fold(0, |m, n| m | 1 << n.id),
                links: view.links.clone(),
                selected: props.selected_link,
                dispatch: props.dispatch.clone(),
            }) }
            <g class="clients">{ for clients }</g>
            <g class="timers">{ for timers }</g>
            <g class="leases">{ for leases }</g>
            <g class="nodes">{ for nodes }</g>
            <g class="messages">{ for messages }</g>
        </svg>
    }
}

/// What [`links`] needs (a plain function, not a component: Yew would gain nothing by diffing its
/// props, and each component costs ≈ 1 KB of wasm).
pub struct LinksProps {
    /// Number of nodes.
    pub count: usize,
    /// Bit per node that left the cluster: its links are not drawn.
    pub removed: u32,
    /// Links that are cut or slow.
    pub links: Vec<LinkView>,
    /// Link whose menu is open.
    pub selected: Option<(NodeId, NodeId)>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Every link between two nodes (rebuilt each frame; the DOM changes only when a link does).
pub fn links(props: &LinksProps) -> Html {
    let count = props.count;
    let links = (0..count)
        .flat_map(|a| ((a + 1)..count).map(move |b| (a, b)))
        .filter(|(a, b)| props.removed & (1 << a | 1 << b) == 0)
        .map(|(a, b)| render_link(a, b, count, &props.links, props.selected == Some((a, b)), &props.dispatch));
    html! { <g class="links">{ for links }</g> }
}

fn render_link(
    a: NodeId,
    b: NodeId,
    count: usize,
    links: &[LinkView],
    selected: bool,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let (ax, ay) = node_position(a, count);
    let (bx, by) = node_position(b, count);
    let state = |from: NodeId, to: NodeId| links.iter().find(|l| l.from == from && l.to == to);
    let ab = state(a, b);
    let ba = state(b, a);
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch.dispatch(Action::SelectLink(if selected { None } else { Some((a, b)) }))
        })
    };
    // Unit normal, to draw the two directions side by side.
    let (dx, dy) = (bx - ax, by - ay);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (nx, ny) = (-dy / length * 4.0, dx / length * 4.0);
    let direction = |link: Option<&LinkView>, from: (f64, f64), to: (f64, f64), sign: f64| -> Html {
        let Some(link) = link else { return Html::default() };
        let class = classes!("link-dir", link.cut.then_some("cut"), (link.extra_ms > 0).then_some("slow"));
        let (x1, y1) = (from.0 + nx * sign, from.1 + ny * sign);
        let (x2, y2) = (to.0 + nx * sign, to.1 + ny * sign);
        // The mark sits three quarters of the way, near the receiver, where messages are lost.
        let (mx, my) = (x1 + (x2 - x1) * 0.72, y1 + (y2 - y1) * 0.72);
        let mark = if link.cut { "✕".to_string() } else { format!("+{}ms", link.extra_ms) };
        html! {
            <g class={class}>
                <line x1={format!("{x1:.1}")} y1={format!("{y1:.1}")} x2={format!("{x2:.1}")} y2={format!("{y2:.1}")} />
                <text class="link-mark" x={format!("{mx:.1}")} y={format!("{my:.1}")}>{ mark }</text>
            </g>
        }
    };
    html! {
        <g class={classes!("link", selected.then_some("selected"), (ab.is_some() || ba.is_some()).then_some("abnormal"))}
           data-testid={format!("link-{a}-{b}")} data-tip={format!("link:{a}:{b}")} onclick={onclick}>
            <line class="link-base" x1={format!("{ax:.1}")} y1={format!("{ay:.1}")} x2={format!("{bx:.1}")} y2={format!("{by:.1}")} />
            { direction(ab, (ax, ay), (bx, by), 1.0) }
            { direction(ba, (bx, by), (ax, ay), 1.0) }
            <line class="link-hit" x1={format!("{ax:.1}")} y1={format!("{ay:.1}")} x2={format!("{bx:.1}")} y2={format!("{by:.1}")} />
        </g>
    }
}

/// A node's election timer as a ring around it that empties as the deadline approaches (RaftScope's
/// picture); an empty placeholder when the node has no running timer. Dash lengths are whole units, so a
/// slowly moving timer does not touch the DOM on every frame.
fn election_timer(node: &NodeView, count: usize, now: Time, election_timeout_ms_max: u64) -> Html {
    let (NodeStatus::Up, Some(deadline)) = (node.status, node.election_deadline_us) else {
        return html! { <g key={node.id} /> };
    };
    if election_timeout_ms_max == 0 {
        return html! { <g key={node.id} /> };
    }
    let (x, y) = node_position(node.id, count);
    let remaining = deadline.saturating_sub(now) as f64 / (election_timeout_ms_max as f64 * 1000.0);
    let circumference = std::f64::consts::TAU * (NODE_RADIUS + 5.0);
    let shown = remaining.clamp(0.0, 1.0) * circumference;
    html! {
        <g key={node.id} transform={format!("translate({x:.1},{y:.1})")} data-tip={format!("node:{}", node.id)}>
            <circle class="election-timer" r={(NODE_RADIUS + 5.0).to_string()}
                    stroke-dasharray={format!("{} {}", shown.round() as u32, circumference.ceil() as u32)}
                    transform="rotate(-90)">
                <title>{ "Election timer: when it runs out, this node stands for election." }</title>
            </circle>
        </g>
    }
}

fn render_message(message: &MessageView, centres: &[(f64, f64)], view: &ClusterView) -> Option<Html> {
    let from = endpoint_position(&message.from, message.from_node, centres, view)?;
    let to = endpoint_position(&message.to, message.to_node, centres, view)?;
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / length, dy / length);
    // Start and end at the circles' edges, shifted right of the direction of travel so the two directions
    // of a link do not overlap.
    let start_gap = if message.from_node.is_some() { NODE_RADIUS } else { 20.0 };
    let end_gap = if message.to_node.is_some() { NODE_RADIUS } else { 20.0 };
    let travel = (length - start_gap - end_gap).max(0.0);
    let fraction = progress(message, view.time_us);
    let along = start_gap + travel * fraction;
    let x = from.0 + ux * along - uy * 5.0;
    let y = from.1 + uy * along + ux * 5.0;
    let lost = message.dropped && fraction > 0.6;
    // Whole units: a slow message does not touch the DOM on every frame, and formatting stays cheap.
    Some(html! {
        <g key={message.id} transform={format!("translate({},{})", x.round() as i32, y.round() as i32)}>
            { message_dot(MessageLook {
                id: message.id,
                kind: message.kind,
                heartbeat: message.kind == MessageKind::Append && message.entries == 0,
                dropped: message.dropped,
                duplicate: message.duplicate,
                lost,
            }) }
        </g>
    })
}
