//! A deque kept in shared chunks, for the world's long, append-only records (the client history, the trace
//! records, the recorded commands). Time travel keeps hundreds of copies of the world as checkpoints, and
//! these records are most of a world's bytes; here a clone copies a list of chunk pointers and the short
//! unfinished chunk, and every full chunk is shared, read-only, by all the copies that hold it.
//!
//! Only the ends change: `push_back` fills the unfinished chunk and seals it when full; `pop_front` hides
//! the oldest element and drops a chunk once all of its elements are hidden. A sealed chunk is never
//! written again, so sharing it needs no copy-on-write.

use std::collections::VecDeque;
use std::rc::Rc;

/// Elements per chunk: a clone copies at most this many elements (the unfinished chunk) and one pointer per
/// `CHUNK` elements. 32 balances the two for the 5,000-operation history the UI keeps (≈ 1.2 KB of pointers
/// and, on average, 16 copied operations per clone).
pub const CHUNK: usize = 32;

/// A double-ended queue whose clones share its full chunks.
///
/// Invariants: every sealed chunk holds exactly `CHUNK` elements; `hidden < CHUNK`, and it is 0 when there
/// is no sealed chunk; `tail.len() < CHUNK`; `len` counts the visible elements.
#[derive(Clone, Debug)]
pub struct ChunkedDeque<T> {
    /// Full chunks, oldest first, shared between clones.
    sealed: VecDeque<Rc<Vec<T>>>,
    /// Elements popped from the front of the oldest sealed chunk (still allocated, no longer visible).
    hidden: usize,
    /// The newest elements, not yet a full chunk (owned by each clone).
    tail: Vec<T>,
    /// Visible elements.
    len: usize,
}

impl<T> Default for ChunkedDeque<T> {
    fn default() -> Self {
        ChunkedDeque { sealed: VecDeque::new(), hidden: 0, tail: Vec::new(), len: 0 }
    }
}

impl<T> ChunkedDeque<T> {
    /// An empty deque.
    pub fn new() -> Self {
        Self::default()
    }

    /// Visible elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is visible.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends at the back; a chunk that becomes full is sealed (and shared by later clones).
    pub fn push_back(&mut self, value: T) {
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(CHUNK);
        }
        self.tail.push(value);
        self.len += 1;
        if self.tail.len() == CHUNK {
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK));
            self.sealed.push_back(Rc::new(full));
        }
        self.debug_check();
    }

    /// Hides the oldest element (dropping its chunk once the whole chunk is hidden). False if empty.
    pub fn pop_front(&mut self) -> bool {
        if self.len == 0 {
            return false;
        }
        self.len -= 1;
        if self.sealed.is_empty() {
            self.tail.remove(0);
        } else {
            self.hidden += 1;
            if self.hidden == CHUNK {
                self.sealed.pop_front();
                self.hidden = 0;
            }
        }
        self.debug_check();
        true
    }

    /// The visible element at `index` (0 = the oldest visible), if there is one: a replay walks a record
    /// by position without copying it out.
    pub fn get(&self, index: usize) -> Option<&T> {
        if index >= self.len {
            return None;
        }
        // `hidden` counts only within the first sealed chunk (it is 0 when nothing is sealed).
        let i = index + self.hidden;
        let sealed = self.sealed.len() * CHUNK;
        if i < sealed {
            Some(&self.sealed[i / CHUNK][i % CHUNK])
        } else {
            self.tail.get(i - sealed)
        }
    }

    /// The visible elements, oldest first (reversible, for "the newest few").
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        let first = self.sealed.front().map_or(&[][..], |chunk| &chunk[self.hidden..]);
        let middle = self.sealed.iter().skip(1).map(|chunk| chunk.as_slice());
        std::iter::once(first).chain(middle).chain(std::iter::once(self.tail.as_slice())).flat_map(|s| s.iter())
    }

    /// How many of this deque's sealed chunks `other` shares (the same allocation, not equal contents), and
    /// how many sealed chunks this deque has. Checkpoints use it to count only the bytes a copy adds.
    pub fn chunks_shared_with(&self, other: &ChunkedDeque<T>) -> (usize, usize) {
        // Both lists are in append order, so the shared chunks are one run; find where it starts in `other`.
        let shared = match self.sealed.front() {
            Some(first) => match other.sealed.iter().position(|c| Rc::ptr_eq(c, first)) {
                Some(start) => self
                    .sealed
                    .iter()
                    .zip(other.sealed.iter().skip(start))
                    .take_while(|(a, b)| Rc::ptr_eq(a, b))
                    .count(),
                None => match self.sealed.iter().position(|c| other.sealed.front().is_some_and(|o| Rc::ptr_eq(c, o))) {
                    Some(start) => self
                        .sealed
                        .iter()
                        .skip(start)
                        .zip(other.sealed.iter())
                        .take_while(|(a, b)| Rc::ptr_eq(a, b))
                        .count(),
                    None => 0,
                },
            },
            None => 0,
        };
        (shared, self.sealed.len())
    }

    /// Elements in the unfinished chunk (owned by this copy alone).
    pub fn unsealed_len(&self) -> usize {
        self.tail.len()
    }

    fn debug_check(&self) {
        debug_assert!(self.tail.len() < CHUNK && self.hidden < CHUNK.max(1));
        debug_assert!(self.hidden == 0 || !self.sealed.is_empty());
        debug_assert_eq!(self.len + self.hidden, self.sealed.len() * CHUNK + self.tail.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_vecdeque_under_pushes_and_pops() {
        let mut ours = ChunkedDeque::new();
        let mut theirs = VecDeque::new();
        let mut x = 7u64;
        for i in 0..5_000u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            if x >> 62 == 0 {
                assert_eq!(ours.pop_front(), theirs.pop_front().is_some());
            } else {
                ours.push_back(i);
                theirs.push_back(i);
            }
            assert_eq!(ours.len(), theirs.len());
            assert_eq!(ours.iter().next_back(), theirs.back());
            if i % 97 == 0 {
                assert!(ours.iter().eq(theirs.iter()));
                assert!(ours.iter().rev().eq(theirs.iter().rev()));
                assert!((0..=theirs.len()).all(|k| ours.get(k) == theirs.get(k)), "get agrees at every index");
            }
        }
        while ours.pop_front() {}
        assert!(ours.is_empty() && ours.iter().next().is_none());
    }

    #[test]
    fn clones_share_sealed_chunks_and_diverge_independently() {
        let mut a = ChunkedDeque::new();
        for i in 0..(CHUNK * 3 + 5) {
            a.push_back(i);
        }
        let mut b = a.clone();
        assert_eq!(b.chunks_shared_with(&a), (3, 3), "a clone shares every sealed chunk");
        for i in 0..CHUNK {
            b.push_back(1_000 + i);
        }
        b.pop_front();
        assert_eq!(a.len(), CHUNK * 3 + 5, "the original is untouched");
        assert_eq!(a.iter().copied().last(), Some(CHUNK * 3 + 4));
        assert_eq!(b.chunks_shared_with(&a), (3, 4), "three old chunks shared, one new");
        assert_eq!(a.chunks_shared_with(&b), (3, 3));
        for _ in 0..CHUNK {
            b.pop_front();
        }
        assert_eq!(b.chunks_shared_with(&a), (2, 3), "the oldest chunk is gone from b");
        assert_eq!(a.chunks_shared_with(&b), (2, 3), "a's oldest chunk is not in b");
        assert_eq!(b.chunks_shared_with(&ChunkedDeque::new()), (0, 3));
    }
}
