//! The transport bar: play/pause, back to the previous narration or question, one event back, one event
//! forward, run to the next interesting event, speed, restart, and the time slider (seek back through
//! checkpoints and deterministic replay) with the lesson's expectations marked on it at their times (✓ / ✗
//! once run at the player's position). Times read in seconds and minutes (`time_text.rs`); the slider moves
//! in milliseconds, up to the lesson's end or, in free play, the furthest time reached.

use crate::sim::types::Time;
use crate::ui::element_size::use_element_size;
use crate::ui::mark_spread::spread;
use crate::ui::speed_select::{speed_select, SpeedSelectProps};
use crate::ui::state::{Action, AppState};
use crate::ui::story::{Check, Story};
use crate::ui::time_text;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// A slider mark's width (6 px) and the gap to the next, in pixels.
const MARK_PITCH_PX: f64 = 8.0;

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
    let slider_ref = use_node_ref();
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
    // One mark per time at which claims are checked (its tooltip lists them; ✗ if any failed, · if any has not
    // run yet), pushed aside where marks would hide each other (`mark_spread`); before the slider is measured,
    // at its share of the run.
    let marks = slider_marks(&props.story.checks);
    let (slider_px, _) = use_element_size(slider_ref.clone());
    let share = |at_ms: u64| at_ms.min(horizon_ms) as f64 / horizon_ms as f64;
    let wanted: Vec<f64> = marks.iter().map(|m| share(m.at_ms) * slider_px).collect();
    let centres = spread(&wanted, MARK_PITCH_PX, MARK_PITCH_PX / 2.0, slider_px - MARK_PITCH_PX / 2.0);
    let mark_left = |i: usize, at_ms: u64| {
        if slider_px > 0.0 {
            format!("left:{:.1}px", centres[i])
        } else {
            format!("left:{:.2}%", share(at_ms) * 100.0)
        }
    };
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
                { speed_select(&SpeedSelectProps { speed_index: props.speed_index, dispatch: props.dispatch.clone() }) }
            </label>
            <button data-testid="restart-run" onclick={action(|| Action::Restart)} title="Start the same run again from time zero (same seed, same script)">{ "⟲ Restart" }</button>
            <span class="clock" data-testid="clock" title="Virtual time (and the events processed so far)">
                { format!("t = {now}") }
                <span class="events">{ format!(" · {} events", props.events) }</span>
            </span>
            <span class="slider" ref={slider_ref}>
                <input class="time-slider" type="range" min="0" max={horizon_ms.to_string()} step="1"
                       value={(props.time_us / 1000).to_string()} onchange={on_seek} data-testid="time-slider"
                       aria-label="Time travel" aria-valuetext={now}
                       title="Time travel: drag back to see the past; pressing Play replays it, acting from there starts a new future." />
                { for marks.iter().enumerate().map(|(i, mark)| html! {
                    <span class={classes!("mark", mark.class)} data-testid="slider-mark" data-claims={mark.lines.len().to_string()}
                          style={mark_left(i, mark.at_ms)}
                          title={format!("{}\n{}", time_text::clock(mark.at_ms * 1000), mark.lines.join("\n"))}></span>
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

/// The claims checked at one time, drawn as one mark on the slider.
struct SliderMark {
    at_ms: u64,
    /// `ok` when every claim held, `bad` when one failed, empty while one has not run yet.
    class: &'static str,
    /// Each claim with its ✓, ✗ or ·.
    lines: Vec<String>,
}

/// The marks of `checks` (in script order, so in time order): one per time.
fn slider_marks(checks: &[Check]) -> Vec<SliderMark> {
    let mut marks: Vec<SliderMark> = Vec::new();
    for check in checks {
        let (class, sign) = match check.held {
            Some(true) => ("ok", "✓"),
            Some(false) => ("bad", "✗"),
            None => ("", "·"),
        };
        let line = format!("{sign} {}", check.text);
        match marks.last_mut() {
            Some(mark) if mark.at_ms == check.at_ms => {
                // A failure outweighs a claim not yet run, which outweighs a claim that held.
                let rank = |class: &str| ["ok", "", "bad"].iter().position(|c| *c == class).unwrap_or(1);
                if rank(class) > rank(mark.class) {
                    mark.class = class;
                }
                mark.lines.push(line);
            }
            _ => marks.push(SliderMark { at_ms: check.at_ms, class, lines: vec![line] }),
        }
    }
    marks
}
