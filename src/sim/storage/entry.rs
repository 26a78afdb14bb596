//! Log entries and their checksums: the unit the WAL stores and the leader ships.

use crate::sim::types::{ClientId, Index, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use std::sync::OnceLock;

/// What an entry asks the state machine to do.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Payload {
    /// The empty entry a new leader appends so that it can commit in its own term.
    Noop,
    /// `put(key, value)` from a client; `(client, seq)` identifies it for deduplication.
    Put { client: ClientId, seq: u64, key: Rc<str>, value: Rc<str> },
    /// `delete(key)` from a client.
    Delete { client: ClientId, seq: u64, key: Rc<str> },
    /// `cas(key, expected, value)` from a client: decided when applied (`expected: None` = "key absent").
    Cas { client: ClientId, seq: u64, key: Rc<str>, expected: Option<Rc<str>>, value: Rc<str> },
    /// `append(key, value)` from a client.
    Append { client: ClientId, seq: u64, key: Rc<str>, value: Rc<str> },
    /// A cluster membership change (Raft's single-server change): the voting members from this entry on, and
    /// the learners (members that receive the log but never vote or count toward a quorum). It takes effect as
    /// soon as it is in a log, committed or not; a truncation that removes it reverts it.
    Config {
        members: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        learners: Vec<NodeId>,
    },
}

impl Payload {
    /// The `(client, seq)` of a client write, `None` for a no-op.
    pub fn client_seq(&self) -> Option<(ClientId, u64)> {
        match self {
            Payload::Noop | Payload::Config { .. } => None,
            Payload::Put { client, seq, .. }
            | Payload::Delete { client, seq, .. }
            | Payload::Cas { client, seq, .. }
            | Payload::Append { client, seq, .. } => Some((*client, *seq)),
        }
    }

    /// A short human description: `x=1`, `del x`, `cas x 1→2`, `x+=a`, `no-op`.
    pub fn describe(&self) -> String {
        match self {
            Payload::Noop => "no-op".to_string(),
            Payload::Put { key, value, .. } => format!("{key}={value}"),
            Payload::Delete { key, .. } => format!("del {key}"),
            Payload::Cas { key, expected: Some(expected), value, .. } => format!("cas {key} {expected}→{value}"),
            Payload::Cas { key, expected: None, value, .. } => format!("cas {key} ∅→{value}"),
            Payload::Append { key, value, .. } => format!("{key}+={value}"),
            Payload::Config { members, learners } if learners.is_empty() => {
                format!("config {}", describe_members(members))
            }
            Payload::Config { members, learners } => {
                format!("config {} + learners {}", describe_members(members), describe_members(learners))
            }
        }
    }

    /// The voting members a configuration entry installs, `None` for every other payload.
    pub fn members(&self) -> Option<&[NodeId]> {
        match self {
            Payload::Config { members, .. } => Some(members),
            _ => None,
        }
    }

    /// The learners a configuration entry installs (empty for most), `None` for every other payload.
    pub fn learners(&self) -> Option<&[NodeId]> {
        match self {
            Payload::Config { learners, .. } => Some(learners),
            _ => None,
        }
    }
}

/// One record of the log. `crc` is stored with the record and recomputed whenever it is read; a bit flip on
/// disk makes them disagree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the log.
    pub index: Index,
    /// Term of the leader that created it.
    pub term: Term,
    /// The command.
    pub payload: Payload,
    /// CRC-32 over index, term and payload, as written.
    pub crc: u32,
}

/// Entries are shared between logs and messages without copying; a disk fault copies on write.
pub type EntryRef = Rc<Entry>;

impl Entry {
    /// Creates an entry with a correct checksum.
    pub fn new(index: Index, term: Term, payload: Payload) -> Entry {
        let crc = checksum(index, term, &payload);
        Entry { index, term, payload, crc }
    }

    /// Checksum of the contents as they are now (what the stored `crc` should be). The checker compares
    /// entries by this, so a flipped bit in a stored checksum does not look like a different entry.
    pub fn content_checksum(&self) -> u32 {
        checksum(self.index, self.term, &self.payload)
    }

    /// Recomputes the checksum and compares it with the stored one.
    pub fn verify(&self) -> bool {
        checksum(self.index, self.term, &self.payload) == self.crc
    }
}

/// The CRC-32 (IEEE, reflected, polynomial 0xEDB88320) tables for eight bytes at a time ("slicing by 8"),
/// built once on first use: tables built at compile time put incompressible data into the web bundle
/// (crc32fast's slice-by-16 tables are 16 KB). `TABLES[0]` is the classic byte table; `TABLES[k][b]` is the
/// CRC of byte `b` followed by `k` zero bytes. A record is checksummed several times on its way (append,
/// send, apply, the checker), and eight bytes a step made the checksum a fifth of the event loop's time
/// fall to a few percent. The tables are constants computed lazily, not state: every run sees the same.
fn crc_tables() -> &'static [[u32; 256]; 8] {
    static TABLES: OnceLock<[[u32; 256]; 8]> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut tables = [[0u32; 256]; 8];
        for (i, slot) in tables[0].iter_mut().enumerate() {
            *slot = (0..8).fold(i as u32, |c, _| if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 });
        }
        for k in 1..8 {
            let (done, rest) = tables.split_at_mut(k);
            for (slot, &previous) in rest[0].iter_mut().zip(done[k - 1].iter()) {
                *slot = (previous >> 8) ^ done[0][(previous & 0xFF) as usize];
            }
        }
        tables
    })
}

/// A running CRC-32 (IEEE): the same sums as `crc32fast::Hasher` (a test checks), eight bytes a step.
struct Crc32(u32);

impl Crc32 {
    fn new() -> Crc32 {
        Crc32(!0)
    }

    fn update(&mut self, bytes: &[u8]) {
        let t = crc_tables();
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let low = self.0 ^ u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let high = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
            self.0 = t[7][(low & 0xFF) as usize]
                ^ t[6][((low >> 8) & 0xFF) as usize]
                ^ t[5][((low >> 16) & 0xFF) as usize]
                ^ t[4][(low >> 24) as usize]
                ^ t[3][(high & 0xFF) as usize]
                ^ t[2][((high >> 8) & 0xFF) as usize]
                ^ t[1][((high >> 16) & 0xFF) as usize]
                ^ t[0][(high >> 24) as usize];
        }
        for &b in chunks.remainder() {
            self.0 = t[0][((self.0 ^ b as u32) & 0xFF) as usize] ^ (self.0 >> 8);
        }
    }

    fn finalize(self) -> u32 {
        !self.0
    }
}

/// CRC-32 (IEEE) over the record's fields in a fixed byte layout.
pub fn checksum(index: Index, term: Term, payload: &Payload) -> u32 {
    let mut hasher = Crc32::new();
    hasher.update(&index.to_le_bytes());
    hasher.update(&term.to_le_bytes());
    match payload {
        Payload::Noop => hasher.update(&[0]),
        Payload::Put { client, seq, key, value } => {
            hasher.update(&[1]);
            hasher.update(&(*client as u64).to_le_bytes());
            hasher.update(&seq.to_le_bytes());
            hasher.update(&(key.len() as u64).to_le_bytes());
            hasher.update(key.as_bytes());
            hasher.update(value.as_bytes());
        }
        Payload::Delete { client, seq, key } => {
            hasher.update(&[2]);
            hasher.update(&(*client as u64).to_le_bytes());
            hasher.update(&seq.to_le_bytes());
            hasher.update(key.as_bytes());
        }
        Payload::Cas { client, seq, key, expected, value } => {
            hasher.update(&[4]);
            hasher.update(&(*client as u64).to_le_bytes());
            hasher.update(&seq.to_le_bytes());
            hasher.update(&(key.len() as u64).to_le_bytes());
            hasher.update(key.as_bytes());
            // Absent and present-but-empty must differ: a marker byte, then the length and bytes if present.
            match expected {
                None => hasher.update(&[0]),
                Some(expected) => {
                    hasher.update(&[1]);
                    hasher.update(&(expected.len() as u64).to_le_bytes());
                    hasher.update(expected.as_bytes());
                }
            }
            hasher.update(value.as_bytes());
        }
        Payload::Append { client, seq, key, value } => {
            hasher.update(&[5]);
            hasher.update(&(*client as u64).to_le_bytes());
            hasher.update(&seq.to_le_bytes());
            hasher.update(&(key.len() as u64).to_le_bytes());
            hasher.update(key.as_bytes());
            hasher.update(value.as_bytes());
        }
        Payload::Config { members, learners } => {
            hasher.update(&[3]);
            hasher.update(&(members.len() as u64).to_le_bytes());
            for m in members {
                hasher.update(&(*m as u64).to_le_bytes());
            }
            // Learners follow the members only when there are any, so an entry without learners has the sum it
            // had before learners existed (recorded traces and their hashes stay valid).
            if !learners.is_empty() {
                hasher.update(&[4]);
                hasher.update(&(learners.len() as u64).to_le_bytes());
                for l in learners {
                    hasher.update(&(*l as u64).to_le_bytes());
                }
            }
        }
    }
    hasher.finalize()
}

/// `{n0,n1,n2}`: how traces and the UI print a member set.
pub fn describe_members(members: &[NodeId]) -> String {
    let names: Vec<String> = members.iter().map(|m| format!("n{m}")).collect();
    format!("{{{}}}", names.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(key: &str, value: &str) -> Payload {
        Payload::Put { client: 0, seq: 1, key: key.into(), value: value.into() }
    }

    #[test]
    fn fresh_entries_verify_and_flipped_ones_do_not() {
        let mut entry = Entry::new(3, 2, put("x", "1"));
        assert!(entry.verify());
        entry.crc ^= 1 << 7;
        assert!(!entry.verify());
    }

    #[test]
    fn checksum_covers_every_field() {
        let base = checksum(3, 2, &put("x", "1"));
        assert_ne!(base, checksum(4, 2, &put("x", "1")));
        assert_ne!(base, checksum(3, 3, &put("x", "1")));
        assert_ne!(base, checksum(3, 2, &put("x", "2")));
        // Moving a byte from key to value must change the sum (the key length is part of the layout).
        assert_ne!(checksum(1, 1, &put("ab", "c")), checksum(1, 1, &put("a", "bc")));
        let config = |members: Vec<usize>| Payload::Config { members, learners: vec![] };
        let with_learners = |members: Vec<usize>, learners: Vec<usize>| Payload::Config { members, learners };
        assert_ne!(checksum(1, 1, &config(vec![0, 1])), checksum(1, 1, &with_learners(vec![0, 1], vec![2])));
        assert_ne!(
            checksum(1, 1, &with_learners(vec![0, 1], vec![2])),
            checksum(1, 1, &with_learners(vec![0, 1, 2], vec![]))
        );
        assert_ne!(checksum(1, 1, &config(vec![0, 1])), checksum(1, 1, &config(vec![0, 2])));
        assert_ne!(checksum(1, 1, &config(vec![0, 1])), checksum(1, 1, &config(vec![0, 1, 2])));
        assert_ne!(checksum(1, 1, &config(vec![])), checksum(1, 1, &Payload::Noop));
        let cas = |expected: Option<&str>, value: &str| Payload::Cas {
            client: 0,
            seq: 1,
            key: "x".into(),
            expected: expected.map(Rc::from),
            value: value.into(),
        };
        assert_ne!(checksum(1, 1, &cas(None, "1")), checksum(1, 1, &cas(Some(""), "1")), "absent ≠ empty");
        assert_ne!(checksum(1, 1, &cas(Some("1"), "2")), checksum(1, 1, &cas(Some("12"), "")));
        let append = Payload::Append { client: 0, seq: 1, key: "x".into(), value: "1".into() };
        assert_ne!(checksum(1, 1, &append), checksum(1, 1, &put("x", "1")), "append ≠ put");
    }

    #[test]
    fn crc_matches_crc32fast() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 255, 1000] {
            let mut ours = Crc32::new();
            ours.update(&data[..len]);
            assert_eq!(ours.finalize(), crc32fast::hash(&data[..len]), "length {len}");
        }
        // Fed in pieces of every length, as `checksum` feeds the fields.
        for split in 0..40 {
            let mut ours = Crc32::new();
            ours.update(&data[..split]);
            ours.update(&data[split..100]);
            assert_eq!(ours.finalize(), crc32fast::hash(&data[..100]), "split at {split}");
        }
        let mut ours = Crc32::new();
        ours.update(b"123456789");
        assert_eq!(ours.finalize(), 0xCBF4_3926);
    }
}
