//! The state machines: every node's key-value map (at its applied index, which never passes its HWM), side by
//! side, so a stale follower or a lost write shows as a differing cell. Each column is also what a follower
//! read from that node would return right now.

use crate::sim::view::NodeView;
use crate::sim::world::status::NodeStatus;
use std::collections::BTreeSet;
use yew::prelude::*;

/// Keys shown at most (the rest are counted).
const KEYS_MAX: usize = 24;

/// What [`kv_view`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct KvViewProps {
    /// Every node.
    pub nodes: Vec<NodeView>,
    /// Leader, whose column is the reference.
    pub leader: Option<usize>,
}

/// The state-machine table.
pub fn kv_view(props: &KvViewProps) -> Html {
    let keys: BTreeSet<&str> = props.nodes.iter().flat_map(|n| n.kv.iter().map(|(k, _)| k.as_str())).collect();
    let total = keys.len();
    let reference = props.leader.and_then(|l| props.nodes.iter().find(|n| n.id == l));
    let lookup = |node: &NodeView, key: &str| node.kv.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    html! {
        <div class="kv-panel">
            <p class="help-text">{ "Each column is a node's key-value state machine after applying its log up to its applied index (never above its HWM). A follower read from that node returns exactly this column; a cell that differs from the leader's is stale." }</p>
            <table class="kv" data-testid="kv-table">
                <thead>
                    <tr>
                        <th>{ "key" }</th>
                        { for props.nodes.iter().map(|n| html! {
                            <th class={classes!((n.status != NodeStatus::Up).then_some("down"), (Some(n.id) == props.leader).then_some("leader"))}
                                title={format!("n{}: applied {}, HWM {}", n.id, n.applied, n.hwm)}>
                                { format!("n{}", n.id) }{ if Some(n.id) == props.leader { " ★" } else { "" } }
                                <div class="kv-sub">{ format!("applied {}", n.applied) }</div>
                            </th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    if keys.is_empty() {
                        <tr><td colspan={(props.nodes.len() + 1).to_string()} class="empty">{ "No keys yet: send a put from the Clients tab." }</td></tr>
                    }
                    { for keys.iter().take(KEYS_MAX).map(|key| {
                        let expected = reference.and_then(|r| lookup(r, key));
                        html! {
                            <tr data-testid={format!("kv-row-{key}")}>
                                <td class="key">{ *key }</td>
                                { for props.nodes.iter().map(|n| {
                                    let value = lookup(n, key);
                                    let stale = reference.is_some() && value != expected;
                                    html! {
                                        <td class={classes!(stale.then_some("stale"))} data-testid={format!("kv-{}-{key}", n.id)}>
                                            { value.unwrap_or_else(|| "—".to_string()) }
                                        </td>
                                    }
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if total > KEYS_MAX {
                <p class="help-text">{ format!("…and {} more keys", total - KEYS_MAX) }</p>
            }
        </div>
    }
}
