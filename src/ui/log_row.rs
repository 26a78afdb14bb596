//! One node's write-ahead log: segments as boxes (active dashed, sealed solid), entries coloured by term
//! with the term number printed, hollow until fsynced, crossed when corrupt; markers for the low-water mark,
//! snapshot, applied index and high-water mark; and, under a follower, what the leader believes about it
//! (`match`, `next`). A segment deleted below the LWM fades away instead of vanishing.

use crate::sim::fmtnum::{fixed, shortest};
use crate::sim::types::Index;
use crate::sim::view::{ClusterView, NodeStatus, NodeView, Role, SegmentView};
use crate::ui::explain;
use crate::ui::segment_box::SegmentBox;
use crate::ui::state::{Action, AppState, Shared};
use crate::ui::web;
use std::cell::RefCell;
use std::rc::Rc;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Width of one entry column in SVG units.
pub const CELL: f64 = 24.0;
/// Width of the node label on the left.
pub const LABEL_WIDTH: f64 = 86.0;
/// Height of one row in SVG units.
pub const ROW_HEIGHT: f64 = 84.0;
/// Top of the entry cells.
pub const ENTRY_TOP: f64 = 16.0;
/// Height of an entry cell.
pub const ENTRY_HEIGHT: f64 = 26.0;
const LANE_1: f64 = 56.0;
const LANE_2: f64 = 68.0;
const LANE_3: f64 = 80.0;
/// How long a deleted segment stays on screen fading out (real milliseconds).
const GHOST_MS: f64 = 1_500.0;

/// Props of [`LogRow`]. Cheap to compare: the row re-renders only when its own view is replaced (see
/// `panels.rs`) or the window moves.
#[derive(Properties, PartialEq)]
pub struct LogRowProps {
    /// The view this row draws (compared by identity).
    pub view: Shared<ClusterView>,
    /// The node's position in `view.nodes`.
    pub node: usize,
    /// First index of the window.
    pub lo: Index,
    /// Number of columns.
    pub cells: u64,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Segments that disappeared, still fading out.
#[derive(Default)]
struct Ghosts {
    previous: Vec<SegmentView>,
    fading: Vec<(Rc<SegmentView>, f64)>,
}

/// One node's log.
#[function_component(LogRow)]
pub fn log_row(props: &LogRowProps) -> Html {
    let view = &props.view;
    let Some(node) = view.nodes.get(props.node) else { return Html::default() };
    // What the leader believes about this node (drawn under a follower's entries).
    let leader = view.nodes.iter().find(|n| Some(n.id) == view.leader && n.role == Role::Leader);
    let progress = leader.and_then(|l| l.progress.iter().find(|p| p.peer == node.id));
    let cluster_hwm = view.cluster_hwm;
    let ghosts = use_mut_ref(Ghosts::default);
    let fading = update_ghosts(&ghosts, node);
    let lo = props.lo;
    let hi = lo + props.cells - 1;
    let x_of = |index: Index| LABEL_WIDTH + (index as f64 - lo as f64) * CELL;
    let width = LABEL_WIDTH + props.cells as f64 * CELL + 8.0;
    let id = node.id;
    let status = match node.status {
        NodeStatus::Up => explain::role_name(node.role),
        NodeStatus::Crashed => "crashed",
        NodeStatus::Paused => "paused",
    };

    // Region below the first retained entry: deleted (covered by the snapshot).
    let deleted = (node.first_index > lo).then(|| {
        let end = node.first_index.min(hi + 1);
        html! {
            <rect class="deleted-region" x={fixed(x_of(lo), 1)} y={shortest(ENTRY_TOP)}
                  width={fixed((end - lo) as f64 * CELL, 1)} height={shortest(ENTRY_HEIGHT)}
                  data-tip={format!("deleted:{id}")} />
        }
    });

    let segments = node
        .segments
        .iter()
        .filter(|s| s.last_index >= lo && s.base_index <= hi)
        .map(|segment| html! { <SegmentBox key={segment.base_index} node={id} segment={Rc::new(segment.clone())} dispatch={props.dispatch.clone()} /> });
    let ghost_segments = fading
        .iter()
        .filter(|s| s.last_index >= lo && s.base_index <= hi)
        .map(|segment| html! { <SegmentBox key={segment.base_index} node={id} segment={segment.clone()} ghost=true dispatch={props.dispatch.clone()} /> });

    let mut markers: Vec<Html> = Vec::new();
    let mut marker = |name: &'static str, label: String, index: Index, lane: f64, at_right_edge: bool| {
        if index + 1 < lo || index > hi + 1 {
            return;
        }
        let x = if at_right_edge { x_of(index) + CELL } else { x_of(index) };
        markers.push(html! {
            <g key={name} class={classes!("marker", format!("marker-{name}"))} data-testid={format!("marker-{name}")}
               data-node={id.to_string()} data-index={index.to_string()}
               style={format!("transform: translate({}px, 0px)", fixed(x, 1))} data-tip={format!("marker:{name}:{id}:{index}")}>
                <line x1="0" x2="0" y1={shortest(ENTRY_TOP - 2.0)} y2={shortest(lane - 8.0)} />
                <text x="2" y={shortest(lane)}>{ label }</text>
            </g>
        });
    };
    if node.status != NodeStatus::Crashed {
        marker("hwm", format!("HWM {}", node.hwm), node.hwm, LANE_1, true);
        if node.applied != node.hwm {
            marker("applied", format!("applied {}", node.applied), node.applied, LANE_2, true);
        }
    }
    marker("lwm", format!("LWM {}", node.lwm), node.lwm, if node.applied != node.hwm { LANE_3 } else { LANE_2 }, false);
    if let Some(snapshot) = &node.snapshot {
        if snapshot.last_index + 1 != node.lwm || snapshot.last_index + 1 < lo {
            marker("snapshot", format!("snap ≤{}", snapshot.last_index), snapshot.last_index, LANE_3, true);
        }
    }
    if let (Some(progress), Some(leader)) = (progress, leader.map(|l| l.id)) {
        if leader != id {
            for (name, index) in [("match", progress.match_index), ("next", progress.next_index)] {
                if index < lo || index > hi + 1 {
                    continue;
                }
                // Under the follower's own entries: what the leader believes it holds (match) and will send (next).
                let x = x_of(index) + CELL / 2.0;
                markers.push(html! {
                    <g key={name} class={classes!("progress-mark", name)} data-testid={format!("marker-{name}")}
                       data-node={id.to_string()} data-index={index.to_string()}
                       style={format!("transform: translate({}px, 0px)", fixed(x, 1))} data-tip={format!("progress:{leader}:{id}")}>
                        <path d={format!("M0,{} l-4,7 h8 z", shortest(ENTRY_TOP + ENTRY_HEIGHT + 5.0))} />
                        <text y={shortest(LANE_3)}>{ if name == "match" { "m" } else { "n" } }</text>
                    </g>
                });
            }
        }
    }
    let commit = (cluster_hwm + 1 >= lo && cluster_hwm <= hi).then(|| {
        let x = x_of(cluster_hwm) + CELL;
        html! {
            <line class="commit-line" x1={fixed(x, 1)} x2={fixed(x, 1)} y1="0" y2={shortest(ROW_HEIGHT)}
                  style="pointer-events: none" />
        }
    });

    let behind = (node.last_index + 1 < lo && node.last_index > 0)
        .then(|| html! { <text class="behind" x={fixed(LABEL_WIDTH + 4.0, 1)} y={shortest(ENTRY_TOP + 17.0)}>{ format!("◀ log ends at {}", node.last_index) }</text> });
    let earlier = (node.first_index < lo && node.last_index >= lo)
        .then(|| html! { <text class="earlier" x={fixed(LABEL_WIDTH - 2.0, 1)} y={shortest(ENTRY_TOP + 17.0)}>{ "◀" }</text> });

    let onclick_label = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectNode(Some(id))))
    };
    html! {
        <svg class={classes!("log-row", status, (node.status == NodeStatus::Crashed).then_some("down"))}
             viewBox={format!("0 0 {} {}", shortest(width), shortest(ROW_HEIGHT))} preserveAspectRatio="xMinYMin meet"
             data-testid={format!("log-{id}")} role="group"
             aria-label={format!("Log of n{id}: entries {} to {}, durable to {}, HWM {}, LWM {}", node.first_index, node.last_index, node.durable_index, node.hwm, node.lwm)}>
            <g class="row-label" onclick={onclick_label}>
                <text class="row-name" x="4" y="30">{ format!("n{id}") }</text>
                <text class="row-role" x="4" y="46">{ format!("{status} t{}", node.term) }</text>
                <text class="row-detail" x="4" y="60">{ format!("durable {}", node.durable_index) }</text>
            </g>
            // Every optional or variable part sits at a fixed position (an empty placeholder or a group of its
            // own): Yew matches unkeyed children from the end, so a marker coming or going would otherwise
            // shift, and rebuild, every segment and entry of the row.
            { deleted.unwrap_or_default() }
            // Segments sit at absolute places in a group moved to the window and clipped by a nested <svg>:
            // when the window moves, only the group's transform (and the set of segments) changes.
            <svg class="window" x={shortest(LABEL_WIDTH)} y="0" width={shortest(props.cells as f64 * CELL + 2.0)} height={shortest(ROW_HEIGHT)}>
                <g transform={format!("translate({},0)", shortest(-((lo.saturating_sub(1)) as f64) * CELL))}>
                    <g class="ghosts">{ for ghost_segments }</g>
                    <g class="segments">{ for segments }</g>
                </g>
            </svg>
            { behind.unwrap_or_default() }
            { earlier.unwrap_or_default() }
            { commit.unwrap_or_default() }
            <g class="markers">{ for markers }</g>
        </svg>
    }
}

/// Remembers segments between renders; returns the ones deleted recently (still fading).
fn update_ghosts(ghosts: &Rc<RefCell<Ghosts>>, node: &NodeView) -> Vec<Rc<SegmentView>> {
    let mut ghosts = ghosts.borrow_mut();
    let now = web::now_ms();
    let gone: Vec<SegmentView> = ghosts
        .previous
        .iter()
        .filter(|old| {
            old.sealed
                && old.last_index < node.first_index
                && !node.segments.iter().any(|s| s.base_index == old.base_index)
        })
        .cloned()
        .collect();
    for segment in gone {
        ghosts.fading.push((Rc::new(segment), now + GHOST_MS));
    }
    ghosts.fading.retain(|(_, until)| *until > now);
    // Re-rendered with the same segments (the window moved): nothing to copy.
    if ghosts.previous != node.segments {
        ghosts.previous = node.segments.clone();
    }
    ghosts.fading.iter().map(|(s, _)| s.clone()).collect()
}
