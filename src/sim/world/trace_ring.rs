//! The trace ring: the newest trace records, kept for views up to a capacity, and the running fingerprint of
//! every record of the run (the determinism check), kept whatever the capacity.

use crate::sim::raft::message::Message;
use crate::sim::types::{NodeId, Time};
use crate::sim::world::chunked::ChunkedDeque;
use crate::sim::world::trace::{fingerprint_delivered, fingerprint_message, Fingerprint, TraceEvent, What};

/// Bounded trace records and the hash over all of them.
#[derive(Clone, Debug)]
pub struct TraceRing {
    /// The newest records, oldest first, in chunks that clones share. Invariant: at most `capacity` of them,
    /// with increasing `seq`, the newest being record `seq` (unless emptied by `without_records`).
    events: ChunkedDeque<TraceEvent>,
    /// How many records are kept (0: none, only the hash; the fast setting for benchmarks and chaos).
    capacity: usize,
    /// Sequence number of the newest record.
    seq: u64,
    /// Hash of every record so far.
    fingerprint: Fingerprint,
    /// Sequence number of the newest interesting record.
    last_interesting: u64,
    /// Records up to this sequence number are hashed but not kept: a replay that will end with at least
    /// `capacity` newer records sets it, and skips copying records that would be dropped before its end.
    skip_until: u64,
}

impl TraceRing {
    /// An empty ring that keeps up to `capacity` records.
    pub fn new(capacity: usize) -> TraceRing {
        TraceRing {
            events: ChunkedDeque::new(),
            capacity,
            seq: 0,
            fingerprint: Fingerprint::new(),
            last_interesting: 0,
            skip_until: 0,
        }
    }

    /// Whether records are kept (callers skip building a record's copy when they are not).
    pub fn keeps_records(&self) -> bool {
        self.capacity > 0
    }

    /// Whether the next record will be kept (not when none are, nor while a replay skips them).
    pub fn keeps_next(&self) -> bool {
        self.capacity > 0 && self.seq >= self.skip_until
    }

    /// Hash and count, but do not keep, the records up to number `seq`: a replay that knows it will make
    /// `capacity` more after them sets it (they would be dropped from the ring before it ends).
    pub fn skip_records_until(&mut self, seq: u64) {
        self.skip_until = seq;
    }

    /// Appends a record (kept if there is room; always hashed).
    pub fn record(&mut self, now: Time, node: Option<NodeId>, what: What) {
        self.seq += 1;
        let f = &mut self.fingerprint;
        f.word(now);
        f.word(node.map_or(u64::MAX, |n| n as u64));
        what.fingerprint(f);
        if what.interesting() {
            self.last_interesting = self.seq;
        }
        if self.capacity > 0 && self.seq > self.skip_until {
            if self.events.len() >= self.capacity {
                self.events.pop_front();
            }
            self.events.push_back(TraceEvent { seq: self.seq, time: now, node, what });
        }
        debug_assert!(self.events.len() <= self.capacity);
    }

    /// Counts and hashes a delivery to `node` without keeping it (the hot path when no records are kept: no
    /// copy of the message is made).
    pub fn hash_delivery(&mut self, now: Time, node: NodeId, message: &Message) {
        debug_assert!(!self.keeps_records(), "a kept delivery goes through `record`");
        let f = &mut self.fingerprint;
        f.word(now);
        f.word(node as u64);
        fingerprint_message(f, message);
        self.seq += 1;
    }

    /// Counts and hashes a delivery to `node` exactly as `record(What::Delivered(message))` does, without
    /// keeping it or copying the message (while a replay skips records it would drop before its end).
    pub fn hash_skipped_delivery(&mut self, now: Time, node: NodeId, message: &Message) {
        debug_assert!(self.keeps_records() && !self.keeps_next(), "only a skipped record is hashed this way");
        self.seq += 1;
        let f = &mut self.fingerprint;
        f.word(now);
        f.word(node as u64);
        fingerprint_delivered(f, message);
    }

    /// A copy with no kept records (the hash and the counts are kept): what a checkpoint stores when
    /// replaying `capacity` records after it costs less than keeping them. A world restored from it shows
    /// the same records as the original once it has recorded `capacity` more.
    pub fn without_records(&self) -> TraceRing {
        TraceRing {
            events: ChunkedDeque::new(),
            capacity: self.capacity,
            seq: self.seq,
            fingerprint: self.fingerprint,
            last_interesting: self.last_interesting,
            skip_until: self.skip_until,
        }
    }

    /// How many records the run has made so far (kept or not).
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The kept records' storage (checkpoints count the chunks they share).
    pub fn records(&self) -> &ChunkedDeque<TraceEvent> {
        &self.events
    }

    /// Hash of every record so far.
    pub fn hash(&self) -> u64 {
        self.fingerprint.0
    }

    /// Sequence number of the newest interesting record (0: none yet).
    pub fn last_interesting(&self) -> u64 {
        self.last_interesting
    }

    /// The kept records, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &TraceEvent> {
        self.events.iter()
    }
}
