//! Every node's log, one row per node, with the same index in the same column so that students can compare
//! logs vertically. The rows are fitted to the panel (`log_layout::fit`): they grow or shrink together until
//! all of them fit its height, and show as many columns as its width holds (so a wide projector screen is not
//! left empty); below a legible size the panel scrolls instead. Long logs are windowed: the window ends just
//! after the newest entry and moves in whole segments, so that columns do not shift on every append.

use crate::sim::config::Config;
use crate::sim::types::Index;
use crate::sim::view::ClusterView;
use crate::ui::element_size::use_element_size;
use crate::ui::log_layout::{fit, text_width, Fit, AXIS_HEIGHT, CELL, LABEL_WIDTH, ROW_HEIGHT};
use crate::ui::log_row::LogRow;
use crate::ui::state::{AppState, Shared};
use std::rc::Rc;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Smallest drawing scale (CSS pixels per SVG unit) before the panel scrolls rather than shrink the rows.
const SCALE_MIN: f64 = 0.35;
/// Largest scale: a small cluster on a big screen does not become a wall of giant cells.
const SCALE_MAX: f64 = 1.5;
/// Largest scale in presenter mode (read from the back of a room).
const SCALE_MAX_PRESENTER: f64 = 2.2;
/// Font size of the axis' index numbers and its commit label (also in the stylesheet: `.axis-index`).
const AXIS_FONT: f64 = 10.0;

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
    /// Presenter mode allows larger cells.
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

/// The index axis: every fourth index, and the cluster's commit index where the commit line runs, with the
/// numbers it would cover left out.
fn axis(fit: Fit, lo: Index, commit: Index) -> Html {
    let width = fit.row_units();
    let commit_x = LABEL_WIDTH + (commit as f64 - lo as f64 + 1.0) * CELL;
    let commit_label = format!("commit {commit}");
    let commit_shown = commit + 1 >= lo && commit < lo + fit.cells;
    let label_width = text_width(&commit_label, AXIS_FONT);
    // Right of the line, or left of it where the right would run off the axis (the newest columns).
    let on_left = commit_x + 3.0 + label_width > width;
    let commit_span = if on_left {
        (commit_x - 3.0 - label_width - 2.0, commit_x + 2.0)
    } else {
        (commit_x - 2.0, commit_x + 3.0 + label_width + 2.0)
    };
    let numbers = (0..fit.cells).filter(|i| (lo + i).is_multiple_of(4) || *i == 0).filter_map(|i| {
        let x = LABEL_WIDTH + (i as f64 + 0.5) * CELL;
        let half = text_width(&(lo + i).to_string(), AXIS_FONT) / 2.0;
        let covered = commit_shown && x + half > commit_span.0 && x - half < commit_span.1;
        (!covered)
            .then(|| html! { <text class="axis-index" x={format!("{x:.1}")} y="12">{ (lo + i).to_string() }</text> })
    });
    html! {
        <svg class="log-axis" viewBox={format!("0 0 {width} {AXIS_HEIGHT}")} preserveAspectRatio="xMinYMin meet" aria-hidden="true">
            <text class="axis-title" x="4" y="12">{ "index →" }</text>
            <g>{ for numbers }</g>
            if commit_shown {
                <g class="axis-commit" data-testid="axis-commit">
                    <line class="commit-line" x1={format!("{commit_x:.1}")} x2={format!("{commit_x:.1}")} y1="2" y2={format!("{AXIS_HEIGHT}")} />
                    <text x={format!("{:.1}", if on_left { commit_x - 3.0 } else { commit_x + 3.0 })} y="12"
                          text-anchor={if on_left { "end" } else { "start" }}>{ commit_label }</text>
                </g>
            }
        </svg>
    }
}

/// The log view.
#[function_component(LogView)]
pub fn log_view(props: &LogViewProps) -> Html {
    let view = &props.head;
    let body = use_node_ref();
    let (width_px, height_px) = use_element_size(body.clone());
    let scale_max = if props.presenter { SCALE_MAX_PRESENTER } else { SCALE_MAX };
    // Before the first measurement: a plausible fit, replaced as soon as the panel is on the page.
    let fit = if width_px > 0.0 {
        fit(width_px, height_px, view.nodes.len(), SCALE_MIN, scale_max)
    } else {
        Fit { scale: 1.0, cells: 24 }
    };
    let cells = fit.cells;
    let lo = window(view, props.config.segment_entries, cells);
    let rows = props.rows.iter().enumerate().map(|(i, row)| {
        html! { <LogRow key={i} view={row.clone()} node={i} {lo} {cells} dispatch={props.dispatch.clone()} /> }
    });
    let size = format!(
        "--row-w: {:.1}px; --row-h: {:.1}px; --axis-h: {:.1}px",
        fit.row_units() * fit.scale,
        ROW_HEIGHT * fit.scale,
        AXIS_HEIGHT * fit.scale
    );
    html! {
        <div class="log-view" role="region" aria-label="Write-ahead logs of every node">
            <div class="commit-caption" data-testid="marker-commit" data-index={view.cluster_hwm.to_string()}
                 data-tip="commit">
                { format!("cluster commit index = {}", view.cluster_hwm) }
                { view.leader.map_or(String::new(), |l| format!(" (leader n{l})")) }
            </div>
            <div class="log-body" ref={body} style={size} data-testid="log-body" tabindex="0" data-scale={fit.scale.to_string()}>
                { axis(fit, lo, view.cluster_hwm) }
                <div class="log-rows">{ for rows }</div>
            </div>
        </div>
    }
}
