//! One WAL segment in a node's log row: its box, its label and its entries. A separate component so that
//! sealed segments, which never change, are not re-rendered when the row refreshes (Yew skips a component
//! whose props are equal). It is drawn at its absolute place; the log row moves and clips the window, so
//! moving the window does not re-render it. Hover text and clicks are delegated: entries carry `data-tip`
//! keys (see `tooltip.rs`).

use crate::sim::types::{Index, NodeId};
use crate::sim::view::SegmentView;
use crate::ui::log_layout::{text_width, BOX_BOTTOM, BOX_TOP, CELL, ENTRY_TOP};
use crate::ui::segment_entries::SegmentEntries;
use crate::ui::state::{Action, AppState};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Props of [`SegmentBox`].
#[derive(Properties, PartialEq)]
pub struct SegmentBoxProps {
    /// Node owning the segment.
    pub node: NodeId,
    /// The segment (shared with its entries component; compared by value).
    pub segment: Rc<SegmentView>,
    /// Deleted and fading out.
    #[prop_or_default]
    pub ghost: bool,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// A segment and its entries.
#[function_component(SegmentBox)]
pub fn segment_box(props: &SegmentBoxProps) -> Html {
    let (segment, node) = (&props.segment, props.node);
    // At its absolute place (index 1 at 0): the log row moves and clips the window, so a segment does not
    // re-render when the window moves.
    let (first, last) = (segment.base_index, segment.last_index.max(segment.base_index));
    let x = (first.saturating_sub(1)) as f64 * CELL + 1.0;
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
    let label = label(segment, width);
    html! {
        <g class={classes!("segment", if segment.sealed { "sealed" } else { "active" }, props.ghost.then_some("ghost"))}
           data-testid={if props.ghost { "segment-deleted" } else { "segment" }}
           data-base={segment.base_index.to_string()} data-last={segment.last_index.to_string()}
           data-tip={format!("{}:{node}:{}", if props.ghost { "ghost" } else { "seg" }, segment.base_index)} {onclick}>
            // Positioned by an inner group: the ghost's fade-out animates the outer group's CSS transform.
            <g transform={format!("translate({x:.1},0)")}>
                <rect class="segment-box" x="0" y={format!("{BOX_TOP}")}
                      width={format!("{:.1}", width.max(CELL - 2.0))} height={format!("{}", BOX_BOTTOM - BOX_TOP)} rx="4" />
                <text class="segment-label" x="2" y={format!("{}", BOX_TOP - 2.0)}>
                    { label }
                </text>
                <g class="entries" transform={format!("translate(-1,{ENTRY_TOP})")}>
                    <SegmentEntries {node} segment={props.segment.clone()} {first} {last} ghost={props.ghost} />
                </g>
            </g>
        </g>
    }
}

/// Font size of segment labels (also in the stylesheet: `.segment-label`).
const SEGMENT_FONT: f64 = 9.0;

/// A segment's label, as long as fits over its box so that neighbouring labels never overlap: `9–16` for a
/// sealed segment (`9` when that is too wide, nothing when even that is), `17… active` for the active one,
/// which is the last and may run on over the empty columns after it.
fn label(segment: &SegmentView, width: f64) -> String {
    if !segment.sealed {
        return format!("{}… active", segment.base_index);
    }
    [format!("{}–{}", segment.base_index, segment.last_index), segment.base_index.to_string()]
        .into_iter()
        .find(|text| text_width(text, SEGMENT_FONT) + 4.0 <= width)
        .unwrap_or_default()
}
