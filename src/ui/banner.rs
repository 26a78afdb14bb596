//! The strip under the toolbar that tells the viewer something happened: an error (a bad link, a refused
//! command), a broken invariant (the run paused), or neutral news (a lesson loaded, a link copied).

use crate::ui::state::{Action, AppState};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// What the red/amber/blue strip under the toolbar says.
#[derive(Clone, Debug, PartialEq)]
pub enum Banner {
    /// Something the user asked for could not be done (bad URL, bad config, refused command).
    Error(String),
    /// An invariant broke; the run paused.
    Violation(String),
    /// Neutral news (a lesson loaded, a link copied).
    Info(String),
}

impl Banner {
    /// The CSS class (and test id suffix) and the text.
    fn parts(&self) -> (&'static str, &str) {
        match self {
            Banner::Error(text) => ("error", text),
            Banner::Violation(text) => ("violation", text),
            Banner::Info(text) => ("info", text),
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
    let Some(banner) = &props.banner else { return Html::default() };
    let (class, text) = banner.parts();
    let on_dismiss = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissBanner))
    };
    html! {
        <div class={classes!("banner", class)} role="alert" data-testid={format!("banner-{class}")}>
            <span>{ text.to_string() }</span>
            <button class="close" onclick={on_dismiss} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}
