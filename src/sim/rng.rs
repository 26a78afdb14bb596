//! The world's random number generator. One seeded generator drives every random choice (latencies, losses,
//! election timeouts, chaos schedules), so a seed and a command list reproduce a run exactly, natively and in
//! wasm: PCG's output does not depend on the platform's word size.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// Seeded RNG with the few draws the simulation needs.
#[derive(Clone, Debug)]
pub struct SimRng(Pcg64Mcg);

impl SimRng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> SimRng {
        SimRng(Pcg64Mcg::seed_from_u64(seed))
    }

    /// Uniform integer in `low..=high` (returns `low` if `high < low`).
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            low
        } else {
            self.0.gen_range(low..=high)
        }
    }

    /// True with probability `p` (no draw is made when `p` is 0, so turning a fault knob off does not shift
    /// every later random choice).
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.0.gen::<f64>() < p
    }

    /// Uniform index below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0.gen_range(0..n.max(1) as u64) as usize
    }
}
