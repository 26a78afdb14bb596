//! One client operation in a client card: what it is, and whether it is pending, acknowledged (with the
//! index it committed at, the value read, or whether a compare-and-set applied) or given up. A component so that, under a steady write load,
//! only the operations that changed re-render when the Clients tab refreshes.

use crate::sim::types::format_time;
use crate::sim::world::history::{HistoryOp, OpStatus};
use yew::prelude::*;

/// Props of [`OpRow`].
#[derive(Properties, PartialEq)]
pub struct OpRowProps {
    /// The operation.
    pub op: HistoryOp,
}

/// CSS class / test status and the sentence for an operation's outcome.
fn status_text(op: &HistoryOp) -> (&'static str, String) {
    match &op.status {
        OpStatus::Pending => ("pending", format!("pending (attempt {})", op.attempts)),
        OpStatus::Ok { applied: Some(applied), index, .. } => {
            let decision = if *applied { "applied" } else { "not applied" };
            ("ok", format!("{decision}, decided at index {index}"))
        }
        OpStatus::Ok { value, index, .. } => {
            let served = op.served_by.map_or(String::new(), |n| format!(" by n{n}"));
            if op.op.is_write() {
                ("ok", format!("acked{served}, committed at index {index}"))
            } else {
                let v = value.clone().map_or("(absent)".to_string(), |v| format!("= {v}"));
                ("ok", format!("{v}{served} (written at {index})"))
            }
        }
        OpStatus::Unknown { reason } => ("unknown", format!("gave up: {reason}")),
    }
}

/// An operation's line.
#[function_component(OpRow)]
pub fn op_row(props: &OpRowProps) -> Html {
    let op = &props.op;
    let (class, text) = status_text(op);
    let took = op
        .completed_us
        .map_or(String::new(), |done| format!(" in {}", format_time(done.saturating_sub(op.invoked_us))));
    let describe = op.op.describe();
    html! {
        <li class={classes!("op", class)} data-testid="op" data-status={class} data-op={describe.clone()}
            title={format!("#{} invoked at {}{took}", op.seq, format_time(op.invoked_us))}>
            <span class="op-name">{ describe }</span>
            <span class="op-status">{ text }</span>
        </li>
    }
}
