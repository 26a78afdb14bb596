//! Lessons (scenario files fetched on demand, see `lesson_list.rs`), import/export of sessions, and share links.
//! A scenario is parsed and validated by the core (`Scenario::from_json`); its error names the field, and the UI
//! shows it verbatim.

use crate::sim::config::Config;
use crate::sim::scenario::share;
use crate::sim::scenario::{Scenario, StepKind as ScenarioStep};
use crate::sim::types::{Time, US_PER_MS};
use crate::sim::world::command::Command;
use crate::ui::lesson_list::{LESSONS, LESSON_DIR};
use crate::ui::session::{ScriptStep, StepKind};
use crate::ui::state::{Action, Banner};
use crate::ui::web;
use std::rc::Rc;

/// The action that loads a scenario.
pub fn load_scenario(scenario: Scenario) -> Action {
    let steps = scenario
        .steps
        .into_iter()
        .map(|step| ScriptStep {
            at_us: step.at_ms.saturating_mul(US_PER_MS),
            kind: match step.kind {
                ScenarioStep::Do(command) => StepKind::Command(command),
                ScenarioStep::Narrate { text, pause } => StepKind::Narrate { text, pause },
            },
        })
        .collect();
    Action::LoadScript {
        title: scenario.name,
        summary: scenario.summary,
        config: scenario.config,
        seed: scenario.seed,
        steps,
    }
}

/// Loads lesson `index` of [`LESSONS`]: says that it is loading, fetches its file (`scenarios/…`, copied next
/// to the app by trunk) and then loads it, or shows a banner saying which file failed and why.
pub fn load_lesson(index: usize, dispatch: impl Fn(Action) + 'static) {
    let Some(&(file, title)) = LESSONS.get(index) else {
        return dispatch(Action::ShowBanner(Banner::Error(format!("No lesson number {index}"))));
    };
    dispatch(Action::ShowBanner(Banner::Info(format!("Loading the lesson “{title}”…"))));
    let url = format!("{LESSON_DIR}/{file}");
    let shown = url.clone();
    web::fetch_text(
        &url,
        Rc::new(move |text| {
            dispatch(match text.map(|text| Scenario::from_json(&text)) {
                Ok(Ok(scenario)) => load_scenario(scenario),
                Ok(Err(e)) => Action::ShowBanner(Banner::Error(format!("The lesson file {shown} is broken: {e}"))),
                Err(e) => Action::ShowBanner(Banner::Error(format!(
                    "The lesson “{title}” could not be loaded from {shown}: {e}. Pick it again to retry."
                ))),
            })
        }),
    );
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

/// The session as a scenario: the configuration, the seed and every command the world recorded (user clicks,
/// script steps and load writes alike), plus the script's narrations, so that it replays bit for bit.
pub fn export_json(
    title: Option<&str>,
    summary: Option<&str>,
    config: Config,
    seed: u64,
    commands: Vec<(Time, Command)>,
    narrations: &[ScriptStep],
) -> String {
    let name = title.map_or_else(|| "Recorded session".to_string(), |t| format!("{t} (recorded)"));
    let mut scenario = Scenario::recorded(
        &name,
        seed,
        config,
        commands.into_iter().map(|(at_us, c)| (at_us / US_PER_MS, c)).collect(),
    );
    scenario.summary = summary.unwrap_or_default().to_string();
    for step in narrations {
        if let StepKind::Narrate { text, pause } = &step.kind {
            let at_ms = step.at_us / US_PER_MS;
            // A narration comes before the commands of its millisecond (it introduces them).
            let position = scenario.steps.iter().position(|s| s.at_ms >= at_ms).unwrap_or(scenario.steps.len());
            scenario.steps.insert(
                position,
                crate::sim::scenario::Step { at_ms, kind: ScenarioStep::Narrate { text: text.clone(), pause: *pause } },
            );
        }
    }
    scenario.to_json_pretty()
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
