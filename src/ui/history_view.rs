//! The history tab: the client history as Porcupine and Jepsen draw it — per key, one lane per client, each
//! operation a bar from its call to its return (open-ended while pending, hatched when the outcome is
//! unknown), coloured by kind — with the live check's verdict on it: the linearization points when it holds;
//! when it does not, the longest linearizable prefix, the operation that cannot be placed and the sentence
//! that says why. Hover or focus a bar for its details, click it to move the time slider to its call; a key
//! filter, zoom and scroll for long histories; the Check button and the export (LogScope's history format).

use crate::sim::check::history_formats::write_logscope_history;
use crate::sim::check::linearize::{KeyOutcome, KeyReport};
use crate::sim::raft::message::ClientOp;
use crate::sim::world::history::{HistoryOp, OpStatus};
use crate::ui::history_window::{zoom_label, Window, ZOOMS_US};
use crate::ui::live_check::{LinSnapshot, LinState};
use crate::ui::state::{Action, AppState, Banner, Shared};
use crate::ui::time_text;
use crate::ui::web;
use std::collections::{BTreeMap, BTreeSet};
use web_sys::HtmlSelectElement;
use yew::functional::UseReducerDispatcher;
use yew::prelude::*;

/// Bars drawn at most in one window: beyond it the view asks to zoom in (a DOM node per bar).
const MAX_BARS: usize = 600;

/// Props of [`HistoryView`].
#[derive(Properties, PartialEq)]
pub struct HistoryViewProps {
    /// The live check's picture (the history it checked and its verdict).
    pub lin: Shared<LinSnapshot>,
    /// The time slider's position (a cursor on the lanes).
    pub now_us: u64,
    /// Where clicks go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// What the check says about one operation, found by `(client, seq)`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Mark {
    /// Its linearization point (in the order, or in the longest prefix of a failing key).
    point_us: Option<u64>,
    /// Its place in that order (1-based).
    rank: Option<usize>,
    /// In the longest linearizable prefix of a failing key.
    in_prefix: bool,
    /// The operation that cannot be placed.
    blocked: bool,
}

/// The marks of one key's report, sorted by `(client, seq)` for [`mark_of`].
fn marks(report: &KeyReport) -> Vec<((usize, u64), Mark)> {
    let mut marks = Vec::new();
    let (order, points, blocked, prefix) = match &report.outcome {
        KeyOutcome::Linearizable { order, points_us } => (order, points_us, None, false),
        KeyOutcome::NotLinearizable(f) => (&f.longest_prefix, &f.prefix_points_us, Some(f.blocked), true),
        KeyOutcome::Inconclusive | KeyOutcome::NotChecked => return marks,
    };
    for (rank, (&i, &point)) in order.iter().zip(points).enumerate() {
        let op = &report.ops[i];
        marks.push((
            (op.client, op.seq),
            Mark { point_us: Some(point), rank: Some(rank + 1), in_prefix: prefix, blocked: false },
        ));
    }
    // The blocked operation is never in the prefix.
    if let Some(op) = blocked.map(|b| &report.ops[b]) {
        marks.push(((op.client, op.seq), Mark { blocked: true, ..Mark::default() }));
    }
    marks.sort_unstable_by_key(|(id, _)| *id);
    marks
}

/// The mark of operation `(client, seq)`, if the report has one.
fn mark_of(marks: &[((usize, u64), Mark)], id: (usize, u64)) -> Option<&Mark> {
    marks.binary_search_by_key(&id, |(id, _)| *id).ok().map(|i| &marks[i].1)
}

/// The kind's name: the bar's colour class and the legend's word.
fn kind(op: &ClientOp) -> &'static str {
    match op {
        ClientOp::Put { .. } => "put",
        ClientOp::Get { .. } => "get",
        ClientOp::Delete { .. } => "delete",
        ClientOp::Cas { .. } => "cas",
        ClientOp::Append { .. } => "append",
    }
}

/// What an operation returned, as the details line says it.
fn result(op: &HistoryOp) -> String {
    match &op.status {
        OpStatus::Pending => "pending (no answer yet)".to_string(),
        OpStatus::Unknown { reason } => format!("outcome unknown ({reason})"),
        OpStatus::Ok { applied: Some(applied), .. } => {
            if *applied {
                "applied".to_string()
            } else {
                "not applied (the key held something else)".to_string()
            }
        }
        OpStatus::Ok { value, .. } if !op.op.is_write() => match value {
            Some(v) => format!("returned \"{v}\""),
            None => "returned nothing (key absent)".to_string(),
        },
        OpStatus::Ok { index, .. } => format!("ok (committed at index {index})"),
    }
}

/// The details of an operation, for hover, focus and screen readers.
fn details(op: &HistoryOp, mark: Option<&Mark>) -> String {
    let end = match op.completed_us {
        Some(t) => format!("returned {} ({} ms after the call)", time_text::precise(t), (t - op.invoked_us) / 1000),
        None => "no return yet".to_string(),
    };
    let served = op.served_by.map_or(String::new(), |n| format!(" · served by n{n}"));
    let check = match mark {
        Some(m) if m.blocked => " · CANNOT BE LINEARIZED".to_string(),
        Some(Mark { point_us: Some(p), rank: Some(r), .. }) => {
            format!(" · linearized #{r} at {}", time_text::precise(*p))
        }
        _ => String::new(),
    };
    format!(
        "c{}#{} {} — {} · called {} · {end} · attempts {}{served}{check}",
        op.client,
        op.seq,
        op.op.describe(),
        result(op),
        time_text::precise(op.invoked_us),
        op.attempts
    )
}

/// The history tab.
#[function_component(HistoryView)]
pub fn history_view(props: &HistoryViewProps) -> Html {
    let key_filter = use_state(|| None::<String>);
    let zoom = use_state(|| 0usize);
    let scroll_end = use_state(|| None::<u64>);
    let hovered = use_state(|| None::<String>);
    let lin = &props.lin;
    let history = &lin.history;

    let mut by_key: BTreeMap<&str, Vec<&HistoryOp>> = BTreeMap::new();
    for op in history.iter() {
        by_key.entry(op.op.key()).or_default().push(op);
    }
    let first_us = history.iter().map(|op| op.invoked_us).min().unwrap_or(0);
    // The history's span: a finished history does not stretch as the clock runs on; an open operation runs
    // to the slider's moment.
    let last_us =
        history.iter().map(|op| op.completed_us.unwrap_or(props.now_us.max(op.invoked_us))).max().unwrap_or(0);
    let width_us = ZOOMS_US[*zoom];
    let window = Window::new(first_us, last_us, width_us, *scroll_end);

    let dispatch = props.dispatch.clone();
    let on_check = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::CheckHistory));
    let on_export = {
        let (history, dispatch) = (history.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = web::download("logscope-history.jsonl", &write_logscope_history(&history)) {
                dispatch.dispatch(Action::ShowBanner(Banner::Error(format!("The history was not exported: {e}"))));
            }
        })
    };
    let on_key = {
        let key_filter = key_filter.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            key_filter.set(Some(value).filter(|v| !v.is_empty()));
        })
    };
    let on_zoom = {
        let (zoom, scroll_end) = (zoom.clone(), scroll_end.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            zoom.set(value.parse().unwrap_or(0).min(ZOOMS_US.len() - 1));
            scroll_end.set(None);
        })
    };
    let on_scroll = {
        let scroll_end = scroll_end.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let end = web::parse_number(&input.value()).map(|ms| (ms * 1000.0) as u64);
            // The right end follows the newest operations again.
            scroll_end.set(end.filter(|&end| end < last_us));
        })
    };

    let shown: Vec<(&str, &Vec<&HistoryOp>)> = by_key
        .iter()
        .filter(|(key, _)| key_filter.as_deref().is_none_or(|k| k == **key))
        .map(|(key, ops)| (*key, ops))
        .collect();
    let in_window: usize = shown
        .iter()
        .flat_map(|(_, ops)| ops.iter())
        .filter(|op| window.overlaps(op.invoked_us, op.completed_us))
        .count();
    let too_many = in_window > MAX_BARS;

    let state_class = match lin.state {
        LinState::Violated { .. } => "violated",
        LinState::Holds => "holds",
        LinState::Inconclusive { .. } => "inconclusive",
        LinState::Checking { .. } | LinState::Empty => "checking",
    };
    let verdict = match &lin.state {
        LinState::Checking { keys_done, keys_total } => {
            format!("checking… {keys_done} of {keys_total} keys decided, {} states explored", lin.states)
        }
        LinState::Holds => format!(
            "linearizable: {} operations on {} {} have an order consistent with real time",
            history.len(),
            by_key.len(),
            if by_key.len() == 1 { "key" } else { "keys" }
        ),
        LinState::Violated { key, .. } => format!("NOT linearizable: key {key} (below, outlined in red)"),
        state => state.sentence(),
    };
    let now_left = window.percent(props.now_us);

    let lane = |key: &str, client: usize, ops: &[&HistoryOp], marks: &[((usize, u64), Mark)]| {
        let bars = ops.iter().filter(|op| op.client == client && window.overlaps(op.invoked_us, op.completed_us));
        html! {
            <div class="history-lane" role="listitem">
                <span class="lane-label">{ format!("c{client}") }</span>
                <div class="lane-track" role="group" aria-label={format!("client c{client}'s operations on {key}")}>
                    { for bars.map(|op| {
                        let mark = mark_of(marks, (op.client, op.seq));
                        let (left, width) = window.bar(op.invoked_us, op.completed_us);
                        let text = details(op, mark);
                        let class = classes!(
                            "hop",
                            kind(&op.op),
                            matches!(op.status, OpStatus::Pending).then_some("pending"),
                            matches!(op.status, OpStatus::Unknown { .. }).then_some("unknown"),
                            matches!(op.status, OpStatus::Ok { applied: Some(false), .. }).then_some("refused"),
                            mark.is_some_and(|m| m.in_prefix).then_some("prefix"),
                            mark.is_some_and(|m| m.blocked).then_some("blocked"),
                        );
                        let (dispatch, call) = (props.dispatch.clone(), op.invoked_us);
                        let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Seek(call)));
                        let show = {
                            let (hovered, text) = (hovered.clone(), text.clone());
                            Callback::from(move |_: ()| hovered.set(Some(text.clone())))
                        };
                        let point = mark.and_then(|m| m.point_us).filter(|_| !mark.is_some_and(|m| m.blocked));
                        html! {
                            <>
                                <button {class} style={format!("left:{left:.3}%;width:{width:.3}%")} {onclick}
                                        data-testid={format!("hop-{key}-c{}-{}", op.client, op.seq)} data-call-us={op.invoked_us.to_string()}
                                        aria-label={text.clone()} title={text}
                                        onmouseenter={show.reform(|_: MouseEvent| ())} onfocus={show.reform(|_: FocusEvent| ())} />
                                if mark.is_some_and(|m| m.blocked) {
                                    <span class="blocked-mark" aria-hidden="true" style={format!("left:{:.3}%", left + width)}>
                                        { format!("✗ c{}#{}", op.client, op.seq) }
                                    </span>
                                }
                                if let Some(p) = point {
                                    <span class="lin-point" aria-hidden="true" style={format!("left:{:.3}%", window.percent(p))}
                                          data-testid="lin-point" />
                                }
                            </>
                        }
                    }) }
                    if (0.0..=100.0).contains(&now_left) {
                        <span class="history-now" aria-hidden="true" style={format!("left:{now_left:.3}%")} />
                    }
                </div>
            </div>
        }
    };

    let key_section = |(key, ops): &(&str, &Vec<&HistoryOp>)| {
        let report = lin.report.as_ref().and_then(|r| r.key(key));
        let marks = report.map(marks).unwrap_or_default();
        let clients: BTreeSet<usize> = ops.iter().map(|op| op.client).collect();
        let (badge, badge_class) = match report.map(|r| &r.outcome) {
            Some(KeyOutcome::Linearizable { .. }) => ("linearizable", "holds"),
            Some(KeyOutcome::NotLinearizable(_)) => ("NOT linearizable", "violated"),
            Some(KeyOutcome::Inconclusive) => ("inconclusive", "inconclusive"),
            Some(KeyOutcome::NotChecked) => ("not checked (another key failed first)", "checking"),
            None => ("checking…", "checking"),
        };
        let failure = report.and_then(|r| r.failure().map(|f| (f, r)));
        html! {
            <section class="history-key" data-testid={format!("history-key-{key}")} data-verdict={badge_class}>
                <h4>{ format!("key {key} ") }<span class={classes!("key-verdict", badge_class)}>{ badge }</span>
                    <span class="key-count">{ format!(" · {} operations", ops.len()) }</span></h4>
                if let Some((f, r)) = failure {
                    <p class="history-explain" data-testid="history-explanation">
                        <strong>{ format!("✗ c{}#{} cannot be placed: ", r.ops[f.blocked].client, r.ops[f.blocked].seq) }</strong>
                        { f.explanation.clone() }
                        { format!(" The longest linearizable prefix has {} operations (outlined).", f.longest_prefix.len()) }
                    </p>
                }
                <div class="history-lanes" role="list">
                    { for clients.iter().map(|&c| lane(key, c, ops, &marks)) }
                </div>
            </section>
        }
    };

    html! {
        <div class="history-panel" data-testid="history-panel">
            <div class="history-toolbar">
                <button data-testid="history-check" onclick={on_check}
                        title="Search until the verdict now (while playing, the check runs a few milliseconds a frame).">{ "Check" }</button>
                <span class={classes!("history-verdict", state_class)} data-testid="history-verdict" data-state={lin.state.word()} role="status">
                    { verdict }
                </span>
                <label>{ "Key " }
                    <select data-testid="history-key" onchange={on_key}>
                        <option value="" selected={key_filter.is_none()}>{ "all keys" }</option>
                        { for by_key.keys().map(|k| html! { <option value={k.to_string()} selected={key_filter.as_deref() == Some(*k)}>{ *k }</option> }) }
                    </select>
                </label>
                <label>{ "Zoom " }
                    <select data-testid="history-zoom" onchange={on_zoom}>
                        { for ZOOMS_US.iter().enumerate().map(|(i, w)| html! { <option value={i.to_string()} selected={i == *zoom}>{ zoom_label(*w) }</option> }) }
                    </select>
                </label>
                if width_us > 0 && width_us < last_us - first_us {
                    <input type="range" class="history-scroll" data-testid="history-scroll" aria-label="Scroll the history in time"
                           min={((first_us + width_us) / 1000).to_string()} max={(last_us / 1000).to_string()}
                           value={(window.end_us / 1000).to_string()} onchange={on_scroll} />
                }
                <button data-testid="history-export" onclick={on_export} disabled={history.is_empty()}
                        title="Download the history in LogScope's history format (logscope-cli check-history reads it).">{ "Export history" }</button>
            </div>
            <ul class="history-legend" aria-label="Legend">
                { for ["put", "get", "delete", "cas", "append"].iter().map(|k| html! { <li><span class={classes!("swatch", "hop", *k)} />{ *k }</li> }) }
                <li><span class="swatch hop put pending" />{ "pending" }</li>
                <li><span class="swatch hop put unknown" />{ "outcome unknown" }</li>
                <li><span class="swatch hop cas refused" />{ "cas not applied" }</li>
                <li><span class="swatch lin-point-key" />{ "linearization point" }</li>
                <li><span class="swatch hop put prefix" />{ "longest linearizable prefix" }</li>
                <li><span class="swatch hop get blocked" />{ "cannot be placed" }</li>
            </ul>
            <div class="history-details" data-testid="history-details">
                { (*hovered).clone().unwrap_or_else(|| "Hover or focus an operation for its details; click it to move the time slider to its call.".to_string()) }
            </div>
            <div class="history-axis" aria-hidden="true">
                { for window.ticks(5).into_iter().map(|t| html! { <span style={format!("left:{:.3}%", window.percent(t))}>{ time_text::clock(t) }</span> }) }
            </div>
            if history.is_empty() {
                <p class="help-text">{ "No client operation yet: send one from the Clients tab, start the write load, or load a lesson." }</p>
            } else if too_many {
                <p class="help-text" data-testid="history-too-many">{ format!("{in_window} operations in this window: zoom in or pick a key to see them.") }</p>
            } else {
                <div class="history-keys">{ for shown.iter().map(key_section) }</div>
            }
        </div>
    }
}
