//! The search of one key, Wing–Gong as improved by Lowe and used by Porcupine: depth first over "which
//! operation takes effect next", pruned by real time, memoizing every (set of operations linearized, register
//! state) already explored. It runs in slices: [`KeySearch::run`] takes a step budget and returns, keeping
//! its whole state (an explicit stack, no recursion), so the UI can spread a long search over frames and a
//! deep history cannot overflow a wasm stack.
//!
//! Two operations are ordered in real time only if one returned strictly before the other was called: equal
//! timestamps count as concurrent (Porcupine's closed intervals; in virtual time "same microsecond" says
//! nothing about order).

use super::memo::{op_word, state_word_hash, Memo};
use super::model::{ValueId, Values};
use super::prepare::LinOp;
use crate::sim::types::Time;

/// Cap on memo memory per key, in 64-bit words of stored keys (8 M words = 64 MiB), so that a key with
/// thousands of operations cannot exhaust memory (a browser tab has little) before the state budget bites.
const MEMO_WORD_BUDGET: u64 = 8 * 1024 * 1024;

/// How a finished search ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SearchOutcome {
    /// Every answered operation was placed: the order (indexes into the key's operations).
    Linearizable { order: Vec<usize> },
    /// The state budget ran out first.
    Inconclusive,
    /// No order exists. `prefix` is the longest order found, `value` the state after it, `blocked` the
    /// answered operation that could not follow it.
    Fails { prefix: Vec<usize>, value: Option<ValueId>, blocked: usize },
}

/// The search of one key, resumable.
#[derive(Clone, Debug)]
pub(super) struct KeySearch {
    ops: Vec<LinOp>,
    values: Values,
    /// 64-bit words of the linearized-set bitset.
    words: usize,
    /// Distinct states allowed before giving up.
    budget: u64,
    /// Answered operations by return time; its first unplaced entry is the real-time bound.
    by_return: Vec<usize>,
    /// Each answered operation's position in `by_return` (`usize::MAX` for optional ones).
    return_rank: Vec<usize>,
    /// The bitset of linearized operations followed by one word for the state (0 absent, id + 1 otherwise):
    /// exactly the memo's key, so looking it up copies nothing.
    current: Vec<u64>,
    /// The register's state now.
    value: Option<ValueId>,
    /// Every (linearized set, state) explored.
    memo: Memo,
    /// The Zobrist hash of `current`, kept up to date as operations are placed and taken back.
    hash: u64,
    /// Distinct states explored.
    states: u64,
    /// (operation linearized at this depth, state before it).
    stack: Vec<(usize, Option<ValueId>)>,
    /// The longest order found so far, its state after, and how many leading entries `stack` shares with it.
    best: Vec<usize>,
    best_value: Option<ValueId>,
    shared: usize,
    /// Everything before these positions (of the invocation order, of `by_return`) is linearized.
    lo_inv: usize,
    lo_ret: usize,
    /// Where the scan for the next candidate resumes after a backtrack.
    cursor: usize,
    /// Answered operations not yet placed.
    remaining: usize,
    outcome: Option<SearchOutcome>,
}

fn bit(set: &[u64], i: usize) -> bool {
    set[i / 64] & (1 << (i % 64)) != 0
}

fn flip(set: &mut [u64], i: usize) {
    set[i / 64] ^= 1 << (i % 64);
}

fn state_word(value: Option<ValueId>) -> u64 {
    value.map_or(0, |v| u64::from(v) + 1)
}

/// What the Zobrist hash changes by when the register goes from `from` to `to`.
fn state_change(from: Option<ValueId>, to: Option<ValueId>) -> u64 {
    state_word_hash(state_word(from)) ^ state_word_hash(state_word(to))
}

impl KeySearch {
    /// A search over `ops` (sorted by invocation, as `prepare` leaves them) with the key's strings.
    pub(super) fn new(ops: Vec<LinOp>, values: Values, state_budget: u64) -> KeySearch {
        debug_assert!(ops.windows(2).all(|w| w[0].invoked <= w[1].invoked), "candidates must form a prefix");
        let n = ops.len();
        let words = n.div_ceil(64).max(1);
        let budget = state_budget.min(MEMO_WORD_BUDGET / (words as u64 + 1)).max(1);
        let mut by_return: Vec<usize> = (0..n).filter(|&i| ops[i].required).collect();
        by_return.sort_by_key(|&i| (ops[i].returned, ops[i].invoked, i));
        let mut return_rank = vec![usize::MAX; n];
        for (rank, &i) in by_return.iter().enumerate() {
            return_rank[i] = rank;
        }
        let remaining = by_return.len();
        let current = vec![0u64; words + 1];
        let hash = state_word_hash(state_word(None));
        let mut memo = Memo::new(words + 1, 2 * n + 1);
        memo.insert(hash, &current);
        let outcome = (remaining == 0).then(|| SearchOutcome::Linearizable { order: Vec::new() });
        KeySearch {
            ops,
            values,
            words,
            budget,
            by_return,
            return_rank,
            current,
            value: None,
            memo,
            hash,
            states: 1,
            stack: Vec::new(),
            best: Vec::new(),
            best_value: None,
            shared: 0,
            lo_inv: 0,
            lo_ret: 0,
            cursor: 0,
            remaining,
            outcome,
        }
    }

    /// The answer, once the search has finished.
    pub(super) fn outcome(&self) -> Option<&SearchOutcome> {
        self.outcome.as_ref()
    }

    /// Distinct states explored so far.
    pub(super) fn states(&self) -> u64 {
        debug_assert_eq!(self.memo.len() as u64, self.states, "one memo entry per state");
        self.states
    }

    /// The operations, the key's strings (appends add to them while searching) and the answer: what a report
    /// is made of.
    pub(super) fn into_parts(self) -> (Vec<LinOp>, Values, Option<SearchOutcome>) {
        (self.ops, self.values, self.outcome)
    }

    /// Runs at most `steps` steps (one step places an operation or takes one back) and returns how many it
    /// used; fewer than `steps` only if the search finished.
    pub(super) fn run(&mut self, steps: u64) -> u64 {
        let mut used = 0;
        while self.outcome.is_none() && used < steps {
            used += 1;
            if !self.advance() {
                self.backtrack();
            }
        }
        used
    }

    /// Tries to place one more operation; false if none can go next from here.
    fn advance(&mut self) -> bool {
        let n = self.ops.len();
        while self.lo_inv < n && bit(&self.current, self.lo_inv) {
            self.lo_inv += 1;
        }
        while self.lo_ret < self.by_return.len() && bit(&self.current, self.by_return[self.lo_ret]) {
            self.lo_ret += 1;
        }
        // An operation may go next only if no unplaced answered operation returned before it was called.
        let bound: Time = self.by_return.get(self.lo_ret).map_or(Time::MAX, |&i| self.ops[i].returned);
        let mut i = self.cursor.max(self.lo_inv);
        while i < n && self.ops[i].invoked <= bound {
            if !bit(&self.current, i) {
                if let Some(next) = self.values.step(self.value, self.ops[i].effect) {
                    flip(&mut self.current, i);
                    self.current[self.words] = state_word(next);
                    let hash = self.hash ^ op_word(i) ^ state_change(self.value, next);
                    if self.memo.insert(hash, &self.current) {
                        self.hash = hash;
                        self.place(i, next);
                        return true;
                    }
                    flip(&mut self.current, i);
                    self.current[self.words] = state_word(self.value);
                }
            }
            i += 1;
        }
        false
    }

    /// Records that operation `i` took effect, leaving the register in `next` (already in `current`).
    fn place(&mut self, i: usize, next: Option<ValueId>) {
        self.states += 1;
        self.stack.push((i, self.value));
        self.value = next;
        self.cursor = 0;
        if self.stack.len() > self.best.len() {
            self.best.truncate(self.shared);
            self.best.extend(self.stack[self.shared..].iter().map(|&(op, _)| op));
            self.shared = self.stack.len();
            self.best_value = next;
        }
        if self.ops[i].required {
            self.remaining -= 1;
            if self.remaining == 0 {
                let order = self.stack.iter().map(|&(op, _)| op).collect();
                self.outcome = Some(SearchOutcome::Linearizable { order });
                return;
            }
        }
        if self.states >= self.budget {
            self.outcome = Some(SearchOutcome::Inconclusive);
        }
    }

    /// Takes the last placed operation back and resumes the scan after it; with nothing left to take back,
    /// the search has failed.
    fn backtrack(&mut self) {
        let Some((op, before)) = self.stack.pop() else {
            let mut placed = vec![0u64; self.words];
            for &op in &self.best {
                flip(&mut placed, op);
            }
            let blocked = self.earliest_required(&placed);
            let prefix = std::mem::take(&mut self.best);
            self.outcome = Some(SearchOutcome::Fails { prefix, value: self.best_value, blocked });
            return;
        };
        flip(&mut self.current, op);
        self.hash ^= op_word(op) ^ state_change(self.value, before);
        self.value = before;
        self.current[self.words] = state_word(before);
        if self.ops[op].required {
            self.remaining += 1;
            self.lo_ret = self.lo_ret.min(self.return_rank[op]);
        }
        self.lo_inv = self.lo_inv.min(op);
        self.shared = self.shared.min(self.stack.len());
        self.cursor = op + 1;
    }

    /// The unplaced answered operation that returned first (ties: called first): the one whose deadline the
    /// search could not meet. There is one while the search is unfinished.
    fn earliest_required(&self, placed: &[u64]) -> usize {
        let blocked = self.by_return.iter().copied().find(|&i| !bit(placed, i));
        debug_assert!(blocked.is_some(), "a failed search leaves an answered operation unplaced");
        blocked.unwrap_or(0)
    }
}
