//! The entries of one WAL segment, coloured by term with the term number printed, hollow until fsynced,
//! crossed when corrupt, with a dot once committed. Drawn as one SVG fragment in coordinates relative to the
//! first visible entry: building the markup and letting the browser parse it is far cheaper than a Yew
//! element (plus Yew's placeholder text node) per cell, rect and text, and the component re-renders only
//! when the segment's entries change, not when the window moves.

use crate::sim::types::{Index, NodeId};
use crate::sim::view::SegmentView;
use crate::ui::log_layout::{CELL, ENTRY_HEIGHT};
use crate::ui::palette::term_class;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`SegmentEntries`].
#[derive(Properties, PartialEq)]
pub struct SegmentEntriesProps {
    /// Node owning the segment.
    pub node: NodeId,
    /// The segment (compared by value).
    pub segment: Rc<SegmentView>,
    /// First entry shown.
    pub first: Index,
    /// Last entry shown.
    pub last: Index,
    /// Deleted and fading out (no test id, no clicks).
    pub ghost: bool,
}

/// The entries `first..=last` of a segment.
#[function_component(SegmentEntries)]
pub fn segment_entries(props: &SegmentEntriesProps) -> Html {
    Html::from_html_unchecked(entries_markup(props.node, &props.segment, props.first, props.last, props.ghost).into())
}

/// The markup of the entries `first..=last` of a segment, each at `(index − first) · CELL`: a group per entry
/// (class by term, durable or unsynced, corrupt) with its cell, term number, corrupt cross and committed dot.
/// Wrapped in an `<svg>` (with visible overflow) so that the HTML parser creates SVG elements.
pub fn entries_markup(node: NodeId, segment: &SegmentView, first: Index, last: Index, ghost: bool) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(64 + 300 * segment.entries.len());
    out.push_str("<svg overflow=\"visible\">");
    let (cell_w, cell_h) = ((CELL - 4.0).to_string(), (ENTRY_HEIGHT - 4.0).to_string());
    let mid = (CELL / 2.0).to_string();
    let dot_y = (ENTRY_HEIGHT + 3.0).to_string();
    let (cross_w, cross_h) = ((CELL - 3.0).to_string(), (ENTRY_HEIGHT - 3.0).to_string());
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
            x,
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
