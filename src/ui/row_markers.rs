//! The markers of one log row, at absolute places (index 1 at 0, like the rest of the row's content): the
//! high-water mark, the applied index, the low-water mark and the snapshot, each a stem at its cell boundary
//! with a label in one of the row's label lanes (placed by `label_lanes.rs`, so no two labels overlap and no
//! stem crosses a label), and under a follower the leader's `match` / `next` triangles with their letters in
//! a lane of their own.
//! Only what lies inside the visible window is drawn: a label must not be clipped by the window's edge.

use crate::sim::raft::role::Role;
use crate::sim::types::Index;
use crate::sim::view::{NodeView, ProgressView};
use crate::sim::world::status::NodeStatus;
use crate::ui::label_lanes::{place, Label, GAP};
use crate::ui::log_layout::{
    text_width, CELL, ENTRY_TOP, LABEL_FONT, LANES, LANE_0_BASELINE, LANE_PITCH, LETTER_BASELINE, RIGHT_PAD,
    TRIANGLE_HEIGHT, TRIANGLE_TOP,
};
use yew::prelude::*;

/// A marker to draw: its name (CSS class, test id), its label, the index it marks and its stem's x.
struct Marker {
    name: &'static str,
    label: String,
    index: Index,
    anchor: f64,
}

/// Left edge of the column of `index`.
fn x_of(index: Index) -> f64 {
    (index as f64 - 1.0) * CELL
}

/// The watermark markers of `node` whose stems lie in `window` (first and last visible index), most important
/// first (ties in the label placement go to the earlier one).
fn watermarks(node: &NodeView, window: (Index, Index)) -> Vec<Marker> {
    let mut list = Vec::new();
    // The HWM and the applied index are volatile: a crashed node has none until it restarts.
    if node.status != NodeStatus::Crashed {
        list.push(Marker {
            name: "hwm",
            label: format!("HWM {}", node.hwm),
            index: node.hwm,
            anchor: x_of(node.hwm) + CELL,
        });
        if node.applied != node.hwm {
            let label = format!("applied {}", node.applied);
            list.push(Marker { name: "applied", label, index: node.applied, anchor: x_of(node.applied) + CELL });
        }
    }
    list.push(Marker { name: "lwm", label: format!("LWM {}", node.lwm), index: node.lwm, anchor: x_of(node.lwm) });
    if let Some(snapshot) = node.snapshot.as_ref().filter(|s| s.last_index + 1 != node.lwm) {
        let (index, label) = (snapshot.last_index, format!("snap ≤{}", snapshot.last_index));
        list.push(Marker { name: "snapshot", label, index, anchor: x_of(index) + CELL });
    }
    let (min_x, max_x) = (x_of(window.0), x_of(window.1 + 1));
    list.retain(|m| m.anchor >= min_x && m.anchor <= max_x);
    list
}

/// The leader's `match` and `next` for this follower, where their cells are visible: `(name, index, centre x)`.
fn progress_marks(progress: Option<&ProgressView>, window: (Index, Index)) -> Vec<(&'static str, Index, f64)> {
    let Some(progress) = progress else { return Vec::new() };
    [("match", progress.match_index), ("next", progress.next_index)]
        .into_iter()
        .filter(|(_, index)| *index >= window.0 && *index <= window.1)
        .map(|(name, index)| (name, index, x_of(index) + CELL / 2.0))
        .collect()
}

/// The markers of `node`'s row; `leader` is the node whose `progress` (about this node) is shown.
pub fn markers(node: &NodeView, leader: Option<&NodeView>, window: (Index, Index)) -> Html {
    let id = node.id;
    let progress = leader
        .filter(|l| l.role == Role::Leader && l.id != id)
        .and_then(|l| l.progress.iter().find(|p| p.peer == id).map(|p| (l.id, p)));
    let marks = progress_marks(progress.map(|(_, p)| p), window);
    let list = watermarks(node, window);
    let labels: Vec<Label> =
        list.iter().map(|m| Label { anchor: m.anchor, width: text_width(&m.label, LABEL_FONT) }).collect();
    let (min_x, max_x) = (x_of(window.0), x_of(window.1 + 1) + RIGHT_PAD);
    let placed = place(&labels, LANES, min_x, max_x);
    let watermark_html = list.iter().zip(&placed).map(|(m, p)| {
        let baseline = LANE_0_BASELINE + p.lane as f64 * LANE_PITCH;
        // Left of the stem, the text is right-aligned (`.left` in the stylesheet).
        let (text_x, side) = if p.left_side { (-GAP, "left") } else { (GAP, "") };
        html! {
            <g key={m.name} class={classes!("marker", format!("marker-{}", m.name))} data-testid={format!("marker-{}", m.name)}
               data-node={id.to_string()} data-index={m.index.to_string()}
               style={format!("transform: translate({:.1}px, 0px)", m.anchor)} data-tip={format!("marker:{}:{id}:{}", m.name, m.index)}>
                <line y1={format!("{ENTRY_TOP}")} y2={format!("{}", baseline + 2.0)} />
                <text x={format!("{text_x}")} y={format!("{baseline}")} class={side}>{ m.label.clone() }</text>
            </g>
        }
    });
    let leader_id = progress.map_or(0, |(l, _)| l);
    let progress_html = marks.iter().map(|&(name, index, x)| {
        html! {
            <g key={name} class={classes!("progress-mark", name)} data-testid={format!("marker-{name}")}
               data-node={id.to_string()} data-index={index.to_string()}
               style={format!("transform: translate({x:.1}px, 0px)")} data-tip={format!("progress:{leader_id}:{id}")}>
                <path d={format!("M0,{TRIANGLE_TOP} l-4,{TRIANGLE_HEIGHT} h8 z")} />
                <text y={format!("{LETTER_BASELINE}")}>{ if name == "match" { "m" } else { "n" } }</text>
            </g>
        }
    });
    html! { <g class="markers">{ for watermark_html }{ for progress_html }</g> }
}
