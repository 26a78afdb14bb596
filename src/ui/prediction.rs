//! A lesson's question (a `predict` step): 2–4 choices while the run waits, or "skip"; after the answer, right
//! or wrong, and the explanation once the run has reached the question's reveal time. Which question is open
//! and whether its time has come are the player's (`story.rs`); the answer is the session's.

use crate::ui::state::{Action, AppState};
use crate::ui::story::Asked;
use crate::ui::time_text;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// What [`prediction`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct PredictionProps {
    /// The open question.
    pub asked: Asked,
    /// The answer given (`Some(None)`: skipped).
    pub answer: Option<Option<usize>>,
    /// The run has reached the reveal time.
    pub revealed: bool,
    /// Where answers go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The question box.
pub fn prediction(props: &PredictionProps) -> Html {
    let predict = &props.asked.predict;
    let step = props.asked.step;
    let choose = |choice: Option<usize>| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Answer(step, choice)))
    };
    let verdict = props.answer.map(|answer| match answer {
        Some(choice) if predict.is_right(choice) => ("right", "Right.".to_string()),
        Some(_) => ("wrong", format!("Not quite: the answer is “{}”.", predict.choices[predict.answer])),
        None => ("skipped", format!("Skipped. The answer is “{}”.", predict.choices[predict.answer])),
    });
    html! {
        <section class="predict" data-testid="prediction" aria-label="Question">
            <p class="question"><strong>{ "Predict: " }</strong>{ predict.question.clone() }</p>
            <div class="choices">
                { for predict.choices.iter().enumerate().map(|(i, choice)| {
                    let picked = props.answer == Some(Some(i));
                    let right = props.answer.is_some() && predict.is_right(i);
                    html! {
                        <button class={classes!("choice", picked.then_some("picked"), right.then_some("right"))}
                                data-testid={format!("choice-{i}")} disabled={props.answer.is_some()}
                                aria-pressed={picked.to_string()} onclick={choose(Some(i))}>
                            { choice.clone() }
                        </button>
                    }
                }) }
                if props.answer.is_none() {
                    <button class="skip" data-testid="skip-question" onclick={choose(None)}>{ "Skip" }</button>
                }
            </div>
            if let Some((class, text)) = verdict {
                <p class={classes!("verdict", class)} data-testid="verdict">
                    { text }{ " " }
                    if props.revealed {
                        <span data-testid="explanation">{ predict.explain.clone() }</span>
                    } else {
                        <span class="later">{ format!("Watch: the explanation comes at t = {}.", time_text::clock(props.asked.reveal_us)) }</span>
                    }
                </p>
            }
        </section>
    }
}
