//! One node of the cluster drawing: its circle, name, role (or "learner"), term and vote, the leader's star,
//! its clock rate when it drifts, the crash and pause marks, and badges for a running fsync, armed disk faults and held replies. A plain view function:
//! rebuilt on every frame, but the DOM changes only when one of its props does (the election timer ring, which
//! moves every frame, is drawn by `cluster.rs`).

use crate::sim::raft::role::Role;
use crate::sim::types::{NodeId, Term};
use crate::sim::view::NodeView;
use crate::sim::world::status::NodeStatus;
use crate::ui::cluster::{node_position, NODE_RADIUS};
use crate::ui::state::{Action, AppState};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Which badges a node shows (from its `DiskView` and held messages).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Badges {
    /// An fsync is running.
    pub fsync: bool,
    /// A torn write is armed.
    pub torn: bool,
    /// The next fsync will fail.
    pub fail_fsync: bool,
    /// The disk is slow.
    pub slow_disk: bool,
    /// Replies wait for an fsync.
    pub held: bool,
}

impl Badges {
    /// The badges of a node view.
    pub fn of(node: &NodeView) -> Badges {
        Badges {
            fsync: node.disk.fsync_done_at_us.is_some(),
            torn: node.disk.torn_write_armed,
            fail_fsync: node.disk.fail_next_fsync,
            slow_disk: node.disk.slow_fsync_ms.is_some(),
            held: node.held_messages > 0,
        }
    }
}

/// What [`node_glyph`] needs (a plain function, not a component: at most nine of them, and each component
/// costs ≈ 1 KB of wasm).
pub struct NodeGlyphProps {
    /// Node id (also its place on the ring).
    pub id: NodeId,
    /// Number of nodes on the ring.
    pub count: usize,
    /// Raft role.
    pub role: Role,
    /// Up, crashed or paused.
    pub status: NodeStatus,
    /// In its own newest configuration (a joining server is not, until it hears the change).
    pub member: bool,
    /// The leader appended a configuration without it.
    pub leaving: bool,
    /// A learner in its own newest configuration: it copies the log but never votes or counts.
    pub learner: bool,
    /// Its clock's rate when it is not 1× (drawn beside it).
    pub clock_rate: Option<f64>,
    /// Current term.
    pub term: Term,
    /// Vote in the current term.
    pub voted_for: Option<NodeId>,
    /// Its menu is open.
    pub selected: bool,
    /// Badges shown under it.
    pub badges: Badges,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// A node on the ring.
pub fn node_glyph(props: &NodeGlyphProps) -> Html {
    let (x, y) = node_position(props.id, props.count);
    let (id, selected) = (props.id, props.selected);
    let onclick = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch.dispatch(Action::SelectNode(if selected { None } else { Some(id) }))
        })
    };
    // A button opens on Enter and on Space (which then does not also start the run).
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                dispatch.dispatch(Action::SelectNode(if selected { None } else { Some(id) }))
            }
        })
    };
    let role = props.role.name();
    let status = props.status.name();
    // What the second line says: the role, or why it is not an ordinary member right now.
    let label = match (props.status, props.member, props.leaving) {
        (NodeStatus::Up, _, true) => "leaving",
        (NodeStatus::Up, _, _) if props.learner => "learner",
        (NodeStatus::Up, false, _) => "joining",
        (NodeStatus::Up, true, _) => role,
        _ => status,
    };
    let joining = !props.member && !props.learner && props.status != NodeStatus::Removed;
    let vote = props.voted_for.map_or_else(|| "—".to_string(), |v| format!("n{v}"));
    let b = props.badges;
    let mut badges: Vec<(&str, &str, &str)> = Vec::new();
    if b.fsync {
        badges.push(("fsync", "fsync…", "An fsync is running: entries become durable when it completes."));
    }
    if b.torn {
        badges.push((
            "fault",
            "torn",
            "A torn write is armed: at the next crash the first unsynced record is left half-written.",
        ));
    }
    if b.fail_fsync {
        badges.push(("fault", "fsync✗", "The next fsync will fail; the node must crash and recover, not retry."));
    }
    if b.slow_disk {
        badges.push(("fault", "slow disk", "This disk is slow: every fsync takes longer."));
    }
    if b.held {
        badges.push(("held", "held", "Replies are waiting for an fsync before they may leave (send-after-durable)."));
    }
    // The accessible name starts with the text drawn (name, role, term and vote, badges), as a visible label
    // must (WCAG 2.5.3), and says what pressing it does. Each drawn text ends in a space, which SVG does not
    // draw: text nodes are read joined as they come, and "n0followert1" is not what is written.
    let term_line = format!("t{} · v {vote}", props.term);
    let clock = props.clock_rate.map(|rate| format!("{rate}×"));
    let spoken = badges.iter().fold(
        format!("n{id} {label} {term_line}{}", clock.as_ref().map_or(String::new(), |c| format!(" {c}"))),
        |text, (_, badge, _)| format!("{text} {badge}"),
    );
    let badges = badges.into_iter().enumerate().map(|(i, (class, text, title))| {
        html! {
            <g key={text} class={classes!("badge", class)} transform={format!("translate(0,{})", NODE_RADIUS + 16.0 + i as f64 * 15.0)}>
                <title>{ title }</title>
                <rect x="-30" y="-10" width="60" height="14" rx="3" />
                <text y="1">{ text }{ " " }</text>
            </g>
        }
    });
    html! {
        <g key={id} class={classes!("node", role, status, selected.then_some("selected"), joining.then_some("joining"), props.learner.then_some("learner"))}
           transform={format!("translate({x:.1},{y:.1})")}
           data-testid={format!("node-{id}")} data-role={role} data-status={status} data-term={props.term.to_string()}
           tabindex="0" role="button" aria-label={format!("{spoken}: opens its fault menu")} aria-haspopup="dialog" aria-expanded={selected.to_string()}
           data-tip={format!("node:{id}")}
           onclick={onclick} onkeydown={onkeydown}>
            <circle class="node-body" r={format!("{NODE_RADIUS}")} />
            <text class="node-name" y="-12">{ format!("n{id} ") }</text>
            <text class="node-role" y="4">{ label }{ " " }</text>
            <text class="node-term" y="19">{ format!("{term_line} ") }</text>
            if props.role == Role::Leader && props.status != NodeStatus::Crashed {
                <text class="leader-star" y={(-NODE_RADIUS - 8.0).to_string()}>{ "★" }</text>
            }
            if props.status == NodeStatus::Crashed {
                <text class="crash-mark" y="8">{ "✕" }</text>
            }
            if let Some(clock) = clock {
                // Explained by the node's hover sentence (a <title> here would join the button's visible text).
                <text class="clock-rate" x={(-NODE_RADIUS - 4.0).to_string()} y={(-NODE_RADIUS + 6.0).to_string()}>{ clock }{ " " }</text>
            }
            if props.status == NodeStatus::Paused {
                <text class="pause-mark" x={(NODE_RADIUS - 2.0).to_string()} y={(-NODE_RADIUS + 8.0).to_string()}>{ "❚❚" }</text>
            }
            // In a group of their own: a badge coming or going must not shift the node's other children (Yew
            // matches unkeyed children from the end, so a shift would rebuild the whole node).
            <g class="badges">{ for badges }</g>
        </g>
    }
}
