//! The lower half of the page: the tab bar and the active panel (clients, faults, state machines, event log,
//! invariants, configuration), which can be folded to the tab bar (presenter mode starts so). It draws the
//! slow view, so while the run plays it re-renders a few times a second rather than every frame.

use crate::sim::config::Config;
use crate::sim::view::ClusterView;
use crate::sim::world::status::NodeStatus;
use crate::ui::clients::Clients;
use crate::ui::config_panel::ConfigPanel;
use crate::ui::event_log::EventLog;
use crate::ui::faults::Faults;
use crate::ui::history_view::HistoryView;
use crate::ui::invariants::{invariant_panel, InvariantPanelProps};
use crate::ui::kv_view::{kv_view, KvViewProps};
use crate::ui::live_check::{LinSnapshot, LinState};
use crate::ui::selection::Tab;
use crate::ui::state::{Action, AppState, Shared};
use std::rc::Rc;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// What [`lower_panel`] needs (a plain function, not a component: Yew would gain nothing by diffing its
/// props, and each component costs ≈ 1 KB of wasm).
pub struct LowerPanelProps {
    /// The (slow) view.
    pub view: Shared<ClusterView>,
    /// The tab shown.
    pub tab: Tab,
    /// Folded to the tab bar.
    pub hidden: bool,
    /// Configuration in force.
    pub config: Rc<Config>,
    /// Seed in force.
    pub seed: u64,
    /// Write load rate, if on.
    pub load_rate: Option<u64>,
    /// The write load's mix is mixed rather than puts only.
    pub load_mixed: bool,
    /// The live linearizability check (the history tab and the invariants tab's LIN row).
    pub lin: Shared<LinSnapshot>,
    /// Export of the session as scenario JSON (a stable callback).
    pub export: Callback<(), String>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Tabs and the active panel.
pub fn lower_panel(props: &LowerPanelProps) -> Html {
    let view = &props.view;
    let dispatch = &props.dispatch;
    let tab_button = |tab: Tab| {
        let dispatch = dispatch.clone();
        let selected = props.tab == tab;
        let lin_broken = matches!(props.lin.state, LinState::Violated { .. });
        let alarm = (tab == Tab::Invariants && !view.violations.is_empty()) || (tab == Tab::History && lin_broken);
        let count = if tab == Tab::Invariants { view.violations.len() } else { 1 };
        html! {
            <button role="tab" class={classes!("tab", selected.then_some("selected"), alarm.then_some("alarm"))}
                    id={format!("tab-{}", tab.id())} aria-controls="tab-panel"
                    aria-selected={(selected && !props.hidden).to_string()} data-testid={format!("tab-{}", tab.id())}
                    onclick={Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetTab(tab)))}>
                { tab.label() }{ if alarm && tab == Tab::History { " ✗".to_string() } else if alarm { format!(" ({count})") } else { String::new() } }
            </button>
        }
    };
    let panel = match props.tab {
        Tab::Clients => html! {
            <Clients clients={view.clients.clone()} nodes={view.nodes.len()} read_mode={view.read_mode}
                     load_rate={props.load_rate} load_mixed={props.load_mixed} dispatch={dispatch.clone()} />
        },
        Tab::Faults => html! {
            <Faults key={view.nodes.len()} nodes={view.nodes.len()} leader={view.leader} links={view.links.clone()}
                    present={view.nodes.iter().filter(|n| n.status != NodeStatus::Removed).map(|n| n.id).collect::<Vec<_>>()}
                    members={view.members.clone()} learners={view.learners.clone()}
                    loss={view.loss} duplicate={view.duplicate}
                    latency_ms={(props.config.latency_ms_min, props.config.latency_ms_max)} dispatch={dispatch.clone()} />
        },
        Tab::State => kv_view(&KvViewProps { nodes: view.nodes.clone(), leader: view.leader }),
        Tab::Events => html! { <EventLog trace={view.trace.clone()} nodes={view.nodes.len()} /> },
        Tab::Invariants => invariant_panel(&InvariantPanelProps {
            violations: view.violations.clone(),
            checker_on: view.checker_on,
            lin: props.lin.state.clone(),
            compact: false,
        }),
        Tab::History => {
            html! { <HistoryView lin={props.lin.clone()} now_us={view.time_us} dispatch={dispatch.clone()} /> }
        }
        Tab::Config => html! {
            <ConfigPanel config={props.config.clone()} seed={props.seed} export={props.export.clone()} dispatch={dispatch.clone()} />
        },
    };
    let fold = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::TogglePanel))
    };
    // Folded, the panel's content is not drawn at all (nothing to refresh while playing).
    html! {
        <section class={classes!("lower", props.hidden.then_some("collapsed"), (props.tab == Tab::History).then_some("tall"))} aria-label="Panels">
            <div class="tabs">
                <div class="tab-list" role="tablist">{ for Tab::ALL.iter().map(|t| tab_button(*t)) }</div>
                <button class="panel-toggle" data-testid="panel-toggle" onclick={fold} aria-expanded={(!props.hidden).to_string()}
                        aria-controls="tab-panel">{ if props.hidden { "▲ Show panel" } else { "▼ Hide panel" } }</button>
            </div>
            if !props.hidden {
                <div class="tab-panel" id="tab-panel" role="tabpanel" tabindex="0" aria-labelledby={format!("tab-{}", props.tab.id())}>{ panel }</div>
            }
        </section>
    }
}
