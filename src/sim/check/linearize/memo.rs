//! The search's memo: every (set of operations linearized, register state) pair already explored. It is the
//! checker's hot spot (a lookup per candidate tried), so a pair is kept as one run of words in a flat arena —
//! no allocation per state — and found by a Zobrist hash that the search updates in O(1) as it places and
//! takes back operations, instead of hashing the whole bitset at every lookup.

use rustc_hash::FxHashMap;

/// A 64-bit mix (SplitMix64's finalizer): a fixed, well-spread pseudo-random word for each operation and
/// each state, so the run is the same everywhere.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The Zobrist word of operation `i` being in the linearized set.
pub(super) fn op_word(i: usize) -> u64 {
    mix(i as u64)
}

/// The Zobrist word of the register holding `state` (the encoded state word of the key, see `search.rs`).
pub(super) fn state_word_hash(state: u64) -> u64 {
    mix(state ^ 0x5bd1_e995_0000_0000)
}

/// The explored pairs, each `words` long (the bitset and the state word).
#[derive(Clone, Debug)]
pub(super) struct Memo {
    words: usize,
    /// Every stored key, back to back.
    arena: Vec<u64>,
    /// Zobrist hash → the newest entry with it; `older[entry]` chains to the previous one (u32::MAX: none).
    newest: FxHashMap<u64, u32>,
    older: Vec<u32>,
}

impl Memo {
    /// An empty memo of keys `words` long, with room for `expected` of them (a correct history needs about
    /// one per operation) so that a small search allocates once.
    pub(super) fn new(words: usize, expected: usize) -> Memo {
        debug_assert!(words >= 2, "a key is a bitset and a state word");
        let mut newest = FxHashMap::default();
        newest.reserve(expected);
        Memo { words, arena: Vec::with_capacity(expected * words), newest, older: Vec::with_capacity(expected) }
    }

    /// Stores `key` (whose Zobrist hash is `hash`) unless it is there already; true if it was new.
    pub(super) fn insert(&mut self, hash: u64, key: &[u64]) -> bool {
        debug_assert_eq!(key.len(), self.words, "every key has the same length");
        let mut entry = self.newest.get(&hash).copied().unwrap_or(u32::MAX);
        let head = entry;
        while entry != u32::MAX {
            let start = entry as usize * self.words;
            if self.arena[start..start + self.words] == *key {
                return false;
            }
            entry = self.older[entry as usize];
        }
        let id = u32::try_from(self.older.len()).expect("fewer than 2^32 states per key (the budget is far lower)");
        self.arena.extend_from_slice(key);
        self.older.push(head);
        self.newest.insert(hash, id);
        true
    }

    /// Pairs stored.
    pub(super) fn len(&self) -> usize {
        self.older.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_each_key_once_even_when_hashes_collide() {
        let mut memo = Memo::new(2, 1);
        assert!(memo.insert(7, &[1, 2]));
        assert!(!memo.insert(7, &[1, 2]));
        assert!(memo.insert(7, &[1, 3]), "same hash, another key: both kept");
        assert!(!memo.insert(7, &[1, 2]), "found down the chain");
        assert!(!memo.insert(7, &[1, 3]));
        assert!(memo.insert(8, &[2, 2]));
        assert_eq!(memo.len(), 3);
    }

    #[test]
    fn zobrist_words_differ() {
        let words: Vec<u64> = (0..1000).map(op_word).collect();
        let mut sorted = words.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), words.len());
        assert_ne!(state_word_hash(0), state_word_hash(1));
    }
}
