//! The end of a lesson (the player reported `Ended`): how its claims came out, and what next — replay it,
//! the next lesson of the course, explore from here (the run goes on past the end, in free play), or back to
//! the table of contents.

use crate::ui::lesson_list::LESSONS;
use crate::ui::lessons;
use crate::ui::state::{Action, AppState};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// What [`end_screen`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct EndScreenProps {
    /// The lesson's title.
    pub title: String,
    /// Its place in the course index, if it has one (then "next lesson" is offered).
    pub index: Option<usize>,
    /// Expectations that held, and how many were checked.
    pub held: usize,
    /// How many were checked.
    pub checked: usize,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The end screen.
pub fn end_screen(props: &EndScreenProps) -> Html {
    let on = |action: fn() -> Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action()))
    };
    let next = props.index.map(|i| i + 1).filter(|&i| i < LESSONS.len());
    let on_next = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(index) = next {
                let dispatch = dispatch.clone();
                lessons::load_lesson(index, move |action| dispatch.dispatch(action));
            }
        })
    };
    html! {
        <section class="end-screen" data-testid="end-screen" aria-label="End of the lesson">
            <h2>{ format!("End of “{}”", props.title) }</h2>
            <p>{ format!("{} of {} claims checked held.", props.held, props.checked) }</p>
            <div class="menu-buttons">
                <button data-testid="replay" onclick={on(|| Action::Restart)}>{ "⟲ Replay" }</button>
                if let Some(index) = next {
                    <button class="primary" data-testid="next-lesson" onclick={on_next}>{ format!("Next: {}", LESSONS[index].name) }</button>
                }
                <button data-testid="explore" onclick={on(|| Action::Explore)} title="Keep the run going past the end and try things yourself">{ "Explore from here" }</button>
                <button data-testid="to-course" onclick={on(|| Action::FrontDoor(true))}>{ "Course" }</button>
            </div>
        </section>
    }
}
