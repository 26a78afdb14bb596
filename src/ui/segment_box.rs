//! One WAL segment in a node's log row: its box, its label and its entries. A separate component so that
//! sealed segments, which never change, are not re-rendered on every frame (Yew skips a component whose
//! props are equal). Hover text and clicks are delegated: entries carry `data-tip` keys (see `tooltip.rs`).

use crate::sim::fmtnum::{fixed, shortest};
use crate::sim::types::{Index, NodeId};
use crate::sim::view::SegmentView;
use crate::ui::log_row::{CELL, ENTRY_HEIGHT, ENTRY_TOP, LABEL_WIDTH};
use crate::ui::palette::term_class;
use crate::ui::state::{Action, AppState};
use wasm_bindgen::JsCast;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Props of [`SegmentBox`].
#[derive(Properties, PartialEq)]
pub struct SegmentBoxProps {
    /// Node owning the segment.
    pub node: NodeId,
    /// The segment.
    pub segment: SegmentView,
    /// First index of the window.
    pub lo: Index,
    /// Last index of the window.
    pub hi: Index,
    /// Deleted and fading out.
    #[prop_or_default]
    pub ghost: bool,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// A segment and its entries.
#[function_component(SegmentBox)]
pub fn segment_box(props: &SegmentBoxProps) -> Html {
    let (segment, lo, hi, node) = (&props.segment, props.lo, props.hi, props.node);
    let x_of = |index: Index| LABEL_WIDTH + (index as f64 - lo as f64) * CELL;
    let first = segment.base_index.max(lo);
    let last = segment.last_index.max(segment.base_index).min(hi);
    let x = x_of(first) + 1.0;
    let width = ((last + 1).saturating_sub(first)) as f64 * CELL - 2.0;
    let onclick = {
        let dispatch = props.dispatch.clone();
        let ghost = props.ghost;
        Callback::from(move |e: MouseEvent| {
            let index = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("[data-index]").ok().flatten())
                .and_then(|t| t.get_attribute("data-index"))
                .and_then(|i| i.parse::<Index>().ok());
            if let (Some(index), false) = (index, ghost) {
                e.stop_propagation();
                dispatch.dispatch(Action::SelectEntry(node, index));
            }
        })
    };
    // Entries as one SVG fragment, in coordinates relative to the first visible one: moving the window only
    // moves the group, and an unchanged segment is not touched (Yew compares the markup). Building the
    // markup and letting the browser parse it is far cheaper than a Yew element per cell, rect and text.
    let entries = Html::from_html_unchecked(entries_markup(node, segment, first, last, props.ghost).into());
    let label = if segment.sealed {
        format!("{}–{}", segment.base_index, segment.last_index)
    } else {
        format!("{}… active", segment.base_index)
    };
    html! {
        <g class={classes!("segment", if segment.sealed { "sealed" } else { "active" }, props.ghost.then_some("ghost"))}
           data-testid={if props.ghost { "segment-deleted" } else { "segment" }}
           data-base={segment.base_index.to_string()} data-last={segment.last_index.to_string()}
           data-tip={format!("{}:{node}:{}", if props.ghost { "ghost" } else { "seg" }, segment.base_index)} {onclick}>
            // Positioned by an inner group: the ghost's fade-out animates the outer group's CSS transform.
            <g transform={format!("translate({},0)", fixed(x, 1))}>
                <rect class="segment-box" x="0" y={shortest(ENTRY_TOP - 3.0)}
                      width={fixed(width.max(CELL - 2.0), 1)} height={shortest(ENTRY_HEIGHT + 10.0)} rx="4" />
                <text class="segment-label" x="2" y={shortest(ENTRY_TOP - 6.0)}>
                    { if segment.base_index >= lo { label } else { String::new() } }
                </text>
                <g class="entries" transform={format!("translate(-1,{})", shortest(ENTRY_TOP))}>{ entries }</g>
            </g>
        </g>
    }
}

/// The markup of the entries `first..=last` of a segment, each at `(index − first) · CELL`: a group per entry
/// (class by term, durable or unsynced, corrupt) with its cell, term number, corrupt cross and committed dot.
/// Wrapped in an `<svg>` (with visible overflow) so that the HTML parser creates SVG elements.
pub fn entries_markup(node: NodeId, segment: &SegmentView, first: Index, last: Index, ghost: bool) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(64 + 300 * segment.entries.len());
    out.push_str("<svg overflow=\"visible\">");
    let (cell_w, cell_h) = (shortest(CELL - 4.0), shortest(ENTRY_HEIGHT - 4.0));
    let mid = shortest(CELL / 2.0);
    let dot_y = shortest(ENTRY_HEIGHT + 3.0);
    let (cross_w, cross_h) = (shortest(CELL - 3.0), shortest(ENTRY_HEIGHT - 3.0));
    for entry in segment.entries.iter().filter(|e| e.index >= first && e.index <= last) {
        let x = (entry.index - first) as f64 * CELL;
        let _ = write!(
            out,
            "<g class=\"entry {} {}{}\"{} data-index=\"{}\" data-tip=\"entry:{node}:{}\" transform=\"translate({},0)\">\
             <rect class=\"cell\" x=\"2\" y=\"2\" width=\"{cell_w}\" height=\"{cell_h}\" rx=\"3\"/>\
             <text class=\"term-number\" x=\"{mid}\" y=\"18\">{}</text>",
            term_class(entry.term),
            if entry.durable { "durable" } else { "unsynced" },
            if entry.corrupt { " corrupt" } else { "" },
            if ghost { "" } else { " data-testid=\"log-entry\"" },
            entry.index,
            entry.index,
            shortest(x),
            entry.term,
        );
        if entry.corrupt {
            let _ =
                write!(out, "<path class=\"corrupt-mark\" d=\"M3,3 L{cross_w},{cross_h} M{cross_w},3 L3,{cross_h}\"/>");
        }
        if entry.committed {
            let _ = write!(out, "<circle class=\"committed-dot\" cx=\"{mid}\" cy=\"{dot_y}\" r=\"2\"/>");
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}
