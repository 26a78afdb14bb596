//! The sequential specification each key is checked against: one string register that a client can read,
//! overwrite (`put`), clear (`delete`), compare-and-set (`cas`) and append to (`append`). It is the register of
//! Porcupine's etcd model (read/write/cas) and the string of its key-value model (get/put/append) in one.
//!
//! States are interned strings (`None` = absent), so a state is a `u32` and comparing two is one compare: the
//! search memoizes `(operations linearized, state)` pairs by the millions. Appends make new strings; each
//! `(state, appended text)` pair is joined once and remembered.

use std::collections::HashMap;
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

/// One key's interned strings, and the appends already joined.
#[derive(Clone, Debug, Default)]
pub(super) struct Values {
    ids: HashMap<Rc<str>, ValueId>,
    texts: Vec<Rc<str>>,
    /// `(state, appended text) → new state`, so each join and its hashing happen once per pair.
    joined: HashMap<(Option<ValueId>, ValueId), ValueId>,
}

impl Values {
    /// The id of `text`, interning it on first sight.
    pub(super) fn intern(&mut self, text: &str) -> ValueId {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = ValueId::try_from(self.texts.len()).expect("fewer than 2^32 distinct values per key");
        let text: Rc<str> = Rc::from(text);
        self.texts.push(text.clone());
        self.ids.insert(text, id);
        id
    }

    /// The text of an interned id.
    pub(super) fn text(&self, id: ValueId) -> &str {
        &self.texts[id as usize]
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
        if self.texts[text as usize].is_empty() {
            return state;
        }
        let Some(base) = state else { return Some(text) };
        if let Some(&joined) = self.joined.get(&(state, text)) {
            return Some(joined);
        }
        let joined = format!("{}{}", self.texts[base as usize], self.texts[text as usize]);
        let id = self.intern(&joined);
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
        assert_eq!(values.texts.len(), 3, "no new string for a join already known");
        let empty = values.intern("");
        assert_eq!(values.step(None, Effect::Append(empty)), Some(None), "appending nothing to absent");
        assert_eq!(values.step(Some(a), Effect::Append(empty)), Some(Some(a)));
        assert_eq!(values.text(ab), "ab");
    }
}
