//! The node menu's part for DESIGN §3a: hand leadership to this node, promote it when it is a learner, set its
//! clock rate. Every rule stays in the core: a button sends its command, and a refusal comes back as the core's
//! reason in the banner (no leader, the target is down or a learner, a transfer is in progress, the learner has
//! not caught up, a rate out of range…).

use crate::sim::limits::MAX_CLOCK_RATE;
use crate::sim::raft::role::Role;
use crate::sim::view::NodeView;
use crate::sim::world::command::Command;
use crate::ui::state::{Action, AppState};
use crate::ui::web;
use web_sys::HtmlInputElement;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Props of [`NodeRaftActions`].
#[derive(Properties, PartialEq)]
pub struct NodeRaftActionsProps {
    /// The node.
    pub node: NodeView,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Leadership, promotion and clock for one node.
#[function_component(NodeRaftActions)]
pub fn node_raft_actions(props: &NodeRaftActionsProps) -> Html {
    let node = &props.node;
    let id = node.id;
    let rate_input = use_node_ref();
    let send = |command: Command| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Command(command.clone())))
    };
    let set_rate = {
        let dispatch = props.dispatch.clone();
        let rate_input = rate_input.clone();
        Callback::from(move |_: MouseEvent| {
            let text = rate_input.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            // Unparsable text is sent as NaN: the core's validation names the field and the allowed range.
            let rate = web::parse_number(&text).unwrap_or(f64::NAN);
            dispatch.dispatch(Action::Command(Command::SetClockRate { node: id, rate }));
        })
    };
    html! {
        <>
            <div class="menu-section">{ "Leadership and clock" }</div>
            <div class="menu-buttons">
                if node.role != Role::Leader {
                    <button data-testid="transfer-leadership" onclick={send(Command::TransferLeadership { to: id })}
                            title="Ask the leader to hand leadership to this node: it stops taking writes, brings this node up to date and sends it TimeoutNow, and this node campaigns at once. Refused with the reason when it cannot be done.">
                        { "Transfer leadership here" }
                    </button>
                }
                if node.learner {
                    <button data-testid="promote" onclick={send(Command::Promote { node: id })}
                            title="Have the leader append a configuration in which this learner is a voter. Refused until it has caught up with the leader's commit index.">
                        { "Promote to voter" }
                    </button>
                }
            </div>
            <div class="menu-buttons">
                <label title={format!("The node's clock runs at this rate × virtual time (above 0, at most {MAX_CLOCK_RATE}); its timers and its lease run on it.")}>
                    { "Clock rate " }
                    <input ref={rate_input} type="number" min="0" max={MAX_CLOCK_RATE.to_string()} step="0.05" class="small-number"
                           data-testid="clock-rate" key={node.clock_rate.to_string()} value={node.clock_rate.to_string()} />
                    { "×" }
                </label>
                <button data-testid="set-clock-rate" onclick={set_rate}>{ "Set clock rate" }</button>
            </div>
        </>
    }
}
