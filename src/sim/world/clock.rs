//! Per-node clocks: a node's local time runs at `rate × virtual time` (DESIGN §3a). The node sees only its own
//! clock (its `Ctx::now`), so its timers and its lease run on it; the world converts a local deadline into the
//! virtual instant it is reached at, to queue the timer event.
//!
//! A rate is a whole number of parts per million (`rate_ppm`, 1,000,000 = 1×), read from a command's decimal
//! rate once (`clock_rate_ppm`: rounded to the nearest millionth) and used in integer arithmetic from then on,
//! so a run gives the same local times natively and in wasm. The products are split at a million
//! (`q·M + r`, with `r·ppm` and `r·M` far below 2⁶⁴), so 64-bit integers are exact for any run shorter than
//! centuries of virtual time, and no 128-bit division is linked into the web bundle. At rate 1× local time is virtual time plus a
//! fixed offset (0 unless the rate was changed and set back), computed without a multiplication: a run that
//! never touches a clock is the run it was before clocks existed.

use crate::sim::limits::MAX_CLOCK_RATE;
use crate::sim::types::Time;

/// Parts per million at rate 1×.
pub const PPM_PER_UNIT: u64 = 1_000_000;

/// One node's clock. Invariant: `rate_ppm ≥ 1`; `local` is continuous and non-decreasing in virtual time
/// (a rate change re-anchors it at the instant of the change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    /// Local microseconds per million virtual microseconds.
    rate_ppm: u64,
    /// Virtual time of the last rate change (0 at start).
    anchor_virtual: Time,
    /// Local time at `anchor_virtual`.
    anchor_local: Time,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { rate_ppm: PPM_PER_UNIT, anchor_virtual: 0, anchor_local: 0 }
    }
}

impl Clock {
    /// The clock's reading at virtual time `now` (rounded down to a whole microsecond).
    pub fn local(&self, now: Time) -> Time {
        debug_assert!(now >= self.anchor_virtual, "a clock is never read before its last rate change");
        let elapsed = now - self.anchor_virtual;
        if self.rate_ppm == PPM_PER_UNIT {
            return self.anchor_local + elapsed;
        }
        self.anchor_local + scale_down(elapsed, self.rate_ppm)
    }

    /// The earliest virtual time at which the clock reads at least `local` (its last rate change if the clock
    /// was already there by then): when a timer set for local time `local` is due.
    pub fn virtual_at(&self, local: Time) -> Time {
        if local <= self.anchor_local {
            return self.anchor_virtual;
        }
        let ahead = local - self.anchor_local;
        if self.rate_ppm == PPM_PER_UNIT {
            return self.anchor_virtual + ahead;
        }
        self.anchor_virtual.saturating_add(scale_up_ceil(ahead, self.rate_ppm))
    }

    /// Local microseconds per million virtual ones.
    pub fn rate_ppm(&self) -> u64 {
        self.rate_ppm
    }

    /// The rate as a number (1.0 = runs with virtual time), for views and descriptions.
    pub fn rate(&self) -> f64 {
        self.rate_ppm as f64 / PPM_PER_UNIT as f64
    }

    /// From virtual time `now` on, the clock runs at `rate_ppm`; the reading at `now` does not jump.
    pub fn set_rate(&mut self, now: Time, rate_ppm: u64) {
        assert!((1..=clock_rate_ppm_max()).contains(&rate_ppm), "a validated clock rate");
        let local_now = self.local(now);
        *self = Clock { rate_ppm, anchor_virtual: now, anchor_local: local_now };
        debug_assert_eq!(self.local(now), local_now, "a rate change does not move the clock");
    }
}

/// `⌊t × ppm / M⌋` (M = 10⁶), exactly: with `t = q·M + r`, `q·ppm + ⌊r·ppm / M⌋` (`r·ppm` < 10¹³).
fn scale_down(t: Time, ppm: u64) -> Time {
    let (q, r) = (t / PPM_PER_UNIT, t % PPM_PER_UNIT);
    q.saturating_mul(ppm).saturating_add(r * ppm / PPM_PER_UNIT)
}

/// `⌈t × M / ppm⌉`, exactly: with `t = q·ppm + r`, `q·M + ⌈r·M / ppm⌉` (`r·M` < 10¹⁴).
fn scale_up_ceil(t: Time, ppm: u64) -> Time {
    let (q, r) = (t / ppm, t % ppm);
    q.saturating_mul(PPM_PER_UNIT).saturating_add((r * PPM_PER_UNIT).div_ceil(ppm))
}

/// The highest rate in parts per million ([`MAX_CLOCK_RATE`] ×).
fn clock_rate_ppm_max() -> u64 {
    MAX_CLOCK_RATE * PPM_PER_UNIT
}

/// A command's decimal rate as parts per million (rounded to the nearest millionth), or why it is refused:
/// not above 0, or above [`MAX_CLOCK_RATE`] (a clock ten times fast already fires a follower's election timer
/// before the first heartbeat arrives; faster ones teach nothing more).
pub fn clock_rate_ppm(rate: f64) -> Result<u64, String> {
    if !(rate > 0.0 && rate <= MAX_CLOCK_RATE as f64) {
        return Err(format!("must be above 0 and at most {MAX_CLOCK_RATE} (× virtual time), got {rate}"));
    }
    let ppm = (rate * PPM_PER_UNIT as f64).round() as u64;
    if ppm == 0 {
        return Err(format!("must be at least 0.000001 (a rate is kept in millionths), got {rate}"));
    }
    Ok(ppm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_rate_one_local_time_is_virtual_time() {
        let clock = Clock::default();
        for t in [0, 1, 999, 123_456_789] {
            assert_eq!(clock.local(t), t);
            assert_eq!(clock.virtual_at(t), t);
        }
    }

    #[test]
    fn a_fast_clock_reaches_a_deadline_sooner_and_a_slow_one_later() {
        let mut fast = Clock::default();
        fast.set_rate(1_000, clock_rate_ppm(2.0).unwrap());
        assert_eq!(fast.local(1_000), 1_000, "no jump at the change");
        assert_eq!(fast.local(2_000), 3_000);
        assert_eq!(fast.virtual_at(3_000), 2_000);
        let mut slow = Clock::default();
        slow.set_rate(0, clock_rate_ppm(0.3).unwrap());
        assert_eq!(slow.local(10), 3);
        // 0.3 µs per µs: local 4 is reached at virtual 14 (13 µs give 3.9, floored to 3).
        assert_eq!(slow.virtual_at(4), 14);
        assert_eq!(slow.local(13), 3);
        assert_eq!(slow.local(14), 4);
    }

    #[test]
    fn virtual_at_is_the_first_instant_the_clock_reads_the_deadline() {
        for rate in [0.001, 0.3, 0.7, 1.0, 1.1, 2.5, 9.999, 10.0] {
            let mut clock = Clock::default();
            clock.set_rate(777, clock_rate_ppm(rate).unwrap());
            for deadline in [777u64, 778, 1_000, 12_345, 999_999] {
                let at = clock.virtual_at(deadline);
                assert!(clock.local(at) >= deadline, "rate {rate}: {deadline} not reached at {at}");
                assert!(at == 777 || clock.local(at - 1) < deadline, "rate {rate}: {deadline} reached before {at}");
            }
        }
    }

    #[test]
    fn the_split_products_are_the_exact_ones() {
        let exact_down = |t: u64, ppm: u64| (t as u128 * ppm as u128 / 1_000_000) as u64;
        let exact_up = |t: u64, ppm: u64| (t as u128 * 1_000_000).div_ceil(ppm as u128) as u64;
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = x % 1_000_000_000_000_000; // up to ~31 years of microseconds
            let ppm = 1 + (x >> 20) % 10_000_000;
            assert_eq!(scale_down(t, ppm), exact_down(t, ppm), "{t} × {ppm}");
            assert_eq!(scale_up_ceil(t, ppm), exact_up(t, ppm), "{t} / {ppm}");
        }
    }

    #[test]
    fn back_to_rate_one_keeps_the_offset() {
        let mut clock = Clock::default();
        clock.set_rate(0, clock_rate_ppm(1.5).unwrap());
        clock.set_rate(1_000, PPM_PER_UNIT);
        assert_eq!(clock.local(1_000), 1_500);
        assert_eq!(clock.local(2_000), 2_500);
        assert_eq!(clock.virtual_at(2_500), 2_000);
    }

    /// Terms a node cut off from the others reaches in two seconds, its clock at `rate`.
    fn lonely_terms(rate: f64) -> u64 {
        use crate::sim::config::Config;
        use crate::sim::types::ms;
        use crate::sim::world::command::Command;
        use crate::sim::world::World;
        let mut world = World::new(Config::default(), 2).unwrap();
        world.run_until(ms(1_000));
        let lonely = (world.top_leader().unwrap() + 1) % 3;
        world.apply(Command::SetClockRate { node: lonely, rate }).unwrap();
        let start = world.servers()[lonely].node().term();
        let others: Vec<usize> = (0..3).filter(|&n| n != lonely).collect();
        world.apply(Command::Partition { groups: vec![vec![lonely], others] }).unwrap();
        world.run_until(ms(3_000));
        assert!(world.violations().is_empty(), "{:?}", world.violations());
        world.servers()[lonely].node().term() - start
    }

    #[test]
    fn timers_run_on_the_nodes_clock() {
        // Election timeouts of 150..300 ms: about 9 in two seconds at 1×, twice as many at 2×, half at 0.5×.
        let (slow, normal, fast) = (lonely_terms(0.5), lonely_terms(1.0), lonely_terms(2.0));
        assert!((5..=14).contains(&normal), "{normal}");
        assert!(fast >= normal * 3 / 2 && slow * 3 / 2 <= normal, "0.5×: {slow}, 1×: {normal}, 2×: {fast}");
    }

    #[test]
    fn a_clock_that_speeds_up_fires_its_queued_timer_sooner() {
        use crate::sim::config::Config;
        use crate::sim::types::ms;
        use crate::sim::world::command::Command;
        use crate::sim::world::World;
        let config = Config { election_timeout_ms_min: 5_000, election_timeout_ms_max: 5_000, ..Config::default() };
        let mut world = World::new(Config { trace_capacity: 10_000, ..config }, 1).unwrap();
        world.run_until(ms(100));
        world.apply(Command::SetClockRate { node: 1, rate: 10.0 }).unwrap();
        world.run_until(ms(1_000));
        // 100 ms at 1× and 900 ms at 10× make 9.1 s on node 1's clock: its 5 s timer has fired, the others' not.
        let fired: Vec<Option<usize>> =
            world.trace().filter(|t| t.text().contains("election timeout")).map(|t| t.node).collect();
        assert_eq!(fired, vec![Some(1)], "only the fast node's timer fired");
        assert_eq!(world.servers()[1].local_now(world.now()), ms(100) + ms(9_000));
    }

    #[test]
    fn rates_out_of_range_are_refused_with_the_reason() {
        for bad in [0.0, -1.0, 10.5, f64::NAN, f64::INFINITY, 1e-9] {
            assert!(clock_rate_ppm(bad).is_err(), "{bad}");
        }
        assert_eq!(clock_rate_ppm(10.0), Ok(10_000_000));
        assert_eq!(clock_rate_ppm(1.0), Ok(PPM_PER_UNIT));
        assert_eq!(clock_rate_ppm(0.9), Ok(900_000));
        assert!(clock_rate_ppm(-1.0).unwrap_err().starts_with("must be above 0 and at most 10"));
    }
}
