//! Clients: each issues one operation at a time with a `(client_id, seq)` tag, retries on timeout or on a
//! "not leader" answer (following the hint), and gives up after `client_max_attempts`. Every call and return
//! is recorded with virtual times for the linearizability checker.

use crate::sim::raft::message::ClientOp;
use crate::sim::raft::message::Outcome;
use crate::sim::types::{ClientId, NodeId, Time};
use crate::sim::world::history::{HistoryOp, OpStatus};
use std::collections::VecDeque;
use std::rc::Rc;

/// The operation a client is working on.
#[derive(Clone, Debug)]
pub struct ActiveOp {
    /// What will go into the history.
    pub record: HistoryOp,
    /// The request, shared by every attempt.
    pub op: Rc<ClientOp>,
    /// Node the current attempt went to.
    pub target: NodeId,
}

/// What the world must do for a client after an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientAction {
    /// Send attempt `attempt` of `seq` to `target` and arm its timeout.
    Send { seq: u64, attempt: u32, target: NodeId },
    /// The operation finished (acknowledged or given up); its record is ready for the history.
    Finished,
    /// Nothing to do.
    Idle,
}

/// One client.
#[derive(Clone, Debug)]
pub struct Client {
    /// Id.
    pub id: ClientId,
    next_seq: u64,
    /// Operations waiting, with an optional forced first target.
    pub queue: VecDeque<(ClientOp, Option<NodeId>)>,
    /// The operation in progress.
    pub current: Option<ActiveOp>,
    /// Where the client thinks the leader is.
    pub leader_guess: Option<NodeId>,
    /// Node tried last (round-robin when there is no better idea).
    last_target: NodeId,
    /// The nodes the client can reach, in id order (members change: the world keeps this list current).
    nodes: Vec<NodeId>,
}

impl Client {
    /// A client of a cluster of `nodes` nodes (ids `0..nodes`).
    pub fn new(id: ClientId, nodes: usize) -> Client {
        let nodes: Vec<NodeId> = (0..nodes.max(1)).collect();
        Client {
            id,
            next_seq: 1,
            queue: VecDeque::new(),
            current: None,
            leader_guess: None,
            last_target: nodes[id % nodes.len()],
            nodes,
        }
    }

    /// Replaces the list of nodes the client knows (a node joined or left). A leader guess or a target that
    /// left is forgotten; the next attempt goes to the next node in the list.
    pub fn set_nodes(&mut self, nodes: Vec<NodeId>) {
        if nodes.is_empty() {
            return;
        }
        if self.leader_guess.is_some_and(|g| !nodes.contains(&g)) {
            self.leader_guess = None;
        }
        if !nodes.contains(&self.last_target) {
            self.last_target = self.next_after_in(&nodes, self.last_target);
        }
        self.nodes = nodes;
    }

    /// The node after `node` in id order, wrapping around: the round-robin step.
    fn next_after(&self, node: NodeId) -> NodeId {
        self.next_after_in(&self.nodes, node)
    }

    fn next_after_in(&self, nodes: &[NodeId], node: NodeId) -> NodeId {
        nodes.iter().copied().find(|&n| n > node).unwrap_or(nodes[0])
    }

    /// Queues an operation; starts it if the client is idle.
    pub fn submit(&mut self, op: ClientOp, node: Option<NodeId>, now: Time) -> ClientAction {
        self.queue.push_back((op, node));
        if self.current.is_none() {
            self.start_next(now)
        } else {
            ClientAction::Idle
        }
    }

    /// Starts the next queued operation, if any.
    pub fn start_next(&mut self, now: Time) -> ClientAction {
        let Some((op, forced)) = self.queue.pop_front() else { return ClientAction::Idle };
        let seq = self.next_seq;
        self.next_seq += 1;
        let target = forced.or(self.leader_guess).unwrap_or(self.last_target);
        self.last_target = target;
        let record = HistoryOp {
            client: self.id,
            seq,
            op: op.clone(),
            invoked_us: now,
            completed_us: None,
            status: OpStatus::Pending,
            attempts: 1,
            served_by: None,
        };
        self.current = Some(ActiveOp { record, op: Rc::new(op), target });
        ClientAction::Send { seq, attempt: 1, target }
    }

    /// An answer from `from`. Stale answers (another seq) are ignored.
    pub fn on_reply(
        &mut self,
        seq: u64,
        from: NodeId,
        outcome: &Outcome,
        now: Time,
        max_attempts: u32,
    ) -> ClientAction {
        let Some(active) = self.current.as_mut() else { return ClientAction::Idle };
        if active.record.seq != seq {
            return ClientAction::Idle;
        }
        match outcome {
            Outcome::Ok { value, index } => {
                let value = value.as_ref().map(|v| v.to_string());
                self.finish(OpStatus::Ok { value, index: *index, applied: None }, from, now)
            }
            Outcome::Cas { applied, index } => {
                self.finish(OpStatus::Ok { value: None, index: *index, applied: Some(*applied) }, from, now)
            }
            Outcome::NotLeader { hint } => {
                self.leader_guess = *hint;
                let next = hint.unwrap_or_else(|| self.next_after(from));
                self.retry(next, now, max_attempts)
            }
        }
    }

    /// The current operation got its answer from `from`.
    fn finish(&mut self, status: OpStatus, from: NodeId, now: Time) -> ClientAction {
        let active = self.current.as_mut().expect("an answer finishes the active operation");
        active.record.status = status;
        active.record.completed_us = Some(now);
        active.record.served_by = Some(from);
        if active.op.is_write() {
            self.leader_guess = Some(from);
        }
        ClientAction::Finished
    }

    /// The attempt `attempt` of `seq` timed out.
    pub fn on_timeout(&mut self, seq: u64, attempt: u32, now: Time, max_attempts: u32) -> ClientAction {
        let Some(active) = self.current.as_ref() else { return ClientAction::Idle };
        if active.record.seq != seq || active.record.attempts != attempt {
            return ClientAction::Idle;
        }
        self.leader_guess = None;
        let next = self.next_after(active.target);
        self.retry(next, now, max_attempts)
    }

    fn retry(&mut self, target: NodeId, now: Time, max_attempts: u32) -> ClientAction {
        let active = self.current.as_mut().expect("retry needs an active operation");
        if active.record.attempts >= max_attempts {
            let reason = format!("no answer after {} attempts", active.record.attempts);
            active.record.status = OpStatus::Unknown { reason };
            active.record.completed_us = Some(now);
            return ClientAction::Finished;
        }
        active.record.attempts += 1;
        active.target = target;
        self.last_target = target;
        ClientAction::Send { seq: active.record.seq, attempt: active.record.attempts, target }
    }

    /// Takes the finished operation's record out.
    pub fn take_finished(&mut self) -> Option<HistoryOp> {
        self.current.take().map(|a| a.record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put() -> ClientOp {
        ClientOp::Put { key: "x".into(), value: "1".into() }
    }

    #[test]
    fn not_leader_follows_the_hint_with_the_same_seq() {
        let mut c = Client::new(0, 3);
        assert_eq!(c.submit(put(), Some(1), 0), ClientAction::Send { seq: 1, attempt: 1, target: 1 });
        let a = c.on_reply(1, 1, &Outcome::NotLeader { hint: Some(2) }, 10, 5);
        assert_eq!(a, ClientAction::Send { seq: 1, attempt: 2, target: 2 });
        let a = c.on_reply(1, 2, &Outcome::Ok { value: None, index: 4 }, 20, 5);
        assert_eq!(a, ClientAction::Finished);
        let done = c.take_finished().unwrap();
        assert_eq!((done.attempts, done.completed_us), (2, Some(20)));
        assert_eq!(c.leader_guess, Some(2));
    }

    #[test]
    fn gives_up_with_an_unknown_outcome() {
        let mut c = Client::new(0, 3);
        c.submit(put(), None, 0);
        assert!(matches!(c.on_timeout(1, 1, 5, 2), ClientAction::Send { attempt: 2, .. }));
        assert_eq!(c.on_timeout(1, 1, 6, 2), ClientAction::Idle, "stale timeout");
        assert_eq!(c.on_timeout(1, 2, 7, 2), ClientAction::Finished);
        assert!(matches!(c.take_finished().unwrap().status, OpStatus::Unknown { .. }));
    }
}
