//! The write load (`set-write-load`): a steady stream of generated client operations. It draws nothing from
//! the RNG — which client does what follows from a counter — so a long soak records one command and replays
//! exactly. Without a mix every operation is a put (the load as it was before mixes existed); with one, the
//! kinds are interleaved by their weights (smooth weighted round robin, as nginx balances upstreams: over any
//! `total` consecutive operations each kind appears exactly its weight's number of times, spread out).

use crate::sim::raft::message::ClientOp;
use crate::sim::types::{ClientId, Time};
use crate::sim::world::command::WriteMix;

/// Microseconds per second: a rate of `n` per second ticks every `US_PER_SECOND / n` µs.
const US_PER_SECOND: u64 = 1_000_000;
/// Keys the generated operations cycle through.
const KEYS: u64 = 8;

/// The kinds a mix weighs, in [`WriteMix::weights`] order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Put,
    Get,
    Cas,
    Append,
}

const KINDS: [Kind; 4] = [Kind::Put, Kind::Get, Kind::Cas, Kind::Append];

/// The rate in force and where the generated sequence stands.
#[derive(Clone, Debug, Default)]
pub struct WriteLoad {
    /// Generated operations per second (0: none).
    per_second: u64,
    /// Incremented by every new rate: ticks of an older generation are stale and stop.
    generation: u32,
    /// Operations generated so far (numbers the operations; also picks client and key).
    count: u64,
    /// The mix in force (`None`: puts only).
    mix: Option<WriteMix>,
    /// Smooth weighted round robin's running credit per kind, for each key (so that every key sees the whole
    /// mix, whatever the weights' total has in common with the number of keys); reset by every new rate.
    credit: Vec<[i64; 4]>,
    /// What each key would hold if every generated operation had applied in order: where a generated cas
    /// takes its expected value from, so that it applies when nothing interfered and fails when something did.
    expected: Vec<Option<String>>,
}

/// One tick's generated operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GeneratedWrite {
    /// The client that issues it.
    pub(super) client: ClientId,
    /// Its number in the sequence (1, 2, …): the key and value follow from it.
    pub(super) number: u64,
    /// What kind of operation it is.
    kind: Kind,
    /// For a cas, the value it expects.
    expected: Option<String>,
}

impl WriteLoad {
    /// Generated operations per second now in force.
    pub fn per_second(&self) -> u64 {
        self.per_second
    }

    /// The mix in force (`None`: puts only).
    pub fn mix(&self) -> Option<WriteMix> {
        self.mix
    }

    /// Sets a new rate and mix; ticks of the old one become stale. Returns the delay to the first tick and its
    /// generation, unless the load is now off.
    pub(super) fn set_rate(&mut self, per_second: u64, mix: Option<WriteMix>) -> Option<(Time, u32)> {
        debug_assert!(mix.is_none_or(|m| m.weights().iter().any(|&w| w > 0)), "validated: a mix weighs something");
        self.per_second = per_second;
        self.generation += 1;
        self.mix = mix;
        self.credit = vec![[0; 4]; KEYS as usize];
        US_PER_SECOND.checked_div(per_second).map(|interval| (interval.max(1), self.generation))
    }

    /// A tick of `generation` fires: the operation it generates for one of `clients` clients and the delay to
    /// the next tick, or `None` if the tick is stale (a newer rate replaced it) or the load is off.
    pub(super) fn tick(&mut self, generation: u32, clients: usize) -> Option<(GeneratedWrite, Time)> {
        if generation != self.generation || self.per_second == 0 {
            return None;
        }
        debug_assert!(clients > 0, "a configuration has at least one client");
        self.count += 1;
        let client = (self.count % clients as u64) as ClientId;
        let interval = (US_PER_SECOND / self.per_second).max(1);
        let kind = self.next_kind((self.count % KEYS) as usize);
        let write = self.generate(client, kind);
        Some((write, interval))
    }

    /// Operation number `count` of `kind`, and what its key would hold after it.
    fn generate(&mut self, client: ClientId, kind: Kind) -> GeneratedWrite {
        if self.expected.is_empty() {
            self.expected = vec![None; KEYS as usize];
        }
        let key = (self.count % KEYS) as usize;
        let write = GeneratedWrite { client, number: self.count, kind, expected: self.expected[key].clone() };
        match write.op() {
            ClientOp::Put { value, .. } | ClientOp::Cas { value, .. } => self.expected[key] = Some(value),
            ClientOp::Append { value, .. } => self.expected[key].get_or_insert_with(String::new).push_str(&value),
            ClientOp::Get { .. } | ClientOp::Delete { .. } => {}
        }
        write
    }

    /// The next kind for `key` by smooth weighted round robin: every kind earns its weight, the richest (first
    /// on a tie) is chosen and pays the total.
    fn next_kind(&mut self, key: usize) -> Kind {
        let Some(mix) = self.mix else { return Kind::Put };
        let weights = mix.weights();
        let total: u64 = weights.iter().sum();
        let credit = &mut self.credit[key];
        for (credit, weight) in credit.iter_mut().zip(weights) {
            *credit += weight as i64;
        }
        let mut chosen = 0;
        for k in 1..KINDS.len() {
            if credit[k] > credit[chosen] {
                chosen = k;
            }
        }
        credit[chosen] -= total as i64;
        debug_assert!(weights[chosen] > 0, "a kind of weight 0 never has the most credit");
        KINDS[chosen]
    }
}

impl GeneratedWrite {
    /// On key `k{n mod 8}`: `put = n`, `get`, `cas (what the key would hold had every generated operation
    /// applied) → n`, `append "n;"`.
    pub(super) fn op(&self) -> ClientOp {
        let key = format!("k{}", self.number % KEYS);
        let value = self.number.to_string();
        match self.kind {
            Kind::Put => ClientOp::Put { key, value },
            Kind::Get => ClientOp::Get { key },
            Kind::Cas => ClientOp::Cas { key, expected: self.expected.clone(), value },
            Kind::Append => ClientOp::Append { key, value: format!("{value};") },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_rate_makes_the_old_ticks_stale() {
        let mut load = WriteLoad::default();
        assert_eq!(load.set_rate(4, None), Some((250_000, 1)));
        let (write, next) = load.tick(1, 3).expect("a live tick");
        assert_eq!((write.client, write.number, next), (1, 1, 250_000));
        assert_eq!(write.op(), ClientOp::Put { key: "k1".into(), value: "1".into() });
        assert_eq!(load.set_rate(0, None), None, "off: no first tick");
        assert_eq!(load.tick(1, 3), None, "the old generation stops");
        assert_eq!(load.set_rate(2_000_000, None), Some((1, 3)), "at least one microsecond apart");
    }

    /// The kinds generated for each key, in order.
    fn kinds_per_key(mix: WriteMix, n: usize) -> Vec<Vec<Kind>> {
        let mut load = WriteLoad::default();
        let (_, generation) = load.set_rate(10, Some(mix)).unwrap();
        let mut per_key = vec![Vec::new(); KEYS as usize];
        for _ in 0..n {
            let write = load.tick(generation, 2).unwrap().0;
            per_key[(write.number % KEYS) as usize].push(write.kind);
        }
        per_key
    }

    #[test]
    fn a_mix_interleaves_the_kinds_by_weight_on_every_key() {
        for mix in [WriteMix { put: 6, get: 2, cas: 1, append: 1 }, WriteMix { put: 1, get: 1, cas: 1, append: 1 }] {
            let total = mix.weights().iter().sum::<u64>() as usize;
            for sequence in kinds_per_key(mix, 8 * 10 * total) {
                for window in sequence.chunks(total) {
                    let count = |kind| window.iter().filter(|&&k| k == kind).count() as u64;
                    assert_eq!(
                        [count(Kind::Put), count(Kind::Get), count(Kind::Cas), count(Kind::Append)],
                        mix.weights()
                    );
                }
                // Spread out, not in blocks: no kind comes three times in a row.
                assert!(sequence.windows(3).all(|w| !(w[0] == w[1] && w[1] == w[2])), "{sequence:?}");
            }
        }
        let appends_only = kinds_per_key(WriteMix { append: 3, ..WriteMix::default() }, 16);
        assert!(appends_only.iter().flatten().all(|&k| k == Kind::Append));
    }

    #[test]
    fn a_generated_cas_expects_what_the_generated_operations_left() {
        let mut load = WriteLoad::default();
        let (_, generation) = load.set_rate(10, Some(WriteMix { put: 0, cas: 1, append: 2, get: 1 })).unwrap();
        let ops: Vec<ClientOp> = (0..80).map(|_| load.tick(generation, 2).unwrap().0.op()).collect();
        let mut model: Vec<Option<String>> = vec![None; 8];
        for (n, op) in ops.iter().enumerate() {
            let key = (n + 1) % 8;
            assert_eq!(op.key(), format!("k{key}"));
            match op {
                ClientOp::Cas { expected, value, .. } => {
                    assert_eq!(expected, &model[key], "op {}", n + 1);
                    model[key] = Some(value.clone());
                }
                ClientOp::Put { value, .. } => model[key] = Some(value.clone()),
                ClientOp::Append { value, .. } => model[key].get_or_insert_with(String::new).push_str(value),
                ClientOp::Get { .. } | ClientOp::Delete { .. } => {}
            }
        }
        assert!(ops.iter().any(|op| matches!(op, ClientOp::Cas { expected: Some(e), .. } if e.contains(';'))));
        let op = |number, kind| GeneratedWrite { client: 0, number, kind, expected: None }.op();
        assert_eq!(op(9, Kind::Get), ClientOp::Get { key: "k1".into() });
        assert_eq!(op(3, Kind::Cas), ClientOp::Cas { key: "k3".into(), expected: None, value: "3".into() });
        assert_eq!(op(12, Kind::Append), ClientOp::Append { key: "k4".into(), value: "12;".into() });
    }
}
