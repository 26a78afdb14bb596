//! One node's write-ahead log: segments as boxes (active dashed, sealed solid), entries coloured by term
//! with the term number printed, hollow until fsynced, crossed when corrupt; markers for the low-water mark,
//! snapshot, applied index and high-water mark; and, under a follower, what the leader believes about it
//! (`match`, `next`). A segment deleted below the LWM fades away instead of vanishing.

use crate::sim::types::{Index, NodeId};
use crate::sim::view::{NodeStatus, NodeView, ProgressView, SegmentView};
use crate::ui::explain;
use crate::ui::palette::term_class;
use crate::ui::state::{Action, AppState};
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
const ENTRY_TOP: f64 = 16.0;
const ENTRY_HEIGHT: f64 = 26.0;
const LANE_1: f64 = 56.0;
const LANE_2: f64 = 68.0;
const LANE_3: f64 = 80.0;
/// How long a deleted segment stays on screen fading out (real milliseconds).
const GHOST_MS: f64 = 1_500.0;

/// Props of [`LogRow`].
#[derive(Properties, PartialEq)]
pub struct LogRowProps {
    /// The node.
    pub node: NodeView,
    /// First index of the window.
    pub lo: Index,
    /// Number of columns.
    pub cells: u64,
    /// The leader's replication progress for this node, if this node is a follower of a known leader.
    pub progress: Option<ProgressView>,
    /// The leader, if any.
    pub leader: Option<NodeId>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Segments that disappeared, still fading out.
#[derive(Default)]
struct Ghosts {
    previous: Vec<SegmentView>,
    fading: Vec<(SegmentView, f64)>,
}

/// One node's log.
#[function_component(LogRow)]
pub fn log_row(props: &LogRowProps) -> Html {
    let node = &props.node;
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
            <rect class="deleted-region" x={format!("{:.1}", x_of(lo))} y={format!("{ENTRY_TOP}")}
                  width={format!("{:.1}", (end - lo) as f64 * CELL)} height={format!("{ENTRY_HEIGHT}")}>
                <title>{ format!("Entries below {} are gone from n{id}'s log: a snapshot covers them and their segments were deleted.", node.first_index) }</title>
            </rect>
        }
    });

    let segments = node
        .segments
        .iter()
        .filter(|s| s.last_index >= lo && s.base_index <= hi)
        .map(|segment| render_segment(id, segment, lo, hi, &x_of, false, node.hwm, &props.dispatch));
    let ghost_segments = fading
        .iter()
        .filter(|s| s.last_index >= lo && s.base_index <= hi)
        .map(|segment| render_segment(id, segment, lo, hi, &x_of, true, node.hwm, &props.dispatch));

    let mut markers: Vec<Html> = Vec::new();
    let mut marker = |name: &'static str, label: String, index: Index, lane: f64, at_right_edge: bool| {
        if index + 1 < lo || index > hi + 1 {
            return;
        }
        let x = if at_right_edge { x_of(index) + CELL } else { x_of(index) };
        markers.push(html! {
            <g class={classes!("marker", format!("marker-{name}"))} data-testid={format!("marker-{name}")}
               data-node={id.to_string()} data-index={index.to_string()}
               style={format!("transform: translate({x:.1}px, 0px)")}>
                <title>{ explain::marker(name, id, index) }</title>
                <line x1="0" x2="0" y1={format!("{}", ENTRY_TOP - 2.0)} y2={format!("{}", lane - 8.0)} />
                <text x="2" y={format!("{lane}")}>{ label }</text>
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
    if let (Some(progress), Some(leader)) = (&props.progress, props.leader) {
        if leader != id {
            let title = explain::progress(leader, progress);
            for (name, index, right) in [("match", progress.match_index, true), ("next", progress.next_index, false)] {
                if index + 1 < lo || index > hi + 1 {
                    continue;
                }
                let x = if right { x_of(index) + CELL } else { x_of(index) + CELL / 2.0 };
                markers.push(html! {
                    <g class={classes!("progress-mark", name)} data-testid={format!("marker-{name}")}
                       data-node={id.to_string()} data-index={index.to_string()}
                       style={format!("transform: translate({x:.1}px, 0px)")}>
                        <title>{ title.clone() }</title>
                        <path d={format!("M0,{} l-4,-7 h8 z", ENTRY_TOP - 1.0)} />
                        <text y={format!("{}", ENTRY_TOP - 9.0)}>{ if name == "match" { "m" } else { "n" } }</text>
                    </g>
                });
            }
        }
    }

    let behind = (node.last_index + 1 < lo && node.last_index > 0)
        .then(|| html! { <text class="behind" x={format!("{:.1}", LABEL_WIDTH + 4.0)} y={format!("{}", ENTRY_TOP + 17.0)}>{ format!("◀ log ends at {}", node.last_index) }</text> });
    let earlier = (node.first_index < lo && node.last_index >= lo)
        .then(|| html! { <text class="earlier" x={format!("{:.1}", LABEL_WIDTH - 2.0)} y={format!("{}", ENTRY_TOP + 17.0)}>{ "◀" }</text> });

    let onclick_label = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectNode(Some(id))))
    };
    html! {
        <svg class={classes!("log-row", status, (node.status == NodeStatus::Crashed).then_some("down"))}
             viewBox={format!("0 0 {width} {ROW_HEIGHT}")} preserveAspectRatio="xMinYMin meet"
             data-testid={format!("log-{id}")} role="group"
             aria-label={format!("Log of n{id}: entries {} to {}, durable to {}, HWM {}, LWM {}", node.first_index, node.last_index, node.durable_index, node.hwm, node.lwm)}>
            <g class="row-label" onclick={onclick_label}>
                <text class="row-name" x="4" y="30">{ format!("n{id}") }</text>
                <text class="row-role" x="4" y="46">{ format!("{status} t{}", node.term) }</text>
                <text class="row-detail" x="4" y="60">{ format!("durable {}", node.durable_index) }</text>
            </g>
            { for deleted }
            { for ghost_segments }
            { for segments }
            { for behind }
            { for earlier }
            { for markers }
        </svg>
    }
}

/// Remembers segments between renders; returns the ones deleted recently (still fading).
fn update_ghosts(ghosts: &Rc<RefCell<Ghosts>>, node: &NodeView) -> Vec<SegmentView> {
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
        ghosts.fading.push((segment, now + GHOST_MS));
    }
    ghosts.fading.retain(|(_, until)| *until > now);
    ghosts.previous = node.segments.clone();
    ghosts.fading.iter().map(|(s, _)| s.clone()).collect()
}

#[allow(clippy::too_many_arguments)]
fn render_segment(
    node: NodeId,
    segment: &SegmentView,
    lo: Index,
    hi: Index,
    x_of: &dyn Fn(Index) -> f64,
    ghost: bool,
    hwm: Index,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let first = segment.base_index.max(lo);
    let last_slot = if segment.sealed { segment.last_index } else { segment.last_index.max(segment.base_index) };
    let last = last_slot.min(hi);
    let x = x_of(first) + 1.0;
    let width = ((last + 1).saturating_sub(first)) as f64 * CELL - 2.0;
    let entries = segment.entries.iter().filter(|e| e.index >= lo && e.index <= hi).map(|entry| {
        let ex = x_of(entry.index);
        let class = classes!(
            "entry",
            term_class(entry.term),
            if entry.durable { "durable" } else { "unsynced" },
            entry.committed.then_some("committed"),
            entry.corrupt.then_some("corrupt"),
        );
        let index = entry.index;
        let onclick = {
            let dispatch = dispatch.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                dispatch.dispatch(Action::SelectEntry(node, index))
            })
        };
        html! {
            <g key={entry.index} class={class} data-testid={(!ghost).then_some("log-entry")}
               data-index={entry.index.to_string()} data-term={entry.term.to_string()}
               style={format!("transform: translate({ex:.1}px, {ENTRY_TOP}px)")} onclick={onclick}>
                <title>{ explain::entry(node, entry, hwm) }</title>
                <rect class="cell" x="2" y="2" width={format!("{}", CELL - 4.0)} height={format!("{}", ENTRY_HEIGHT - 4.0)} rx="3" />
                <text class="term-number" x={format!("{}", CELL / 2.0)} y="18">{ entry.term.to_string() }</text>
                if entry.corrupt {
                    <path class="corrupt-mark" d={format!("M3,3 L{w},{h} M{w},3 L3,{h}", w = CELL - 3.0, h = ENTRY_HEIGHT - 3.0)} />
                }
                if entry.committed {
                    <circle class="committed-dot" cx={format!("{}", CELL / 2.0)} cy={format!("{}", ENTRY_HEIGHT + 3.0)} r="2" />
                }
            </g>
        }
    });
    let label = if segment.sealed {
        format!("{}–{}", segment.base_index, segment.last_index)
    } else {
        format!("{}… active", segment.base_index)
    };
    html! {
        <g key={format!("seg-{}", segment.base_index)}
           class={classes!("segment", if segment.sealed { "sealed" } else { "active" }, ghost.then_some("ghost"))}
           data-testid={if ghost { "segment-deleted" } else { "segment" }}
           data-base={segment.base_index.to_string()} data-last={segment.last_index.to_string()}>
            <title>{ if ghost { format!("Segment {}–{} deleted: the low-water mark passed it.", segment.base_index, segment.last_index) } else { explain::segment(node, segment) } }</title>
            <rect class="segment-box" x={format!("{x:.1}")} y={format!("{}", ENTRY_TOP - 3.0)}
                  width={format!("{:.1}", width.max(CELL - 2.0))} height={format!("{}", ENTRY_HEIGHT + 10.0)} rx="4" />
            if segment.base_index >= lo {
                <text class="segment-label" x={format!("{:.1}", x + 2.0)} y={format!("{}", ENTRY_TOP - 6.0)}>{ label }</text>
            }
            { for entries }
        </g>
    }
}
