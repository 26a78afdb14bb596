//! Clients: issue put/get/delete from a chosen client to a chosen node, pick the read mode, switch on a
//! steady write load, and watch every operation go from pending to acknowledged (or unknown).

use crate::sim::config::ReadMode;
use crate::sim::limits::{MAX_KEY_BYTES, MAX_VALUE_BYTES};
use crate::sim::view::ClientView;
use crate::sim::world::command::Command;
use crate::ui::op_row::OpRow;
use crate::ui::state::{Action, AppState, LOAD_RATE_PER_S, MIXED_LOAD};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Props of [`Clients`].
#[derive(Properties, PartialEq)]
pub struct ClientsProps {
    /// Client views.
    pub clients: Vec<ClientView>,
    /// Number of nodes (for the target selector).
    pub nodes: usize,
    /// Read mode in force.
    pub read_mode: ReadMode,
    /// Write load, if running.
    pub load_rate: Option<u64>,
    /// The write load mixes gets, compare-and-sets and appends into its puts.
    #[prop_or_default]
    pub load_mixed: bool,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Menu label and explanation of a read mode (its name is `ReadMode::name`).
pub fn read_mode_text(mode: ReadMode) -> (&'static str, &'static str) {
    match mode {
        ReadMode::Leader => ("Leader read at its HWM", "The node that believes it leads answers from its state machine: fast, but stale if it was deposed without knowing."),
        ReadMode::ReadIndex => ("Read-index (linearizable)", "The leader first confirms with a heartbeat round that it still leads, then answers at that commit index: linearizable even under partitions."),
        ReadMode::Follower => ("Follower read at its HWM", "Any node answers at its own HWM: may be stale, never dirty (nothing uncommitted is visible)."),
        ReadMode::Lease => ("Lease read (leader's clock)", "The leader answers at once while its lease holds (followers promised not to vote); beyond the clock-drift bound a lease read can be stale."),
    }
}

/// The clients panel.
#[function_component(Clients)]
pub fn clients(props: &ClientsProps) -> Html {
    let client_ref = use_node_ref();
    let op_ref = use_node_ref();
    let key_ref = use_node_ref();
    let value_ref = use_node_ref();
    let expected_ref = use_node_ref();
    let node_ref = use_node_ref();
    let counter = use_mut_ref(|| 0u64);
    let on_submit = {
        let dispatch = props.dispatch.clone();
        let (client_ref, op_ref, key_ref, value_ref, node_ref) =
            (client_ref.clone(), op_ref.clone(), key_ref.clone(), value_ref.clone(), node_ref.clone());
        let expected_ref = expected_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let select = |r: &NodeRef| r.cast::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            let input = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|s| s.value()).unwrap_or_default();
            let client = select(&client_ref).parse().unwrap_or(0);
            let node = select(&node_ref).parse().ok();
            let key = input(&key_ref).trim().to_string();
            let key = if key.is_empty() { "x".to_string() } else { key };
            let mut value = input(&value_ref).trim().to_string();
            if value.is_empty() {
                *counter.borrow_mut() += 1;
                value = counter.borrow().to_string();
            }
            let command = match select(&op_ref).as_str() {
                "get" => Command::Get { client, key, node },
                "delete" => Command::Delete { client, key, node },
                "cas" => {
                    // An empty "expected" field means "the key must be absent".
                    let expected = Some(input(&expected_ref)).filter(|e| !e.is_empty());
                    Command::Cas { client, key, expected, value, node }
                }
                "append" => Command::Append { client, key, value, node },
                _ => Command::Put { client, key, value, node },
            };
            dispatch.dispatch(Action::Command(command));
        })
    };
    let on_read_mode = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let mode = ReadMode::from_name(&select.value()).unwrap_or_default();
            dispatch.dispatch(Action::Command(Command::SetReadMode { mode }));
        })
    };
    let on_load = {
        let dispatch = props.dispatch.clone();
        let on = props.load_rate.is_none();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetLoad(on)))
    };
    let on_mix = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            dispatch.dispatch(Action::SetLoadMix(select.value() == "mixed"));
        })
    };
    let (_, read_help) = read_mode_text(props.read_mode);
    html! {
        <div class="clients-panel">
            <form class="client-form" onsubmit={on_submit} data-testid="client-form" aria-label="Send a client operation">
                <label>{ "Client " }
                    <select ref={client_ref} data-testid="client-id">
                        { for props.clients.iter().map(|c| html! { <option value={c.id.to_string()} selected={c.id == 0}>{ format!("c{}", c.id) }</option> }) }
                    </select>
                </label>
                <label>{ "Op " }
                    <select ref={op_ref} data-testid="client-op">
                        <option value="put" selected=true>{ "put" }</option>
                        <option value="get">{ "get" }</option>
                        <option value="delete">{ "delete" }</option>
                        <option value="cas">{ "cas" }</option>
                        <option value="append">{ "append" }</option>
                    </select>
                </label>
                <label>{ "Key " }<input ref={key_ref} data-testid="client-key" value="x" size="6" maxlength={MAX_KEY_BYTES.to_string()} /></label>
                <label title="cas only: the value the key must hold for the write to apply (empty: the key must be absent).">{ "Expected " }<input ref={expected_ref} data-testid="client-expected" placeholder="absent" size="6" maxlength={MAX_VALUE_BYTES.to_string()} /></label>
                <label>{ "Value " }<input ref={value_ref} data-testid="client-value" placeholder="auto" size="6" maxlength={MAX_VALUE_BYTES.to_string()} /></label>
                <label title="Which node the client tries first. Auto uses the client's guess of the leader; a follower redirects or forwards.">{ "To " }
                    <select ref={node_ref} data-testid="client-node">
                        <option value="auto" selected=true>{ "auto (leader guess)" }</option>
                        { for (0..props.nodes).map(|n| html! { <option value={n.to_string()}>{ format!("n{n}") }</option> }) }
                    </select>
                </label>
                <button type="submit" data-testid="client-send">{ "Send" }</button>
            </form>
            <div class="client-options">
                <label title={read_help}>{ "Read mode " }
                    <select data-testid="read-mode" onchange={on_read_mode}>
                        { for ReadMode::ALL.into_iter().map(|m| {
                            let (label, _) = read_mode_text(m);
                            html! { <option value={m.name()} selected={m == props.read_mode}>{ label }</option> }
                        }) }
                    </select>
                </label>
                <span class="help-text">{ read_help }</span>
                <button data-testid="load" class={classes!(props.load_rate.is_some().then_some("active"))} onclick={on_load}
                        aria-pressed={props.load_rate.is_some().to_string()}
                        title="Every client writes keys k0..k7 continuously, so that logs grow, segments roll and snapshots happen.">
                    { if let Some(rate) = props.load_rate { format!("Stop write load ({rate}/s)") } else { format!("Start write load ({LOAD_RATE_PER_S}/s)") } }
                </button>
                <label title="What the write load sends: puts only, or a mix whose compare-and-sets expect the value the previous generated put wrote.">{ "Load " }
                    <select data-testid="load-mix" onchange={on_mix}>
                        <option value="puts" selected={!props.load_mixed}>{ "puts only" }</option>
                        <option value="mixed" selected={props.load_mixed}>{ format!("mixed ({MIXED_LOAD})") }</option>
                    </select>
                </label>
            </div>
            <div class="client-cards">
                { for props.clients.iter().map(|c| {
                    let ops = c.current.iter().chain(c.recent.iter().rev()).take(6);
                    html! {
                        <div key={c.id} class="client-card" data-testid={format!("client-card-{}", c.id)}>
                            <div class="client-head">
                                <strong>{ format!("c{}", c.id) }</strong>
                                { format!(" → {}", c.leader_guess.map_or("?".to_string(), |n| format!("n{n}"))) }
                                if c.queued > 0 { <span class="queued">{ format!(" · {} queued", c.queued) }</span> }
                            </div>
                            <ul class="ops">
                                { for ops.map(|op| html! { <OpRow key={op.seq} op={op.clone()} /> }) }
                            </ul>
                        </div>
                    }
                }) }
            </div>
        </div>
    }
}
