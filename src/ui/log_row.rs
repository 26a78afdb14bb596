//! One node's write-ahead log: segments as boxes (active dashed, sealed solid), entries coloured by term
//! with the term number printed, hollow until fsynced, crossed when corrupt; markers for the low-water mark,
//! snapshot, applied index and high-water mark; and, under a follower, what the leader believes about it
//! (`match`, `next`). A segment deleted below the LWM fades away instead of vanishing. The row's geometry is
//! in `log_layout.rs`; its drawn size comes from the log view's CSS variables, so a resize re-renders no row.

use crate::sim::types::Index;
use crate::sim::view::ClusterView;
use crate::sim::world::status::NodeStatus;
use crate::ui::log_layout::{CELL, LABEL_WIDTH, LANE_0_BASELINE, LANE_PITCH, RIGHT_PAD, ROW_HEIGHT};
use crate::ui::row_content::{RowContent, BAND};
use crate::ui::state::{Action, AppState, Shared};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

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

/// One node's log.
#[function_component(LogRow)]
pub fn log_row(props: &LogRowProps) -> Html {
    let view = &props.view;
    let Some(node) = view.nodes.get(props.node) else { return Html::default() };
    let lo = props.lo;
    let window_width = props.cells as f64 * CELL + RIGHT_PAD;
    let width = LABEL_WIDTH + window_width;
    let id = node.id;
    let status = match node.status {
        NodeStatus::Up if node.learner => "learner",
        NodeStatus::Up => node.role.name(),
        NodeStatus::Crashed => "crashed",
        NodeStatus::Paused => "paused",
        NodeStatus::Removed => "removed",
    };
    // The content is drawn at absolute places, so a new window only moves it: the whole retained log when it
    // is short (the usual case: snapshots keep it to a few segments), else a band of indexes around the
    // window that changes only every `BAND` entries.
    let (from, to) = if node.last_index.saturating_sub(node.first_index) < 2 * BAND {
        (1, Index::MAX / 2)
    } else {
        let from = (lo - lo % BAND).saturating_sub(BAND).max(1);
        (from, from + 3 * BAND)
    };
    // The whole log is left of the window: say where it ends, in a marker lane (no marker is in the window then).
    let behind = (node.last_index + 1 < lo && node.last_index > 0).then(|| {
        html! {
            <text class="behind" x={format!("{:.1}", LABEL_WIDTH + 4.0)} y={format!("{}", LANE_0_BASELINE + LANE_PITCH)}>
                { format!("◀ log ends at {}", node.last_index) }
            </text>
        }
    });
    // Older entries exist left of the window: an arrow on the name line, clear of the name and the term.
    let earlier = (node.first_index < lo && node.last_index >= lo).then(|| {
        html! { <text class="earlier" x={format!("{:.1}", LABEL_WIDTH - 2.0)} y="24">{ "◀" }</text> }
    });

    let onclick_label = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectNode(Some(id))))
    };
    html! {
        <svg class={classes!("log-row", status, (node.status == NodeStatus::Crashed).then_some("down"))}
             viewBox={format!("0 0 {width} {ROW_HEIGHT}")} preserveAspectRatio="xMinYMin meet"
             data-testid={format!("log-{id}")} role="group"
             aria-label={format!("Log of n{id}: entries {} to {}, durable to {}, HWM {}, LWM {}", node.first_index, node.last_index, node.durable_index, node.hwm, node.lwm)}>
            <g class="row-label" data-testid="row-label" onclick={onclick_label}>
                <text class="row-name" x="4" y="24">{ format!("n{id}") }<tspan class="row-term" dx="5">{ format!("t{}", node.term) }</tspan></text>
                <text class="row-role" x="4" y="40">{ status }</text>
                <text class="row-detail" x="4" y="54">{ format!("durable {}", node.durable_index) }</text>
            </g>
            // Segments, markers and the commit line sit at absolute places in a group moved to the window and
            // clipped by a nested <svg>: when the window moves, only the group's transform changes.
            <svg class="window" x={format!("{LABEL_WIDTH}")} y="0" width={window_width.to_string()} height={format!("{ROW_HEIGHT}")}>
                <g transform={format!("translate({},0)", -((lo.saturating_sub(1)) as f64) * CELL)}>
                    <RowContent view={props.view.clone()} node={props.node} {from} {to} window={(lo, lo + props.cells - 1)}
                                dispatch={props.dispatch.clone()} />
                </g>
            </svg>
            { behind.unwrap_or_default() }
            { earlier.unwrap_or_default() }
        </svg>
    }
}
