//! The sequential specification each key is checked against: one string register that a client can read,
//! overwrite (`put`), clear (`delete`), compare-and-set (`cas`) and append to (`append`). It is the register of
//! Porcupine's etcd model (read/write/cas) and the string of its key-value model (get/put/append) in one.
//!
//! States are interned strings (`None` = absent), so a state is a `u32` and comparing two is one compare: the
//! search memoizes `(operations linearized, state)` pairs by the millions. Appends make new strings; a string
//! made by an append is kept as "that state, then this text" (never copied out) with a rolling hash of its
//! contents, and is the same state as any equal string however it was made (a read of it, a put of it,
//! another order of appends): equal hashes are confirmed by comparing the contents.

use rustc_hash::FxHashMap;
use std::rc::Rc;

/// An interned string of one key's table. `Option<ValueId>` is the register's state (`None`: absent).
pub(super) type ValueId = u32;

/// What an operation does to, or observed of, the register. Values are interned in the key's [`Values`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Effect {
    /// A read that returned this state.
    Read(Option<ValueId>),
    /// `put` (`Some`) or `delete` (`None`): the register becomes this state.
    Write(Option<ValueId>),
    /// `append`: the register becomes its string (absent counts as empty) followed by this text.
    Append(ValueId),
    /// `cas`: if the register holds `expected`, it becomes `value`. `applied` is what the operation answered
    /// (`None`: no answer, so it may have gone either way — only the state decides).
    Cas { expected: Option<ValueId>, value: ValueId, applied: Option<bool> },
}

/// The rolling hash's modulus, the Mersenne prime 2^61 − 1, and its base.
const MODULUS: u64 = (1 << 61) - 1;
const BASE: u64 = 1_000_003;

fn mul_mod(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    let folded = (product & u128::from(MODULUS)) + (product >> 61);
    let folded = folded as u64;
    if folded >= MODULUS {
        folded - MODULUS
    } else {
        folded
    }
}

fn add_mod(a: u64, b: u64) -> u64 {
    let sum = a + b;
    if sum >= MODULUS {
        sum - MODULUS
    } else {
        sum
    }
}

/// How a string of the table is made.
#[derive(Clone, Debug)]
enum Content {
    /// Text as written or read.
    Text(Rc<str>),
    /// The string `base` followed by the text `piece` (both ids of the same table).
    Joined { base: ValueId, piece: ValueId },
}

/// One string: how it is made, its length in bytes, its hash and `BASE^len` (to extend the hash).
#[derive(Clone, Debug)]
struct Node {
    content: Content,
    len: usize,
    hash: u64,
    power: u64,
}

/// One key's interned strings, and the appends already joined.
#[derive(Clone, Debug, Default)]
pub(super) struct Values {
    nodes: Vec<Node>,
    /// The string of each `(hash, length)`.
    by_hash: FxHashMap<(u64, usize), ValueId>,
    /// Strings whose `(hash, length)` another, different string took first (a true hash collision: kept
    /// for correctness, looked through in order).
    collided: Vec<ValueId>,
    /// `(state, appended text) → new state`, so each join happens once per pair.
    joined: FxHashMap<(Option<ValueId>, ValueId), ValueId>,
}

impl Values {
    /// The id of `text`, interning it on first sight.
    pub(super) fn intern(&mut self, text: &str) -> ValueId {
        let (hash, power) =
            text.bytes().fold((0, 1), |(h, p), b| (add_mod(mul_mod(h, BASE), u64::from(b) + 1), mul_mod(p, BASE)));
        let same = |values: &Values, id: ValueId| values.equals(id, text);
        if let Some(id) = self.find(hash, text.len(), same) {
            return id;
        }
        self.add(Node { content: Content::Text(Rc::from(text)), len: text.len(), hash, power })
    }

    /// The text of an interned id (appended strings are put together here, for reports).
    pub(super) fn text(&self, id: ValueId) -> String {
        let mut pieces = Vec::new();
        let mut at = id;
        loop {
            match &self.nodes[at as usize].content {
                Content::Text(text) => {
                    pieces.push(text.clone());
                    break;
                }
                Content::Joined { base, piece } => {
                    pieces.push(match &self.nodes[*piece as usize].content {
                        Content::Text(text) => text.clone(),
                        Content::Joined { .. } => Rc::from(self.text(*piece)),
                    });
                    at = *base;
                }
            }
        }
        pieces.iter().rev().map(|p| &**p).collect()
    }

    /// Whether string `id` equals `text`, compared from the end without putting the string together.
    fn equals(&self, id: ValueId, text: &str) -> bool {
        let mut at = id;
        let mut rest = text;
        loop {
            let node = &self.nodes[at as usize];
            if node.len != rest.len() {
                return false;
            }
            match &node.content {
                Content::Text(own) => return **own == *rest,
                Content::Joined { base, piece } => {
                    let piece = &self.nodes[*piece as usize];
                    let Content::Text(piece_text) = &piece.content else { return self.text(at) == rest };
                    let Some(head) = rest.strip_suffix(&**piece_text) else { return false };
                    rest = head;
                    at = *base;
                }
            }
        }
    }

    /// The string with this hash and length that `same` accepts, if the table has it.
    fn find(&self, hash: u64, len: usize, same: impl Fn(&Values, ValueId) -> bool) -> Option<ValueId> {
        let first = self.by_hash.get(&(hash, len)).copied()?;
        if same(self, first) {
            return Some(first);
        }
        self.collided.iter().copied().find(|&id| self.nodes[id as usize].hash == hash && same(self, id))
    }

    fn add(&mut self, node: Node) -> ValueId {
        let id = ValueId::try_from(self.nodes.len()).expect("fewer than 2^32 distinct values per key");
        let key = (node.hash, node.len);
        self.nodes.push(node);
        match self.by_hash.entry(key) {
            std::collections::hash_map::Entry::Occupied(_) => self.collided.push(id),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
        }
        id
    }

    /// Applies `effect` in `state`: the new state, or `None` if the operation cannot happen in that state
    /// (a read of another value, a cas whose answer contradicts the state).
    pub(super) fn step(&mut self, state: Option<ValueId>, effect: Effect) -> Option<Option<ValueId>> {
        match effect {
            Effect::Read(seen) => (seen == state).then_some(state),
            Effect::Write(new) => Some(new),
            Effect::Append(text) => Some(self.append(state, text)),
            Effect::Cas { expected, value, applied } => {
                let holds = state == expected;
                match applied {
                    Some(answer) if answer != holds => None,
                    _ => Some(if holds { Some(value) } else { state }),
                }
            }
        }
    }

    /// `state ++ text`. Appending the empty string changes nothing, so an absent key stays absent (the
    /// key-value store does the same, and Porcupine's model, where absent *is* the empty string, agrees).
    fn append(&mut self, state: Option<ValueId>, text: ValueId) -> Option<ValueId> {
        let piece = &self.nodes[text as usize];
        if piece.len == 0 {
            return state;
        }
        let Some(base) = state else { return Some(text) };
        if let Some(&joined) = self.joined.get(&(state, text)) {
            return Some(joined);
        }
        let (piece_hash, piece_len, piece_power) = (piece.hash, piece.len, piece.power);
        let base_node = &self.nodes[base as usize];
        let hash = add_mod(mul_mod(base_node.hash, piece_power), piece_hash);
        let (len, power) = (base_node.len + piece_len, mul_mod(base_node.power, piece_power));
        let same = |values: &Values, id: ValueId| {
            // The candidate is almost always a text (a value read); a joined one is put together.
            let candidate = match &values.nodes[id as usize].content {
                Content::Text(own) => own.clone(),
                Content::Joined { .. } => Rc::from(values.text(id)),
            };
            let piece = values.text(text);
            candidate.strip_suffix(piece.as_str()).is_some_and(|head| values.equals(base, head))
        };
        let id = match self.find(hash, len, same) {
            Some(id) => id,
            None => self.add(Node { content: Content::Joined { base, piece: text }, len, hash, power }),
        };
        self.joined.insert((state, text), id);
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_see_only_the_state() {
        let mut values = Values::default();
        let one = values.intern("1");
        assert_eq!(values.step(Some(one), Effect::Read(Some(one))), Some(Some(one)));
        assert_eq!(values.step(None, Effect::Read(Some(one))), None);
        assert_eq!(values.step(Some(one), Effect::Read(None)), None);
        assert_eq!(values.step(None, Effect::Read(None)), Some(None));
    }

    #[test]
    fn writes_always_apply() {
        let mut values = Values::default();
        let one = values.intern("1");
        assert_eq!(values.step(None, Effect::Write(Some(one))), Some(Some(one)));
        assert_eq!(values.step(Some(one), Effect::Write(None)), Some(None));
    }

    #[test]
    fn cas_must_agree_with_the_state_unless_its_answer_is_unknown() {
        let mut values = Values::default();
        let (one, two) = (values.intern("1"), values.intern("2"));
        let cas = |expected, applied| Effect::Cas { expected, value: two, applied };
        // Answered "applied": only where the expected value is held.
        assert_eq!(values.step(Some(one), cas(Some(one), Some(true))), Some(Some(two)));
        assert_eq!(values.step(Some(two), cas(Some(one), Some(true))), None);
        assert_eq!(values.step(None, cas(None, Some(true))), Some(Some(two)), "expected absent, found absent");
        // Answered "not applied": only where it is not held, and nothing changes.
        assert_eq!(values.step(Some(two), cas(Some(one), Some(false))), Some(Some(two)));
        assert_eq!(values.step(Some(one), cas(Some(one), Some(false))), None);
        assert_eq!(values.step(Some(one), cas(None, Some(false))), Some(Some(one)));
        // No answer: the state decides.
        assert_eq!(values.step(Some(one), cas(Some(one), None)), Some(Some(two)));
        assert_eq!(values.step(None, cas(Some(one), None)), Some(None));
    }

    #[test]
    fn appends_join_strings_and_equal_strings_are_one_state() {
        let mut values = Values::default();
        let (a, b, ab) = (values.intern("a"), values.intern("b"), values.intern("ab"));
        let after_a = values.step(None, Effect::Append(a)).unwrap();
        assert_eq!(after_a, Some(a), "appending to an absent key");
        let after_ab = values.step(after_a, Effect::Append(b)).unwrap();
        assert_eq!(after_ab, Some(ab), "a joined string is the same state as the same string written");
        assert_eq!(values.step(after_ab, Effect::Read(Some(ab))), after_ab.map(Some));
        assert_eq!(values.step(after_a, Effect::Append(b)), Some(Some(ab)), "the second join is remembered");
        assert_eq!(values.nodes.len(), 3, "no new string for a join already known, nor for one equal to a text");
        let empty = values.intern("");
        assert_eq!(values.step(None, Effect::Append(empty)), Some(None), "appending nothing to absent");
        assert_eq!(values.step(Some(a), Effect::Append(empty)), Some(Some(a)));
        assert_eq!(values.text(ab), "ab");
    }

    #[test]
    fn a_string_made_by_appends_is_one_state_with_the_same_text_read_or_put() {
        let mut values = Values::default();
        let pieces: Vec<ValueId> = ["x 0 1 y", "x 2 3 y", "x 4 5 y"].iter().map(|p| values.intern(p)).collect();
        let mut state = None;
        for &piece in &pieces {
            state = values.step(state, Effect::Append(piece)).unwrap();
        }
        let joined = state.unwrap();
        assert_eq!(values.text(joined), "x 0 1 yx 2 3 yx 4 5 y");
        assert_eq!(values.intern("x 0 1 yx 2 3 yx 4 5 y"), joined, "read later: the same state");
        // Another way to the same text: one append of the last two pieces together.
        let tail = values.intern("x 2 3 yx 4 5 y");
        assert_eq!(values.step(Some(pieces[0]), Effect::Append(tail)), Some(Some(joined)));
        // A text read first, then made by appends, is found by its hash and confirmed by its contents.
        let mut other = Values::default();
        let seen = other.intern("ab");
        let (a, b) = (other.intern("a"), other.intern("b"));
        let after_a = other.step(None, Effect::Append(a)).unwrap();
        assert_eq!(other.step(after_a, Effect::Append(b)), Some(Some(seen)));
        assert_ne!(other.intern("ba"), seen);
    }

    #[test]
    fn a_hash_collision_keeps_different_strings_apart() {
        let mut values = Values::default();
        let one = values.intern("one");
        // Forge a collision: register "two" under the hash and length of "one".
        let key = (values.nodes[one as usize].hash, 3);
        let two = values.add(Node { content: Content::Text(Rc::from("two")), len: 3, hash: key.0, power: 1 });
        assert_eq!(values.collided, vec![two]);
        assert_eq!(values.find(key.0, 3, |v, id| v.equals(id, "two")), Some(two));
        assert_eq!(values.find(key.0, 3, |v, id| v.equals(id, "one")), Some(one));
        assert_eq!(values.find(key.0, 3, |v, id| v.equals(id, "six")), None);
    }
}
