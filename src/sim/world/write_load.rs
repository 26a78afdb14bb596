//! The write load (`set-write-load`): a steady stream of generated client writes. It draws nothing from the
//! RNG — which client writes what follows from a counter — so a long soak records one command and replays
//! exactly.

use crate::sim::raft::message::ClientOp;
use crate::sim::types::{ClientId, Time};

/// Microseconds per second: a rate of `n` per second ticks every `US_PER_SECOND / n` µs.
const US_PER_SECOND: u64 = 1_000_000;
/// Keys the generated writes cycle through.
const KEYS: u64 = 8;

/// The rate in force and where the generated sequence stands.
#[derive(Clone, Debug, Default)]
pub struct WriteLoad {
    /// Generated writes per second (0: none).
    per_second: u64,
    /// Incremented by every new rate: ticks of an older generation are stale and stop.
    generation: u32,
    /// Writes generated so far (numbers the writes; also picks client and key).
    count: u64,
}

/// One tick's generated write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GeneratedWrite {
    /// The client that issues it.
    pub(super) client: ClientId,
    /// Its number in the sequence (1, 2, …): the key and value follow from it.
    pub(super) number: u64,
}

impl WriteLoad {
    /// Generated writes per second now in force.
    pub fn per_second(&self) -> u64 {
        self.per_second
    }

    /// Sets a new rate; ticks of the old one become stale. Returns the delay to the first tick and its
    /// generation, unless the load is now off.
    pub(super) fn set_rate(&mut self, per_second: u64) -> Option<(Time, u32)> {
        self.per_second = per_second;
        self.generation += 1;
        US_PER_SECOND.checked_div(per_second).map(|interval| (interval.max(1), self.generation))
    }

    /// A tick of `generation` fires: the write it generates for one of `clients` clients and the delay to the
    /// next tick, or `None` if the tick is stale (a newer rate replaced it) or the load is off.
    pub(super) fn tick(&mut self, generation: u32, clients: usize) -> Option<(GeneratedWrite, Time)> {
        if generation != self.generation || self.per_second == 0 {
            return None;
        }
        debug_assert!(clients > 0, "a configuration has at least one client");
        self.count += 1;
        let client = (self.count % clients as u64) as ClientId;
        let interval = (US_PER_SECOND / self.per_second).max(1);
        Some((GeneratedWrite { client, number: self.count }, interval))
    }
}

impl GeneratedWrite {
    /// `put k{n mod 8} = n`.
    pub(super) fn op(&self) -> ClientOp {
        ClientOp::Put { key: format!("k{}", self.number % KEYS), value: self.number.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_rate_makes_the_old_ticks_stale() {
        let mut load = WriteLoad::default();
        assert_eq!(load.set_rate(4), Some((250_000, 1)));
        let (write, next) = load.tick(1, 3).expect("a live tick");
        assert_eq!((write.client, write.number, next), (1, 1, 250_000));
        assert_eq!(write.op(), ClientOp::Put { key: "k1".into(), value: "1".into() });
        assert_eq!(load.set_rate(0), None, "off: no first tick");
        assert_eq!(load.tick(1, 3), None, "the old generation stops");
        assert_eq!(load.set_rate(2_000_000), Some((1, 3)), "at least one microsecond apart");
    }
}
