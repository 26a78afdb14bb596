//! The application: page layout, the animation loop (requestAnimationFrame, owned by this component and
//! cancelled when it stops), keyboard shortcuts, the hidden-tab pause, share links, and the perf samples.

use crate::sim::config::Config;
use crate::ui::cluster::Cluster;
use crate::ui::controls::{speed_label, Controls};
use crate::ui::help::Help;
use crate::ui::invariants::InvariantPanel;
use crate::ui::lessons;
use crate::ui::link_menu::LinkMenu;
use crate::ui::log_view::LogView;
use crate::ui::lower::LowerPanel;
use crate::ui::node_menu::NodeMenu;
use crate::ui::state::{Action, AppState, Banner, Tab, SPEEDS};
use crate::ui::tooltip::{Tip, Tooltip};
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
    if event.ctrl_key() || event.meta_key() || event.alt_key() || typing_in_field(event) {
        return None;
    }
    Some(match event.key().as_str() {
        " " => Action::TogglePlay,
        "ArrowRight" => Action::Step,
        "." | ">" => Action::NextInteresting,
        "?" | "h" => Action::Help(None),
        "Escape" if state.help_open => Action::Help(Some(false)),
        "Escape" => Action::SelectNode(None),
        "+" | "=" => Action::SetSpeed((state.speed_index + 1).min(SPEEDS.len() - 1)),
        "-" | "_" => Action::SetSpeed(state.speed_index.saturating_sub(1)),
        "p" | "P" => Action::TogglePresenter,
        "d" | "D" => Action::ToggleDark,
        key => {
            let digit = key.parse::<usize>().ok().filter(|d| (1..=Tab::ALL.len()).contains(d))?;
            Action::SetTab(Tab::ALL[digit - 1])
        }
    })
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(Config::default(), DEFAULT_SEED));
    let dispatch = state.dispatcher();

    // Page load: a share link (#s=…) replaces the default cluster; a broken one explains itself.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            web::install_test_hooks();
            match lessons::from_fragment(&web::location_hash()) {
                Some(Ok(scenario)) => dispatch.dispatch(lessons::load_scenario(scenario)),
                Some(Err(e)) => dispatch.dispatch(Action::ShowBanner(Banner::Error(format!(
                    "The link's scenario could not be loaded — {e}. Showing the default cluster instead."
                )))),
                None => {}
            }
        });
    }

    // The animation loop runs only while playing and visible.
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.playing && !state.hidden, move |running| {
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

    // Theme classes on <html>.
    use_effect_with((state.dark, state.presenter, state.reduced_motion), |(dark, presenter, reduced)| {
        let mut classes = vec![if *dark { "dark" } else { "light" }];
        if *presenter {
            classes.push("presenter");
        }
        if *reduced {
            classes.push("reduced-motion");
        }
        web::set_root_classes(&classes.join(" "));
    });

    // After every render: publish the view for tests and record the frame's cost.
    {
        let view = state.view.clone();
        let started = state.frame_started_ms;
        let sim_ms = state.frame_sim_ms;
        use_effect(move || {
            web::publish_view(&view);
            if let Some(started) = started {
                web::record_frame(sim_ms, web::now_ms() - started);
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

    let view = state.view.clone();
    let on_dismiss = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissBanner))
    };
    let toggle = |action: fn() -> Action| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action()))
    };
    // A stable callback (props of the lower panel stay equal between frames); it reads the newest state.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let export = use_callback((), move |_: (), _| {
        let state = latest.borrow();
        let (config, seed, commands) = state.recorded();
        lessons::export_json(state.title.as_deref(), state.summary.as_deref(), config, seed, commands, &state.script())
    });
    let banner = state.banner.as_ref().map(|banner| {
        let (class, text) = match banner {
            Banner::Error(t) => ("error", t.as_str()),
            Banner::Violation(t) => ("violation", t.as_str()),
            Banner::Info(t) => ("info", t.as_str()),
        };
        html! {
            <div class={classes!("banner", class)} role="alert" data-testid={format!("banner-{class}")}>
                <span>{ text }</span>
                <button class="close" onclick={on_dismiss} aria-label="Dismiss">{ "×" }</button>
            </div>
        }
    });
    let menu = match (state.selected_node, state.selected_link) {
        (Some(n), _) => view.nodes.get(n).map(|node| {
            html! { <NodeMenu node={node.clone()} entry={state.selected_entry} dispatch={dispatch.clone()} /> }
        }),
        (None, Some((a, b))) => {
            Some(html! { <LinkMenu {a} {b} links={view.links.clone()} dispatch={dispatch.clone()} /> })
        }
        _ => None,
    };
    html! {
        <div class="app" data-testid="app">
            <header class="topbar">
                <h1 class="brand" title="LogScope: write-ahead logs, Raft replication, high- and low-water marks">{ "LogScope" }</h1>
                <Controls playing={state.playing} speed_index={state.speed_index} time_us={view.time_us} events={view.events}
                          horizon_us={state.horizon_us} in_past={state.in_past} lagging={state.lagging} dispatch={dispatch.clone()} />
                <div class="view-toggles" role="group" aria-label="Display">
                    <button onclick={toggle(|| Action::TogglePresenter)} aria-pressed={state.presenter.to_string()} data-testid="presenter"
                            title="Presenter mode: large type for projectors (P)">{ "Aa" }</button>
                    <button onclick={toggle(|| Action::ToggleDark)} aria-pressed={state.dark.to_string()} data-testid="dark"
                            title="Dark / light (D)">{ if state.dark { "☀" } else { "☾" } }</button>
                    <button onclick={toggle(|| Action::ToggleReducedMotion)} aria-pressed={state.reduced_motion.to_string()}
                            title="Reduced motion: no sliding or fading">{ "≈" }</button>
                    <button onclick={toggle(|| Action::Help(None))} data-testid="help-button" title="Help and legend (?)">{ "?" }</button>
                </div>
            </header>
            <InvariantPanel violations={state.panels.head().violations.clone()} checker_on={view.checker_on} compact=true />
            { banner.unwrap_or_default() }
            if state.title.is_some() || state.narration.is_some() {
                <div class="narration" data-testid="narration">
                    if let Some(title) = &state.title { <strong>{ title.clone() }</strong> }
                    <span>{ state.narration.clone().or_else(|| state.summary.clone()).unwrap_or_default() }</span>
                </div>
            }
            <main class="stage" onmouseover={on_over} onmouseleave={on_leave}>
                <section class="cluster-panel" aria-label="Cluster">
                    <Cluster view={view.clone()} election_timeout_ms_max={state.config.election_timeout_ms_max}
                             selected_node={state.selected_node} selected_link={state.selected_link} dispatch={dispatch.clone()} />
                    { menu.unwrap_or_default() }
                    <div class="cluster-caption">
                        { match view.leader { Some(l) => format!("leader n{l}", ), None => "no leader".to_string() } }
                        { format!(" · {} in flight · speed {}", view.messages.len(), speed_label(state.speed())) }
                    </div>
                </section>
                <section class="log-panel" aria-label="Logs">
                    <LogView head={state.panels.head()} rows={state.panels.rows()} config={state.config.clone()} presenter={state.presenter} dispatch={dispatch.clone()} />
                </section>
            </main>
            <LowerPanel view={state.panels.tab()} tab={state.tab} config={state.config.clone()} seed={state.seed()}
                        load_rate={state.load_rate} export={export} dispatch={dispatch.clone()} />
            <Tooltip view={view.clone()} tip={(*tip).clone()} />
            <div class="sr-only" aria-live="polite" data-testid="announcer">{ state.announcement.clone() }</div>
            if state.help_open {
                <Help dispatch={dispatch.clone()} />
            }
        </div>
    }
}
