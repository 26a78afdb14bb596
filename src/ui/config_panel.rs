//! Configuration, lessons and sessions: edit every knob of `Config` (applying rebuilds the world; an invalid
//! value is reported by the core with the field's name), load a bundled lesson, export the session as a
//! scenario file, import one, or copy a share link.

use crate::sim::breaks::Break;
use crate::sim::config::{Config, LwmPolicy, ReadMode};
use crate::sim::limits::{MAX_BATCH, MAX_CLIENTS, MAX_FSYNC_MS, MAX_INFLIGHT, MAX_LATENCY_MS, MAX_NODES};
use crate::sim::limits::{MAX_SEGMENT_ENTRIES, MAX_TIMEOUT_MS};
use crate::ui::lesson_list::LESSONS;
use crate::ui::lessons;
use crate::ui::raft_options::{raft_options, RaftOptionsProps};
use crate::ui::state::{Action, AppState, Banner};
use crate::ui::web;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Props of [`ConfigPanel`].
#[derive(Properties, PartialEq)]
pub struct ConfigPanelProps {
    /// The configuration in force.
    pub config: Rc<Config>,
    /// The seed in force.
    pub seed: u64,
    /// Export: the session as scenario JSON (computed on demand by the app).
    pub export: Callback<(), String>,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

type Setter = fn(&mut Config, u64);

/// The configuration panel.
#[function_component(ConfigPanel)]
pub fn config_panel(props: &ConfigPanelProps) -> Html {
    let draft = use_state(|| (*props.config).clone());
    let seed = use_state(|| props.seed);
    {
        // When the world is rebuilt from elsewhere (a lesson, a link), start editing from its config.
        let (draft, seed) = (draft.clone(), seed.clone());
        use_effect_with((props.config.clone(), props.seed), move |(config, s)| {
            draft.set((**config).clone());
            seed.set(*s);
        });
    }
    let import_ref = use_node_ref();
    // `max`: the core's limit for the field (`sim::limits`), or none where the core has none.
    let number = |label: &'static str, title: &'static str, value: u64, min: u64, max: Option<u64>, set: Setter| {
        let draft = draft.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<u64>() {
                let mut next = (*draft).clone();
                set(&mut next, v);
                draft.set(next);
            }
        });
        html! {
            <label class="field" title={title}>
                <span>{ label }</span>
                <input type="number" min={min.to_string()} max={max.map(|m| m.to_string())} value={value.to_string()}
                       data-testid={format!("cfg-{}", label.replace(' ', "-"))} {onchange} />
            </label>
        }
    };
    let percent = |label: &'static str, value: f64, set: fn(&mut Config, f64)| {
        let draft = draft.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(v) = web::parse_number(&input.value()) {
                let mut next = (*draft).clone();
                set(&mut next, v / 100.0);
                draft.set(next);
            }
        });
        html! {
            <label class="field">
                <span>{ label }</span>
                <input type="number" min="0" max="99" step="1" value={format!("{:.0}", value * 100.0)} {onchange} />
            </label>
        }
    };
    let on_policy = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*draft).clone();
            next.lwm_policy = LwmPolicy::from_name(&select.value()).unwrap_or_default();
            draft.set(next);
        })
    };
    let on_read_mode = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*draft).clone();
            next.read_mode = ReadMode::from_name(&select.value()).unwrap_or_default();
            draft.set(next);
        })
    };
    let on_checker = {
        let draft = draft.clone();
        Callback::from(move |_: Event| {
            let mut next = (*draft).clone();
            next.checker = !next.checker;
            draft.set(next);
        })
    };
    let toggle_break = |rule: Break| {
        let draft = draft.clone();
        Callback::from(move |_: Event| {
            let mut next = (*draft).clone();
            if next.breaks.contains(&rule) {
                next.breaks.retain(|b| *b != rule);
            } else {
                next.breaks.push(rule);
            }
            draft.set(next);
        })
    };
    let on_seed = {
        let seed = seed.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<u64>() {
                seed.set(v);
            }
        })
    };
    let apply = {
        let dispatch = props.dispatch.clone();
        let (draft, seed) = (draft.clone(), seed.clone());
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Rebuild { config: (*draft).clone(), seed: *seed })
        })
    };
    let reset = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| draft.set(Config::default()))
    };
    let on_lesson = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(index) = select.value().parse::<usize>() {
                let dispatch = dispatch.clone();
                lessons::load_lesson(index, move |action| dispatch.dispatch(action));
            }
            select.set_value("");
        })
    };
    let export = {
        let export = props.export.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let text = export.emit(());
            if let Err(e) = web::download("logscope-session.json", &text) {
                dispatch.dispatch(Action::ShowBanner(Banner::Error(format!("Export failed: {e}"))));
            }
        })
    };
    let share = {
        let export = props.export.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let text = export.emit(());
            match lessons::share_fragment(&text) {
                Ok(fragment) => {
                    web::set_location_hash(&fragment);
                    dispatch.dispatch(Action::ShowBanner(Banner::Info(format!(
                        "Share link is in the address bar ({} characters): opening it replays this session.",
                        web::location_href().len()
                    ))));
                }
                Err(e) => dispatch.dispatch(Action::ShowBanner(Banner::Error(e))),
            }
        })
    };
    let import_text = {
        let dispatch = props.dispatch.clone();
        let import_ref = import_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let text = import_ref.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
            dispatch.dispatch(lessons::import(&text));
        })
    };
    let import_file = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let Ok(reader) = web_sys::FileReader::new() else { return };
            let dispatch = dispatch.clone();
            let reader_in = reader.clone();
            let onload = Closure::once(move |_: web_sys::Event| {
                let text = reader_in.result().ok().and_then(|v| v.as_string()).unwrap_or_default();
                dispatch.dispatch(lessons::import(&text));
            });
            reader.set_onload(Some(onload.as_ref().unchecked_ref()));
            onload.forget();
            let _ = reader.read_as_text(&file);
            input.set_value("");
        })
    };
    let c = &*draft;
    let on_raft_options = {
        let draft = draft.clone();
        Callback::from(move |next: Config| draft.set(next))
    };
    html! {
        <div class="config-panel">
            <section class="lessons" aria-label="Lessons and sessions">
                <h2>{ "Lessons" }</h2>
                <select data-testid="lesson-picker" onchange={on_lesson} aria-label="Load a lesson">
                    <option value="" selected=true>{ format!("Load a lesson… ({})", LESSONS.len()) }</option>
                    { for LESSONS.iter().enumerate().map(|(i, l)| html! { <option value={i.to_string()}>{ l.name }</option> }) }
                </select>
                <div class="menu-buttons">
                    <button data-testid="export" onclick={export} title="Download this session (config, seed, every command) as a scenario file">{ "Export session" }</button>
                    <button data-testid="share" onclick={share} title="Put this session in the URL (#s=…) so that opening the link replays it">{ "Share link" }</button>
                    <label class="file-button">{ "Import file… " }
                        <input type="file" accept=".json,application/json" onchange={import_file} data-testid="import-file" />
                    </label>
                </div>
                <textarea ref={import_ref} data-testid="import-text" rows="3" placeholder="…or paste scenario JSON here" aria-label="Scenario JSON to import"></textarea>
                <button data-testid="import" onclick={import_text}>{ "Import pasted JSON" }</button>
            </section>
            <section class="config-form" aria-label="Cluster configuration">
                <h2>{ "Cluster" }</h2>
                <div class="fields">
                    { number("nodes", "Cluster members. Quorum is ⌊n/2⌋+1.", c.nodes as u64, 1, Some(MAX_NODES as u64), |c, v| c.nodes = v as usize) }
                    { number("clients", "Client endpoints.", c.clients as u64, 1, Some(MAX_CLIENTS as u64), |c, v| c.clients = v as usize) }
                    { number("election min ms", "Lower bound of the randomized election timeout.", c.election_timeout_ms_min, 1, Some(MAX_TIMEOUT_MS), |c, v| c.election_timeout_ms_min = v) }
                    { number("election max ms", "Upper bound of the randomized election timeout.", c.election_timeout_ms_max, 1, Some(MAX_TIMEOUT_MS), |c, v| c.election_timeout_ms_max = v) }
                    { number("heartbeat ms", "Leader heartbeat period; must be below the election timeout.", c.heartbeat_ms, 1, Some(MAX_TIMEOUT_MS), |c, v| c.heartbeat_ms = v) }
                    { number("latency min ms", "One-way network latency, lower bound.", c.latency_ms_min, 0, Some(MAX_LATENCY_MS), |c, v| c.latency_ms_min = v) }
                    { number("latency max ms", "One-way network latency, upper bound.", c.latency_ms_max, 0, Some(MAX_LATENCY_MS), |c, v| c.latency_ms_max = v) }
                    { percent("loss %", c.loss, |c, v| c.loss = v) }
                    { percent("duplication %", c.duplicate, |c, v| c.duplicate = v) }
                    { number("fsync min ms", "Fsync latency on a healthy disk, lower bound.", c.fsync_ms_min, 0, Some(MAX_FSYNC_MS), |c, v| c.fsync_ms_min = v) }
                    { number("fsync max ms", "Fsync latency, upper bound.", c.fsync_ms_max, 0, Some(MAX_FSYNC_MS), |c, v| c.fsync_ms_max = v) }
                    { number("segment entries", "Entries per WAL segment before it is sealed.", c.segment_entries as u64, 1, Some(MAX_SEGMENT_ENTRIES as u64), |c, v| c.segment_entries = v as usize) }
                    { number("snapshot every", "Snapshot the state machine every this many applied entries (0 = never).", c.snapshot_every, 0, None, |c, v| c.snapshot_every = v) }
                    { number("retention entries", "Retention policy: newest entries to keep.", c.retention_entries, 0, None, |c, v| c.retention_entries = v) }
                    { number("follower cap", "Follower-aware policy: most entries kept beyond the snapshot for a lagging follower.", c.follower_retention_cap, 0, None, |c, v| c.follower_retention_cap = v) }
                    { number("max inflight", "Appends a leader may have outstanding per follower.", c.max_inflight as u64, 1, Some(MAX_INFLIGHT as u64), |c, v| c.max_inflight = v as usize) }
                    { number("max batch", "Entries per AppendEntries message.", c.max_batch as u64, 1, Some(MAX_BATCH as u64), |c, v| c.max_batch = v as usize) }
                    { number("client timeout ms", "A client retries after this long without an answer.", c.client_timeout_ms, 1, Some(MAX_TIMEOUT_MS), |c, v| c.client_timeout_ms = v) }
                    <label class="field" title="Which rule decides the low-water mark.">
                        <span>{ "LWM policy" }</span>
                        <select onchange={on_policy} data-testid="cfg-lwm-policy">
                            { for LwmPolicy::ALL.into_iter().map(|p| html! { <option value={p.name()} selected={c.lwm_policy == p}>{ p.name() }</option> }) }
                        </select>
                    </label>
                    <label class="field" title="Who serves reads: the leader (after its log), read-index (the leader confirms it still leads with a heartbeat round), follower (any node, maybe stale), or lease (the leader alone while its lease lasts, no round trip).">
                        <span>{ "read mode" }</span>
                        <select onchange={on_read_mode} data-testid="cfg-read-mode">
                            { for ReadMode::ALL.into_iter().map(|m| html! { <option value={m.name()} selected={c.read_mode == m}>{ m.name() }</option> }) }
                        </select>
                    </label>
                    <label class="field" title="The seed fixes every random choice: same seed, same run.">
                        <span>{ "seed" }</span>
                        <input type="number" min="0" value={seed.to_string()} onchange={on_seed} data-testid="cfg-seed" />
                    </label>
                    <label class="field checkbox">
                        <input type="checkbox" checked={c.checker} onchange={on_checker} />
                        <span>{ "check invariants" }</span>
                    </label>
                </div>
                { raft_options(&RaftOptionsProps { config: c.clone(), onchange: on_raft_options }) }
                <h2>{ "Break a rule" }</h2>
                <p class="help-text">{ "Each switch breaks exactly one rule, to show what it protects. Turn one on, apply, add faults, and watch the invariant panel." }</p>
                <div class="breaks">
                    { for Break::ALL.iter().map(|rule| html! {
                        <label class="checkbox" title={rule.explain()}>
                            <input type="checkbox" checked={c.breaks.contains(rule)} onchange={toggle_break(*rule)}
                                   data-testid={format!("break-{}", rule.name())} />
                            { rule.name() }
                        </label>
                    }) }
                </div>
                <div class="menu-buttons">
                    <button class="primary" data-testid="apply-config" onclick={apply}>{ "Apply (rebuilds the cluster)" }</button>
                    <button onclick={reset}>{ "Defaults" }</button>
                </div>
            </section>
        </div>
    }
}
