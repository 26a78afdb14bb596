//! Network faults: a partition editor (put each node in group A, B or C), heal, and sliders for message
//! loss, duplication and latency; and membership: add a server (removing one is in the node menu). Node and
//! disk faults live in the node menu; single links in the link menu.

use crate::sim::limits::MAX_LATENCY_MS;
use crate::sim::types::NodeId;
use crate::sim::view::LinkView;
use crate::sim::world::command::Command;
use crate::ui::state::{Action, AppState};
use web_sys::HtmlInputElement;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

const GROUP_NAMES: [&str; 3] = ["A", "B", "C"];

/// Props of [`Faults`].
#[derive(Properties, PartialEq)]
pub struct FaultsProps {
    /// Servers started so far (ids `0..nodes`, including any that left).
    pub nodes: usize,
    /// Servers still running (not removed), in id order: the ones a partition can place.
    pub present: Vec<NodeId>,
    /// Voting members as the leader's log says.
    pub members: Vec<NodeId>,
    /// Learners (non-voting members) as the leader's log says.
    #[prop_or_default]
    pub learners: Vec<NodeId>,
    /// Current leader.
    pub leader: Option<NodeId>,
    /// Links that are cut or slow.
    pub links: Vec<LinkView>,
    /// Loss probability in force.
    pub loss: f64,
    /// Duplication probability in force.
    pub duplicate: f64,
    /// Latency range from the configuration (the starting point of the latency inputs).
    pub latency_ms: (u64, u64),
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The faults panel.
#[function_component(Faults)]
pub fn faults(props: &FaultsProps) -> Html {
    let groups = use_state(|| vec![0u8; props.nodes]);
    let latency_min = use_node_ref();
    let latency_max = use_node_ref();
    let group_of = |n: NodeId| groups.get(n).copied().unwrap_or(0);
    let cycle = |n: NodeId| {
        let groups = groups.clone();
        let count = props.nodes;
        Callback::from(move |_: MouseEvent| {
            let mut next = (*groups).clone();
            next.resize(count, 0);
            next[n] = (next[n] + 1) % GROUP_NAMES.len() as u8;
            groups.set(next);
        })
    };
    let present = props.present.clone();
    let partition_of = move |assignment: &[u8]| -> Vec<Vec<NodeId>> {
        (0..GROUP_NAMES.len() as u8)
            .map(|g| present.iter().copied().filter(|&n| assignment.get(n) == Some(&g)).collect::<Vec<_>>())
            .filter(|g| !g.is_empty())
            .collect()
    };
    let add_node = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Command(Command::add_voter())))
    };
    let add_learner = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Command(Command::add_learner())))
    };
    let apply_partition = {
        let dispatch = props.dispatch.clone();
        let groups = groups.clone();
        let count = props.nodes;
        let partition_of = partition_of.clone();
        Callback::from(move |_: MouseEvent| {
            let mut assignment = (*groups).clone();
            assignment.resize(count, 0);
            dispatch.dispatch(Action::Command(Command::Partition { groups: partition_of(&assignment) }));
        })
    };
    let isolate_leader = {
        let dispatch = props.dispatch.clone();
        let groups = groups.clone();
        let leader = props.leader;
        let count = props.nodes;
        Callback::from(move |_: MouseEvent| {
            let Some(leader) = leader else { return };
            let assignment: Vec<u8> = (0..count).map(|n| u8::from(n == leader)).collect();
            groups.set(assignment.clone());
            dispatch.dispatch(Action::Command(Command::Partition { groups: partition_of(&assignment) }));
        })
    };
    let heal = {
        let dispatch = props.dispatch.clone();
        let groups = groups.clone();
        let count = props.nodes;
        Callback::from(move |_: MouseEvent| {
            groups.set(vec![0; count]);
            dispatch.dispatch(Action::Command(Command::Heal));
        })
    };
    let probability = |make: fn(f64) -> Command| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(percent) = crate::ui::web::parse_number(&input.value()) {
                dispatch.dispatch(Action::Command(make(percent / 100.0)));
            }
        })
    };
    let apply_latency = {
        let dispatch = props.dispatch.clone();
        let (latency_min, latency_max) = (latency_min.clone(), latency_max.clone());
        Callback::from(move |_: MouseEvent| {
            let read = |r: &NodeRef| r.cast::<HtmlInputElement>().and_then(|i| i.value().parse::<u64>().ok());
            if let (Some(min_ms), Some(max_ms)) = (read(&latency_min), read(&latency_max)) {
                dispatch.dispatch(Action::Command(Command::SetLatency { min_ms, max_ms }));
            }
        })
    };
    let cut: Vec<String> = props
        .links
        .iter()
        .map(|l| {
            if l.cut {
                format!("n{}→n{} cut", l.from, l.to)
            } else {
                format!("n{}→n{} +{}ms", l.from, l.to, l.extra_ms)
            }
        })
        .collect();
    html! {
        <div class="faults-panel">
            <section class="partition-editor" aria-label="Partition editor">
                <h2>{ "Partition" }</h2>
                <p class="help-text">{ "Click a node to move it between groups A, B and C; nodes in different groups cannot talk. A majority group can elect a leader; a minority cannot." }</p>
                <div class="group-buttons">
                    { for props.present.iter().map(|&n| {
                        let g = group_of(n) as usize;
                        html! {
                            <button class={classes!("group-button", format!("group-{}", GROUP_NAMES[g]))}
                                    data-testid={format!("group-{n}")} onclick={cycle(n)}
                                    title={format!("n{n} is in group {}: click to move it to the next group", GROUP_NAMES[g])}>
                                { format!("n{n}: {}", GROUP_NAMES[g]) }
                            </button>
                        }
                    }) }
                </div>
                <div class="menu-buttons">
                    <button data-testid="apply-partition" onclick={apply_partition}>{ "Apply partition" }</button>
                    <button data-testid="isolate-leader" onclick={isolate_leader} disabled={props.leader.is_none()}>{ "Isolate the leader" }</button>
                    <button data-testid="heal" onclick={heal} title="Remove every partition, cut and slow link">{ "Heal network" }</button>
                </div>
                <p class="link-summary" data-testid="link-summary">
                    { if cut.is_empty() { "All links are up. Click a link in the cluster to cut or slow it.".to_string() } else { cut.join(" · ") } }
                </p>
            </section>
            <section class="membership" aria-label="Membership">
                <h2>{ "Membership" }</h2>
                <p class="help-text" data-testid="members">
                    { format!("Members: {}. ", crate::sim::storage::entry::describe_members(&props.members)) }
                    if !props.learners.is_empty() {
                        <span data-testid="learners">{ format!("Learners: {}. ", crate::sim::storage::entry::describe_members(&props.learners)) }</span>
                    }
                    { "Adding starts an empty server that the leader adds with a configuration entry; it catches up from the leader. To remove a member, click it in the cluster." }
                </p>
                <div class="menu-buttons">
                    <button data-testid="add-node" onclick={add_node}
                            title="Start a new server and have the leader append a configuration that includes it (one change at a time).">{ "Add a server" }</button>
                    <button data-testid="add-learner" onclick={add_learner}
                            title="Start a new server as a learner: it copies the log without counting toward any quorum, so the cluster loses no availability while it catches up. Promote it from its node menu.">{ "Add as learner" }</button>
                </div>
            </section>
            <section class="network-sliders" aria-label="Network conditions">
                <h2>{ "Network" }</h2>
                <label title="Probability that any message is lost.">
                    { format!("Loss {:.0}% ", props.loss * 100.0) }
                    <input type="range" min="0" max="50" step="1" value={format!("{:.0}", props.loss * 100.0)}
                           data-testid="loss" onchange={probability(|probability| Command::SetLoss { probability })} />
                </label>
                <label title="Probability that any message is delivered twice.">
                    { format!("Duplication {:.0}% ", props.duplicate * 100.0) }
                    <input type="range" min="0" max="50" step="1" value={format!("{:.0}", props.duplicate * 100.0)}
                           data-testid="duplicate" onchange={probability(|probability| Command::SetDuplicate { probability })} />
                </label>
                <div class="latency">
                    { "Latency " }
                    <input ref={latency_min} type="number" min="0" max={MAX_LATENCY_MS.to_string()} class="small-number" data-testid="latency-min"
                           value={props.latency_ms.0.to_string()} aria-label="Minimum latency in ms" />
                    { "–" }
                    <input ref={latency_max} type="number" min="0" max={MAX_LATENCY_MS.to_string()} class="small-number" data-testid="latency-max"
                           value={props.latency_ms.1.to_string()} aria-label="Maximum latency in ms" />
                    { " ms " }
                    <button data-testid="apply-latency" onclick={apply_latency} title="Random latency in this range is what reorders messages.">{ "Set" }</button>
                </div>
            </section>
        </div>
    }
}
