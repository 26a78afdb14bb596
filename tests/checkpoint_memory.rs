//! The checkpoints' memory: the core's estimate (`Checkpoints::bytes`, built on `World::heap_bytes_beyond`)
//! against what a counting allocator sees, the bound holding however long the run, and what a checkpoint
//! shares with the ones beside it. Bytes, not times: nothing here depends on the machine's speed.

use logscope::sim::config::Config;
use logscope::sim::scenario::player::seek_bench;
use logscope::sim::scenario::player::Checkpoints;
use logscope::sim::world::command::Command;
use logscope::sim::world::World;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Counts the bytes live on the heap.
struct CountingAllocator;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only a counter is updated beside it.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// The counter is global: tests that read it run one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn live() -> usize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

/// The benchmark's world (9 nodes, 8 clients, the write load) with checkpoints taken along the way.
fn loaded_run(
    minutes: u64,
    spacing: u64,
    max: usize,
    bytes_max: usize,
    mut each: impl FnMut(&Checkpoints),
) -> Checkpoints {
    let mut world = World::new(seek_bench::config(), 1).unwrap();
    world.apply(Command::SetWriteLoad { per_second: seek_bench::LOAD_PER_SECOND, mix: None }).unwrap();
    let mut checkpoints = Checkpoints::with_limits(world.clone(), spacing, max, bytes_max);
    let end = minutes * 60_000_000;
    while world.now() < end {
        world.run_until(world.now() + 20_000);
        checkpoints.take_if_due(&world);
        each(&checkpoints);
    }
    checkpoints
}

/// What dropping `checkpoints` frees (the bytes they hold that nothing else does).
fn held_by(checkpoints: Checkpoints) -> usize {
    let before = live();
    drop(checkpoints);
    before - live()
}

#[test]
fn the_estimate_is_close_to_what_the_allocator_sees() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let checkpoints = loaded_run(4, 4_096, 4_096, usize::MAX, |_| {});
    let (estimate, count) = (checkpoints.bytes(), checkpoints.len());
    let measured = held_by(checkpoints);
    let ratio = estimate as f64 / measured as f64;
    println!("{count} checkpoints: estimate {estimate} bytes, allocator {measured} bytes (ratio {ratio:.2})");
    assert!(count > 50, "{count} checkpoints in 4 minutes of 9 nodes under load");
    assert!((0.8..=1.5).contains(&ratio), "estimate {estimate} vs measured {measured}: ratio {ratio:.2}");
}

#[test]
fn the_bound_holds_however_long_the_run_and_the_spacing_grows_to_fit() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    const BUDGET: usize = 8 << 20;
    let mut peak = 0;
    // Ten minutes of 9 nodes under load would take ~30 MB of checkpoints at this spacing: the ceiling thins.
    let checkpoints = loaded_run(10, 2_048, 4_096, BUDGET, |checkpoints| {
        assert!(checkpoints.bytes() <= BUDGET, "{} bytes estimated", checkpoints.bytes());
        peak = peak.max(checkpoints.bytes());
    });
    let (spacing, count) = (checkpoints.spacing(), checkpoints.len());
    let measured = held_by(checkpoints);
    println!("{count} checkpoints, one every {spacing} events, {measured} bytes held (estimate peak {peak})");
    assert!(spacing >= 4 * 2_048, "the spacing doubled at least twice: {spacing}");
    assert!(count >= 20, "{count} checkpoints still cover the run");
    assert!(measured <= BUDGET * 6 / 5, "held {measured} bytes, the ceiling is {BUDGET}");
    assert!(peak > BUDGET / 2, "the ceiling was reached: peak {peak}");
}

#[test]
fn a_checkpoint_shares_the_history_with_its_neighbours() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut world = World::new(Config { nodes: 9, clients: 8, ..Config::default() }, 3).unwrap();
    world.apply(Command::SetWriteLoad { per_second: 40, mix: None }).unwrap();
    world.run_until(200_000_000);
    let copy = world.clone_without_trace_records();
    world.run_until(202_000_000);
    let later = world.clone_without_trace_records();
    let alone = later.heap_bytes_beyond(None);
    let beyond = later.heap_bytes_beyond(Some(&copy));
    println!("a checkpoint holds {alone} bytes; one 2 s later adds {beyond} to it");
    assert!(world.completed_operations().count() >= 5_000, "the history is full");
    assert!(beyond * 5 < alone, "most of the world (its 5,000-operation history) is shared: {beyond} of {alone}");
    // What a clone allocates is what it does not share: far less than the world.
    let before = live();
    let clone = world.clone_without_trace_records();
    let allocated = live() - before;
    drop(clone);
    assert!(allocated * 5 < alone, "a checkpoint copy allocates {allocated} of the world's {alone} bytes");
}
