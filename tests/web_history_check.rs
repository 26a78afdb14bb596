//! The live check's slice, timed where it runs: in the browser (wasm, headless Chromium via
//! wasm-bindgen-test). The UI searches at most `CHECK_STEPS_PER_FRAME` steps a frame (`src/ui/live_check.rs`);
//! this measures what such a slice costs on a history the UI makes (the default cluster under the mixed write
//! load for a minute), and what taking the history costs (`HistoryCheck::update`), and prints both for
//! docs/PERFORMANCE.md (run it with `--profile wasm-release` for the figure). It also reads the export back with the core parser, in wasm. Empty on native targets.
#![cfg(target_arch = "wasm32")]

use logscope::sim::check::history_formats::{parse_history, write_logscope_history, HistoryFormat};
use logscope::sim::check::linearize::{check_history, CheckOptions, HistoryCheck, SLICE_STEPS};
use logscope::sim::config::Config;
use logscope::sim::types::ms;
use logscope::sim::world::command::Command;
use logscope::sim::world::World;
use logscope::ui::live_check::CHECK_STEPS_PER_FRAME;
use logscope::ui::state::MIXED_LOAD;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn percentile(samples: &mut [f64], q: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() - 1) as f64 * q) as usize]
}

#[wasm_bindgen_test]
fn a_frames_steps_of_the_check_cost_about_a_millisecond_and_a_half_in_the_browser() {
    let mut world = World::new(Config::default(), 42).unwrap();
    world.run_until(ms(1_000));
    world.apply(Command::SetWriteLoad { per_second: 40, mix: Some(MIXED_LOAD) }).unwrap();
    world.run_until(ms(61_000));
    let history = world.history();
    assert!(history.len() > 1_000, "{} operations", history.len());

    // Taking the history, as the UI does once a second while playing (a fresh check: every key searched anew).
    let mut check = HistoryCheck::new(&[], CheckOptions::default());
    let started = now_ms();
    check.update(&history);
    let update_ms = now_ms() - started;

    // The search in the core's slices (SLICE_STEPS steps, what the UI's loop runs between two looks at the
    // clock) until the verdict: their cost per step sizes the frame's step bound.
    let mut slices = Vec::new();
    let states = loop {
        let started = now_ms();
        let progress = check.run(SLICE_STEPS);
        slices.push(now_ms() - started);
        if progress.finished {
            break progress.states_explored;
        }
    };
    let report = check.report().expect("finished");
    assert!(report.is_linearizable(), "{}", report.summary());
    let n = slices.len();
    let total: f64 = slices.iter().sum();
    let p50 = percentile(&mut slices, 0.5);
    let p95 = percentile(&mut slices, 0.95);
    let per_step_us = total * 1000.0 / (n as f64 * SLICE_STEPS as f64);
    console_log!(
        "history of {} ops: update {update_ms:.2} ms; {n} slices of {SLICE_STEPS} steps, p50 {p50:.3} ms, p95 {p95:.3} ms, total {total:.1} ms ({per_step_us:.2} µs a step at most), {states} states; a frame's {CHECK_STEPS_PER_FRAME} steps ≈ {:.2} ms",
        history.len(),
        per_step_us * CHECK_STEPS_PER_FRAME as f64 / 1000.0
    );
    // Generous against a loaded machine: a frame's steps are sized for ≈ 1.5 ms, and the UI's 2 ms guard
    // (looked at after every slice) stops the search anyway.
    // The figure means something in the release profile (`--profile wasm-release`, as the page is built);
    // scripts/test.sh runs the browser tests in the dev profile, which is several times slower.
    let bound_ms = if cfg!(debug_assertions) { 60.0 } else { 6.0 };
    assert!(per_step_us * CHECK_STEPS_PER_FRAME as f64 / 1000.0 < bound_ms, "{per_step_us:.2} µs a step");

    // The export reads back, with the core parser in wasm, to the same history and verdict.
    let read = parse_history(HistoryFormat::Logscope, &write_logscope_history(&history)).unwrap();
    assert_eq!(check_history(&read), report);
}
