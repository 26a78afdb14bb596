//! Browser tests of the web UI (wasm-bindgen-test in headless Chromium, run by `scripts/test.sh`):
//! the core is deterministic in wasm exactly as natively, an exported session replays bit for bit, and the
//! app renders the cluster with the elements end-to-end tests rely on.
#![cfg(target_arch = "wasm32")]

use logscope::sim::config::Config;
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::Scenario;
use logscope::sim::types::ms;
use logscope::sim::world::command::Command;
use logscope::sim::world::World;
use logscope::ui::lessons;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// `World::new(Config::default(), 42)` run for two virtual seconds; the same constant is asserted natively in
/// `tests/determinism.rs`, so wasm and native runs are proven identical.
const DEFAULT_SEED_42_TWO_SECONDS: u64 = 0x2b6b_a416_503a_1c74;

#[wasm_bindgen_test]
fn the_core_is_deterministic_in_the_browser() {
    let mut world = World::new(Config::default(), 42).expect("default config");
    world.run_until(2_000_000);
    assert_eq!(world.trace_hash(), DEFAULT_SEED_42_TWO_SECONDS, "got {:#018x}", world.trace_hash());
}

#[wasm_bindgen_test]
fn an_exported_session_replays_bit_for_bit() {
    let mut player = Player::new(Config::default(), 7).expect("default config");
    let never = || false;
    player.set_load(Some(40)).unwrap();
    // Commands at odd microseconds: the player aligns them to milliseconds so the export is exact.
    player.advance(300_123, &never);
    player.apply(Command::Put { client: 0, key: "x".into(), value: "1".into(), node: None }).unwrap();
    player.advance(700_457, &never);
    player.apply(Command::Crash { node: 0 }).unwrap();
    player.advance(1_500_001, &never);
    player.apply(Command::Restart { node: 0 }).unwrap();
    player.advance(2_500_000, &never);
    let json = lessons::export_json(&player, None);
    let scenario = Scenario::from_json(&json).expect("the export parses");

    let mut replay = Player::from_scenario(&scenario).unwrap();
    replay.run_through(ms(scenario.end_ms())).unwrap();
    assert_eq!(replay.world().now(), player.world().now());
    assert_eq!(replay.world().trace_hash(), player.world().trace_hash());
}

#[wasm_bindgen_test]
fn seeking_back_and_forth_reproduces_the_same_world() {
    let mut player = Player::new(Config::default(), 3).expect("default config");
    let never = || false;
    player.set_load(Some(40)).unwrap();
    player.advance(3_500_000, &never);
    let hash = player.world().trace_hash();
    player.seek(1_200_000);
    assert_eq!(player.world().now(), 1_200_000);
    assert!(player.in_past());
    player.seek(3_500_000);
    assert_eq!(player.world().trace_hash(), hash);
}

/// `window.__logscopeView()` (serialized by serde-wasm-bindgen) has the shape the end-to-end specs read: at
/// time zero no leader (`null`, not `undefined`), three nodes with their indexes as numbers, members listed.
fn the_view_hook_describes_the_default_cluster() {
    let window = web_sys::window().unwrap();
    let hook: js_sys::Function = js_sys::Reflect::get(&window, &"__logscopeView".into()).unwrap().dyn_into().unwrap();
    let view = hook.call0(&window).unwrap();
    let get = |object: &wasm_bindgen::JsValue, key: &str| js_sys::Reflect::get(object, &key.into()).unwrap();
    assert!(get(&view, "leader").is_null(), "no leader at time zero: {:?}", get(&view, "leader"));
    assert_eq!(get(&view, "time_us").as_f64(), Some(0.0));
    assert_eq!(get(&view, "messages").as_f64(), Some(0.0));
    assert!(get(&view, "wasm_memory_bytes").as_f64().is_some_and(|bytes| bytes > 0.0));
    let nodes: js_sys::Array = get(&view, "nodes").dyn_into().unwrap();
    assert_eq!(nodes.length(), 3);
    let first = nodes.get(0);
    assert_eq!(get(&first, "role").as_string().as_deref(), Some("follower"));
    assert_eq!(get(&first, "status").as_string().as_deref(), Some("up"));
    assert_eq!(get(&first, "member").as_bool(), Some(true));
    for key in ["id", "term", "first_index", "last_index", "durable_index", "hwm", "applied", "lwm", "segments", "keys"]
    {
        assert!(get(&first, key).as_f64().is_some(), "nodes[0].{key} is a number");
    }
    let members: js_sys::Array = get(&view, "members").dyn_into().unwrap();
    assert_eq!(members.length(), 3);
    assert!(js_sys::Array::is_array(&get(&view, "ops")));
}

async fn next_tick(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_app_renders_nodes_logs_markers_and_controls() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<logscope::ui::App>::with_root(root.clone()).render();
    next_tick(50).await;
    the_view_hook_describes_the_default_cluster();
    for id in ["node-0", "node-1", "node-2", "play", "step", "invariants", "marker-lwm", "marker-hwm", "marker-commit"]
    {
        assert!(
            root.query_selector(&format!("[data-testid='{id}']")).unwrap().is_some(),
            "no element with data-testid={id}"
        );
    }
    // Run to the first interesting events with the keyboard shortcut until a leader is elected.
    let step = root.query_selector("[data-testid='next-interesting']").unwrap().unwrap();
    let step: web_sys::HtmlElement = step.dyn_into().unwrap();
    let mut leader = false;
    for _ in 0..20 {
        step.click();
        next_tick(5).await;
        if root.query_selector("[data-role='leader']").unwrap().is_some() {
            leader = true;
            break;
        }
    }
    assert!(leader, "no leader after 20 interesting events");
    assert!(root.query_selector("[data-testid='log-entry']").unwrap().is_some(), "the leader's no-op is drawn");
    let chips = root.query_selector_all("[data-testid='invariants'] .chip.ok").unwrap().length();
    assert!(chips >= 19, "all invariants shown green, got {chips}");
    handle.destroy();
}
