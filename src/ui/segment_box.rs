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
    let entries = segment.entries.iter().filter(|e| e.index >= lo && e.index <= hi).map(|entry| {
        let ex = x_of(entry.index);
        let class = classes!(
            "entry",
            term_class(entry.term),
            if entry.durable { "durable" } else { "unsynced" },
            entry.corrupt.then_some("corrupt"),
        );
        html! {
            <g key={entry.index} class={class} data-testid={(!props.ghost).then_some("log-entry")}
               data-index={entry.index.to_string()} data-tip={format!("entry:{node}:{}", entry.index)}
               style={format!("transform: translate({}px, {}px)", fixed(ex, 1), shortest(ENTRY_TOP))}>
                <rect class="cell" x="2" y="2" width={shortest(CELL - 4.0)} height={shortest(ENTRY_HEIGHT - 4.0)} rx="3" />
                <text class="term-number" x={shortest(CELL / 2.0)} y="18">{ entry.term.to_string() }</text>
                if entry.corrupt {
                    <path class="corrupt-mark" d={format!("M3,3 L{w},{h} M{w},3 L3,{h}", w = shortest(CELL - 3.0), h = shortest(ENTRY_HEIGHT - 3.0))} />
                }
                if entry.committed {
                    <circle class="committed-dot" cx={shortest(CELL / 2.0)} cy={shortest(ENTRY_HEIGHT + 3.0)} r="2" />
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
        <g class={classes!("segment", if segment.sealed { "sealed" } else { "active" }, props.ghost.then_some("ghost"))}
           data-testid={if props.ghost { "segment-deleted" } else { "segment" }}
           data-base={segment.base_index.to_string()} data-last={segment.last_index.to_string()}
           data-tip={format!("{}:{node}:{}", if props.ghost { "ghost" } else { "seg" }, segment.base_index)} {onclick}>
            <rect class="segment-box" x={fixed(x, 1)} y={shortest(ENTRY_TOP - 3.0)}
                  width={fixed(width.max(CELL - 2.0), 1)} height={shortest(ENTRY_HEIGHT + 10.0)} rx="4" />
            <text class="segment-label" x={fixed(x + 2.0, 1)} y={shortest(ENTRY_TOP - 6.0)}>
                { if segment.base_index >= lo { label } else { String::new() } }
            </text>
            <g class="entries">{ for entries }</g>
        </g>
    }
}
