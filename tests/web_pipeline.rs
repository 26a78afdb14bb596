//! Browser check of the test pipeline itself: `scripts/test.sh` runs `tests/web*.rs` with
//! wasm-bindgen-test-runner in headless Chromium. Empty on native targets.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn runs_in_a_browser_with_a_document() {
    let window = web_sys::window().expect("a browser window");
    let document = window.document().expect("a document");
    document.set_title("LogScope browser test");
    assert_eq!(document.title(), "LogScope browser test");
    let now = window.performance().expect("window.performance").now();
    assert!(now >= 0.0);
}
