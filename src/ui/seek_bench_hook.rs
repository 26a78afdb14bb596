//! `window.__logscopeSeekBench(minutes, seeks)`: the time-travel benchmark measured in the page, for
//! `tests/e2e/perf.mjs`. It records `minutes` of virtual time of the core's benchmark workload (9 nodes
//! under the write load, `sim::scenario::player::seek_bench`, the same run as the native `benches/seek.rs`)
//! through the same player the UI seeks with, then seeks to seeded random times, timing each seek with
//! `performance.now()`. The page's own session is not touched.

use crate::sim::scenario::player::seek_bench;
use crate::sim::types::Time;
use crate::ui::web;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What one benchmark run measured. Field names are the hook's contract with `tests/e2e/perf.mjs`.
#[derive(Serialize)]
struct SeekBenchReport {
    /// Events the recorded run made.
    events: u64,
    /// Wall time to record it, checkpoints included.
    record_ms: f64,
    /// Checkpoints kept, their spacing in events and the core's estimate of their bytes.
    checkpoints: usize,
    spacing: u64,
    checkpoint_bytes: usize,
    /// Wasm linear memory before recording and after the seeks (it only grows: an upper bound).
    wasm_memory_before: u32,
    wasm_memory_after: u32,
    /// Each seek's wall time, in the order made.
    seek_ms: Vec<f64>,
}

fn wasm_memory_bytes() -> u32 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length()
}

fn run(minutes: f64, seeks: f64) -> SeekBenchReport {
    let duration_us = (minutes.clamp(0.0, 60.0) * 60e6) as Time;
    let wasm_memory_before = wasm_memory_bytes();
    let started = web::now_ms();
    let mut player = seek_bench::record(duration_us, &mut |_| {});
    let record_ms = web::now_ms() - started;
    let checkpoints = player.checkpoints();
    let (count, spacing, checkpoint_bytes) = (checkpoints.len(), checkpoints.spacing(), checkpoints.bytes());
    let events = player.world().events();
    let seek_ms = seek_bench::seek_targets(seeks.clamp(0.0, 10_000.0) as usize, player.horizon_us())
        .into_iter()
        .map(|target| {
            let started = web::now_ms();
            player.seek(target);
            web::now_ms() - started
        })
        .collect();
    SeekBenchReport {
        events,
        record_ms,
        checkpoints: count,
        spacing,
        checkpoint_bytes,
        wasm_memory_before,
        wasm_memory_after: wasm_memory_bytes(),
        seek_ms,
    }
}

/// Installs the hook once (the app's first effect).
pub fn install() {
    let Some(window) = web_sys::window() else { return };
    let hook = Closure::<dyn Fn(f64, f64) -> JsValue>::new(|minutes, seeks| {
        serde_wasm_bindgen::to_value(&run(minutes, seeks)).unwrap_or(JsValue::NULL)
    });
    let _ = js_sys::Reflect::set(&window, &"__logscopeSeekBench".into(), hook.as_ref());
    hook.forget();
}
