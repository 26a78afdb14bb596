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

/// A client's entry in the idempotent-receiver table: its highest applied sequence number and, if that was a
/// compare-and-set, whether it applied — so that a retry of it gets the same answer, not a second decision.
/// A client has one operation in flight at a time, so the last one is the only one it can still retry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Session {
    /// Highest sequence number applied.
    seq: u64,
    /// The decision of that operation, if it was a compare-and-set.
    cas_applied: Option<bool>,
}

/// The state machine. Cheap to clone for snapshots: values are shared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KvState {
    /// Current contents.
    map: BTreeMap<Rc<str>, Versioned>,
    /// The idempotent-receiver table, per client.
    sessions: BTreeMap<ClientId, Session>,
}

/// What a payload does to one key, given the key's current version: `Some(new)` if it changes it (`new: None`
/// removes it), `None` if it leaves it alone. A compare-and-set also says whether it applied. One function for
/// applying and for the broken dirty read's replay, so the two cannot disagree.
fn effect_on(
    current: Option<&Versioned>,
    index: Index,
    payload: &Payload,
) -> (Option<Option<Versioned>>, Option<bool>) {
    match payload {
        Payload::Noop | Payload::Config { .. } => (None, None),
        Payload::Put { value, .. } => (Some(Some(Versioned { value: value.clone(), index })), None),
        Payload::Delete { .. } => (Some(None), None),
        Payload::Cas { expected, value, .. } => {
            let holds = current.map(|v| &v.value) == expected.as_ref();
            let new = holds.then(|| Some(Versioned { value: value.clone(), index }));
            (new, Some(holds))
        }
        // Appending nothing changes nothing (an absent key stays absent), as in the checker's model.
        Payload::Append { value, .. } if value.is_empty() => (None, None),
        Payload::Append { value, .. } => {
            let joined: Rc<str> = match current {
                Some(v) => Rc::from(format!("{}{value}", v.value)),
                None => value.clone(),
            };
            (Some(Some(Versioned { value: joined, index })), None)
        }
    }
}

/// The key a client payload touches.
fn key_of(payload: &Payload) -> Option<&Rc<str>> {
    match payload {
        Payload::Noop | Payload::Config { .. } => None,
        Payload::Put { key, .. }
        | Payload::Delete { key, .. }
        | Payload::Cas { key, .. }
        | Payload::Append { key, .. } => Some(key),
    }
}

impl KvState {
    /// Applies one committed entry. With `dedup` off (the `no-dedup` break) retries are applied again.
    pub fn apply(&mut self, index: Index, payload: &Payload, dedup: bool) -> ApplyEffect {
        let client_seq = payload.client_seq();
        if let Some((client, seq)) = client_seq {
            if dedup && self.already_applied(client, seq) {
                return ApplyEffect::Duplicate;
            }
        }
        let mut cas_applied = None;
        if let Some(key) = key_of(payload) {
            let (change, decided) = effect_on(self.map.get(key), index, payload);
            cas_applied = decided;
            match change {
                Some(Some(version)) => {
                    self.map.insert(key.clone(), version);
                }
                Some(None) => {
                    self.map.remove(key);
                }
                None => {}
            }
        }
        if let Some((client, seq)) = client_seq {
            let session = self.sessions.entry(client).or_default();
            if seq >= session.seq {
                *session = Session { seq, cas_applied };
            }
        }
        ApplyEffect::Applied
    }

    /// Whether `(client, seq)` has already been applied.
    pub fn already_applied(&self, client: ClientId, seq: u64) -> bool {
        self.sessions.get(&client).is_some_and(|session| seq <= session.seq)
    }

    /// The decision of the compare-and-set `(client, seq)` if it is the client's last applied operation: what
    /// the leader answers, at apply time and to a retry. `None` for any other operation.
    pub fn cas_decision(&self, client: ClientId, seq: u64) -> Option<bool> {
        self.sessions.get(&client).filter(|session| session.seq == seq).and_then(|session| session.cas_applied)
    }

    /// The key's value after applying `later` (entries above what this state covers, in log order) on top of
    /// this state, without changing it, and the index of the entry that last changed it (a delete's own index;
    /// 0 if nothing ever wrote it): the broken `read-above-hwm` read. Deduplication is ignored there, as a dirty
    /// read does not care.
    pub fn value_after<'a>(
        &self,
        key: &str,
        later: impl IntoIterator<Item = (Index, &'a Payload)>,
    ) -> (Option<Rc<str>>, Index) {
        let mut version = self.map.get(key).cloned();
        let mut changed_at = version.as_ref().map_or(0, |v| v.index);
        for (index, payload) in later {
            if key_of(payload).is_some_and(|k| &**k == key) {
                if let (Some(change), _) = effect_on(version.as_ref(), index, payload) {
                    version = change;
                    changed_at = index;
                }
            }
        }
        (version.map(|v| v.value), changed_at)
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

    fn cas(seq: u64, expected: Option<&str>, value: &str) -> Payload {
        Payload::Cas { client: 1, seq, key: "x".into(), expected: expected.map(Rc::from), value: value.into() }
    }

    fn append(seq: u64, value: &str) -> Payload {
        Payload::Append { client: 1, seq, key: "x".into(), value: value.into() }
    }

    #[test]
    fn cas_applies_only_on_the_expected_value_and_remembers_its_decision() {
        let mut kv = KvState::default();
        kv.apply(1, &cas(1, Some("0"), "a"), true);
        assert!(kv.get("x").is_none(), "absent is not \"0\"");
        assert_eq!(kv.cas_decision(1, 1), Some(false));
        kv.apply(2, &cas(2, None, "a"), true);
        assert_eq!((&*kv.get("x").unwrap().value, kv.get("x").unwrap().index), ("a", 2));
        assert_eq!(kv.cas_decision(1, 2), Some(true));
        assert_eq!(kv.cas_decision(1, 1), None, "only the last operation's decision is kept");
        kv.apply(3, &cas(3, Some("a"), "b"), true);
        assert_eq!(&*kv.get("x").unwrap().value, "b");
        // A retry is a duplicate: the state stays, and the decision stays the first one.
        assert_eq!(kv.apply(4, &cas(3, Some("a"), "b"), true), ApplyEffect::Duplicate);
        assert_eq!(kv.cas_decision(1, 3), Some(true));
        // Without dedup the retry decides again, and finds "b": not applied this time.
        kv.apply(5, &cas(3, Some("a"), "b"), false);
        assert_eq!(kv.cas_decision(1, 3), Some(false));
        kv.apply(6, &put(4, "x", ""), true);
        kv.apply(7, &cas(5, None, "c"), true);
        assert_eq!(&*kv.get("x").unwrap().value, "", "an empty value is not an absent key");
        assert_eq!(kv.cas_decision(1, 4), None, "a put has no decision");
    }

    #[test]
    fn append_concatenates_once_and_twice_without_dedup() {
        let mut kv = KvState::default();
        kv.apply(1, &append(1, "a"), true);
        kv.apply(2, &append(2, "b"), true);
        assert_eq!(kv.apply(3, &append(2, "b"), true), ApplyEffect::Duplicate);
        assert_eq!(&*kv.get("x").unwrap().value, "ab");
        kv.apply(4, &append(2, "b"), false);
        assert_eq!(&*kv.get("x").unwrap().value, "abb", "the no-dedup break appends a retry again");
        kv.apply(5, &append(3, ""), true);
        assert_eq!(kv.get("x").unwrap().index, 4, "appending nothing changes nothing");
        let mut empty = KvState::default();
        empty.apply(1, &append(1, ""), true);
        assert!(empty.get("x").is_none());
    }

    #[test]
    fn value_after_replays_later_entries_without_changing_the_state() {
        let mut kv = KvState::default();
        kv.apply(1, &put(1, "x", "a"), true);
        let later = [(2, append(2, "b")), (3, put(3, "y", "other")), (4, cas(4, Some("ab"), "c")), (5, append(5, "d"))];
        assert_eq!(kv.value_after("x", later.iter().map(|(i, p)| (*i, p))), (Some("cd".into()), 5));
        assert_eq!(&*kv.get("x").unwrap().value, "a");
        let deleted = [(2, Payload::Delete { client: 1, seq: 2, key: "x".into() })];
        assert_eq!(kv.value_after("x", deleted.iter().map(|(i, p)| (*i, p))), (None, 2), "a delete's own index");
        assert_eq!(kv.value_after("x", []), (Some("a".into()), 1));
        assert_eq!(kv.value_after("y", []), (None, 0));
    }

    #[test]
    fn delete_removes_the_key() {
        let mut kv = KvState::default();
        kv.apply(1, &put(1, "x", "a"), true);
        kv.apply(2, &Payload::Delete { client: 1, seq: 2, key: "x".into() }, true);
        assert!(kv.get("x").is_none());
    }
}
