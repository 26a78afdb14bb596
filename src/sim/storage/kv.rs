//! The replicated state machine: a key-value map plus the client sessions that make retries idempotent. It
//! lives with storage because a snapshot (on the disk) is a copy of it, and it reads only the log's payloads.

use crate::sim::storage::entry::Payload;
use crate::sim::types::{ClientId, Index};
use std::collections::BTreeMap;
use std::rc::Rc;

/// A stored value and the log index of the entry that wrote it (reads report it so the checker can tell
/// whether a read saw something above the HWM).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versioned {
    /// The value.
    pub value: Rc<str>,
    /// Index of the entry that wrote it.
    pub index: Index,
}

/// What applying one entry did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyEffect {
    /// A no-op or a new client write took effect.
    Applied,
    /// A retried client write that was already applied: skipped (idempotent receiver).
    Duplicate,
}

/// The state machine. Cheap to clone for snapshots: values are shared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KvState {
    /// Current contents.
    map: BTreeMap<Rc<str>, Versioned>,
    /// Highest sequence number applied per client (the idempotent-receiver table).
    sessions: BTreeMap<ClientId, u64>,
}

impl KvState {
    /// Applies one committed entry. With `dedup` off (the `no-dedup` break) retries are applied again.
    pub fn apply(&mut self, index: Index, payload: &Payload, dedup: bool) -> ApplyEffect {
        if let Some((client, seq)) = payload.client_seq() {
            let last = self.sessions.entry(client).or_insert(0);
            if dedup && seq <= *last {
                return ApplyEffect::Duplicate;
            }
            *last = (*last).max(seq);
        }
        match payload {
            Payload::Noop | Payload::Config { .. } => {}
            Payload::Put { key, value, .. } => {
                self.map.insert(key.clone(), Versioned { value: value.clone(), index });
            }
            Payload::Delete { key, .. } => {
                self.map.remove(key);
            }
        }
        ApplyEffect::Applied
    }

    /// Whether `(client, seq)` has already been applied.
    pub fn already_applied(&self, client: ClientId, seq: u64) -> bool {
        self.sessions.get(&client).is_some_and(|last| seq <= *last)
    }

    /// Reads a key.
    pub fn get(&self, key: &str) -> Option<&Versioned> {
        self.map.get(key)
    }

    /// Every key with its value, in key order (views).
    pub fn iter(&self) -> impl Iterator<Item = (&Rc<str>, &Versioned)> {
        self.map.iter()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(seq: u64, key: &str, value: &str) -> Payload {
        Payload::Put { client: 1, seq, key: key.into(), value: value.into() }
    }

    #[test]
    fn retried_writes_apply_once() {
        let mut kv = KvState::default();
        assert_eq!(kv.apply(1, &put(1, "x", "a"), true), ApplyEffect::Applied);
        assert_eq!(kv.apply(2, &put(2, "x", "b"), true), ApplyEffect::Applied);
        assert_eq!(kv.apply(3, &put(1, "x", "a"), true), ApplyEffect::Duplicate);
        assert_eq!(&*kv.get("x").unwrap().value, "b");
        assert_eq!(kv.get("x").unwrap().index, 2);
    }

    #[test]
    fn without_dedup_a_retry_overwrites_again() {
        let mut kv = KvState::default();
        kv.apply(1, &put(1, "x", "a"), false);
        kv.apply(2, &put(2, "x", "b"), false);
        assert_eq!(kv.apply(3, &put(1, "x", "a"), false), ApplyEffect::Applied);
        assert_eq!(&*kv.get("x").unwrap().value, "a");
    }

    #[test]
    fn delete_removes_the_key() {
        let mut kv = KvState::default();
        kv.apply(1, &put(1, "x", "a"), true);
        kv.apply(2, &Payload::Delete { client: 1, seq: 2, key: "x".into() }, true);
        assert!(kv.get("x").is_none());
    }
}
