//! One WAL segment: a contiguous run of entries that is sealed when full and deleted only as a whole.

use crate::sim::storage::entry::EntryRef;
use crate::sim::types::Index;

/// A file of the segmented log. Invariant: `entries[k].index == base_index + k`.
#[derive(Clone, Debug)]
pub struct Segment {
    /// Index of the first entry this segment holds (or will hold, when empty).
    pub base_index: Index,
    /// Entries in index order.
    pub entries: Vec<EntryRef>,
    /// A sealed segment is full and read-only; only sealed segments may be deleted.
    pub sealed: bool,
}

impl Segment {
    /// An empty active segment whose first entry will be `base_index`.
    pub fn new(base_index: Index) -> Segment {
        Segment { base_index, entries: Vec::new(), sealed: false }
    }

    /// Index of the last entry, or `base_index - 1` when empty.
    pub fn last_index(&self) -> Index {
        self.base_index + self.entries.len() as Index - 1
    }

    /// The entry at `index` if this segment holds it.
    pub fn get(&self, index: Index) -> Option<&EntryRef> {
        if index < self.base_index {
            return None;
        }
        self.entries.get((index - self.base_index) as usize)
    }
}
