//! The lessons of issue 10 (DESIGN §3a) say what their runs do. Their `expect` steps check roles, terms,
//! clients and linearizability; this test checks what a claim cannot name yet — the lease a leader holds
//! (`lease_left_us`), the learners and voters of the configuration — and the same story end to end, so a change
//! to the core that alters a lesson's story fails here too.

use logscope::sim::check::linearize::check_history;
use logscope::sim::raft::role::Role;
use logscope::sim::scenario::player::Player;
use logscope::sim::scenario::Scenario;
use logscope::sim::types::ms;
use logscope::sim::view::ClusterView;
use logscope::sim::world::history::OpStatus;
use std::path::Path;

/// The lesson's player, for playing it in steps.
fn player(file: &str) -> Player {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    let scenario = Scenario::from_bytes(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{file}: {e}"));
    Player::from_scenario(&scenario).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The view at `at_ms` (the player runs on to it).
fn at(player: &mut Player, at_ms: u64) -> ClusterView {
    player.run_through(ms(at_ms)).unwrap_or_else(|refusal| panic!("refused: {refusal}"));
    player.world().view()
}

/// `(role, term)` of node `n`.
fn role_term(view: &ClusterView, n: usize) -> (Role, u64) {
    (view.nodes[n].role, view.nodes[n].term)
}

fn linearizable(player: &Player) -> bool {
    check_history(&player.world().finished_history()).is_linearizable()
}

#[test]
fn disruptive_rejoin_without_and_with_pre_vote() {
    let mut off = player("disruptive-rejoin.json");
    let v = at(&mut off, 300);
    assert_eq!(role_term(&v, 2), (Role::Leader, 1));
    let v = at(&mut off, 2300);
    assert_eq!((role_term(&v, 0).1, role_term(&v, 2)), (8, (Role::Leader, 1)));
    let v = at(&mut off, 2500);
    assert_eq!((role_term(&v, 0), role_term(&v, 2)), ((Role::Leader, 9), (Role::Follower, 9)));

    let mut on = player("disruptive-rejoin-pre-vote.json");
    let v = at(&mut on, 2300);
    assert_eq!((role_term(&v, 0), role_term(&v, 2)), ((Role::PreCandidate, 1), (Role::Leader, 1)));
    let v = at(&mut on, 2500);
    assert_eq!((role_term(&v, 0), role_term(&v, 2)), ((Role::Follower, 1), (Role::Leader, 1)));
    assert!(off.world().violations().is_empty() && on.world().violations().is_empty());
}

#[test]
fn cut_off_leader_without_and_with_check_quorum() {
    let mut off = player("cut-off-leader.json");
    let v = at(&mut off, 850);
    assert_eq!((role_term(&v, 0), role_term(&v, 4)), ((Role::Leader, 2), (Role::Leader, 1)));
    at(&mut off, 900);
    assert!(!linearizable(&off), "the stale read at the cut-off leader");
    assert!(off.world().violations().is_empty(), "no Raft invariant breaks");

    let mut on = player("cut-off-leader-check-quorum.json");
    let v = at(&mut on, 850);
    assert_eq!(role_term(&v, 0), (Role::Leader, 2));
    assert_ne!(v.nodes[4].role, Role::Leader, "node 4 stepped down (and campaigns, cut off)");
    at(&mut on, 900);
    assert!(linearizable(&on));
}

#[test]
fn lease_reads_within_and_beyond_the_drift_bound() {
    let mut within = player("lease-drift-within-bound.json");
    let v = at(&mut within, 1300);
    assert!(v.nodes[2].lease_left_us.is_some(), "the leader holds a lease before the drift");
    let v = at(&mut within, 1520);
    assert_eq!((role_term(&v, 1), v.nodes[2].lease_left_us), ((Role::Leader, 2), None));
    at(&mut within, 2181);
    assert!(linearizable(&within));
    assert!(within.world().violations().is_empty());

    let mut beyond = player("lease-drift-beyond-bound.json");
    let v = at(&mut beyond, 1497);
    assert_eq!(role_term(&v, 1), (Role::Leader, 2));
    assert!(v.nodes[2].lease_left_us.is_some(), "the old leader's slow clock says its lease holds");
    at(&mut beyond, 2097);
    assert!(!linearizable(&beyond), "the stale lease read");
    assert!(beyond.world().violations().is_empty(), "I19 is promised only within the bound");
}

#[test]
fn leadership_transfer_then_restart() {
    let mut p = player("leadership-transfer.json");
    let v = at(&mut p, 1090);
    assert_eq!((role_term(&v, 0), role_term(&v, 2)), ((Role::Leader, 2), (Role::Follower, 2)));
    let v = at(&mut p, 1500);
    assert_eq!(v.nodes[2].status.name(), "up");
    let ops = p.world().finished_history();
    assert!(
        ops.len() == 3 && ops.iter().all(|op| matches!(op.status, OpStatus::Ok { .. })),
        "x=1, x=2 and y=1 all committed: {ops:?}"
    );
}

#[test]
fn learner_join_then_promotion() {
    let mut p = player("learner-join.json");
    let v = at(&mut p, 1470);
    assert_eq!((v.learners.clone(), v.members.clone()), (vec![3], vec![0, 1, 2]));
    assert!(p
        .world()
        .finished_history()
        .iter()
        .any(|op| op.op.describe().contains("x=1") && matches!(op.status, OpStatus::Ok { .. })));
    let v = at(&mut p, 2600);
    assert_eq!((v.learners.clone(), v.members.clone()), (vec![], vec![0, 1, 2, 3]));
}
