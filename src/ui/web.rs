//! Thin wrappers over the browser APIs the UI needs: the clock, the URL hash, downloads, fetching a text file,
//! preferences, and the hooks end-to-end tests and the performance script read (`window.__logscopeView()`, `window.__logscopePerf`).

use crate::sim::view::ClusterView;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Wall-clock milliseconds from `performance.now()` (0 if unavailable).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// A number typed in a field (`Number(text)` in JS), `None` if blank or not a number. Parsing in JS keeps
/// Rust's float parser and its 10 KB power-of-five table out of the bundle.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let n = text.parse::<js_sys::Number>().ok()?.value_of();
    (!n.is_nan()).then_some(n)
}

/// The URL fragment without `#`, e.g. `s=…`.
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Replaces the URL fragment without adding a history entry.
pub fn set_location_hash(fragment: &str) {
    if let Some(window) = web_sys::window() {
        if let Ok(history) = window.history() {
            let url = if fragment.is_empty() {
                window.location().pathname().unwrap_or_default()
            } else {
                format!("#{fragment}")
            };
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// The full page URL (to show a share link).
pub fn location_href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// Offers `text` as a file download.
pub fn download(filename: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| "cannot make a blob")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "cannot make a URL")?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| "cannot make a link")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch(url)` (declared here: web-sys's `Response` would be one more feature to compile).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn js_fetch(url: &str) -> Result<Thenable, JsValue>;

    /// A fetch `Response`: only what [`fetch_text`] reads.
    type FetchResponse;

    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> u16;

    #[wasm_bindgen(method)]
    fn text(this: &FetchResponse) -> Thenable;

    /// A `Promise`, seen only through `then` with plain JS functions (js-sys's `then2` wants `Closure`s).
    type Thenable;

    #[wasm_bindgen(method, js_name = then)]
    fn then_fns(this: &Thenable, on_ok: &JsValue, on_error: &JsValue) -> Thenable;
}

/// The text of a JS error value: an `Error`'s message, a thrown string, or a generic sentence.
fn js_error_text(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| js_sys::Reflect::get(error, &JsValue::from_str("message")).ok()?.as_string())
        .unwrap_or_else(|| "the browser gave no reason".into())
}

/// Fetches `url` (relative to the page) as text and calls `done` once, with the text or a sentence saying why
/// not (network error, HTTP status). Lets the lessons stay out of the wasm bundle.
pub fn fetch_text(url: &str, done: Rc<dyn Fn(Result<String, String>)>) {
    let failed = done.clone();
    let on_error = Closure::once_into_js(move |e: JsValue| failed(Err(js_error_text(&e))));
    let got = done.clone();
    let on_text = Closure::once_into_js(move |text: JsValue| got(Ok(text.as_string().unwrap_or_default())));
    let on_error_text = on_error.clone();
    let answered = done.clone();
    let on_response = Closure::once_into_js(move |response: FetchResponse| {
        if (200..300).contains(&response.status()) {
            response.text().then_fns(&on_text, &on_error_text);
        } else {
            answered(Err(format!("the server answered HTTP {}", response.status())));
        }
    });
    match js_fetch(url) {
        Ok(promise) => {
            promise.then_fns(&on_response, &on_error);
        }
        Err(e) => done(Err(js_error_text(&e))),
    }
}

/// Whether the page is hidden (another tab is in front).
pub fn document_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// Whether a CSS media query matches, e.g. `(prefers-reduced-motion: reduce)`.
pub fn media_matches(query: &str) -> bool {
    web_sys::window().and_then(|w| w.match_media(query).ok().flatten()).is_some_and(|m| m.matches())
}

/// A saved preference from localStorage.
pub fn load_pref(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Saves a preference to localStorage (silently ignored where storage is unavailable).
pub fn save_pref(key: &str, value: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, value);
    }
}

/// Puts a class list on `<html>` (theme, presenter mode, reduced motion) so CSS can key on it.
pub fn set_root_classes(classes: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        root.set_class_name(classes);
    }
}

/// Samples of main-thread work per animation frame, read by `tests/e2e/perf.mjs`.
const PERF_SAMPLES_MAX: u32 = 20_000;

/// Records one frame: milliseconds spent advancing the simulation and computing the view (`sim_ms`) and in
/// total including Yew's render (`frame_ms`). Pushed to `window.__logscopePerf = {sim: [], frame: []}`.
pub fn record_frame(sim_ms: f64, frame_ms: f64) {
    let Some(window) = web_sys::window() else { return };
    let key = JsValue::from_str("__logscopePerf");
    let perf = match js_sys::Reflect::get(&window, &key) {
        Ok(v) if v.is_object() => v,
        _ => {
            let object = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&object, &"sim".into(), &js_sys::Array::new());
            let _ = js_sys::Reflect::set(&object, &"frame".into(), &js_sys::Array::new());
            let _ = js_sys::Reflect::set(&window, &key, &object);
            object.into()
        }
    };
    for (name, value) in [("sim", sim_ms), ("frame", frame_ms)] {
        if let Ok(array) = js_sys::Reflect::get(&perf, &name.into()) {
            let array: js_sys::Array = array.unchecked_into();
            if array.length() >= PERF_SAMPLES_MAX {
                array.shift();
            }
            array.push(&JsValue::from_f64(value));
        }
    }
}

thread_local! {
    static LATEST_VIEW: RefCell<Option<Rc<ClusterView>>> = const { RefCell::new(None) };
}

/// Remembers the view on screen so `window.__logscopeView()` can return it as JSON (serialized on demand).
pub fn publish_view(view: &Rc<ClusterView>) {
    LATEST_VIEW.with(|slot| *slot.borrow_mut() = Some(view.clone()));
}

fn set(object: &js_sys::Object, key: &str, value: JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), &value);
}

/// A small plain-JS summary of the view (built by hand: serializing the whole view would cost bundle size).
fn view_summary(view: &ClusterView) -> JsValue {
    let out = js_sys::Object::new();
    set(&out, "time_us", JsValue::from_f64(view.time_us as f64));
    set(&out, "events", JsValue::from_f64(view.events as f64));
    set(&out, "leader", view.leader.map_or(JsValue::NULL, |l| JsValue::from_f64(l as f64)));
    set(&out, "cluster_hwm", JsValue::from_f64(view.cluster_hwm as f64));
    set(&out, "messages", JsValue::from_f64(view.messages.len() as f64));
    set(&out, "violations", JsValue::from_f64(view.violations.len() as f64));
    // Size of the wasm linear memory: it only grows, so a flat figure over a long run means bounded memory.
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let bytes = memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length();
    set(&out, "wasm_memory_bytes", JsValue::from_f64(f64::from(bytes)));
    let nodes = js_sys::Array::new();
    for node in &view.nodes {
        let n = js_sys::Object::new();
        set(&n, "id", JsValue::from_f64(node.id as f64));
        let role = node.role.name();
        let status = node.status.name();
        set(&n, "role", JsValue::from_str(role));
        set(&n, "status", JsValue::from_str(status));
        set(&n, "member", JsValue::from_bool(node.member));
        set(&n, "leaving", JsValue::from_bool(node.leaving));
        for (key, value) in [
            ("term", node.term),
            ("first_index", node.first_index),
            ("last_index", node.last_index),
            ("durable_index", node.durable_index),
            ("hwm", node.hwm),
            ("applied", node.applied),
            ("lwm", node.lwm),
            ("segments", node.segments.len() as u64),
            ("keys", node.kv.len() as u64),
        ] {
            set(&n, key, JsValue::from_f64(value as f64));
        }
        nodes.push(&n);
    }
    set(&out, "nodes", nodes.into());
    let members = js_sys::Array::new();
    for m in &view.members {
        members.push(&JsValue::from_f64(*m as f64));
    }
    set(&out, "members", members.into());
    let ops = js_sys::Array::new();
    for client in &view.clients {
        for op in client.current.iter().chain(client.recent.iter()) {
            let o = js_sys::Object::new();
            set(&o, "client", JsValue::from_f64(op.client as f64));
            set(&o, "op", JsValue::from_str(&op.op.describe()));
            let (status, value) = match &op.status {
                crate::sim::world::history::OpStatus::Pending => ("pending", None),
                crate::sim::world::history::OpStatus::Ok { value, .. } => ("ok", value.clone()),
                crate::sim::world::history::OpStatus::Unknown { .. } => ("unknown", None),
            };
            set(&o, "status", JsValue::from_str(status));
            set(&o, "value", value.map_or(JsValue::NULL, |v| JsValue::from_str(&v)));
            ops.push(&o);
        }
    }
    set(&out, "ops", ops.into());
    out.into()
}

/// Installs `window.__logscopeView()` once: tests compare what is drawn with what the core says.
pub fn install_test_hooks() {
    let Some(window) = web_sys::window() else { return };
    let getter = Closure::<dyn Fn() -> JsValue>::new(|| {
        LATEST_VIEW.with(|slot| slot.borrow().as_ref().map_or(JsValue::NULL, |v| view_summary(v)))
    });
    let _ = js_sys::Reflect::set(&window, &"__logscopeView".into(), getter.as_ref());
    getter.forget();
}
