//! Thin wrappers over the browser APIs the UI needs: the clock, the URL hash, downloads, fetching a text file,
//! localStorage, media queries and the root element's classes. (The hooks tests read are in `page_hooks.rs`.)

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
