//! The menu that opens when a link between two nodes is clicked: cut or slow either direction. A popover
//! beside the link.

use crate::sim::types::NodeId;
use crate::sim::view::LinkView;
use crate::sim::world::command::Command;
use crate::ui::popover::Popover;
use crate::ui::state::{Action, AppState};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Extra latency of a link slowed from the menu.
pub const SLOW_LINK_MS: u64 = 100;

/// What [`link_menu`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct LinkMenuProps {
    /// One end (the lower id).
    pub a: NodeId,
    /// The other end.
    pub b: NodeId,
    /// Links that are not plain "up" (from the view).
    pub links: Vec<LinkView>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The link menu.
pub fn link_menu(props: &LinkMenuProps) -> Html {
    let (a, b) = (props.a, props.b);
    let state = |from: NodeId, to: NodeId| props.links.iter().find(|l| l.from == from && l.to == to);
    let describe = |from: NodeId, to: NodeId| match state(from, to) {
        Some(l) if l.cut => "cut".to_string(),
        Some(l) if l.extra_ms > 0 => format!("slow +{} ms", l.extra_ms),
        _ => "up".to_string(),
    };
    let send = |commands: Vec<Command>| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Commands(commands.clone())))
    };
    let on_close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |()| dispatch.dispatch(Action::SelectLink(None)))
    };
    let close = on_close.reform(|_: MouseEvent| ());
    let cut = |from, to| Command::CutLink { from, to };
    let repair = |from, to| Command::RepairLink { from, to };
    let slow = |from, to, extra_ms| Command::SlowLink { from, to, extra_ms };
    html! {
        <Popover anchor={format!("[data-testid=\"link-{a}-{b}\"]")} label={format!("Link n{a}–n{b}")} class="link-menu" testid="link-menu" {on_close}>
            <div class="menu-title">
                <strong>{ format!("Link n{a} ⇄ n{b}") }</strong>
                <button class="close" onclick={close} aria-label="Close menu">{ "×" }</button>
            </div>
            <div class="menu-line">{ format!("n{a}→n{b}: {} · n{b}→n{a}: {}", describe(a, b), describe(b, a)) }</div>
            <div class="menu-buttons">
                <button data-testid="cut-ab" onclick={send(vec![cut(a, b)])} title="Messages from the first node to the second are dropped; the other direction still works.">{ format!("Cut n{a}→n{b}") }</button>
                <button data-testid="cut-ba" onclick={send(vec![cut(b, a)])}>{ format!("Cut n{b}→n{a}") }</button>
                <button data-testid="cut-both" onclick={send(vec![cut(a, b), cut(b, a)])}>{ "Cut both ways" }</button>
                <button data-testid="repair" onclick={send(vec![repair(a, b), repair(b, a), slow(a, b, 0), slow(b, a, 0)])}>{ "Repair" }</button>
            </div>
            <div class="menu-buttons">
                <button data-testid="slow-ab" onclick={send(vec![slow(a, b, SLOW_LINK_MS)])} title="Adds latency one way: replies overtake requests, heartbeats arrive late.">{ format!("Slow n{a}→n{b}") }</button>
                <button data-testid="slow-ba" onclick={send(vec![slow(b, a, SLOW_LINK_MS)])}>{ format!("Slow n{b}→n{a}") }</button>
                <button data-testid="slow-both" onclick={send(vec![slow(a, b, SLOW_LINK_MS), slow(b, a, SLOW_LINK_MS)])}>{ format!("Slow both (+{SLOW_LINK_MS} ms)") }</button>
            </div>
        </Popover>
    }
}
