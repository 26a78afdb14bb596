//! One client in the cluster drawing: a box on the left, thick while an operation is in progress, with a
//! spoken description. A plain view function: rebuilt on every frame, the DOM changes only when the
//! client's state does.

use crate::sim::types::{ClientId, NodeId};
use crate::sim::world::history::HistoryOp;
use crate::ui::cluster::client_position;
use yew::prelude::*;

/// What [`client_glyph`] needs (a plain function, not a component: at most nine of them, and each component
/// costs ≈ 1 KB of wasm).
pub struct ClientGlyphProps {
    /// Client id (also its place in the column).
    pub id: ClientId,
    /// Number of clients.
    pub count: usize,
    /// The operation in progress.
    pub current: Option<HistoryOp>,
    /// Operations waiting behind it.
    pub queued: usize,
    /// The node it will try first.
    pub leader_guess: Option<NodeId>,
}

/// A client box.
pub fn client_glyph(props: &ClientGlyphProps) -> Html {
    let (x, y) = client_position(props.id, props.count);
    let label = format!(
        "Client c{}: {}; {} queued. It sends requests to its guess of the leader{}.",
        props.id,
        props.current.as_ref().map_or("idle".to_string(), |op| format!("waiting for {}", op.op.describe())),
        props.queued,
        props.leader_guess.map_or(String::new(), |g| format!(" (now n{g})"))
    );
    html! {
        <g key={props.id} class={classes!("client", props.current.is_some().then_some("busy"))} transform={format!("translate({x:.1},{y:.1})")}
           data-testid={format!("client-{}", props.id)} data-tip={format!("client:{}", props.id)} aria-label={label}>
            <rect x="-20" y="-14" width="40" height="28" rx="5" />
            <text class="client-name" y="5">{ format!("c{}", props.id) }</text>
        </g>
    }
}
