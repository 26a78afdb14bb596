//! The strip under the toolbar that tells the viewer something happened: an error (a bad link, a refused
//! command), a broken invariant (the run paused), a change of the past (with undo), or neutral news (a link
//! copied), which goes away by itself after [`INFO_MS`].

use crate::ui::state::{Action, AppState};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// How long neutral news stays up, in milliseconds.
pub const INFO_MS: u32 = 6000;

/// What the red/amber/blue strip under the toolbar says.
#[derive(Clone, Debug, PartialEq)]
pub enum Banner {
    /// Something the user asked for could not be done (bad URL, bad config, refused command).
    Error(String),
    /// An invariant broke; the run paused.
    Violation(String),
    /// Neutral news (a lesson loaded, a link copied).
    Info(String),
    /// The past was changed: the rest of the run was replaced (the strip offers to undo it).
    Fork(String),
}

impl Banner {
    /// The CSS class (and test id suffix) and the text.
    fn parts(&self) -> (&'static str, &str) {
        match self {
            Banner::Error(text) => ("error", text),
            Banner::Violation(text) => ("violation", text),
            Banner::Info(text) => ("info", text),
            Banner::Fork(text) => ("fork", text),
        }
    }
}

/// Props of [`BannerStrip`].
#[derive(Properties, PartialEq)]
pub struct BannerStripProps {
    /// The banner shown, if any.
    pub banner: Option<Banner>,
    /// Where the close button goes.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The banner, with a button that dismisses it.
#[function_component(BannerStrip)]
pub fn banner_strip(props: &BannerStripProps) -> Html {
    // News goes away by itself (the timer is dropped, and so cancelled, when the banner changes).
    {
        let dispatch = props.dispatch.clone();
        use_effect_with(props.banner.clone(), move |banner| {
            let timer = matches!(banner, Some(Banner::Info(_))).then(|| {
                gloo_timers::callback::Timeout::new(INFO_MS, move || dispatch.dispatch(Action::DismissBanner))
            });
            move || drop(timer)
        });
    }
    let Some(banner) = &props.banner else { return Html::default() };
    let (class, text) = banner.parts();
    let on = |action: fn() -> Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action()))
    };
    html! {
        <div class={classes!("banner", class)} role="alert" data-testid={format!("banner-{class}")}>
            <span>{ text.to_string() }</span>
            if class == "fork" {
                <button data-testid="undo-fork" onclick={on(|| Action::UndoFork)}>{ "Undo" }</button>
            }
            <button class="close" onclick={on(|| Action::DismissBanner)} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}
