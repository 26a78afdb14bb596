//! The lesson recorder, for teachers in free play (opened from the front door): every click is already a recorded command of the world;
//! here the teacher adds a narration, a question or an expectation (one of the claims true right now, taken
//! from the state on screen by `sim::scenario::authoring::claims_now`) at the current time, and exports the
//! whole as a lesson file, which the core's parser validates like any other (a refused step is named).

use crate::sim::scenario::authoring::claims_now;
use crate::sim::view::ClusterView;
use crate::ui::state::{Action, AppState, Banner, Shared};
use crate::ui::web;
use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Props of [`Recorder`].
#[derive(Properties, PartialEq)]
pub struct RecorderProps {
    /// The state on screen (the claims offered are taken from it).
    pub view: Shared<ClusterView>,
    /// How many steps were added so far.
    pub added: usize,
    /// The lesson file for a name, or why it is not valid (a stable callback).
    pub export: Callback<String, Result<String, String>>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// `node=2 durable_index=3 hwm=3`: a claim as the list offers it (the values of `claims_now` are numbers,
/// names, null or a list of names; written by hand to keep JSON's printer out of the bundle).
fn label(claim: &Value) -> String {
    let word = |v: &Value| match v {
        Value::Number(n) => n.as_u64().map_or_else(String::new, |n| n.to_string()),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
        _ => "none".to_string(),
    };
    let fields = claim.as_object().into_iter().flatten();
    fields.map(|(k, v)| format!("{k}={}", word(v))).collect::<Vec<_>>().join(" ")
}

/// The recorder strip.
#[function_component(Recorder)]
pub fn recorder(props: &RecorderProps) -> Html {
    let (text, claim, question) = (use_node_ref(), use_node_ref(), use_node_ref());
    let (choices, answer, explain, name) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    let claims = claims_now(&props.view);
    let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
    let add = |make: Box<dyn Fn() -> Result<(&'static str, Value), String>>| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(match make() {
                Ok((kind, body)) => Action::Author(kind, body),
                Err(e) => Action::ShowBanner(Banner::Error(e)),
            })
        })
    };
    let on_narrate = add(Box::new({
        let text = text.clone();
        move || Ok(("narrate", json!(value(&text))))
    }));
    let on_expect = add(Box::new({
        let (claim, claims) = (claim.clone(), claims.clone());
        move || {
            let picked = claim.cast::<HtmlSelectElement>().map_or(0, |s| s.selected_index().max(0) as usize);
            claims.get(picked).cloned().map(|c| ("expect", c)).ok_or_else(|| "Pick a claim first.".to_string())
        }
    }));
    let on_predict = add(Box::new({
        let (question, choices, answer, explain) = (question.clone(), choices.clone(), answer.clone(), explain.clone());
        move || {
            let options: Vec<String> = value(&choices).split('|').map(|c| c.trim().to_string()).collect();
            let right = value(&answer).trim().parse::<usize>().ok().and_then(|n| n.checked_sub(1));
            let right = right.ok_or("The right answer is the number of a choice (1, 2, …).")?;
            Ok((
                "predict",
                json!({"question": value(&question), "choices": options, "answer": right, "explain": value(&explain)}),
            ))
        }
    }));
    let on_export = {
        let (export, dispatch, name) = (props.export.clone(), props.dispatch.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            let title = Some(value(&name)).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "Recorded lesson".into());
            let done = export.emit(title).and_then(|json| web::download("lesson.json", &json));
            dispatch.dispatch(Action::ShowBanner(match done {
                Ok(()) => Banner::Info("Lesson exported as lesson.json.".into()),
                Err(e) => Banner::Error(format!("Lesson not exported — {e}")),
            }));
        })
    };
    let on_close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Recorder(false)))
    };
    html! {
        <section class="recorder" data-testid="recorder" aria-label="Lesson recorder">
            <strong>{ format!("● Recording · {} steps added · every click is a step", props.added) }</strong>
            <button data-testid="record" onclick={on_close} aria-label="Close the recorder">{ "×" }</button>
            <span><input ref={text} data-testid="rec-text" aria-label="Narration" placeholder="Narration…" />
                <button data-testid="rec-narrate" onclick={on_narrate}>{ "Add narration here" }</button></span>
            <span><select ref={claim} data-testid="rec-claim" aria-label="A claim true now">
                    { for claims.iter().map(|c| html! { <option>{ label(c) }</option> }) }
                </select>
                <button data-testid="rec-expect" onclick={on_expect}>{ "Add expectation here" }</button></span>
            <span><input ref={question} data-testid="rec-question" aria-label="Question" placeholder="Question…" />
                <input ref={choices} data-testid="rec-choices" aria-label="Choices, separated by |" placeholder="choice | choice" />
                <input ref={answer} data-testid="rec-answer" aria-label="Number of the right choice" placeholder="right #" class="small-number" />
                <input ref={explain} data-testid="rec-explain" aria-label="Explanation" placeholder="Why…" />
                <button data-testid="rec-predict" onclick={on_predict}>{ "Add question here" }</button></span>
            <span><input ref={name} data-testid="rec-name" aria-label="Lesson name" placeholder="Lesson name" />
                <button class="primary" data-testid="rec-export" onclick={on_export}>{ "Export lesson" }</button></span>
        </section>
    }
}
