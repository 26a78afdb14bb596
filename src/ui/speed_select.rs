//! The speed menu of the transport bar. A plain view function since session 6 (a component cost ≈ 0.6 KB
//! gzipped of wasm): the transport bar rebuilds its twelve options on every frame, which the perf script's frame
//! figures show to be cheap (docs/PERFORMANCE.md, "Bundle diet, second step").

use crate::ui::controls::speed_label;
use crate::ui::preferences::SPEEDS;
use crate::ui::state::{Action, AppState};
use web_sys::HtmlSelectElement;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// What [`speed_select`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct SpeedSelectProps {
    /// Index into `SPEEDS`.
    pub speed_index: usize,
    /// Where the choice goes.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The speed menu.
pub fn speed_select(props: &SpeedSelectProps) -> Html {
    let on_speed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(index) = select.value().parse::<usize>() {
                dispatch.dispatch(Action::SetSpeed(index));
            }
        })
    };
    html! {
        <select data-testid="speed" onchange={on_speed} aria-label="Speed">
            { for SPEEDS.iter().enumerate().map(|(i, s)| html! {
                <option value={i.to_string()} selected={i == props.speed_index}>{ speed_label(*s) }</option>
            }) }
        </select>
    }
}
