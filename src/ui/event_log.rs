//! The event log: the newest trace lines, newest first, with a filter per category and per node.

use crate::sim::view::TraceLine;
use crate::sim::world::trace::CATEGORIES;
use crate::ui::time_text;
use std::collections::BTreeSet;
use yew::prelude::*;
/// Lines shown at most.
const LINES_MAX: usize = 200;

/// Props of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// Trace lines, oldest first.
    pub trace: Vec<TraceLine>,
    /// Number of nodes (for the node filter).
    pub nodes: usize,
}

/// The event log.
#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    // Messages and timers are the bulk of the trace; start with them hidden so the story stands out.
    let hidden = use_state(|| BTreeSet::from(["message".to_string(), "timer".to_string()]));
    let node_filter = use_state(|| None::<usize>);
    let interesting_only = use_state(|| false);
    let toggle = |category: &'static str| {
        let hidden = hidden.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*hidden).clone();
            if !next.remove(category) {
                next.insert(category.to_string());
            }
            hidden.set(next);
        })
    };
    let on_node = {
        let node_filter = node_filter.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            node_filter.set(select.value().parse().ok());
        })
    };
    let on_interesting = {
        let interesting_only = interesting_only.clone();
        Callback::from(move |_: MouseEvent| interesting_only.set(!*interesting_only))
    };
    let lines = props
        .trace
        .iter()
        .rev()
        .filter(|l| !hidden.contains(&l.category))
        .filter(|l| node_filter.is_none_or(|n| l.node == Some(n)))
        .filter(|l| !*interesting_only || l.interesting)
        .take(LINES_MAX);
    html! {
        <div class="event-log-panel">
            <div class="filters" role="group" aria-label="Event filters">
                { for CATEGORIES.iter().map(|c| html! {
                    <button class={classes!("filter", format!("cat-{c}"), (!hidden.contains(*c)).then_some("on"))}
                            aria-pressed={(!hidden.contains(*c)).to_string()} onclick={toggle(c)} data-testid={format!("filter-{c}")}>
                        { *c }
                    </button>
                }) }
                <button class={classes!("filter", interesting_only.then_some("on"))} onclick={on_interesting}
                        aria-pressed={interesting_only.to_string()}>{ "interesting only" }</button>
                <select onchange={on_node} aria-label="Only events of one node">
                    <option value="all" selected=true>{ "all nodes" }</option>
                    { for (0..props.nodes).map(|n| html! { <option value={n.to_string()}>{ format!("n{n}") }</option> }) }
                </select>
            </div>
            <ol class="event-log" data-testid="event-log">
                { for lines.map(|l| html! {
                    <li key={l.seq} class={classes!(format!("cat-{}", l.category), l.interesting.then_some("interesting"))}>
                        <span class="time">{ time_text::precise(l.time_us) }</span>
                        <span class="node">{ l.node.map_or("  ".to_string(), |n| format!("n{n}")) }</span>
                        <span class="category">{ l.category.clone() }</span>
                        <span class="text">{ l.text.clone() }</span>
                    </li>
                }) }
            </ol>
        </div>
    }
}
