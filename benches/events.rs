//! Simulated events per second: 5 nodes under steady client writes, checker off and on.
//! Budget (DESIGN §6): ≥ 1,000,000 events/s natively with the checker off.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use logscope::sim::config::Config;
use logscope::sim::world::command::Command;
use logscope::sim::world::World;

const EVENTS: u64 = 100_000;

/// A warmed-up 5-node cluster with every client busy writing (clients re-submit as writes finish).
fn steady_writes(checker: bool) -> World {
    let config =
        Config { nodes: 5, clients: 8, checker, trace_capacity: 0, history_capacity: 1_000, ..Config::default() };
    let mut world = World::new(config, 1).unwrap();
    world.run_until(1_000_000);
    world
}

fn run(world: &mut World) {
    let mut done = 0;
    let mut value = 0u64;
    while done < EVENTS {
        for client in 0..8 {
            value += 1;
            let key = format!("k{}", value % 16);
            world.apply(Command::Put { client, key, value: value.to_string(), node: None }).unwrap();
        }
        let before = world.events();
        world.run_events(2_000);
        done += world.events() - before;
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulated events");
    group.throughput(Throughput::Elements(EVENTS));
    group.sample_size(10);
    for checker in [false, true] {
        let name = if checker { "5 nodes steady writes, checker on" } else { "5 nodes steady writes, checker off" };
        group.bench_function(name, |b| {
            b.iter_batched_ref(|| steady_writes(checker), run, criterion::BatchSize::LargeInput)
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
