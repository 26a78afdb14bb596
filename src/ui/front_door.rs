//! The first screen: the course's table of contents grouped by pattern (the core's `Pattern` list, in its
//! order), each lesson with its one-line summary, its length and a ✓ once finished in this browser, and a
//! "free play" sandbox. It lists the course from the index `build.rs` generates (`lesson_list.rs`), so it paints
//! without fetching a lesson file.

use crate::sim::scenario::lesson::Pattern;
use crate::ui::lesson_list::{LessonEntry, LESSONS};
use crate::ui::lessons;
use crate::ui::progress::Progress;
use crate::ui::state::{Action, AppState};
use std::rc::Rc;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// What [`front_door`] needs (a plain function, not a component: it holds no state, and diffing its props would
/// cost Yew more code than building it).
pub struct FrontDoorProps {
    /// What this browser remembers.
    pub progress: Rc<Progress>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The front door.
pub fn front_door(props: &FrontDoorProps) -> Html {
    let progress = &props.progress;
    let lesson = |(index, entry): (usize, &LessonEntry)| {
        let dispatch = props.dispatch.clone();
        let open = Callback::from(move |_: MouseEvent| {
            let dispatch = dispatch.clone();
            lessons::load_lesson(index, move |action| dispatch.dispatch(action));
        });
        let done = progress.is_finished(entry.file);
        html! {
            <li class={classes!(done.then_some("done"))}>
                <button class="lesson-link" data-testid={format!("lesson-{}", entry.file.trim_end_matches(".json"))} onclick={open}>
                    { entry.name }
                </button>
                if entry.minutes > 0 { <span class="len">{ format!("{} min", entry.minutes) }</span> }
                if done { <span class="done-mark" title="Finished">{ "✓ finished" }</span> }
                <span class="line">{ entry.line }</span>
            </li>
        }
    };
    let group = |title: &str, pattern: &str| {
        let entries: Vec<_> = LESSONS.iter().enumerate().filter(|(_, l)| l.pattern == pattern).collect();
        (!entries.is_empty()).then(|| {
            html! {
                <section class="pattern" data-pattern={pattern.to_string()}>
                    <h2>{ title.to_string() }</h2>
                    <ol>{ for entries.into_iter().map(lesson) }</ol>
                </section>
            }
        })
    };
    let free_play = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            // A reload (or a copied link) comes back to free play, not to the last lesson.
            crate::ui::web::set_location_hash("play");
            dispatch.dispatch(Action::FrontDoor(false));
        })
    };
    let record = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::FrontDoor(false));
            dispatch.dispatch(Action::Recorder(true));
        })
    };
    let finished = LESSONS.iter().filter(|l| progress.is_finished(l.file)).count();
    html! {
        <div class="front-door" data-testid="front-door">
            <header>
                <h1>{ "LogScope: a course in logs, replication and watermarks" }</h1>
                <p>{ "Each lesson plays a simulated cluster, stops to ask what you predict, and checks every claim it makes against the run." }</p>
                <p class="progress" data-testid="progress">
                    { format!("{finished} of {} lessons finished · {} questions answered", LESSONS.len(), progress.answered.len()) }
                </p>
                <button class="primary" data-testid="free-play" onclick={free_play}>{ "Free play: a cluster to break yourself" }</button>
                { " " }
                <button data-testid="record-lesson" onclick={record} title="Free play with the lesson recorder: add narrations, questions and checked claims as you go, export a lesson file">
                    { "Record a lesson" }
                </button>
            </header>
            <nav aria-label="Table of contents">
                { for Pattern::ALL.iter().filter_map(|p| group(p.title(), p.name())) }
                { group("More lessons", "").unwrap_or_default() }
            </nav>
        </div>
    }
}
