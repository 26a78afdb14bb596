//! Hover explanations. Drawn elements carry a `data-tip` key (`entry:2:17`, `msg:931`, `marker:hwm:0:12`…);
//! one delegated `mouseover` handler on the stage picks the key up and this view turns it into a
//! sentence from the current view. Computing the sentence only for the hovered element keeps the
//! per-frame render cheap, and the text stays live while the simulation runs.

use crate::sim::types::{Index, NodeId};
use crate::sim::view::ClusterView;
use crate::ui::explain;
use std::rc::Rc;
use yew::prelude::*;

/// What is hovered and where the pointer was.
#[derive(Clone, Debug, PartialEq)]
pub struct Tip {
    /// The `data-tip` key.
    pub key: String,
    /// Pointer position in CSS pixels (viewport).
    pub x: i32,
    /// Pointer position in CSS pixels (viewport).
    pub y: i32,
}

/// What [`tooltip`] needs (a plain function, not a component: Yew would gain nothing by diffing its
/// props, and each component costs ≈ 1 KB of wasm).
pub struct TooltipProps {
    /// The view to explain from.
    pub view: Rc<ClusterView>,
    /// What is hovered.
    pub tip: Option<Tip>,
}

/// The sentence for a key, if the thing still exists.
pub fn explain_key(view: &ClusterView, key: &str) -> Option<String> {
    let parts: Vec<&str> = key.split(':').collect();
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<u64>().ok());
    let node = |i: usize| number(i).and_then(|n| view.nodes.get(n as usize));
    match parts.first().copied()? {
        "node" => node(1).map(explain::node),
        "entry" => {
            let n = node(1)?;
            let index: Index = number(2)?;
            let entry = n.segments.iter().flat_map(|s| s.entries.iter()).find(|e| e.index == index)?;
            Some(explain::entry(n.id, entry, n.hwm))
        }
        "seg" => {
            let n = node(1)?;
            let segment = n.segments.iter().find(|s| Some(s.base_index) == number(2))?;
            Some(explain::segment(n.id, segment))
        }
        "ghost" => Some(format!(
            "A sealed segment of n{} starting at {} was deleted: the low-water mark passed its last entry, and a durable snapshot covers it.",
            number(1)?,
            number(2)?
        )),
        "deleted" => node(1).map(|n| {
            format!("Entries below {} are gone from n{}'s log: a snapshot covers them and their segments were deleted.", n.first_index, n.id)
        }),
        "marker" => Some(explain::marker(parts.get(1)?, number(2)? as NodeId, number(3)?)),
        "progress" => {
            let leader = node(1)?;
            let peer = number(2)? as NodeId;
            leader.progress.iter().find(|p| p.peer == peer).map(|p| explain::progress(leader.id, p))
        }
        "msg" => view.messages.iter().find(|m| Some(m.id) == number(1)).map(|m| explain::message(m, view.time_us)),
        "link" => {
            let (a, b) = (number(1)? as NodeId, number(2)? as NodeId);
            let describe = |from: NodeId, to: NodeId| match view.links.iter().find(|l| l.from == from && l.to == to) {
                Some(l) if l.cut => format!("n{from}→n{to} is cut (messages are dropped)"),
                Some(l) if l.extra_ms > 0 => format!("n{from}→n{to} is slow (+{} ms)", l.extra_ms),
                _ => format!("n{from}→n{to} is up"),
            };
            Some(format!("Link n{a}–n{b}: {}; {}. Click to cut or slow it.", describe(a, b), describe(b, a)))
        }
        "client" => view.clients.get(number(1)? as usize).map(|c| {
            format!(
                "Client c{}: {}; {} queued. It sends requests to its guess of the leader{}.",
                c.id,
                c.current.as_ref().map_or("idle".to_string(), |op| format!("waiting for {}", op.op.describe())),
                c.queued,
                c.leader_guess.map_or(String::new(), |g| format!(" (now n{g})"))
            )
        }),
        "commit" => Some(explain::cluster_commit(view.cluster_hwm)),
        "lease" => crate::ui::explain_raft::lease(view, node(1)?),
        _ => None,
    }
}

/// The floating explanation.
pub fn tooltip(props: &TooltipProps) -> Html {
    let Some(tip) = &props.tip else { return Html::default() };
    let Some(text) = explain_key(&props.view, &tip.key) else { return Html::default() };
    // Keep the box on screen: open to the left/up when the pointer is near the right/bottom edge.
    let (width, height) = web_sys::window()
        .map(|w| {
            let read = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(1280.0);
            (read(w.inner_width()), read(w.inner_height()))
        })
        .unwrap_or((1280.0, 720.0));
    let left = if f64::from(tip.x) > width * 0.6 {
        format!("right: {}px", (width as i32 - tip.x + 12).max(0))
    } else {
        format!("left: {}px", tip.x + 14)
    };
    let top = if f64::from(tip.y) > height * 0.6 {
        format!("bottom: {}px", (height as i32 - tip.y + 12).max(0))
    } else {
        format!("top: {}px", tip.y + 16)
    };
    html! {
        <div class="tooltip" role="tooltip" data-testid="tooltip" style={format!("{left}; {top}")}>{ text }</div>
    }
}
