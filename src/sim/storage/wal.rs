//! The segmented write-ahead log as it sits on one node's disk.
//!
//! Appends land in the page cache (unsynced) at once; an fsync later moves the durable mark. A crash keeps only
//! the durable prefix (plus, if armed, one torn record that recovery must detect by its CRC and cut off).

use crate::sim::storage::entry::{Entry, EntryRef};
use crate::sim::storage::segment::Segment;
use crate::sim::types::{Index, Term};
use std::collections::VecDeque;
use std::rc::Rc;

/// What a recovery scan found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryScan {
    /// First record whose CRC did not match; it and everything after it were cut off.
    pub bad_record: Option<Index>,
    /// Last index the log reached before the cut (what the node once held durably).
    pub last_before_cut: Index,
}

/// Segments removed by the cleaner, as `(base_index, last_index)`.
pub type DeletedSegment = (Index, Index);

/// The log. Invariants (asserted in debug builds and checked by the checker's I16): segments are contiguous,
/// only the last one is unsealed, and `start < first_index()`.
#[derive(Clone, Debug)]
pub struct Wal {
    segments: VecDeque<Segment>,
    /// Index just before the first entry the log can hold: the boundary covered by the snapshot (0 at first).
    start: Index,
    /// Term of the entry at `start` (0 at first), needed for the AppendEntries check right after a snapshot.
    start_term: Term,
    /// Every entry at or below this index is durable.
    synced: Index,
    /// Entries per segment before it is sealed.
    segment_entries: usize,
}

impl Wal {
    /// An empty log whose segments hold `segment_entries` entries each.
    pub fn new(segment_entries: usize) -> Wal {
        let mut segments = VecDeque::new();
        segments.push_back(Segment::new(1));
        Wal { segments, start: 0, start_term: 0, synced: 0, segment_entries }
    }

    /// Index before the first entry (covered by a snapshot, or 0).
    pub fn start(&self) -> Index {
        self.start
    }

    /// First index the log still holds or will hold.
    pub fn first_index(&self) -> Index {
        self.segments.front().map_or(self.start + 1, |s| s.base_index)
    }

    /// Last index written (synced or not); `start` when empty.
    pub fn last_index(&self) -> Index {
        self.segments.back().map_or(self.start, |s| s.last_index())
    }

    /// Highest durable index.
    pub fn synced_index(&self) -> Index {
        self.synced
    }

    /// Term of the last entry (or of the snapshot boundary).
    pub fn last_term(&self) -> Term {
        self.term_at(self.last_index()).unwrap_or(self.start_term)
    }

    /// Term at `index` if it is known: the entry's term, the snapshot boundary's term, or 0 for index 0.
    pub fn term_at(&self, index: Index) -> Option<Term> {
        if index == self.start {
            return Some(self.start_term);
        }
        self.entry(index).map(|e| e.term)
    }

    /// The stored record at `index` (its CRC is not checked here).
    pub fn entry(&self, index: Index) -> Option<&EntryRef> {
        let first = self.first_index();
        if index < first || index > self.last_index() {
            return None;
        }
        // Segments are equally sized except for truncations; a short scan from the back is cheapest for the
        // common case (recent entries).
        self.segments.iter().rev().find(|s| s.base_index <= index).and_then(|s| s.get(index))
    }

    /// Up to `max` records starting at `from`.
    pub fn entries(&self, from: Index, max: usize) -> Vec<EntryRef> {
        let mut out = Vec::with_capacity(max.min(64));
        let mut index = from;
        while out.len() < max {
            match self.entry(index) {
                Some(e) => out.push(e.clone()),
                None => break,
            }
            index += 1;
        }
        out
    }

    /// Appends one record after the last; rolls to a new segment when the active one is full.
    pub fn append(&mut self, entry: Entry) {
        debug_assert_eq!(entry.index, self.last_index() + 1, "appends must be contiguous");
        let next = entry.index;
        let needs_new = match self.segments.back() {
            None => true,
            Some(s) => s.sealed || s.entries.len() >= self.segment_entries,
        };
        if needs_new {
            if let Some(s) = self.segments.back_mut() {
                s.sealed = true;
            }
            self.segments.push_back(Segment::new(next));
        }
        let active = self.segments.back_mut().expect("an active segment exists");
        active.entries.push(Rc::new(entry));
        if active.entries.len() >= self.segment_entries {
            active.sealed = true;
        }
    }

    /// Removes `from` and every later record (a conflict with the leader, or recovery). May cross segment
    /// boundaries; the segment that now ends the log becomes active again. Returns how many were removed.
    pub fn truncate_from(&mut self, from: Index) -> u64 {
        let last = self.last_index();
        if from > last {
            return 0;
        }
        let removed = last - from + 1;
        while let Some(s) = self.segments.back() {
            if s.base_index >= from && self.segments.len() > 1 {
                self.segments.pop_back();
            } else {
                break;
            }
        }
        if let Some(s) = self.segments.back_mut() {
            if from >= s.base_index {
                s.entries.truncate((from - s.base_index) as usize);
            } else {
                // Only reachable when `from` is at or below the log's first index: empty the log.
                s.entries.clear();
                s.base_index = from.max(self.start + 1);
            }
            s.sealed = s.entries.len() >= self.segment_entries;
        }
        self.synced = self.synced.min(from.saturating_sub(1)).max(self.start);
        self.debug_check();
        removed
    }

    /// Marks everything up to `index` durable (the completion of an fsync that covered it).
    pub fn mark_synced(&mut self, index: Index) {
        self.synced = self.synced.max(index.min(self.last_index()));
    }

    /// Power loss: the unsynced tail vanishes. With `torn`, the first unsynced record survives half-written:
    /// its bytes no longer match its CRC. Returns how many records were lost.
    pub fn crash(&mut self, torn: bool) -> u64 {
        let torn_record = if torn { self.entry(self.synced + 1).cloned() } else { None };
        let lost = self.truncate_from(self.synced + 1);
        if let Some(record) = torn_record {
            let mut half = (*record).clone();
            half.crc = !half.crc;
            self.append(half);
            return lost - 1;
        }
        lost
    }

    /// Flips one bit of the stored record at `index` (a latent sector error). Returns false if absent.
    pub fn flip_bit(&mut self, index: Index) -> bool {
        let first = self.first_index();
        if index < first || index > self.last_index() {
            return false;
        }
        for s in self.segments.iter_mut() {
            if let Some(offset) = index.checked_sub(s.base_index) {
                if let Some(slot) = s.entries.get_mut(offset as usize) {
                    Rc::make_mut(slot).crc ^= 1 << (index % 32);
                    return true;
                }
            }
        }
        false
    }

    /// Boot-time scan: verify every record's CRC in order and cut the log at the first bad one.
    pub fn recover(&mut self) -> RecoveryScan {
        let last_before_cut = self.last_index();
        let mut bad = None;
        'scan: for s in &self.segments {
            for e in &s.entries {
                if !e.verify() {
                    bad = Some(e.index);
                    break 'scan;
                }
            }
        }
        if let Some(index) = bad {
            self.truncate_from(index);
        }
        self.synced = self.last_index();
        self.debug_check();
        RecoveryScan { bad_record: bad, last_before_cut }
    }

    /// Sealed segments from the front whose every entry is below `lwm`; they are removed and returned.
    /// The active segment is never deleted.
    pub fn delete_below(&mut self, lwm: Index) -> Vec<DeletedSegment> {
        let mut deleted = Vec::new();
        while self.segments.len() > 1 {
            let s = self.segments.front().expect("non-empty");
            if !s.sealed || s.last_index() >= lwm {
                break;
            }
            let (base, last) = (s.base_index, s.last_index());
            let last_term = s.entries.last().map(|e| e.term).unwrap_or(self.start_term);
            self.segments.pop_front();
            self.start = last;
            self.start_term = last_term;
            deleted.push((base, last));
        }
        if !deleted.is_empty() {
            debug_assert!(self.first_index() <= lwm, "the segment holding the LWM stays");
            self.debug_check();
        }
        deleted
    }

    /// Throws the whole log away and restarts it right after a snapshot at `(index, term)`
    /// (InstallSnapshot whose boundary does not match our log).
    pub fn reset_to(&mut self, index: Index, term: Term) {
        self.segments.clear();
        self.segments.push_back(Segment::new(index + 1));
        self.start = index;
        self.start_term = term;
        self.synced = index;
        self.debug_check();
    }

    /// The segments, oldest first (for views and the checker).
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments.iter()
    }

    /// Asserts the invariants after a change of shape (debug builds; O(entries), so not after every append).
    fn debug_check(&self) {
        if cfg!(debug_assertions) {
            assert!(
                self.synced <= self.last_index(),
                "synced {} beyond the log's end {}",
                self.synced,
                self.last_index()
            );
            if let Err(problem) = self.check_shape() {
                panic!("WAL shape: {problem}");
            }
        }
    }

    /// Checks contiguity and sealing: `Err` describes the first problem.
    pub fn check_shape(&self) -> Result<(), String> {
        let mut expected = self.first_index();
        if expected != self.start + 1 {
            return Err(format!("first segment starts at {expected}, snapshot boundary is {}", self.start));
        }
        let count = self.segments.len();
        for (k, s) in self.segments.iter().enumerate() {
            if s.base_index != expected {
                return Err(format!("segment {k} starts at {} but {expected} was expected", s.base_index));
            }
            for (offset, e) in s.entries.iter().enumerate() {
                if e.index != s.base_index + offset as Index {
                    return Err(format!("segment {k} holds entry {} at offset {offset}", e.index));
                }
            }
            if k + 1 < count && !s.sealed {
                return Err(format!("segment {k} (base {}) is not the last but unsealed", s.base_index));
            }
            expected = s.last_index() + 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::storage::entry::Payload;

    fn wal_with(n: u64, term: Term, segment_entries: usize) -> Wal {
        let mut wal = Wal::new(segment_entries);
        for i in 1..=n {
            wal.append(Entry::new(i, term, Payload::Noop));
        }
        wal
    }

    #[test]
    fn segments_roll_at_the_configured_size() {
        let wal = wal_with(10, 1, 4);
        let shape: Vec<(Index, Index, bool)> =
            wal.segments().map(|s| (s.base_index, s.last_index(), s.sealed)).collect();
        assert_eq!(shape, vec![(1, 4, true), (5, 8, true), (9, 10, false)]);
        assert_eq!(wal.check_shape(), Ok(()));
    }

    #[test]
    fn truncation_crosses_segment_boundaries_and_reactivates_the_tail() {
        let mut wal = wal_with(10, 1, 4);
        wal.mark_synced(10);
        assert_eq!(wal.truncate_from(3), 8);
        assert_eq!(wal.last_index(), 2);
        assert_eq!(wal.synced_index(), 2);
        let shape: Vec<(Index, Index, bool)> =
            wal.segments().map(|s| (s.base_index, s.last_index(), s.sealed)).collect();
        assert_eq!(shape, vec![(1, 2, false)]);
        wal.append(Entry::new(3, 2, Payload::Noop));
        assert_eq!(wal.term_at(3), Some(2));
        assert_eq!(wal.check_shape(), Ok(()));
    }

    #[test]
    fn crash_keeps_only_the_synced_prefix() {
        let mut wal = wal_with(6, 1, 4);
        wal.mark_synced(4);
        assert_eq!(wal.crash(false), 2);
        assert_eq!(wal.last_index(), 4);
    }

    #[test]
    fn torn_record_is_cut_by_recovery() {
        let mut wal = wal_with(6, 1, 4);
        wal.mark_synced(4);
        wal.crash(true);
        assert_eq!(wal.last_index(), 5, "the torn record is on disk");
        assert!(!wal.entry(5).unwrap().verify());
        let scan = wal.recover();
        assert_eq!(scan, RecoveryScan { bad_record: Some(5), last_before_cut: 5 });
        assert_eq!(wal.last_index(), 4);
    }

    #[test]
    fn bit_flip_is_found_by_the_scan_and_everything_after_it_is_cut() {
        let mut wal = wal_with(9, 1, 4);
        wal.mark_synced(9);
        assert!(wal.flip_bit(3));
        assert!(!wal.flip_bit(42));
        let scan = wal.recover();
        assert_eq!(scan.bad_record, Some(3));
        assert_eq!(scan.last_before_cut, 9);
        assert_eq!(wal.last_index(), 2);
    }

    #[test]
    fn only_sealed_prefix_segments_below_the_lwm_are_deleted() {
        let mut wal = wal_with(10, 1, 4);
        assert_eq!(wal.delete_below(8), vec![(1, 4)], "segment 5..8 still holds index 8");
        assert_eq!(wal.first_index(), 5);
        assert_eq!(wal.term_at(4), Some(1), "the boundary term is remembered");
        assert_eq!(wal.delete_below(100), vec![(5, 8)], "the active segment stays");
        assert_eq!(wal.check_shape(), Ok(()));
        assert_eq!(wal.entry(4), None);
    }

    #[test]
    fn reset_to_a_snapshot_starts_an_empty_log_after_it() {
        let mut wal = wal_with(3, 1, 4);
        wal.reset_to(20, 3);
        assert_eq!((wal.first_index(), wal.last_index(), wal.last_term()), (21, 20, 3));
        wal.append(Entry::new(21, 3, Payload::Noop));
        assert_eq!(wal.check_shape(), Ok(()));
    }
}
