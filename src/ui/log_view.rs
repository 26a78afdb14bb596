//! Every node's log, one row per node, with the same index in the same column so that students can compare
//! logs vertically. Long logs are windowed: the window ends just after the newest entry and moves in whole
//! segments, so that columns do not shift on every append.

use crate::sim::config::Config;
use crate::sim::types::Index;
use crate::sim::view::ClusterView;
use crate::ui::log_row::{LogRow, CELL, LABEL_WIDTH};
use crate::ui::state::{AppState, Shared};
use std::rc::Rc;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Props of [`LogView`].
#[derive(Properties, PartialEq)]
pub struct LogViewProps {
    /// The view that sets the window, the axis and the commit caption (compared by identity: while playing it
    /// changes a few times a second, see `panels.rs`).
    pub head: Shared<ClusterView>,
    /// The view each node's row draws, in node order (each refreshed on its own turn while playing).
    pub rows: Vec<Shared<ClusterView>>,
    /// The configuration (segment size, for window paging).
    pub config: Rc<Config>,
    /// Presenter mode shows fewer, larger cells.
    pub presenter: bool,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The window of indexes shown: `lo ..= lo + cells - 1`.
pub fn window(view: &ClusterView, segment_entries: usize, cells: u64) -> Index {
    let newest = view.nodes.iter().map(|n| n.last_index).max().unwrap_or(0);
    let page = (segment_entries as u64).clamp(1, cells / 2);
    // Keep one free column after the newest entry for the next append.
    let overflow = (newest + 2).saturating_sub(cells);
    let by_newest = 1 + overflow.div_ceil(page) * page;
    // Do not waste columns on what every node has deleted long ago: start one page before the oldest
    // entry any node still holds (that page shows the most recent deletion).
    let oldest_kept = view.nodes.iter().map(|n| n.first_index).min().unwrap_or(1);
    let by_oldest = 1 + (oldest_kept.saturating_sub(1 + page) / page) * page;
    by_newest.max(by_oldest.min(newest.saturating_sub(page)).max(1))
}

/// The log view.
#[function_component(LogView)]
pub fn log_view(props: &LogViewProps) -> Html {
    let view = &props.head;
    // Fewer nodes leave room for bigger cells.
    let cells: u64 = match (props.presenter, view.nodes.len()) {
        (true, _) => 18,
        (false, 0..=3) => 24,
        (false, 4..=5) => 28,
        _ => 26,
    };
    let lo = window(view, props.config.segment_entries, cells);
    let rows = props.rows.iter().enumerate().map(|(i, row)| {
        html! { <LogRow key={i} view={row.clone()} node={i} {lo} {cells} dispatch={props.dispatch.clone()} /> }
    });
    let width = LABEL_WIDTH + cells as f64 * CELL + 8.0;
    let height = 16.0;
    html! {
        <div class="log-view" role="region" aria-label="Write-ahead logs of every node">
            <svg class="log-axis" viewBox={format!("0 0 {width} {height}")} preserveAspectRatio="xMinYMin meet">
                <g>{ for (0..cells).filter(|i| (lo + i).is_multiple_of(4) || *i == 0).map(|i| {
                    let x = LABEL_WIDTH + (i as f64 + 0.5) * CELL;
                    html! { <text class="axis-index" x={format!("{x:.1}")} y="12">{ (lo + i).to_string() }</text> }
                }) }</g>
                <text class="axis-title" x="4" y="12">{ "index →" }</text>
            </svg>
            <div class="log-rows" style={format!("--rows: {}", view.nodes.len())}>
                { for rows }
            </div>
            <div class="commit-caption" data-testid="marker-commit" data-index={view.cluster_hwm.to_string()}
                 data-tip="commit">
                { format!("cluster commit index = {}", view.cluster_hwm) }
                { view.leader.map_or(String::new(), |l| format!(" (leader n{l})")) }
            </div>
        </div>
    }
}
