//! Time travel: seeking anywhere in a one-hour run of 9 nodes under the UI's write load.
//! Budget (DESIGN §6): ≤ 16 ms p95 in the browser (so well under 8 ms natively), checkpoints ≤ 64 MB.
//!
//! The workload is `logscope::sim::scenario::player::seek_bench` (the page's `__logscopeSeekBench` plays the
//! same one): 9 nodes, 8 clients, 40 writes per virtual second, the UI's defaults otherwise, recorded frame
//! by frame at the top speed. The report gives the time to record the hour with and without the player's
//! checkpoints, what the checkpoints hold — counted by a global allocator as what dropping them frees (the
//! parts they share with the live world are not counted), both as bytes asked for and as glibc's chunks
//! (16-byte granules with an 8-byte header, 32 bytes at least) — and p50/p95/max of seeded random seeks.
//! Then criterion times the same seeks.

use criterion::{criterion_group, criterion_main, Criterion};
use logscope::sim::scenario::player::seek_bench::{self, FRAME_US, HOUR_US, LOAD_PER_SECOND};
use logscope::sim::scenario::player::{Player, CHECKPOINTS_MAX, CHECKPOINT_BYTES_MAX, CHECKPOINT_EVENTS};
use logscope::sim::world::command::Command;
use logscope::sim::world::World;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts the bytes live on the heap, so the bench can say what the checkpoints hold.
struct CountingAllocator;

/// Bytes asked for and not yet freed.
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
/// The same allocations as glibc's malloc lays them out (what they really occupy).
static LIVE_CHUNK_BYTES: AtomicUsize = AtomicUsize::new(0);

/// glibc's chunk for a request of `size` bytes on 64-bit: size + 8-byte header, in 16-byte granules, ≥ 32.
fn chunk(size: usize) -> usize {
    (size + 8).div_ceil(16).max(2) * 16
}

fn count(size: usize, sign: isize) {
    let (bytes, chunk) = (size as isize * sign, chunk(size) as isize * sign);
    LIVE_BYTES.fetch_add(bytes as usize, Ordering::Relaxed);
    LIVE_CHUNK_BYTES.fetch_add(chunk as usize, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are updated beside it.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 1);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(layout.size(), -1);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size, 1);
        count(layout.size(), -1);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Seeks measured for the percentiles.
const SEEKS: usize = 300;

fn live() -> (usize, usize) {
    (LIVE_BYTES.load(Ordering::Relaxed), LIVE_CHUNK_BYTES.load(Ordering::Relaxed))
}

/// The same hour on a bare world (no player, no checkpoints), to see what taking checkpoints costs.
fn run_hour_without_checkpoints() -> (World, Duration) {
    let mut world = World::new(seek_bench::config(), 1).expect("the UI's configuration is valid");
    let started = Instant::now();
    world.apply(Command::SetWriteLoad { per_second: LOAD_PER_SECOND, mix: None }).unwrap();
    let mut target = 0;
    while target < HOUR_US {
        target = (target + FRAME_US).min(HOUR_US);
        world.run_until(target);
    }
    (world, started.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The player of the run: with the default limits, or (`browser_spacing`) with the spacing the browser
/// keeps for this run. The same checkpoints take a quarter more bytes natively (64-bit pointers), so the
/// default ceiling thins the native run to twice the browser's spacing; the second figure is the one to
/// compare with the page's.
fn new_player(browser_spacing: bool) -> Player {
    let player = seek_bench::fresh_player();
    if browser_spacing {
        player.with_checkpoint_limits(CHECKPOINT_EVENTS, CHECKPOINTS_MAX, CHECKPOINT_BYTES_MAX * 3 / 2)
    } else {
        player
    }
}

/// Records the hour, reports its cost and the checkpoints' memory, then times seeded seeks one by one.
fn report(browser_spacing: bool) -> Player {
    let (bare, bare_time) = run_hour_without_checkpoints();
    let events = bare.events();
    drop(bare);

    let started = Instant::now();
    let player = seek_bench::record_with(new_player(browser_spacing), HOUR_US, &mut |_| {});
    let record_time = started.elapsed();
    let with_checkpoints = live();
    let world = player.world().clone();
    let (checkpoints, estimate, spacing) =
        (player.checkpoints().len(), player.checkpoints().bytes(), player.checkpoints().spacing());
    drop(player);
    let world_alone = live();
    let limits = if browser_spacing { "the browser's spacing" } else { "default limits" };
    println!("one virtual hour, 9 nodes, 8 clients, {LOAD_PER_SECOND} writes/s: {events} events ({limits})");
    println!(
        "  recorded in {:.2} s with checkpoints, {:.2} s on a bare world",
        record_time.as_secs_f64(),
        bare_time.as_secs_f64()
    );
    println!(
        "  {checkpoints} checkpoints, one every {spacing} events, hold {:.1} MiB asked for, {:.1} MiB in malloc chunks (estimate {:.1} MiB)",
        mib(with_checkpoints.0 - world_alone.0),
        mib(with_checkpoints.1 - world_alone.1),
        mib(estimate),
    );
    drop(world);

    let mut player = seek_bench::record_with(new_player(browser_spacing), HOUR_US, &mut |_| {});
    let mut times: Vec<Duration> = seek_bench::seek_targets(SEEKS, player.horizon_us())
        .into_iter()
        .map(|target| {
            let started = Instant::now();
            player.seek(target);
            let elapsed = started.elapsed();
            assert_eq!(player.world().now(), target, "a seek lands on its time");
            elapsed
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "  {SEEKS} seeks: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(*times.last().unwrap())
    );
    player
}

fn bench(c: &mut Criterion) {
    report(false);
    let mut player = report(true);
    let targets = seek_bench::seek_targets(1_000, player.horizon_us());
    let mut next = 0;
    let mut group = c.benchmark_group("time travel");
    group.sample_size(20);
    group.bench_function("seek to a random time, 1-hour 9-node run, the browser's spacing", |b| {
        b.iter(|| {
            player.seek(targets[next % targets.len()]);
            next += 1;
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
