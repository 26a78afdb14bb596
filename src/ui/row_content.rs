//! What a node's log row draws inside its window: the deleted region, the segments (and deleted ones fading
//! out), the cluster commit line and the markers (`row_markers.rs`: LWM, snapshot, applied, HWM, and the
//! leader's `match` / `next` under a follower). Everything sits at absolute places (index 1 at 0), for the whole retained log or,
//! when that is long, a band of indexes that changes only every `BAND` entries; the row moves and clips it,
//! so a new window re-renders nothing here.

use crate::sim::raft::role::Role;
use crate::sim::types::Index;
use crate::sim::view::{ClusterView, NodeView, SegmentView};
use crate::ui::log_layout::{BOX_BOTTOM, CELL, ENTRY_HEIGHT, ENTRY_TOP};
use crate::ui::row_markers::markers;
use crate::ui::segment_box::SegmentBox;
use crate::ui::state::{AppState, Shared};
use crate::ui::web;
use std::cell::RefCell;
use std::rc::Rc;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Indexes are drawn in bands of this many entries (more than a window's columns).
pub const BAND: Index = 64;
/// How long a deleted segment stays on screen fading out (real milliseconds).
const GHOST_MS: f64 = 1_500.0;

/// Props of [`RowContent`].
#[derive(Properties, PartialEq)]
pub struct RowContentProps {
    /// The view the row draws (compared by identity).
    pub view: Shared<ClusterView>,
    /// The node's position in `view.nodes`.
    pub node: usize,
    /// First index of the band drawn.
    pub from: Index,
    /// Last index of the band drawn.
    pub to: Index,
    /// First and last index of the visible window (marker labels stay inside it).
    pub window: (Index, Index),
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Segments that disappeared, still fading out.
#[derive(Default)]
struct Ghosts {
    previous: Vec<SegmentView>,
    fading: Vec<(Rc<SegmentView>, f64)>,
}

/// The inside of a log row's window.
#[function_component(RowContent)]
pub fn row_content(props: &RowContentProps) -> Html {
    let view = &props.view;
    let Some(node) = view.nodes.get(props.node) else { return Html::default() };
    // What the leader believes about this node (drawn under a follower's entries).
    let leader = view.nodes.iter().find(|n| Some(n.id) == view.leader && n.role == Role::Leader);
    let cluster_hwm = view.cluster_hwm;
    let ghosts = use_mut_ref(Ghosts::default);
    let fading = update_ghosts(&ghosts, node);
    // Absolute places: index 1 at 0; the log row moves the group to its window and clips it.
    let (lo, hi) = (props.from, props.to);
    let x_of = |index: Index| (index as f64 - 1.0) * CELL;
    let id = node.id;

    // Region below the first retained entry: deleted (covered by the snapshot).
    let deleted = (node.first_index > lo).then(|| {
        let end = node.first_index.min(hi + 1);
        html! {
            <rect class="deleted-region" x={format!("{:.1}", x_of(lo))} y={format!("{ENTRY_TOP}")}
                  width={format!("{:.1}", (end - lo) as f64 * CELL)} height={format!("{ENTRY_HEIGHT}")}
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

    let markers = markers(node, leader, props.window);
    // The commit line crosses the entries only: the label lanes below stay clear for the markers' labels.
    let commit = (cluster_hwm + 1 >= lo && cluster_hwm <= hi).then(|| {
        let x = x_of(cluster_hwm) + CELL;
        html! {
            <line class="commit-line" x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1={format!("{ENTRY_TOP}")} y2={format!("{BOX_BOTTOM}")}
                  style="pointer-events: none" />
        }
    });

    html! {
        <>
            // Every optional or variable part sits at a fixed position (an empty placeholder or a group of its
            // own): Yew matches unkeyed children from the end, so a marker coming or going would otherwise
            // shift, and rebuild, every segment and entry of the row.
            { deleted.unwrap_or_default() }
            <g class="ghosts">{ for ghost_segments }</g>
            <g class="segments">{ for segments }</g>
            { commit.unwrap_or_default() }
            { markers }
        </>
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
