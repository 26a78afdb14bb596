//! The lesson's bar under the banner: its title (always visible while a lesson is on), the narration on
//! screen (its summary until the script narrates), the speaker note in presenter view, and the expectations
//! checked since that narration as ✓ / ✗ (with what was seen when ✗). Everything follows the clock: it is the
//! player's story at its position (`story.rs`). Hidden when no lesson is loaded.

use crate::ui::story::Story;
use std::rc::Rc;
use yew::prelude::*;

/// What [`narration_bar`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct NarrationBarProps {
    /// The lesson's title.
    pub title: Option<String>,
    /// The lesson's summary (shown before the first narration).
    pub summary: Option<String>,
    /// The story at the player's position.
    pub story: Rc<Story>,
    /// Presenter view: speaker notes show.
    pub presenter: bool,
}

/// The narration bar.
pub fn narration_bar(props: &NarrationBarProps) -> Html {
    let story = &props.story;
    let narration = story.narration.as_ref().map(|(_, n)| n);
    let Some(text) = narration.map(|n| n.text.clone()).or_else(|| props.summary.clone()) else {
        return Html::default();
    };
    let note = narration.and_then(|n| n.note.clone()).filter(|_| props.presenter);
    html! {
        <div class="narration" data-testid="narration">
            if let Some(title) = &props.title { <strong data-testid="lesson-title">{ title.clone() }</strong> }
            <span data-testid="narration-text">{ text }</span>
            if let Some(note) = note {
                <span class="note" data-testid="speaker-note">{ format!("Note: {note}") }</span>
            }
            <span class="checks">
                { for story.recent_checks().map(|c| {
                    let held = c.held == Some(true);
                    html! {
                        <span class={classes!("check", if held { "ok" } else { "bad" })} data-testid="check"
                              data-held={held.to_string()} title={format!("steps[{}] at {} ms", c.step, c.at_ms)}>
                            { format!("{} {}", if held { "✓" } else { "✗" }, c.text) }
                        </span>
                    }
                }) }
            </span>
        </div>
    }
}
