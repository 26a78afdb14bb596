//! The live invariant panel: the rules of DESIGN §4 (I1–I18 live; linearizability live from the history check of
//! `live_check.rs`, with its state; liveness per run), green while they hold; on a violation the rule turns red
//! and says where and when (the run pauses, see `state.rs`; a LIN failure does not pause it).

use crate::sim::check::violation::{Invariant, Violation};
use crate::sim::types::format_time;
use crate::ui::live_check::LinState;
use yew::prelude::*;

/// What [`invariant_panel`] needs (a plain function, not a component: Yew would gain nothing by diffing its
/// props, and each component costs ≈ 1 KB of wasm).
pub struct InvariantPanelProps {
    /// Every violation found so far.
    pub violations: Vec<Violation>,
    /// Whether the checker runs.
    pub checker_on: bool,
    /// The live linearizability check's state (the LIN rule).
    pub lin: LinState,
    /// Compact strip (always visible) rather than the full list.
    pub compact: bool,
}

/// Rules judged over a whole run (the client history, the healed end state) by `logscope-cli` and the chaos
/// runner, not after every event: the panel must not claim they hold.
fn checked_at_end_of_run(inv: Invariant) -> bool {
    matches!(inv, Invariant::Liveness)
}

/// The LIN chip's class and mark for the live check's state.
fn lin_chip(state: &LinState) -> (&'static str, &'static str) {
    match state {
        LinState::Empty | LinState::Holds => ("ok", ""),
        LinState::Checking { .. } => ("checking", "… "),
        LinState::Violated { .. } => ("broken", "✗ "),
        LinState::Inconclusive { .. } => ("inconclusive", "? "),
    }
}

/// The invariant panel (full list) or strip (compact chips).
pub fn invariant_panel(props: &InvariantPanelProps) -> Html {
    let broken = |inv: Invariant| props.violations.iter().filter(|v| v.invariant == inv).collect::<Vec<_>>();
    if props.compact {
        let total = props.violations.len();
        return html! {
            <div class={classes!("invariant-strip", (total > 0).then_some("has-violation"))} data-testid="invariants"
                 data-violations={total.to_string()} role="status"
                 aria-label={if total == 0 { "All invariants hold".to_string() } else { format!("{total} invariant violations") }}>
                { for Invariant::ALL.iter().map(|inv| {
                    let hits = broken(*inv);
                    if *inv == Invariant::Linearizability && hits.is_empty() {
                        let (class, mark) = lin_chip(&props.lin);
                        return html! {
                            <span class={classes!("chip", class)} data-testid="inv-LIN" data-lin-state={props.lin.word()}
                                  title={format!("LIN: {} — {}", inv.title(), props.lin.sentence())}>
                                { mark }{ inv.code() }
                            </span>
                        };
                    }
                    let title = match hits.first() {
                        None if checked_at_end_of_run(*inv) => {
                            format!("{}: {} — checked over a whole run by the CLI and chaos runner, not live", inv.code(), inv.title())
                        }
                        None => format!("{}: {} — holds", inv.code(), inv.title()),
                        Some(v) => format!("BROKEN: {}", v.describe()),
                    };
                    html! {
                        <span class={classes!("chip", if hits.is_empty() { "ok" } else { "broken" })}
                              data-testid={format!("inv-{}", inv.code())} title={title}>
                            { if hits.is_empty() { "" } else { "✗ " } }{ inv.code() }
                        </span>
                    }
                }) }
                if !props.checker_on {
                    <span class="chip off" title="The invariant checker is switched off in the configuration.">{ "checker off" }</span>
                }
            </div>
        };
    }
    html! {
        <div class="invariant-panel" data-testid="invariant-panel">
            if !props.checker_on {
                <p class="warning">{ "The checker is off (Configure → checker): nothing is being verified." }</p>
            }
            <table class="invariants">
                <thead><tr><th>{ "rule" }</th><th>{ "meaning" }</th><th>{ "status" }</th></tr></thead>
                <tbody>
                { for Invariant::ALL.iter().map(|inv| {
                    let hits = broken(*inv);
                    html! {
                        <tr class={if hits.is_empty() { "ok" } else { "broken" }} data-testid={format!("inv-row-{}", inv.code())}>
                            <td class="code">{ inv.code() }</td>
                            <td>{ inv.title() }</td>
                            <td>
                                if hits.is_empty() && *inv == Invariant::Linearizability {
                                    <span class={classes!("lin-state", lin_chip(&props.lin).0)} data-testid="lin-state" data-lin-state={props.lin.word()}>
                                        { format!("{}{} — {}", lin_chip(&props.lin).1, props.lin.word(), props.lin.sentence()) }
                                    </span>
                                } else if hits.is_empty() && checked_at_end_of_run(*inv) {
                                    <span class="end-of-run">{ "checked over a whole run (logscope-cli, chaos)" }</span>
                                } else if hits.is_empty() {
                                    <span class="ok-mark">{ "✓ holds" }</span>
                                } else {
                                    <span class="broken-mark">{ format!("✗ broken ({}×)", hits.len()) }</span>
                                    { for hits.iter().take(3).map(|v| html! {
                                        <div class="violation-detail">
                                            { format!("at {}", format_time(v.time_us)) }
                                            { if v.nodes.is_empty() { String::new() } else { format!(", nodes {}", v.nodes.iter().map(|n| format!("n{n}")).collect::<Vec<_>>().join(" ")) } }
                                            { if v.indexes.is_empty() { String::new() } else { format!(", index {}", v.indexes.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")) } }
                                            { format!(": {}", v.detail) }
                                        </div>
                                    }) }
                                }
                            </td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </div>
    }
}
