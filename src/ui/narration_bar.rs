//! The lesson's bar under the banner: its title and the newest narration (its summary until the script
//! narrates). Hidden when no lesson is loaded.

use yew::prelude::*;

/// Props of [`NarrationBar`].
#[derive(Properties, PartialEq)]
pub struct NarrationBarProps {
    /// The lesson's title.
    pub title: Option<String>,
    /// The newest narration, or the summary.
    pub narration: Option<String>,
}

/// The narration bar.
#[function_component(NarrationBar)]
pub fn narration_bar(props: &NarrationBarProps) -> Html {
    if props.title.is_none() && props.narration.is_none() {
        return Html::default();
    }
    html! {
        <div class="narration" data-testid="narration">
            if let Some(title) = &props.title { <strong>{ title.clone() }</strong> }
            <span>{ props.narration.clone().unwrap_or_default() }</span>
        </div>
    }
}
