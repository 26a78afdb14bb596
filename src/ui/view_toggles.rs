//! The display switches in the top bar: presenter mode, dark theme, reduced motion, and help.

use crate::ui::preferences::Preferences;
use crate::ui::state::{Action, AppState};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// What [`view_toggles`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct ViewTogglesProps {
    /// The preferences the buttons show (pressed or not).
    pub preferences: Preferences,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The display switches.
pub fn view_toggles(props: &ViewTogglesProps) -> Html {
    let toggle = |action: fn() -> Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action()))
    };
    let preferences = props.preferences;
    html! {
        <div class="view-toggles" role="group" aria-label="Display">
            <button onclick={toggle(|| Action::TogglePresenter)} aria-pressed={preferences.presenter.to_string()} data-testid="presenter"
                    title="Presenter mode: large type for projectors (P)">{ "Aa" }</button>
            <button onclick={toggle(|| Action::ToggleDark)} aria-pressed={preferences.dark.to_string()} data-testid="dark"
                    title="Dark / light (D)">{ if preferences.dark { "☀" } else { "☾" } }</button>
            <button onclick={toggle(|| Action::ToggleReducedMotion)} aria-pressed={preferences.reduced_motion.to_string()}
                    title="Reduced motion: no sliding or fading">{ "≈" }</button>
            <button onclick={toggle(|| Action::Help(None))} data-testid="help-button" title="Help and legend (?)">{ "?" }</button>
        </div>
    }
}
