//! The one check of a command against the limits (`sim::limits`) and the cluster it is meant for. The scenario
//! parser runs it at parse time (so a file that parses plays), `World::apply` before applying (so the UI and
//! the CLI get the same answer), and the golden interpreter through the world. What only the running world
//! knows (a node that has left, a leader to take a membership change, a record to flip) stays in the world.

use super::Command;
use crate::sim::field_error::FieldError;
use crate::sim::limits::{self, MAX_FSYNC_MS, MAX_KEY_BYTES, MAX_LINK_EXTRA_MS, MAX_NODE_IDS, MAX_VALUE_BYTES};
use crate::sim::limits::{MAX_LATENCY_MS, MAX_WRITE_LOAD_PER_SECOND, MAX_WRITE_MIX_WEIGHT};
use crate::sim::types::{ClientId, NodeId};
use crate::sim::world::clock::clock_rate_ppm;
use crate::sim::world::command::WriteMix;

/// What a command is checked against: how many servers the run has started so far (ids `0..nodes`; an
/// `add-node` raises it for later commands) and how many clients the configuration has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandContext {
    /// Servers started so far, including any that left the cluster.
    pub nodes: usize,
    /// Client endpoints.
    pub clients: usize,
}

impl CommandContext {
    /// Refuses a node id this run has not started (as `field`); the wording every reader of a file shares.
    pub fn node(&self, field: &str, node: NodeId) -> Result<(), FieldError> {
        if node < self.nodes {
            return Ok(());
        }
        let reason =
            format!("node {node} does not exist (the cluster has {} nodes: 0..={})", self.nodes, self.nodes - 1);
        Err(FieldError::new(field, reason))
    }

    /// Refuses a client id the configuration does not have (as `field`).
    pub fn client(&self, field: &str, client: ClientId) -> Result<(), FieldError> {
        if client < self.clients {
            return Ok(());
        }
        let reason =
            format!("client {client} does not exist (config.clients is {}: 0..={})", self.clients, self.clients - 1);
        Err(FieldError::new(field, reason))
    }
}

impl Command {
    /// Checks the command against the limits and the context; the error names the field (relative to the
    /// command: `node`, `groups[1][0]`) and says why. Accepting a command here means the world accepts it,
    /// unless the running cluster's state says otherwise.
    pub fn validate(&self, context: &CommandContext) -> Result<(), FieldError> {
        debug_assert!(context.nodes >= 1 && context.clients >= 1, "a cluster has a node and a client");
        match self {
            Command::Put { client, key, value, node } => {
                client_op(context, *client, key, *node)?;
                at_most("value", value.len(), MAX_VALUE_BYTES, "bytes")
            }
            Command::Get { client, key, node } | Command::Delete { client, key, node } => {
                client_op(context, *client, key, *node)
            }
            Command::Cas { client, key, expected, value, node } => {
                client_op(context, *client, key, *node)?;
                if let Some(expected) = expected {
                    at_most("expected", expected.len(), MAX_VALUE_BYTES, "bytes")?;
                }
                at_most("value", value.len(), MAX_VALUE_BYTES, "bytes")
            }
            Command::Append { client, key, value, node } => {
                client_op(context, *client, key, *node)?;
                if value.is_empty() {
                    return Err(FieldError::new("value", "must not be empty (appending nothing changes nothing)"));
                }
                at_most("value", value.len(), MAX_VALUE_BYTES, "bytes")
            }
            Command::Crash { node }
            | Command::Restart { node }
            | Command::Pause { node }
            | Command::Resume { node }
            | Command::TornWrite { node }
            | Command::FailFsync { node }
            | Command::RemoveNode { node }
            | Command::Promote { node } => context.node("node", *node),
            Command::SetClockRate { node, rate } => {
                context.node("node", *node)?;
                clock_rate_ppm(*rate).map(|_| ()).map_err(in_field("rate"))
            }
            Command::TransferLeadership { to } => context.node("to", *to),
            Command::BitFlip { node, index } => {
                context.node("node", *node)?;
                if *index == 0 {
                    return Err(FieldError::new("index", "must be at least 1 (log indexes start at 1)"));
                }
                Ok(())
            }
            Command::SlowDisk { node, fsync_ms } => {
                context.node("node", *node)?;
                fsync_ms.map_or(Ok(()), |ms| at_most("fsync_ms", ms, MAX_FSYNC_MS, "ms"))
            }
            Command::Partition { groups } => partition(context, groups),
            Command::Heal | Command::SetReadMode { .. } => Ok(()),
            Command::CutLink { from, to } | Command::RepairLink { from, to } => link(context, *from, *to),
            Command::SlowLink { from, to, extra_ms } => {
                link(context, *from, *to)?;
                at_most("extra_ms", *extra_ms, MAX_LINK_EXTRA_MS, "ms")
            }
            Command::SetLoss { probability } => limits::check_loss(*probability).map_err(in_field("probability")),
            Command::SetDuplicate { probability } => {
                limits::check_probability(*probability).map_err(in_field("probability"))
            }
            Command::SetLatency { min_ms, max_ms } => {
                limits::check_range(("min_ms", *min_ms), ("max_ms", *max_ms), MAX_LATENCY_MS)
            }
            Command::SetWriteLoad { per_second, mix } => {
                at_most("per_second", *per_second, MAX_WRITE_LOAD_PER_SECOND, "writes per second")?;
                mix.as_ref().map_or(Ok(()), write_mix)
            }
            Command::SetTimeouts { heartbeat_ms, election_timeout_ms_min, election_timeout_ms_max } => {
                limits::check_timeouts(*heartbeat_ms, *election_timeout_ms_min, *election_timeout_ms_max)
            }
            Command::AddNode { .. } if context.nodes >= MAX_NODE_IDS => Err(FieldError::new(
                "",
                format!("a run can start at most {MAX_NODE_IDS} servers (ids 0..={})", MAX_NODE_IDS - 1),
            )),
            Command::AddNode { .. } => Ok(()),
        }
    }
}

fn in_field(field: &'static str) -> impl Fn(String) -> FieldError {
    move |reason| FieldError::new(field, reason)
}

fn at_most<N: PartialOrd + std::fmt::Display>(field: &str, value: N, max: N, unit: &str) -> Result<(), FieldError> {
    limits::check_at_most(value, max, unit).map_err(|reason| FieldError::new(field, reason))
}

/// A load mix: every weight at most [`MAX_WRITE_MIX_WEIGHT`], and at least one above 0.
fn write_mix(mix: &WriteMix) -> Result<(), FieldError> {
    for (name, weight) in ["put", "get", "cas", "append"].iter().zip(mix.weights()) {
        at_most(&format!("mix.{name}"), weight, MAX_WRITE_MIX_WEIGHT, "as a weight")?;
    }
    if mix.weights().iter().all(|&w| w == 0) {
        return Err(FieldError::new("mix", "needs a weight above 0 for at least one of put, get, cas, append"));
    }
    Ok(())
}

/// `put`, `get`, `delete`, `cas`, `append`: the client exists, the key is 1..=MAX_KEY_BYTES bytes, a forced node exists.
fn client_op(context: &CommandContext, client: ClientId, key: &str, node: Option<NodeId>) -> Result<(), FieldError> {
    context.client("client", client)?;
    if key.is_empty() {
        return Err(FieldError::new("key", "must not be empty"));
    }
    at_most("key", key.len(), MAX_KEY_BYTES, "bytes")?;
    node.map_or(Ok(()), |node| context.node("node", node))
}

/// A one-way link between two existing, different nodes.
fn link(context: &CommandContext, from: NodeId, to: NodeId) -> Result<(), FieldError> {
    context.node("from", from)?;
    context.node("to", to)?;
    if from == to {
        return Err(FieldError::new("to", format!("must differ from `from` ({from}): a node always reaches itself")));
    }
    Ok(())
}

/// At least one group, none empty, every node existing and in at most one group.
fn partition(context: &CommandContext, groups: &[Vec<NodeId>]) -> Result<(), FieldError> {
    if groups.is_empty() {
        return Err(FieldError::new("groups", "must name at least one group (use `heal` to remove partitions)"));
    }
    let mut seen: Vec<(NodeId, usize)> = Vec::new(); // (node, its group)
    for (g, group) in groups.iter().enumerate() {
        if group.is_empty() {
            return Err(FieldError::new(format!("groups[{g}]"), "must not be empty"));
        }
        for (m, &node) in group.iter().enumerate() {
            let field = format!("groups[{g}][{m}]");
            context.node(&field, node)?;
            if let Some(&(_, first)) = seen.iter().find(|(n, _)| *n == node) {
                let reason = if first == g {
                    format!("node {node} appears twice in groups[{g}]")
                } else {
                    format!("node {node} is in both groups[{first}] and groups[{g}]; groups must not overlap")
                };
                return Err(FieldError::new(field, reason));
            }
            seen.push((node, g));
        }
    }
    Ok(())
}
