//! Lessons (scenario files fetched on demand, see `lesson_list.rs`), import/export of sessions, and share links.
//! A scenario is parsed and validated by the core (`Scenario::from_json`); its error names the field, and the UI
//! shows it verbatim.

use crate::sim::scenario::player::Player;
use crate::sim::scenario::share;
use crate::sim::scenario::Scenario;
use crate::ui::lesson_list::{self, LESSONS, LESSON_DIR};
use crate::ui::session::Lesson;
use crate::ui::state::{Action, Banner};
use crate::ui::web;
use std::rc::Rc;

/// The action that loads a scenario: the player follows the scenario's own steps.
pub fn load_scenario(scenario: Scenario) -> Action {
    Action::LoadScenario(Box::new(scenario))
}

/// The URL fragment key of a lesson deep link: `#lesson=ack-after-fsync.json`.
pub const LESSON_KEY: &str = "lesson=";

/// Loads lesson `index` of [`LESSONS`]: says that it is loading, fetches its file (`scenarios/…`, copied next
/// to the app by trunk), puts its deep link in the URL and then opens it, or shows a banner saying which file
/// failed and why.
pub fn load_lesson(index: usize, dispatch: impl Fn(Action) + 'static) {
    let Some(lesson) = LESSONS.get(index) else {
        return dispatch(Action::ShowBanner(Banner::Error(format!("No lesson number {index}"))));
    };
    dispatch(Action::ShowBanner(Banner::Info(format!("Loading the lesson “{}”…", lesson.name))));
    web::set_location_hash(&format!("{LESSON_KEY}{}", lesson.file));
    let url = format!("{LESSON_DIR}/{}", lesson.file);
    let shown = url.clone();
    web::fetch_text(
        &url,
        Rc::new(move |text| {
            dispatch(match text.map(|text| Scenario::from_json(&text)) {
                Ok(Ok(scenario)) => Action::OpenLesson(index, Box::new(scenario)),
                Ok(Err(e)) => Action::ShowBanner(Banner::Error(format!("The lesson file {shown} is broken: {e}"))),
                Err(e) => Action::ShowBanner(Banner::Error(format!(
                    "The lesson “{}” could not be loaded from {shown}: {e}. Pick it again to retry.",
                    lesson.name
                ))),
            })
        }),
    );
}

/// Reads a lesson deep link: `None` if the fragment names no lesson, else the lesson's place in [`LESSONS`]
/// or a sentence saying that there is no such lesson.
pub fn lesson_from_fragment(fragment: &str) -> Option<Result<usize, String>> {
    let file = fragment.strip_prefix(LESSON_KEY)?;
    Some(lesson_list::position(file).ok_or_else(|| {
        format!("The link names the lesson “{file}”, which is not in this course. Pick one from the list.")
    }))
}

/// The action for imported JSON text: load it, or explain what is wrong with it.
pub fn import(text: &str) -> Action {
    if text.trim().is_empty() {
        return Action::ShowBanner(Banner::Error("Nothing to import: paste a scenario's JSON first.".into()));
    }
    match Scenario::from_json(text) {
        Ok(scenario) => load_scenario(scenario),
        Err(e) => Action::ShowBanner(Banner::Error(format!("Scenario not imported — {e}"))),
    }
}

/// The session as scenario JSON: the configuration, the seed and every command the world recorded (user clicks,
/// script steps and load writes alike), plus the script's narrations so far, so that it replays bit for bit.
pub fn export_json(player: &Player, lesson: Option<&Lesson>) -> String {
    let name = lesson.map_or_else(|| "Recorded session".to_string(), |l| format!("{} (recorded)", l.title));
    player.to_scenario(&name, lesson.map_or("", |l| l.summary.as_str())).to_json_pretty()
}

/// The URL fragment (without `#`) that carries a scenario (`s=` + base64url, see `sim::share`).
pub fn share_fragment(json: &str) -> Result<String, String> {
    let scenario = Scenario::from_json(json).map_err(|e| format!("Cannot share this session: {e}"))?;
    Ok(share::fragment(&scenario))
}

/// Reads a fragment: `None` if it carries no scenario, else the scenario or a sentence saying why not.
pub fn from_fragment(fragment: &str) -> Option<Result<Scenario, String>> {
    if !fragment.starts_with(share::FRAGMENT_KEY) {
        return None;
    }
    Some(share::decode(fragment).map_err(|e| e.to_string()))
}
