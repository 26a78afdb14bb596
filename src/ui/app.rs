//! The application: page layout, the animation loop (requestAnimationFrame, owned by this component and
//! cancelled when it stops), keyboard shortcuts, the hidden-tab pause, share links, and the page's effects
//! (saving preferences, the theme classes, the test hooks and perf samples), which the reducer never does.

use crate::sim::config::Config;
use crate::ui::banner::BannerStrip;
use crate::ui::cluster::{cluster, ClusterProps};
use crate::ui::controls::{speed_label, Controls};
use crate::ui::end_screen::{end_screen, EndScreenProps};
use crate::ui::front_door::{front_door, FrontDoorProps};
use crate::ui::help::{help, HelpProps};
use crate::ui::invariants::{invariant_panel, InvariantPanelProps};
use crate::ui::lessons;
use crate::ui::link_menu::{link_menu, LinkMenuProps};
use crate::ui::log_view::LogView;
use crate::ui::lower::{lower_panel, LowerPanelProps};
use crate::ui::narration_bar::{narration_bar, NarrationBarProps};
use crate::ui::node_menu::NodeMenu;
use crate::ui::page_hooks;
use crate::ui::prediction::{prediction, PredictionProps};
use crate::ui::preferences::{Preferences, SPEEDS};
use crate::ui::progress::Progress;
use crate::ui::recorder::Recorder;
use crate::ui::seek_bench_hook;
use crate::ui::selection::Tab;
use crate::ui::state::{Action, AppState, Banner, Shared};
use crate::ui::tooltip::{tooltip, Tip, TooltipProps};
use crate::ui::view_toggles::{view_toggles, ViewTogglesProps};
use crate::ui::web;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Seed of the cluster shown at page load.
pub const DEFAULT_SEED: u64 = 42;

/// Starts a requestAnimationFrame loop that dispatches `Tick`s; the returned guard stops it.
fn start_animation(dispatch: UseReducerDispatcher<AppState>) -> impl FnOnce() {
    type FrameClosure = Closure<dyn FnMut(f64)>;
    let slot: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
    let handle = Rc::new(Cell::new(0));
    let stopped = Rc::new(Cell::new(false));
    let last = Rc::new(Cell::new(None::<f64>));
    let request = |closure: &FrameClosure| {
        web_sys::window().and_then(|w| w.request_animation_frame(closure.as_ref().unchecked_ref()).ok()).unwrap_or(0)
    };
    {
        let (slot_in, handle_in, stopped_in) = (slot.clone(), handle.clone(), stopped.clone());
        *slot.borrow_mut() = Some(Closure::new(move |timestamp: f64| {
            if stopped_in.get() {
                return;
            }
            let real_ms = last.get().map_or(0.0, |previous| timestamp - previous);
            last.set(Some(timestamp));
            dispatch.dispatch(Action::Tick { real_ms });
            // The dispatch may have stopped the loop (a violation paused the run).
            if !stopped_in.get() {
                if let Some(closure) = slot_in.borrow().as_ref() {
                    handle_in.set(request(closure));
                }
            }
        }));
    }
    if let Some(closure) = slot.borrow().as_ref() {
        handle.set(request(closure));
    }
    move || {
        stopped.set(true);
        if let Some(window) = web_sys::window() {
            let _ = window.cancel_animation_frame(handle.get());
        }
        // The closure may be running right now (the stop can come from inside its own dispatch), so it is
        // dropped a moment later rather than here.
        let closure = slot.borrow_mut().take();
        gloo_timers::callback::Timeout::new(0, move || drop(closure)).forget();
    }
}

/// Whether a key event comes from a text field (then shortcuts stay out of the way).
fn typing_in_field(event: &KeyboardEvent) -> bool {
    event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|e| {
        matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA") || e.has_attribute("contenteditable")
    })
}

fn shortcut(state: &AppState, event: &KeyboardEvent) -> Option<Action> {
    if event.ctrl_key() || event.meta_key() || event.alt_key() || typing_in_field(event) || state.front {
        return None;
    }
    let shift = event.shift_key();
    Some(match event.key().as_str() {
        " " => Action::TogglePlay,
        "ArrowRight" if shift => Action::NextStop,
        "ArrowRight" => Action::Step,
        "ArrowLeft" if shift => Action::PreviousStop,
        "ArrowLeft" => Action::StepBack,
        "." | ">" => Action::NextInteresting,
        "?" | "h" => Action::Help(None),
        "Escape" if state.selection.help_open => Action::Help(Some(false)),
        "Escape" => Action::SelectNode(None),
        "+" | "=" => Action::SetSpeed((state.preferences.speed_index + 1).min(SPEEDS.len() - 1)),
        "-" | "_" => Action::SetSpeed(state.preferences.speed_index.saturating_sub(1)),
        "p" | "P" => Action::TogglePresenter,
        "d" | "D" => Action::ToggleDark,
        key => {
            let digit = key.parse::<usize>().ok().filter(|d| (1..=Tab::ALL.len()).contains(d))?;
            Action::SetTab(Tab::ALL[digit - 1])
        }
    })
}

/// Saves the preferences whenever they differ from the ones last loaded or saved, and keeps `<html>`'s
/// theme classes in step with them.
#[hook]
fn use_preference_effects(preferences: Preferences) {
    let saved = use_mut_ref(|| preferences);
    use_effect_with(preferences, move |preferences| {
        if *saved.borrow() != *preferences {
            preferences.save();
            *saved.borrow_mut() = *preferences;
        }
        web::set_root_classes(&preferences.root_classes());
    });
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(Config::default(), DEFAULT_SEED, Preferences::load(), Progress::load()));
    let dispatch = state.dispatcher();

    // Page load: a share link (#s=…) replaces the default cluster, a lesson link (#lesson=…) opens that
    // lesson, #play opens free play; a broken link explains itself; without a link the front door shows.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            page_hooks::install_view_hook();
            seek_bench_hook::install();
            let hash = web::location_hash();
            match (lessons::from_fragment(&hash), lessons::lesson_from_fragment(&hash)) {
                (Some(Ok(scenario)), _) => dispatch.dispatch(lessons::load_scenario(scenario)),
                (Some(Err(e)), _) => dispatch.dispatch(Action::ShowBanner(Banner::Error(format!(
                    "The link's scenario could not be loaded — {e}. Showing the default cluster instead."
                )))),
                (_, Some(Ok(index))) => {
                    let dispatch = dispatch.clone();
                    lessons::load_lesson(index, move |action| dispatch.dispatch(action));
                }
                (_, Some(Err(e))) => {
                    dispatch.dispatch(Action::FrontDoor(true));
                    dispatch.dispatch(Action::ShowBanner(Banner::Error(e)));
                }
                _ if hash == "play" => {}
                _ => dispatch.dispatch(Action::FrontDoor(true)),
            }
        });
    }

    // The animation loop runs only while playing and visible.
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.session.running(), move |running| {
            let stop: Box<dyn FnOnce()> = if *running { Box::new(start_animation(dispatch)) } else { Box::new(|| {}) };
            stop
        });
    }

    // Keyboard shortcuts and the hidden-tab pause (listeners removed when the app goes away).
    {
        let state_for_keys = state.clone();
        let current = use_mut_ref(|| state_for_keys.clone());
        *current.borrow_mut() = state.clone();
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window().expect("a window");
            let document = window.document().expect("a document");
            let keys = {
                let dispatch = dispatch.clone();
                Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
                    if let Some(action) = shortcut(&current.borrow(), &event) {
                        event.prevent_default();
                        dispatch.dispatch(action);
                    }
                })
            };
            let visibility =
                Closure::<dyn Fn()>::new(move || dispatch.dispatch(Action::SetHidden(web::document_hidden())));
            let _ = window.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
            let _ = document.add_event_listener_with_callback("visibilitychange", visibility.as_ref().unchecked_ref());
            move || {
                let _ = window.remove_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
                let _ = document
                    .remove_event_listener_with_callback("visibilitychange", visibility.as_ref().unchecked_ref());
            }
        });
    }

    use_preference_effects(state.preferences);
    // Progress is saved when it changes (never from the reducer).
    use_effect_with(state.progress.clone(), |progress| {
        if **progress != Progress::default() {
            progress.save();
        }
    });

    // After every render: publish the view for tests and record the frame's cost.
    {
        let view = state.session.reading.view.clone();
        let frame = state.frame;
        use_effect(move || {
            page_hooks::publish_view(&view);
            if let Some(frame) = frame {
                page_hooks::record_frame(frame.sim_ms, frame.check_ms, web::now_ms() - frame.started_ms);
            }
        });
    }

    // Hover explanations, delegated: one handler for everything drawn on the stage.
    let tip = use_state(|| None::<Tip>);
    let on_over = {
        let tip = tip.clone();
        Callback::from(move |e: MouseEvent| {
            let key = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("[data-tip]").ok().flatten())
                .and_then(|el| el.get_attribute("data-tip"));
            let next = key.map(|key| Tip { key, x: e.client_x(), y: e.client_y() });
            if *tip != next {
                tip.set(next);
            }
        })
    };
    let on_leave = {
        let tip = tip.clone();
        Callback::from(move |_: MouseEvent| tip.set(None))
    };

    let session = &state.session;
    let reading = &session.reading;
    let view = reading.view.clone();
    let selection = state.selection;
    // A stable callback (props of the lower panel stay equal between frames); it reads the newest state.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let latest_for_lesson = latest.clone();
    let export = use_callback((), move |_: (), _| {
        let state = latest.borrow();
        let session = &state.session;
        let json = lessons::export_json(&session.player(), session.lesson.as_ref());
        json
    });
    // The recorder's export: the session so far with the teacher's steps, validated as a lesson file.
    let export_lesson = use_callback((), move |name: String, _| {
        let state = latest_for_lesson.borrow();
        let added = state.recorder.as_deref().map_or(&[][..], Vec::as_slice);
        let recorded = state.session.player().to_scenario(&name, "");
        crate::sim::scenario::authoring::with_steps(
            &recorded,
            &name,
            "Recorded with LogScope's lesson recorder.",
            added,
        )
        .map(|scenario| scenario.to_json_pretty())
        .map_err(|e| e.to_string())
    });
    let menu = match (selection.node, selection.link) {
        (Some(n), _) => view.nodes.get(n).map(|node| {
            html! { <NodeMenu node={node.clone()} entry={selection.entry} dispatch={dispatch.clone()} /> }
        }),
        (None, Some((a, b))) => {
            Some(link_menu(&LinkMenuProps { a, b, links: view.links.clone(), dispatch: dispatch.clone() }))
        }
        _ => None,
    };
    let menu_open = menu.is_some();
    let lesson = session.lesson.as_ref();
    let story = reading.story.clone();
    let question = story.question.clone().map(|asked| {
        let answer = session.answer(asked.step);
        let revealed = view.time_us >= asked.reveal_us;
        prediction(&PredictionProps { asked, answer, revealed, dispatch: dispatch.clone() })
    });
    // The end screen waits for the question on screen, if the student has neither answered nor skipped it:
    // it would cover the question and its explanation.
    let unanswered = story.question.as_ref().is_some_and(|asked| session.answer(asked.step).is_none());
    let end = lesson.filter(|_| reading.at_end && !unanswered).map(|l| {
        let held = story.checks.iter().filter(|c| c.held == Some(true)).count();
        let checked = story.checks.iter().filter(|c| c.held.is_some()).count();
        end_screen(&EndScreenProps {
            title: l.title.clone(),
            index: l.index,
            held,
            checked,
            dispatch: dispatch.clone(),
        })
    });
    let to_course = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::FrontDoor(true)))
    };
    html! {
        <div class="app" data-testid="app">
            <header class="topbar">
                <h1 class="brand" title="LogScope: write-ahead logs, Raft replication, high- and low-water marks">{ "LogScope" }</h1>
                <button data-testid="open-course" onclick={to_course} title="The course: every lesson, by pattern" aria-label="Course">{ "☰" }</button>
                <Controls playing={session.playing} speed_index={state.preferences.speed_index} time_us={view.time_us} events={view.events}
                          horizon_us={reading.horizon_us} in_past={reading.in_past} lagging={session.lagging}
                          story={story.clone()} end_us={reading.end_us} dispatch={dispatch.clone()} />
                { view_toggles(&ViewTogglesProps { preferences: state.preferences, dispatch: dispatch.clone() }) }
            </header>
            { invariant_panel(&InvariantPanelProps { violations: state.panels.head().violations.clone(), checker_on: view.checker_on, lin: session.lin.state.clone(), compact: true }) }
            <BannerStrip banner={state.banner.clone()} dispatch={dispatch.clone()} />
            { narration_bar(&NarrationBarProps { title: lesson.map(|l| l.title.clone()), summary: lesson.map(|l| l.summary.clone()),
                                           story: story.clone(), presenter: state.preferences.presenter }) }
            if let Some(added) = &state.recorder {
                <Recorder view={crate::ui::state::Shared(view.clone())} added={added.len()} export={export_lesson} dispatch={dispatch.clone()} />
            }
            { question.unwrap_or_default() }
            { end.unwrap_or_default() }
            <main class="stage" onmouseover={on_over} onmouseleave={on_leave}>
                <section class="cluster-panel" aria-label="Cluster">
                    { cluster(&ClusterProps { view: view.clone(), election_timeout_ms_max: reading.config.election_timeout_ms_max,
                                selected_node: selection.node.or(selection.spotlight), selected_link: selection.link, dispatch: dispatch.clone() }) }
                    { menu.unwrap_or_default() }
                    <div class="cluster-caption">
                        { match view.leader { Some(l) => format!("leader n{l}", ), None => "no leader".to_string() } }
                        { format!(" · {} in flight · speed {}", view.messages.len(), speed_label(state.preferences.speed())) }
                    </div>
                </section>
                <section class="log-panel" aria-label="Logs">
                    <LogView head={state.panels.head()} rows={state.panels.rows()} config={reading.config.clone()} presenter={state.preferences.presenter} dispatch={dispatch.clone()} />
                </section>
                // Inside the stage it explains (a landmark), drawn over everything (fixed position); not while a
                // menu is open beside the thing hovered.
                { tooltip(&TooltipProps { view: view.clone(), tip: if menu_open { None } else { (*tip).clone() } }) }
            </main>
            { lower_panel(&LowerPanelProps { view: state.panels.tab(), tab: selection.tab, hidden: selection.panel_hidden, config: reading.config.clone(),
                                  seed: reading.seed, load_rate: reading.load_rate, load_mixed: selection.load_mixed,
                                  lin: Shared(session.lin.clone()), export, dispatch: dispatch.clone() }) }
            <div class="sr-only" aria-live="polite" data-testid="announcer">{ state.announcer.sentence.clone() }</div>
            if selection.help_open {
                { help(&HelpProps { dispatch: dispatch.clone() }) }
            }
            if state.front {
                { front_door(&FrontDoorProps { progress: state.progress.clone(), dispatch: dispatch.clone() }) }
            }
        </div>
    }
}
