//! Time travel is exact: seeking to any time gives the world a straight run has at that time — the same
//! trace hash, the same event count and the same view (trace records, clients' recent operations, logs,
//! messages in flight, violations) — wherever the nearest checkpoint is and whatever was seeked before.

use logscope::sim::config::Config;
use logscope::sim::rng::SimRng;
use logscope::sim::scenario::player::Player;
use logscope::sim::types::Time;
use logscope::sim::world::command::Command;
use logscope::sim::world::World;

const NEVER: &dyn Fn() -> bool = &|| false;

/// A session of clicks on a loaded 5-node cluster: crashes, restarts, a partition, writes, a paused node.
fn session(seed: u64, end_us: Time, mut at: impl FnMut(&Player)) -> Player {
    let config = Config { nodes: 5, clients: 4, ..Config::default() };
    let mut player = Player::new(config, seed).unwrap();
    player.set_load(Some(40)).unwrap();
    let mut rng = SimRng::new(seed);
    let mut now = 0;
    while now < end_us {
        now = (now + rng.range(50_000, 400_000)).min(end_us);
        player.advance(now, NEVER);
        at(&player);
        let node = rng.below(5);
        let command = match rng.below(16) {
            0 => Command::Crash { node },
            1 => Command::Pause { node },
            2 => Command::Partition { groups: vec![vec![node], (0..5).filter(|&n| n != node).collect()] },
            3 | 4 => Command::Heal,
            5..=7 => Command::Restart { node },
            8..=10 => Command::Resume { node },
            _ => Command::Put {
                client: rng.below(4),
                key: format!("k{}", rng.below(3)),
                value: now.to_string(),
                node: None,
            },
        };
        // A command the world refuses (restarting a running node, …) is fine: the session goes on.
        let _ = player.apply(command);
    }
    player
}

fn same_world(seeked: &World, straight: &World) {
    assert_eq!(seeked.now(), straight.now());
    assert_eq!(
        (seeked.events(), seeked.trace_hash()),
        (straight.events(), straight.trace_hash()),
        "at {} µs",
        seeked.now()
    );
    assert_eq!(seeked.view(), straight.view(), "the view at {} µs", seeked.now());
    assert_eq!(seeked.history(), straight.history(), "the whole history at {} µs", seeked.now());
}

#[test]
fn seeking_to_random_times_equals_running_straight_there() {
    const END_US: Time = 120_000_000;
    for seed in [1, 2, 3] {
        // The straight run: the same session, its world copied at seeded times on the way.
        let mut rng = SimRng::new(seed + 100);
        let mut targets: Vec<Time> = (0..20).map(|_| rng.range(0, END_US)).collect();
        targets.sort_unstable();
        let mut straight: Vec<World> = Vec::new();
        let mut pending = targets.iter().peekable();
        let mut player = session(seed, END_US, |p| {
            while let Some(&&t) = pending.peek() {
                if t > p.world().now() {
                    break;
                }
                if t == p.world().now() {
                    straight.push(p.world().clone());
                }
                pending.next();
            }
        });
        // Targets between the session's stops: replay a copy of the finished session straight to each.
        let scenario = player.world().to_scenario("straight");
        for &t in &targets {
            if straight.iter().any(|w| w.now() == t) {
                continue;
            }
            let mut replay = Player::from_scenario(&scenario).unwrap();
            replay.run_through(t).unwrap();
            straight.push(replay.world().clone());
        }
        assert!(
            player.checkpoints().len() > 5,
            "{} checkpoints: several seeks start from one",
            player.checkpoints().len()
        );
        // Seek in a shuffled order: forwards, backwards, twice to the same time.
        let mut order: Vec<usize> = (0..straight.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        order.push(order[0]);
        for i in order {
            player.seek(straight[i].now());
            same_world(player.world(), &straight[i]);
        }
    }
}
