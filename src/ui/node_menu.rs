//! The menu that opens when a node (or one of its log entries) is clicked: power, pause, disk faults,
//! removal from the cluster, and (`node_raft_actions.rs`) leadership transfer, promotion and the clock rate. A popover beside the node (or the entry) it acts on.

use crate::sim::types::Index;
use crate::sim::view::NodeView;
use crate::sim::world::command::Command;
use crate::sim::world::status::NodeStatus;
use crate::ui::node_raft_actions::NodeRaftActions;
use crate::ui::popover::Popover;
use crate::ui::state::{Action, AppState};
use web_sys::HtmlInputElement;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Fsync latency of a disk made slow from the menu.
pub const SLOW_DISK_MS: u64 = 120;

/// Props of [`NodeMenu`].
#[derive(Properties, PartialEq)]
pub struct NodeMenuProps {
    /// The node.
    pub node: NodeView,
    /// Entry picked in the log view, if any.
    pub entry: Option<Index>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The node menu.
#[function_component(NodeMenu)]
pub fn node_menu(props: &NodeMenuProps) -> Html {
    let node = &props.node;
    let id = node.id;
    let default_entry = props.entry.unwrap_or(node.durable_index.max(node.first_index));
    let entry_input = use_node_ref();
    let send = |command: Command| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Command(command.clone())))
    };
    let on_close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |()| dispatch.dispatch(Action::SelectNode(None)))
    };
    let close = on_close.reform(|_: MouseEvent| ());
    let anchor: AttrValue = match props.entry {
        Some(index) => format!("[data-testid=\"log-{id}\"] .entry[data-index=\"{index}\"]").into(),
        None => format!("[data-testid=\"node-{id}\"]").into(),
    };
    let flip = {
        let dispatch = props.dispatch.clone();
        let entry_input = entry_input.clone();
        Callback::from(move |_: MouseEvent| {
            let index = entry_input
                .cast::<HtmlInputElement>()
                .and_then(|i| i.value().trim().parse::<Index>().ok())
                .unwrap_or(default_entry);
            dispatch.dispatch(Action::Command(Command::BitFlip { node: id, index }));
        })
    };
    let (power, power_label, power_id) = if node.status == NodeStatus::Crashed {
        (Command::Restart { node: id }, "Restart", "restart")
    } else {
        (Command::Crash { node: id }, "Crash", "crash")
    };
    let (freeze, freeze_label, freeze_id) = if node.status == NodeStatus::Paused {
        (Command::Resume { node: id }, "Resume", "resume")
    } else {
        (Command::Pause { node: id }, "Pause", "pause")
    };
    let membership = if node.status == NodeStatus::Removed {
        "left the cluster".to_string()
    } else if node.leaving {
        "leaving: its removal is being committed".to_string()
    } else if node.learner {
        format!(
            "learner beside voters {}: it copies the log but never votes",
            crate::sim::storage::entry::describe_members(&node.members)
        )
    } else if !node.member {
        "not a member yet: waiting to hear a configuration that includes it".to_string()
    } else {
        format!("member of {}", crate::sim::storage::entry::describe_members(&node.members))
    };
    if node.status == NodeStatus::Removed {
        return html! {
            <Popover {anchor} label={format!("n{id}")} class="node-menu" testid="node-menu" {on_close}>
                <div class="menu-title">
                    <strong>{ format!("n{id}") }</strong>{ " · removed" }
                    <button class="close" onclick={close} aria-label="Close menu">{ "×" }</button>
                </div>
                <p class="help-text">{ "This server left the cluster: its removal was committed and its process shut down. Its disk is shown as it was." }</p>
            </Popover>
        };
    }
    let slow = if node.disk.slow_fsync_ms.is_some() {
        (Command::SlowDisk { node: id, fsync_ms: None }, "Normal disk")
    } else {
        (Command::SlowDisk { node: id, fsync_ms: Some(SLOW_DISK_MS) }, "Slow disk")
    };
    html! {
        <Popover {anchor} label={format!("Faults for n{id}")} class="node-menu" testid="node-menu" {on_close}>
            <div class="menu-title">
                <strong>{ format!("n{id}") }</strong>
                { format!(" · {} · term {}", if node.status != NodeStatus::Up { node.status.name() } else if node.learner { "learner" } else { node.role.name() }, node.term) }
                <button class="close" onclick={close} aria-label="Close menu">{ "×" }</button>
            </div>
            <div class="menu-buttons">
                <button data-testid={power_id} onclick={send(power)}
                        title="Crash: power loss, volatile state and unsynced writes are lost. Restart: recover from the disk.">{ power_label }</button>
                <button data-testid={freeze_id} disabled={node.status == NodeStatus::Crashed} onclick={send(freeze)}
                        title="A pause is a long GC stop: timers stop and messages wait; the node may wake up deposed.">{ freeze_label }</button>
            </div>
            <div class="menu-section">{ "Disk faults" }</div>
            <div class="menu-buttons">
                <button data-testid="torn-write" onclick={send(Command::TornWrite { node: id })} disabled={node.disk.torn_write_armed}
                        title="At the next crash the first unsynced record is left half-written; recovery must detect it by CRC and truncate.">{ "Torn write on crash" }</button>
                <button data-testid="fail-fsync" onclick={send(Command::FailFsync { node: id })} disabled={node.disk.fail_next_fsync}
                        title="The next fsync fails; the node must crash and recover rather than retry (fsyncgate).">{ "Fail next fsync" }</button>
                <button data-testid="slow-disk" onclick={send(slow.0)}
                        title={format!("Every fsync on this node takes {SLOW_DISK_MS} ms: acknowledgements wait for it.")}>{ slow.1 }</button>
            </div>
            <div class="menu-buttons">
                <label>{ "Flip a bit in entry " }
                    <input ref={entry_input} type="number" min="1" class="small-number" data-testid="bitflip-index"
                           key={default_entry.to_string()} value={default_entry.to_string()} />
                </label>
                <button data-testid="bit-flip" onclick={flip}
                        title="Corrupt the stored record: its CRC no longer matches, and reading it must fail.">{ "Flip bit" }</button>
            </div>
            <div class="menu-section">{ "Membership" }</div>
            <p class="help-text" data-testid="node-membership">{ membership }</p>
            <div class="menu-buttons">
                <button data-testid="remove-node" onclick={send(Command::RemoveNode { node: id })} disabled={(!node.member && !node.learner) || node.leaving}
                        title="Have the leader append a configuration without this server; it shuts down once that is committed.">{ "Remove from cluster" }</button>
            </div>
            <NodeRaftActions node={node.clone()} dispatch={props.dispatch.clone()} />
        </Popover>
    }
}
