//! What the page shows scripts: `window.__logscopeView()`, a summary of the view on screen that the
//! end-to-end tests compare the drawing with (serialized by serde-wasm-bindgen into a plain JS object), and
//! `window.__logscopePerf`, the per-frame costs `tests/e2e/perf.mjs` reads.

use crate::sim::view::ClusterView;
use crate::sim::world::history::OpStatus;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The view summary: counts where the tests need no more (messages, violations, segments), so one poll
/// stays cheap however busy the cluster. Field names are the hook's contract with `tests/e2e/*.mjs`.
#[derive(Serialize)]
struct ViewSummary<'v> {
    time_us: u64,
    events: u64,
    leader: Option<usize>,
    cluster_hwm: u64,
    messages: usize,
    violations: usize,
    /// Size of the wasm linear memory: it only grows, so a flat figure over a long run means bounded memory.
    wasm_memory_bytes: u32,
    nodes: Vec<NodeSummary>,
    members: &'v [usize],
    ops: Vec<OpSummary>,
}

/// One node of [`ViewSummary`].
#[derive(Serialize)]
struct NodeSummary {
    id: usize,
    role: &'static str,
    status: &'static str,
    member: bool,
    leaving: bool,
    term: u64,
    first_index: u64,
    last_index: u64,
    durable_index: u64,
    hwm: u64,
    applied: u64,
    lwm: u64,
    segments: usize,
    keys: usize,
}

/// One client operation of [`ViewSummary`] (current and recent, client by client).
#[derive(Serialize)]
struct OpSummary {
    client: usize,
    op: String,
    status: &'static str,
    value: Option<String>,
}

impl<'v> ViewSummary<'v> {
    fn of(view: &'v ClusterView) -> ViewSummary<'v> {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        let nodes = view
            .nodes
            .iter()
            .map(|node| NodeSummary {
                id: node.id,
                role: node.role.name(),
                status: node.status.name(),
                member: node.member,
                leaving: node.leaving,
                term: node.term,
                first_index: node.first_index,
                last_index: node.last_index,
                durable_index: node.durable_index,
                hwm: node.hwm,
                applied: node.applied,
                lwm: node.lwm,
                segments: node.segments.len(),
                keys: node.kv.len(),
            })
            .collect();
        let ops = view
            .clients
            .iter()
            .flat_map(|client| client.current.iter().chain(client.recent.iter()))
            .map(|op| {
                let (status, value) = match &op.status {
                    OpStatus::Pending => ("pending", None),
                    OpStatus::Ok { value, .. } => ("ok", value.clone()),
                    OpStatus::Unknown { .. } => ("unknown", None),
                };
                OpSummary { client: op.client, op: op.op.describe(), status, value }
            })
            .collect();
        ViewSummary {
            time_us: view.time_us,
            events: view.events,
            leader: view.leader,
            cluster_hwm: view.cluster_hwm,
            messages: view.messages.len(),
            violations: view.violations.len(),
            wasm_memory_bytes: memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length(),
            nodes,
            members: &view.members,
            ops,
        }
    }

    /// As a plain JS object: `null` (not `undefined`) for an absent leader or value, numbers for counts.
    fn to_js(&self) -> JsValue {
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
        self.serialize(&serializer).unwrap_or(JsValue::NULL)
    }
}

thread_local! {
    static LATEST_VIEW: RefCell<Option<Rc<ClusterView>>> = const { RefCell::new(None) };
}

/// Remembers the view on screen so `window.__logscopeView()` can return it (summarized on demand).
pub fn publish_view(view: &Rc<ClusterView>) {
    LATEST_VIEW.with(|slot| *slot.borrow_mut() = Some(view.clone()));
}

/// Installs `window.__logscopeView()` once: tests compare what is drawn with what the core says.
pub fn install_view_hook() {
    let Some(window) = web_sys::window() else { return };
    let getter = Closure::<dyn Fn() -> JsValue>::new(|| {
        LATEST_VIEW.with(|slot| slot.borrow().as_ref().map_or(JsValue::NULL, |view| ViewSummary::of(view).to_js()))
    });
    let _ = js_sys::Reflect::set(&window, &"__logscopeView".into(), getter.as_ref());
    getter.forget();
}

/// Samples of main-thread work per animation frame, read by `tests/e2e/perf.mjs`.
const PERF_SAMPLES_MAX: u32 = 20_000;

/// Records one frame: milliseconds spent advancing the simulation and computing the view (`sim_ms`), of
/// those on the live linearizability check (`check_ms`), and in total including Yew's render (`frame_ms`).
/// Pushed to `window.__logscopePerf = {sim: [], check: [], frame: []}`.
pub fn record_frame(sim_ms: f64, check_ms: f64, frame_ms: f64) {
    let Some(window) = web_sys::window() else { return };
    let key = JsValue::from_str("__logscopePerf");
    let perf = match js_sys::Reflect::get(&window, &key) {
        Ok(v) if v.is_object() => v,
        _ => {
            let object = js_sys::Object::new();
            for name in ["sim", "check", "frame"] {
                let _ = js_sys::Reflect::set(&object, &name.into(), &js_sys::Array::new());
            }
            let _ = js_sys::Reflect::set(&window, &key, &object);
            object.into()
        }
    };
    for (name, value) in [("sim", sim_ms), ("check", check_ms), ("frame", frame_ms)] {
        if let Ok(array) = js_sys::Reflect::get(&perf, &name.into()).and_then(|a| a.dyn_into::<js_sys::Array>()) {
            if array.length() >= PERF_SAMPLES_MAX {
                array.shift();
            }
            array.push(&JsValue::from_f64(value));
        }
    }
}
