//! One valid example of every action, for the tests of the command schema, the scenario parser and the player.

use super::Command;
use crate::sim::config::ReadMode;

/// One valid example of every action (in declaration order; `slow-disk` twice, with and without `fsync_ms`;
/// `set-write-load` with and without a mix; `add-node` twice, as a voter and as a learner), for a cluster of three nodes and two clients: the two
/// `add-node`s make nodes 3 and 4. `remove-node` and `transfer-leadership` name node 1, `promote` the learner,
/// node 4 (the world may still refuse the last two at play time: who leads, and whether the learner has caught
/// up, is the running cluster's business).
pub(crate) fn every_command() -> Vec<Command> {
    vec![
        Command::Put { client: 0, key: "x".into(), value: "1".into(), node: None },
        Command::Get { client: 1, key: "x".into(), node: Some(2) },
        Command::Delete { client: 0, key: "x".into(), node: None },
        Command::Cas { client: 0, key: "x".into(), expected: Some("1".into()), value: "2".into(), node: None },
        Command::Append { client: 1, key: "x".into(), value: "a".into(), node: Some(0) },
        Command::Crash { node: 0 },
        Command::Restart { node: 0 },
        Command::Pause { node: 1 },
        Command::Resume { node: 1 },
        Command::Partition { groups: vec![vec![0], vec![1, 2]] },
        Command::Heal,
        Command::CutLink { from: 0, to: 1 },
        Command::RepairLink { from: 0, to: 1 },
        Command::SlowLink { from: 1, to: 2, extra_ms: 100 },
        Command::SetLoss { probability: 0.25 },
        Command::SetDuplicate { probability: 0.5 },
        Command::SetLatency { min_ms: 1, max_ms: 30 },
        Command::TornWrite { node: 2 },
        Command::BitFlip { node: 2, index: 3 },
        Command::FailFsync { node: 1 },
        Command::SlowDisk { node: 1, fsync_ms: Some(200) },
        Command::SlowDisk { node: 1, fsync_ms: None },
        Command::SetReadMode { mode: ReadMode::ReadIndex },
        Command::SetWriteLoad { per_second: 20, mix: None },
        Command::SetWriteLoad {
            per_second: 40,
            mix: Some(crate::sim::world::command::WriteMix { put: 6, get: 2, cas: 1, append: 1 }),
        },
        Command::SetTimeouts { heartbeat_ms: 40, election_timeout_ms_min: 200, election_timeout_ms_max: 400 },
        Command::add_voter(),
        Command::add_learner(),
        Command::RemoveNode { node: 1 },
        Command::SetClockRate { node: 2, rate: 1.5 },
        Command::TransferLeadership { to: 1 },
        Command::Promote { node: 4 },
    ]
}
