//! The golden-script interpreter: one directive in, the text it prints out. Directives that change the world
//! print `ok`; `show`, `trace`, `clients` and `violations` print state. Every trace
//! line is `TraceEvent::describe`, the formatter the CLI and the UI use. See `tests/testdata/README.md`.

use logscope::sim::breaks::Break;
use logscope::sim::check::linearize::check_history;
use logscope::sim::config::{Config, ReadMode};
use logscope::sim::raft::node::Observation;
use logscope::sim::raft::role::Role;
use logscope::sim::types::{format_time, Index, Time, US_PER_MS};
use logscope::sim::view::NodeView;
use logscope::sim::world::command::Command;
use logscope::sim::world::history::OpStatus;
use logscope::sim::world::status::NodeStatus;
use logscope::sim::world::trace::{TraceEvent, What, CATEGORIES};
use logscope::sim::world::World;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// How far `run-until` looks before giving up, unless the directive says `max=…`.
const RUN_UNTIL_DEFAULT_MAX_US: Time = 5_000 * US_PER_MS;
/// Trace categories `trace` knows: the core's event-log categories, plus `apply` (per-entry applies, split out
/// of `commit` here because they are noise in most lessons).
fn all_categories() -> Vec<&'static str> {
    CATEGORIES.iter().copied().chain(["apply"]).collect()
}

/// Categories `trace` prints unless told otherwise: all but the noisy ones (`+message`, `+timer`, `+apply` or
/// `all` bring them back).
fn default_categories() -> Vec<&'static str> {
    all_categories().into_iter().filter(|c| !["message", "timer", "apply"].contains(c)).collect()
}

/// Runs directives against one world, built by the first directive that needs it.
pub struct Interpreter {
    config: Config,
    seed: u64,
    world: Option<World>,
    /// Sequence number of the last trace record a `trace` directive printed (or skipped).
    traced_to: u64,
}

impl Interpreter {
    pub fn new() -> Interpreter {
        Interpreter { config: Config::default(), seed: 0, world: None, traced_to: 0 }
    }

    /// Runs one directive. `Err` is a script error: a typo, a bad argument, or a command the world refuses
    /// (an unknown node, a bit flip where there is no record).
    pub fn run(&mut self, line: &str) -> Result<String, String> {
        let tokens = tokenize(line)?;
        let words: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let (&name, args) = words.split_first().ok_or("empty directive")?;
        match name {
            "config" => self.configure(args),
            "run" => {
                let [duration] = args else { return Err("usage: run DURATION (e.g. `run 800ms`)".into()) };
                let world = self.world()?;
                let until = world.now() + parse_duration(duration)?;
                world.run_until(until);
                Ok(format!("now {}", format_time(world.now())))
            }
            "step" => {
                let [count] = args else { return Err("usage: step COUNT".into()) };
                let count: u64 = count.parse().map_err(|_| format!("step: `{count}` is not a number of events"))?;
                let world = self.world()?;
                world.run_events(count);
                Ok(format!("now {}", format_time(world.now())))
            }
            "run-until" => self.run_until(args),
            "show" => self.show(args),
            "trace" => self.trace(args),
            "clients" => self.clients(args),
            "linearizability" => {
                expect_no_args(name, args)?;
                Ok(describe_linearizability(self.world()?))
            }
            "violations" => {
                expect_no_args(name, args)?;
                let world = self.world()?;
                if world.violations().is_empty() {
                    return Ok("none".into());
                }
                Ok(world.violations().iter().map(|v| v.describe()).collect::<Vec<_>>().join("\n"))
            }
            _ => {
                let commands = parse_commands(name, args)?;
                let world = self.world()?;
                for command in commands {
                    world.apply(command).map_err(|refusal| format!("the world refuses `{name}`: {refusal}"))?;
                }
                Ok("ok".into())
            }
        }
    }

    /// The world, built from the configuration on first use.
    fn world(&mut self) -> Result<&mut World, String> {
        if self.world.is_none() {
            let mut config = self.config.clone();
            // Every record is kept, so `trace` can print everything since the previous `trace`.
            config.trace_capacity = 1_000_000;
            self.world = Some(World::new(config, self.seed)?);
        }
        Ok(self.world.as_mut().expect("just built"))
    }

    /// `config key=value …`: any field of the scenario format's `config`, plus `seed`, `break=a,b` and ranges
    /// `fsync_ms=2..6`, `latency_ms=5..15`, `election_timeout_ms=150..300` (a single number sets both ends).
    fn configure(&mut self, args: &[&str]) -> Result<String, String> {
        if self.world.is_some() {
            return Err("config must come before any directive that runs the world".into());
        }
        let mut fields = Map::new();
        for arg in args {
            let (key, value) = arg.split_once('=').ok_or_else(|| format!("config: expected key=value, got `{arg}`"))?;
            match key {
                "seed" => self.seed = value.parse().map_err(|_| format!("config: seed `{value}` is not a number"))?,
                "break" | "breaks" => {
                    let names: Vec<Value> = value.split(',').map(|b| Value::String(b.to_string())).collect();
                    for name in value.split(',') {
                        Break::parse(name).map_err(|e| format!("config: {e}"))?;
                    }
                    fields.insert("breaks".into(), Value::Array(names));
                }
                "fsync_ms" | "latency_ms" | "election_timeout_ms" => {
                    let (low, high) = parse_range(value)?;
                    fields.insert(format!("{key}_min"), Value::from(low));
                    fields.insert(format!("{key}_max"), Value::from(high));
                }
                _ => {
                    fields.insert(key.to_string(), scalar(value));
                }
            }
        }
        let config: Config = serde_json::from_value(Value::Object(fields)).map_err(|e| format!("config: {e}"))?;
        config.validate()?;
        self.config = config;
        Ok(describe_config(&self.config, self.seed))
    }

    /// `run-until CONDITION [max=DURATION]`: steps event by event until the condition holds.
    fn run_until(&mut self, args: &[&str]) -> Result<String, String> {
        let (max, condition_words): (Vec<&str>, Vec<&str>) = args.iter().partition(|a| a.starts_with("max="));
        let max_us = match max.as_slice() {
            [] => RUN_UNTIL_DEFAULT_MAX_US,
            [m] => parse_duration(&m["max=".len()..])?,
            _ => return Err("run-until: give max= at most once".into()),
        };
        let condition = Condition::parse(&condition_words)?;
        let world = self.world()?;
        let deadline = world.now() + max_us;
        let mut seen = world.trace().last().map_or(0, |t| t.seq);
        loop {
            if condition.holds(world, &mut seen) {
                return Ok(format!("now {}", format_time(world.now())));
            }
            match world.next_event_time() {
                Some(t) if t <= deadline => {
                    world.step();
                }
                _ => {
                    world.run_until(deadline);
                    return Ok(format!(
                        "TIMEOUT at {}: `{}` still does not hold",
                        format_time(world.now()),
                        condition_words.join(" ")
                    ));
                }
            }
        }
    }

    /// `show [nK …] [kv] [entries]`: one block per node (all nodes unless some are named).
    fn show(&mut self, args: &[&str]) -> Result<String, String> {
        let mut nodes = Vec::new();
        let (mut kv, mut entries) = (false, false);
        for arg in args {
            match *arg {
                "kv" => kv = true,
                "entries" => entries = true,
                other => nodes.push(parse_node(other)?),
            }
        }
        let view = self.world()?.view();
        let mut out = String::new();
        for node in &view.nodes {
            if nodes.is_empty() || nodes.contains(&node.id) {
                describe_node(&mut out, node, view.time_us, kv, entries);
            }
        }
        Ok(out.trim_end().to_string())
    }

    /// `trace [all | category…] [+category] [-category] [nodes=0,2] [grep="TEXT"]…`: the records since the
    /// previous `trace`, in the chosen categories, of the chosen nodes, containing one of the grep texts.
    fn trace(&mut self, args: &[&str]) -> Result<String, String> {
        let mut categories: Vec<&str> = default_categories();
        let mut nodes: Option<Vec<usize>> = None;
        let mut grep: Vec<String> = Vec::new();
        let mut chosen = false;
        for arg in args {
            if let Ok(c) = known_category(arg) {
                // Naming categories prints only those.
                if !std::mem::replace(&mut chosen, true) {
                    categories.clear();
                }
                categories.push(c);
            } else if *arg == "all" {
                categories = all_categories();
            } else if let Some(c) = arg.strip_prefix('+') {
                categories.push(known_category(c)?);
            } else if let Some(c) = arg.strip_prefix('-') {
                let c = known_category(c)?;
                categories.retain(|k| *k != c);
            } else if let Some(list) = arg.strip_prefix("nodes=") {
                nodes = Some(list.split(',').map(parse_node).collect::<Result<_, _>>()?);
            } else if let Some(text) = arg.strip_prefix("grep=") {
                grep.push(text.to_string());
            } else {
                return Err(format!(
                    "trace: unknown option `{arg}` (all, CATEGORY, +CATEGORY, -CATEGORY, nodes=, grep=; categories: {})",
                    all_categories().join(", ")
                ));
            }
        }
        let from = self.traced_to;
        let world = self.world()?;
        let mut lines = Vec::new();
        let mut last = from;
        for event in world.trace().filter(|t| t.seq > from) {
            last = event.seq;
            if !categories.contains(&category(event)) {
                continue;
            }
            if let Some(nodes) = &nodes {
                if !event.node.is_some_and(|n| nodes.contains(&n)) {
                    continue;
                }
            }
            let text = event.describe();
            if grep.is_empty() || grep.iter().any(|g| text.contains(g.as_str())) {
                lines.push(text);
            }
        }
        self.traced_to = last;
        Ok(if lines.is_empty() { "(nothing)".into() } else { lines.join("\n") })
    }

    /// `clients`: each client's finished operations and the one in progress.
    fn clients(&mut self, args: &[&str]) -> Result<String, String> {
        expect_no_args("clients", args)?;
        let world = self.world()?;
        let mut out = String::new();
        for op in world.history() {
            let when = match op.completed_us {
                Some(done) => format!("{} → {}", format_time(op.invoked_us), format_time(done)),
                None => format!("{} → …", format_time(op.invoked_us)),
            };
            let outcome = match &op.status {
                OpStatus::Ok { applied: Some(true), index, .. } => format!("applied at index {index}"),
                OpStatus::Ok { applied: Some(false), index, .. } => format!("not applied (index {index})"),
                OpStatus::Ok { value: Some(v), index, .. } => format!("ok {v} (entry {index})"),
                OpStatus::Ok { value: None, index, .. } if op.op.is_write() => format!("ok at index {index}"),
                OpStatus::Ok { value: None, index, .. } => format!("ok (absent; as of entry {index})"),
                OpStatus::Unknown { reason } => format!("unknown: {reason}"),
                OpStatus::Pending => "pending".into(),
            };
            let by = op.served_by.map_or(String::new(), |n| format!(" by n{n}"));
            let _ = writeln!(out, "c{} #{} {}: {outcome}{by}, {when}", op.client, op.seq, op.op.describe());
        }
        Ok(if out.is_empty() { "(no operations)".into() } else { out.trim_end().to_string() })
    }
}

/// A `run-until` condition.
enum Condition {
    /// Some node is leader.
    AnyLeader,
    /// A node has this role (or status: `crashed`, `up`).
    Role(usize, String),
    /// A node's watermark compares to a number.
    Field { node: usize, field: String, op: String, value: u64 },
    /// A client has no operation in progress.
    ClientIdle(usize),
    /// A trace line containing this text appears.
    Text(String),
}

impl Condition {
    fn parse(words: &[&str]) -> Result<Condition, String> {
        const USAGE: &str = "run-until: expected `leader`, `nK leader|candidate|follower|crashed|up`, \
            `nK FIELD>=N` (term, first, last, durable, hwm, applied, snapshot; also ==, >, <=, <), `cK idle` \
            or a trace text, e.g. `run-until trace=\"n1: becomes leader\"`";
        match words {
            [text] if text.starts_with("trace=") => Ok(Condition::Text(text["trace=".len()..].to_string())),
            ["leader"] => Ok(Condition::AnyLeader),
            [who, what] if who.starts_with('c') => {
                if *what != "idle" {
                    return Err(USAGE.into());
                }
                Ok(Condition::ClientIdle(parse_client(who)?))
            }
            [node, role @ ("leader" | "candidate" | "pre-candidate" | "follower" | "crashed" | "up" | "removed")] => {
                Ok(Condition::Role(parse_node(node)?, role.to_string()))
            }
            [node, comparison] => {
                let node = parse_node(node)?;
                let position = comparison.find(['>', '<', '=']).ok_or(USAGE)?;
                let (field, rest) = comparison.split_at(position);
                let op_len = rest.chars().take_while(|c| matches!(c, '>' | '<' | '=')).count();
                let (op, value) = rest.split_at(op_len);
                if !["term", "first", "last", "durable", "hwm", "applied", "snapshot"].contains(&field)
                    || !["==", ">=", ">", "<=", "<"].contains(&op)
                {
                    return Err(USAGE.into());
                }
                let value = value.parse().map_err(|_| format!("run-until: `{value}` is not a number"))?;
                Ok(Condition::Field { node, field: field.to_string(), op: op.to_string(), value })
            }
            _ => Err(USAGE.into()),
        }
    }

    fn holds(&self, world: &World, seen: &mut u64) -> bool {
        let servers = world.servers();
        match self {
            Condition::AnyLeader => {
                servers.iter().any(|s| s.status() == NodeStatus::Up && s.node().role() == Role::Leader)
            }
            Condition::Role(node, role) => {
                let s = &servers[*node];
                match role.as_str() {
                    "crashed" => s.status() == NodeStatus::Crashed,
                    "removed" => s.status() == NodeStatus::Removed,
                    "up" => s.status() == NodeStatus::Up,
                    "leader" => s.status() == NodeStatus::Up && s.node().role() == Role::Leader,
                    "candidate" => s.status() == NodeStatus::Up && s.node().role() == Role::Candidate,
                    "pre-candidate" => s.status() == NodeStatus::Up && s.node().role() == Role::PreCandidate,
                    _ => s.status() == NodeStatus::Up && s.node().role() == Role::Follower,
                }
            }
            Condition::Field { node, field, op, value } => {
                let s = &servers[*node];
                let wal = &s.disk().wal;
                let actual: u64 = match field.as_str() {
                    "term" => s.node().term(),
                    "first" => wal.first_index(),
                    "last" => wal.last_index(),
                    "durable" => wal.synced_index(),
                    "hwm" => s.node().commit(),
                    "applied" => s.node().applied(),
                    _ => s.disk().durable_snapshot_index(),
                };
                match op.as_str() {
                    "==" => actual == *value,
                    ">=" => actual >= *value,
                    ">" => actual > *value,
                    "<=" => actual <= *value,
                    _ => actual < *value,
                }
            }
            Condition::ClientIdle(client) => {
                !world.history().iter().any(|op| op.client == *client && op.status == OpStatus::Pending)
            }
            Condition::Text(text) => {
                let from = *seen;
                let mut found = false;
                for event in world.trace().filter(|t| t.seq > from) {
                    *seen = event.seq;
                    found |= event.describe().contains(text.as_str());
                }
                found
            }
        }
    }
}

/// `linearizability`: the verdict on the client history so far (operations still running count as "may have
/// happened"), and for each key that fails, the operation that could not be placed.
fn describe_linearizability(world: &World) -> String {
    let report = check_history(&world.finished_history());
    if report.is_linearizable() {
        return "linearizable".into();
    }
    let mut lines = vec![report.summary().split(';').next().unwrap_or_default().to_string()];
    for failure in report.failures() {
        if let Some(op) = failure.blocked_op() {
            lines.push(format!("key {}: no order fits {}", failure.key, op.label()));
        }
    }
    lines.join("\n")
}

/// The category `trace` filters on: the core's, with per-entry applies split from commit-index moves.
fn category(event: &TraceEvent) -> &'static str {
    match &event.what {
        What::Observed(Observation::Applied { .. }) => "apply",
        other => other.category(),
    }
}

fn known_category(name: &str) -> Result<&'static str, String> {
    let all = all_categories();
    all.iter()
        .copied()
        .find(|c| *c == name)
        .ok_or_else(|| format!("trace: unknown category `{name}`; expected one of {}", all.join(", ")))
}

/// `n0: leader term=2 …` and the node's segments, progress and (optionally) state machine.
fn describe_node(out: &mut String, n: &NodeView, view_time: Time, kv: bool, entries: bool) {
    let role = match (n.status, n.role) {
        (NodeStatus::Crashed, _) => "CRASHED".to_string(),
        (NodeStatus::Paused, role) => format!("paused {}", role_name(role)),
        (NodeStatus::Up, role) => role_name(role).to_string(),
        (NodeStatus::Removed, _) => "REMOVED".to_string(),
    };
    let snapshot = match &n.snapshot {
        Some(s) => format!("{}/{}", s.last_index, s.last_term),
        None => "-".into(),
    };
    let pending = match &n.pending_snapshot {
        Some(s) => format!(" (writing {}/{})", s.last_index, s.last_term),
        None => String::new(),
    };
    if n.status == NodeStatus::Crashed {
        // Only the disk survives a power loss: the volatile watermarks are gone until recovery.
        let _ = writeln!(
            out,
            "n{}: {role} (on disk: term={} first={} last={} durable={} snapshot={snapshot})",
            n.id, n.durable_term, n.first_index, n.last_index, n.durable_index
        );
    } else {
        let _ = writeln!(
            out,
            "n{}: {role} term={} first={} last={} durable={} hwm={} applied={} lwm={} snapshot={snapshot}{pending}",
            n.id, n.term, n.first_index, n.last_index, n.durable_index, n.hwm, n.applied, n.lwm
        );
    }
    if n.config_index > 0 || !n.member || n.leaving {
        // Membership is printed only once it differs from the initial cluster (older golden files stay as they are).
        let members: Vec<String> = n.members.iter().map(|m| format!("n{m}")).collect();
        let learners: Vec<String> = n.learners.iter().map(|m| format!("n{m}")).collect();
        let learners =
            if learners.is_empty() { String::new() } else { format!(" + learners {{{}}}", learners.join(",")) };
        let entry = if n.config_index > 0 { format!(" (entry {})", n.config_index) } else { String::new() };
        let leaving = if n.leaving { ", leaving" } else { "" };
        let _ = writeln!(out, "    members: {{{}}}{learners}{entry}{leaving}", members.join(","));
    }
    // Clocks, leases and transfers only when they say something (older golden files stay as they are).
    if n.clock_rate != 1.0 || n.local_time_us != view_time {
        let _ = writeln!(out, "    clock: {}× (reads {})", n.clock_rate, format_time(n.local_time_us));
    }
    if let Some(until) = n.lease_until_us {
        let _ = writeln!(out, "    lease: until {}", format_time(until));
    }
    if let Some(to) = n.transfer_to {
        let _ = writeln!(out, "    transferring leadership to n{to}");
    }
    let mut log = String::new();
    for segment in &n.segments {
        let state = if segment.sealed { "sealed" } else { "active" };
        let _ = write!(log, " [{}..{} {state}:", segment.base_index, segment.last_index);
        if segment.entries.is_empty() {
            log.push_str(" empty");
        }
        for e in &segment.entries {
            let _ = write!(log, " {}/{}", e.index, e.term);
            if entries {
                let _ = write!(log, "({})", e.summary);
            }
            if !e.durable {
                log.push('*');
            }
            if e.corrupt {
                log.push('!');
            }
        }
        log.push(']');
    }
    let _ = writeln!(out, "    log:{}", if log.is_empty() { " (empty)".to_string() } else { log });
    if !n.progress.is_empty() && n.status != NodeStatus::Crashed {
        let peers: Vec<String> = n
            .progress
            .iter()
            .map(|p| {
                let inflight = if p.inflight > 0 { format!(" inflight={}", p.inflight) } else { String::new() };
                format!("n{} match={} next={} {}{inflight}", p.peer, p.match_index, p.next_index, p.state)
            })
            .collect();
        let _ = writeln!(out, "    progress: {}", peers.join(", "));
    }
    if kv && n.status != NodeStatus::Crashed {
        let pairs: Vec<String> = n.kv.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "    kv: {}", if pairs.is_empty() { "(empty)".to_string() } else { pairs.join(" ") });
    }
}

fn role_name(role: Role) -> &'static str {
    role.name()
}

/// The configuration in a few readable lines (what a teacher needs to know to read the rest of the file).
fn describe_config(c: &Config, seed: u64) -> String {
    let mut out = format!(
        "{} nodes, {} clients, seed {seed}\nsegments of {} entries, snapshot every {} applied entries, lwm policy {:?}\n\
         fsync {}..{}ms, latency {}..{}ms, election timeout {}..{}ms, heartbeat {}ms\n\
         max_batch {}, max_inflight {}, read mode {:?}, client timeout {}ms",
        c.nodes,
        c.clients,
        c.segment_entries,
        c.snapshot_every,
        c.lwm_policy,
        c.fsync_ms_min,
        c.fsync_ms_max,
        c.latency_ms_min,
        c.latency_ms_max,
        c.election_timeout_ms_min,
        c.election_timeout_ms_max,
        c.heartbeat_ms,
        c.max_batch,
        c.max_inflight,
        c.read_mode,
        c.client_timeout_ms,
    );
    let extensions: Vec<String> = [
        c.pre_vote.then(|| "pre-vote".to_string()),
        c.check_quorum.then(|| "check-quorum".to_string()),
        (c.read_mode == ReadMode::Lease).then(|| {
            format!(
                "lease {}ms (drift bound {}, {} on the leader's clock)",
                c.lease_ms,
                c.clock_drift_bound,
                format_time(c.lease_us())
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !extensions.is_empty() {
        let _ = write!(out, "\n{}", extensions.join(", "));
    }
    if !c.breaks.is_empty() {
        let names: Vec<&str> = c.breaks.iter().map(|b| b.name()).collect();
        let _ = write!(out, "\nBROKEN on purpose: {}", names.join(", "));
    }
    out
}

/// The world commands of a directive: one, or for `put cK a=1 b=2 …` one per pair (queued on the client).
fn parse_commands(name: &str, args: &[&str]) -> Result<Vec<Command>, String> {
    if name != "put" {
        return parse_command(name, args).map(|c| vec![c]);
    }
    const USAGE: &str = "usage: put cK key=value [key=value …] [node=N]";
    let (positional, node) = split_node_option(args)?;
    let [client, pairs @ ..] = positional.as_slice() else { return Err(USAGE.into()) };
    let client = parse_client(client)?;
    if pairs.is_empty() {
        return Err(USAGE.into());
    }
    pairs
        .iter()
        .map(|pair| {
            let (key, value) = pair.split_once('=').ok_or(USAGE)?;
            Ok(Command::Put { client, key: key.into(), value: value.into(), node })
        })
        .collect()
}

/// A world command from a directive.
fn parse_command(name: &str, args: &[&str]) -> Result<Command, String> {
    let one_node = |args: &[&str]| -> Result<usize, String> {
        match args {
            [node] => parse_node(node),
            _ => Err(format!("usage: {name} nK")),
        }
    };
    Ok(match name {
        "get" | "delete" => {
            let (positional, node) = split_node_option(args)?;
            let [client, key] = positional.as_slice() else { return Err(format!("usage: {name} cK key [node=N]")) };
            let (client, key) = (parse_client(client)?, key.to_string());
            if name == "get" {
                Command::Get { client, key, node }
            } else {
                Command::Delete { client, key, node }
            }
        }
        "remove-node" => Command::RemoveNode { node: one_node(args)? },
        "crash" => Command::Crash { node: one_node(args)? },
        "restart" => Command::Restart { node: one_node(args)? },
        "pause" => Command::Pause { node: one_node(args)? },
        "resume" => Command::Resume { node: one_node(args)? },
        "torn-write" => Command::TornWrite { node: one_node(args)? },
        "fail-fsync" => Command::FailFsync { node: one_node(args)? },
        "bit-flip" => {
            let [node, index] = args else { return Err("usage: bit-flip nK INDEX".into()) };
            let index: Index = index.parse().map_err(|_| format!("bit-flip: `{index}` is not an index"))?;
            Command::BitFlip { node: parse_node(node)?, index }
        }
        "slow-disk" => match args {
            [node, "normal"] => Command::SlowDisk { node: parse_node(node)?, fsync_ms: None },
            [node, duration] => {
                Command::SlowDisk { node: parse_node(node)?, fsync_ms: Some(parse_duration(duration)? / US_PER_MS) }
            }
            _ => return Err("usage: slow-disk nK DURATION|normal".into()),
        },
        "partition" => {
            let joined = args.join(" ");
            let groups = joined
                .split('|')
                .map(|group| {
                    group.split([',', ' ']).filter(|w| !w.is_empty()).map(parse_node).collect::<Result<Vec<_>, _>>()
                })
                .collect::<Result<Vec<_>, _>>()?;
            if groups.iter().any(Vec::is_empty) {
                return Err("usage: partition 0,1 | 2 (groups of nodes separated by `|`)".into());
            }
            Command::Partition { groups }
        }
        "heal" => {
            expect_no_args(name, args)?;
            Command::Heal
        }
        "cut-link" | "repair-link" => {
            let [from, to] = args else { return Err(format!("usage: {name} nFROM nTO")) };
            let (from, to) = (parse_node(from)?, parse_node(to)?);
            if name == "cut-link" {
                Command::CutLink { from, to }
            } else {
                Command::RepairLink { from, to }
            }
        }
        "slow-link" => {
            let [from, to, extra] = args else { return Err("usage: slow-link nFROM nTO DURATION".into()) };
            Command::SlowLink {
                from: parse_node(from)?,
                to: parse_node(to)?,
                extra_ms: parse_duration(extra)? / US_PER_MS,
            }
        }
        "read-mode" => {
            let [mode] = args else { return Err("usage: read-mode leader|read-index|follower".into()) };
            let mode = ReadMode::from_name(mode).ok_or_else(|| {
                let names: Vec<&str> = ReadMode::ALL.iter().map(|m| m.name()).collect();
                format!("read-mode: `{mode}` is not one of {}", names.join(", "))
            })?;
            Command::SetReadMode { mode }
        }
        "do" => {
            let json = args.join(" ");
            serde_json::from_str(&json).map_err(|e| format!("do: {e} in `{json}`"))?
        }
        // Any other action of the command schema, with its fields as `key=value` words.
        action if Command::actions().contains(&action) => {
            let mut fields = Map::new();
            fields.insert("action".into(), Value::String(action.into()));
            for arg in args {
                let (key, value) =
                    arg.split_once('=').ok_or_else(|| format!("{action}: expected key=value, got `{arg}`"))?;
                fields.insert(key.into(), scalar(value));
            }
            Command::from_json(fields).map_err(|e| format!("{action}: {e}"))?
        }
        _ => {
            return Err(format!(
                "unknown directive `{name}` (config, run, step, run-until, show, trace, clients, violations, \
                 linearizability, read-mode, do, or an action: {})",
                Command::actions().join(", ")
            ))
        }
    })
}

/// A `key=value` word's value as JSON: a number, `true`/`false`, or else a string.
fn scalar(value: &str) -> Value {
    if let Ok(n) = value.parse::<u64>() {
        Value::from(n)
    } else if let Ok(x) = value.parse::<f64>() {
        Value::from(x)
    } else if let Ok(b) = value.parse::<bool>() {
        Value::from(b)
    } else {
        Value::String(value.to_string())
    }
}

/// Splits a trailing `node=N` option from the positional arguments.
fn split_node_option<'a>(args: &[&'a str]) -> Result<(Vec<&'a str>, Option<usize>), String> {
    let mut positional = Vec::new();
    let mut node = None;
    for arg in args {
        match arg.strip_prefix("node=") {
            Some(n) => node = Some(parse_node(n)?),
            None => positional.push(*arg),
        }
    }
    Ok((positional, node))
}

fn expect_no_args(name: &str, args: &[&str]) -> Result<(), String> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(format!("{name} takes no arguments, got `{}`", args.join(" ")))
    }
}

/// `n2` or `2`. Whether the node exists is the world's business (its refusal names the cluster size).
fn parse_node(word: &str) -> Result<usize, String> {
    word.strip_prefix('n').unwrap_or(word).parse().map_err(|_| format!("`{word}` is not a node (n0, n1, …)"))
}

/// `c0` or `0`.
fn parse_client(word: &str) -> Result<usize, String> {
    word.strip_prefix('c').unwrap_or(word).parse().map_err(|_| format!("`{word}` is not a client (c0, c1, …)"))
}

/// `800ms`, `2s`, `150us` → microseconds.
fn parse_duration(word: &str) -> Result<Time, String> {
    let bad = || format!("`{word}` is not a duration (e.g. 800ms, 2s, 150us)");
    let (number, scale) = if let Some(n) = word.strip_suffix("ms") {
        (n, US_PER_MS)
    } else if let Some(n) = word.strip_suffix("us") {
        (n, 1)
    } else if let Some(n) = word.strip_suffix('s') {
        (n, 1_000 * US_PER_MS)
    } else {
        return Err(bad());
    };
    number.parse::<u64>().map(|n| n * scale).map_err(|_| bad())
}

/// `2..6` or `4` (both ends) in milliseconds.
fn parse_range(word: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{word}` is not a millisecond range (e.g. 2..6 or 4)");
    let word = word.strip_suffix("ms").unwrap_or(word);
    match word.split_once("..") {
        Some((low, high)) => Ok((low.parse().map_err(|_| bad())?, high.parse().map_err(|_| bad())?)),
        None => {
            let both = word.parse().map_err(|_| bad())?;
            Ok((both, both))
        }
    }
}

/// Splits a directive into words; `"…"` keeps spaces inside a word (`grep="Ack t2"`) and is removed.
fn tokenize(line: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut in_token) = (false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                in_token = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_token {
                    tokens.push(std::mem::take(&mut current));
                    in_token = false;
                }
            }
            c => {
                current.push(c);
                in_token = true;
            }
        }
    }
    if quoted {
        return Err(format!("unterminated quote in `{line}`"));
    }
    if in_token {
        tokens.push(current);
    }
    Ok(tokens)
}
