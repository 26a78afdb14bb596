//! The transport bar: play/pause, back to the previous narration or question, one event back, one event
//! forward, run to the next interesting event, speed, restart, and the time slider (seek back through
//! checkpoints and deterministic replay) with the lesson's expectations marked on it at their times (✓ / ✗
//! once run at the player's position). Times read in seconds and minutes (`time_text.rs`); the slider moves
//! in milliseconds, up to the lesson's end or, in free play, the furthest time reached.

use crate::sim::types::Time;
use crate::ui::speed_select::SpeedSelect;
use crate::ui::state::{Action, AppState};
use crate::ui::story::Story;
use crate::ui::time_text;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Props of [`Controls`].
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// Time flows.
    pub playing: bool,
    /// Index into `SPEEDS`.
    pub speed_index: usize,
    /// Virtual time now.
    pub time_us: Time,
    /// Events processed.
    pub events: u64,
    /// Furthest time reached.
    pub horizon_us: Time,
    /// Showing the past.
    pub in_past: bool,
    /// The simulation could not keep up.
    pub lagging: bool,
    /// The lesson's story (its expectations are marked on the slider).
    pub story: Rc<Story>,
    /// Where the lesson ends, if it does.
    pub end_us: Option<Time>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// `0.1×`, `50×`.
pub fn speed_label(speed: f64) -> String {
    if speed >= 1.0 {
        format!("{speed:.0}×")
    } else {
        format!("{speed}×")
    }
}

/// The transport bar.
#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let action = |make: fn() -> Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(make()))
    };
    let on_seek = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(ms) = crate::ui::web::parse_number(&input.value()) {
                dispatch.dispatch(Action::Seek((ms * 1000.0) as Time));
            }
        })
    };
    let horizon_ms = (props.end_us.unwrap_or(0).max(props.horizon_us) / 1000).max(1);
    let now = time_text::clock(props.time_us);
    html! {
        <div class="controls" role="toolbar" aria-label="Simulation controls">
            <button class={classes!("play", props.playing.then_some("playing"))} data-testid="play"
                    onclick={action(|| Action::TogglePlay)} aria-pressed={props.playing.to_string()}
                    title="Play or pause (Space)">
                { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button data-testid="back" onclick={action(|| Action::PreviousStop)} title="Back to the previous narration or question (Shift+←)" aria-label="Back">{ "⇤" }</button>
            <button data-testid="step-back" onclick={action(|| Action::StepBack)} title="Exactly one event back (←)" aria-label="Step back">{ "←" }</button>
            <button data-testid="step" onclick={action(|| Action::Step)} title="Process exactly one event (→)">{ "Step →" }</button>
            <button data-testid="next-interesting" onclick={action(|| Action::NextInteresting)}
                    title="Run until the next interesting event: an election won, a commit, a crash, a snapshot, a deleted segment, a violation (.)">
                { "Next ⇥" }
            </button>
            <label class="speed" title="Virtual time per real time. 0.02× follows a single message; 50× fast-forwards.">
                { "Speed " }
                <SpeedSelect speed_index={props.speed_index} dispatch={props.dispatch.clone()} />
            </label>
            <button data-testid="restart-run" onclick={action(|| Action::Restart)} title="Start the same run again from time zero (same seed, same script)">{ "⟲ Restart" }</button>
            <span class="clock" data-testid="clock" title="Virtual time (and the events processed so far)">
                { format!("t = {now}") }
                <span class="events">{ format!(" · {} events", props.events) }</span>
            </span>
            <span class="slider">
                <input class="time-slider" type="range" min="0" max={horizon_ms.to_string()} step="1"
                       value={(props.time_us / 1000).to_string()} onchange={on_seek} data-testid="time-slider"
                       aria-label="Time travel" aria-valuetext={now}
                       title="Time travel: drag back to see the past; pressing Play replays it, acting from there starts a new future." />
                { for props.story.checks.iter().map(|c| {
                    let (class, sign) = match c.held { Some(true) => ("ok", "✓"), Some(false) => ("bad", "✗"), None => ("", "·") };
                    html! {
                        <span class={classes!("mark", class)} data-testid="slider-mark" style={format!("left:{}%", c.at_ms.min(horizon_ms) * 100 / horizon_ms)}
                              title={format!("{sign} {}: {}", time_text::clock(c.at_ms * 1000), c.text)}></span>
                    }
                }) }
            </span>
            <span class="horizon" data-testid="horizon" title="The furthest time this run has reached">
                { format!("of {}", time_text::clock(props.horizon_us)) }
            </span>
            if props.in_past {
                <span class="past-note" title="You are looking at the past. Acting from here forks a new future.">{ "◀◀ past" }</span>
            }
            if props.lagging {
                <span class="lag-note" title="The simulation cannot keep up with this speed; it runs as fast as the frame budget allows.">{ "max speed" }</span>
            }
        </div>
    }
}
