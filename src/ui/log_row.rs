//! One node's write-ahead log: segments as boxes (active dashed, sealed solid), entries coloured by term
//! with the term number printed, hollow until fsynced, crossed when corrupt; markers for the low-water mark,
//! snapshot, applied index and high-water mark; and, under a follower, what the leader believes about it
//! (`match`, `next`). A segment deleted below the LWM fades away instead of vanishing.

use crate::sim::types::Index;
use crate::sim::view::ClusterView;
use crate::sim::world::status::NodeStatus;
use crate::ui::row_content::{RowContent, BAND};
use crate::ui::state::{Action, AppState, Shared};
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
    let width = LABEL_WIDTH + props.cells as f64 * CELL + 8.0;
    let id = node.id;
    let status = match node.status {
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
    let behind = (node.last_index + 1 < lo && node.last_index > 0)
        .then(|| html! { <text class="behind" x={format!("{:.1}", LABEL_WIDTH + 4.0)} y={(ENTRY_TOP + 17.0).to_string()}>{ format!("◀ log ends at {}", node.last_index) }</text> });
    let earlier = (node.first_index < lo && node.last_index >= lo)
        .then(|| html! { <text class="earlier" x={format!("{:.1}", LABEL_WIDTH - 2.0)} y={(ENTRY_TOP + 17.0).to_string()}>{ "◀" }</text> });

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
            // Segments, markers and the commit line sit at absolute places in a group moved to the window and
            // clipped by a nested <svg>: when the window moves, only the group's transform changes.
            <svg class="window" x={format!("{LABEL_WIDTH}")} y="0" width={(props.cells as f64 * CELL + 8.0).to_string()} height={format!("{ROW_HEIGHT}")}>
                <g transform={format!("translate({},0)", -((lo.saturating_sub(1)) as f64) * CELL)}>
                    <RowContent view={props.view.clone()} node={props.node} {from} {to} dispatch={props.dispatch.clone()} />
                </g>
            </svg>
            { behind.unwrap_or_default() }
            { earlier.unwrap_or_default() }
        </svg>
    }
}
