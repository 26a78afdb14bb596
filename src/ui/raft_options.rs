//! The Configure panel's part for DESIGN §3a: pre-vote, check-quorum, the lease and the clock-drift bound it
//! allows for. Limits come from the core (`sim::limits`), and the draft is checked by the core's one
//! `Config::validate` as it is edited, so the panel shows the core's own message (naming the field) before
//! Apply; the lease a leader would hold is the core's `Config::lease_us`.

use crate::sim::config::{Config, ReadMode};
use crate::sim::limits::MAX_TIMEOUT_MS;
use crate::ui::web;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What [`raft_options`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct RaftOptionsProps {
    /// The draft being edited.
    pub config: Config,
    /// A changed draft.
    pub onchange: Callback<Config>,
}

/// Pre-vote, check-quorum, lease length and drift bound.
pub fn raft_options(props: &RaftOptionsProps) -> Html {
    let c = &props.config;
    let edit = |change: fn(&mut Config, &str)| {
        let (config, onchange) = (props.config.clone(), props.onchange.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = config.clone();
            change(&mut next, &input.value());
            onchange.emit(next);
        })
    };
    let lease_ms = edit(|c, v| {
        if let Ok(ms) = v.trim().parse::<u64>() {
            c.lease_ms = ms;
        }
    });
    let drift = edit(|c, v| {
        if let Some(rho) = web::parse_number(v) {
            c.clock_drift_bound = rho;
        }
    });
    let lease_note = if c.read_mode == ReadMode::Lease {
        format!("A leader's lease lasts {} ms on its own clock.", c.lease_us() / 1000)
    } else {
        "Used in read mode lease.".to_string()
    };
    html! {
        <>
            <h2>{ "Raft extensions" }</h2>
            <div class="fields" data-testid="raft-options">
                <label class="field checkbox" title="Pre-vote: before it increments its term, a node asks whether it could win (RequestPreVote for term+1). Nodes that heard from a leader recently, or hold a newer log, refuse, so a node that was cut off cannot depose a healthy leader when it returns.">
                    <input type="checkbox" checked={c.pre_vote} data-testid="cfg-pre-vote"
                           onchange={edit(|c, _| c.pre_vote = !c.pre_vote)} />
                    <span>{ "pre-vote" }</span>
                </label>
                <label class="field checkbox" title="Check-quorum: a leader that has not heard from a majority within an election timeout steps down instead of believing it still leads; followers that heard from a leader recently ignore vote requests.">
                    <input type="checkbox" checked={c.check_quorum} data-testid="cfg-check-quorum"
                           onchange={edit(|c, _| c.check_quorum = !c.check_quorum)} />
                    <span>{ "check-quorum" }</span>
                </label>
                <label class="field" title="Read mode lease: how long a lease lasts on the leader's clock after a majority acknowledged a heartbeat round, before the drift allowance. At most the minimum election timeout.">
                    <span>{ "lease ms" }</span>
                    <input type="number" min="1" max={MAX_TIMEOUT_MS.to_string()} value={c.lease_ms.to_string()}
                           data-testid="cfg-lease-ms" onchange={lease_ms} />
                </label>
                <label class="field" title="Clock-drift bound ρ (0 ≤ ρ < 1): clocks are assumed to run at rates within 1 ± ρ, and the lease is shortened by (1 − ρ)/(1 + ρ) so it ends before any follower's promise. A clock set beyond the bound can make a lease read stale.">
                    <span>{ "clock drift bound" }</span>
                    <input type="number" min="0" step="0.01" value={c.clock_drift_bound.to_string()}
                           data-testid="cfg-clock-drift-bound" onchange={drift} />
                </label>
            </div>
            <p class="help-text" data-testid="lease-note">{ lease_note }</p>
            if let Err(error) = c.validate() {
                <p class="field-error" role="alert" data-testid="config-error">{ error }</p>
            }
        </>
    }
}
