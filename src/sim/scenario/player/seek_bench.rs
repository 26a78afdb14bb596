//! The time-travel benchmark's workload, one definition for the native criterion bench (`benches/seek.rs`)
//! and the page's `window.__logscopeSeekBench` (`src/ui/page_hooks.rs`, run by `tests/e2e/perf.mjs`), so
//! both measure the same seek: DESIGN §6's "a one-hour, 9-node run under write load".
//!
//! The run is the heaviest the UI offers: 9 nodes, 8 clients, the write load button (40 writes per virtual
//! second), every other knob at its default (checker on, 500 trace records and 5,000 finished operations
//! kept). It is recorded as the page plays it at its top speed (200×), one animation frame at a time.

use crate::sim::config::Config;
use crate::sim::rng::SimRng;
use crate::sim::scenario::player::Player;
use crate::sim::types::Time;

/// The write load button's rate (the UI's `LOAD_RATE_PER_S`).
pub const LOAD_PER_SECOND: u64 = 40;
/// Virtual time per animation frame at the UI's top speed: 200× a 60 Hz frame.
pub const FRAME_US: Time = 3_333_333;
/// One virtual hour.
pub const HOUR_US: Time = 3_600_000_000;

/// The UI's defaults with the largest cluster and the most clients its form allows.
pub fn config() -> Config {
    Config { nodes: 9, clients: 8, ..Config::default() }
}

/// Plays `duration_us` of the workload frame by frame, with the player's checkpoints, calling `on_frame`
/// after each frame (the page yields there; tests count).
pub fn record(duration_us: Time, on_frame: &mut dyn FnMut(&Player)) -> Player {
    record_with(fresh_player(), duration_us, on_frame)
}

/// A player of the workload's configuration and seed, not started.
pub fn fresh_player() -> Player {
    Player::new(config(), 1).expect("the UI's configuration is valid")
}

/// As [`record`], on a fresh `player` of the workload's configuration (say, with other checkpoint limits).
pub fn record_with(mut player: Player, duration_us: Time, on_frame: &mut dyn FnMut(&Player)) -> Player {
    assert_eq!(player.world().config().nodes, config().nodes, "the workload's cluster");
    player.set_load(Some(LOAD_PER_SECOND)).expect("the write load is a valid command");
    let mut target = 0;
    while target < duration_us {
        target = target.saturating_add(FRAME_US).min(duration_us);
        player.advance(target, &|| false);
        on_frame(&player);
    }
    debug_assert_eq!(player.world().now(), duration_us);
    player
}

/// `count` seeded seek targets spread uniformly over `0..=horizon_us`.
pub fn seek_targets(count: usize, horizon_us: Time) -> Vec<Time> {
    let mut rng = SimRng::new(9);
    (0..count).map(|_| rng.range(0, horizon_us)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workload_runs_the_load_and_seeks_land_on_their_targets() {
        let mut frames = 0;
        let mut player = record(10_000_000, &mut |_| frames += 1);
        assert_eq!(frames, 4, "10 s in frames of 3.3 s, the last one short");
        assert_eq!(player.world().config().nodes, 9);
        assert!(player.world().completed_operations().count() > 300, "40 writes a second for 10 s");
        let targets = seek_targets(20, player.horizon_us());
        assert_eq!(targets, seek_targets(20, player.horizon_us()), "seeded");
        for target in targets {
            player.seek(target);
            assert_eq!(player.world().now(), target);
        }
    }
}
