//! Pattern switches prove the checker can fail: with one switch on, the chaos runner (seeds from 1 up) finds a
//! violation of the invariant that switch breaks within a recorded number of seeds, and the report names that
//! invariant. The twelve switches of Figure 2's rules run the plain chaos of before DESIGN §3a's options existed
//! (`ChaosOptions::plain()`, so their recorded seeds stay what they were); the three of §3a run with the options
//! drawn, the one each needs forced on. With no switch on, nothing is reported. The first failing seeds and the
//! bounds are recorded in docs/pattern-switches.md (`logscope-cli chaos --seeds N --break NAME [--plain]
//! [--read-mode lease] [--pre-vote]` reproduces them).
//!
//! A bound is about 7 / (share of seeds that report the invariant, measured over 500 seeds), so a change in the
//! core that reshuffles the random schedules still fails the switch within the bound with probability ≈ 0.999.

use logscope::sim::breaks::Break;
use logscope::sim::check::violation::Invariant::{self, *};
use logscope::sim::config::ReadMode;
use logscope::sim::scenario::chaos::{run_chaos, ChaosOptions};

/// What a switch must produce: acceptable invariants (the expected one first), the first seed that reported
/// one of them when recorded, and the bound on seeds the test allows.
struct Expectation {
    invariants: &'static [Invariant],
    first_seed: u64,
    bound: u64,
}

/// The chaos options a switch is tried with: plain for Figure 2's switches, drawn (with the option the switch
/// is about forced on) for DESIGN §3a's.
fn options(b: Break) -> ChaosOptions {
    let breaks = vec![b];
    match b {
        Break::LeaseIgnoresDrift => {
            ChaosOptions { breaks, read_mode: Some(ReadMode::Lease), ..ChaosOptions::default() }
        }
        Break::PreVoteBumpsTerm => ChaosOptions { breaks, pre_vote: Some(true), ..ChaosOptions::default() },
        Break::LearnerVotes => ChaosOptions { breaks, ..ChaosOptions::default() },
        _ => ChaosOptions { breaks, ..ChaosOptions::plain() },
    }
}

/// Exhaustive on purpose: a new switch does not compile without its expectation.
fn expectation(b: Break) -> Expectation {
    let (invariants, first_seed, bound): (&'static [Invariant], u64, u64) = match b {
        // 261 of 500 seeds report I7 (451 report I9: the leader also counts its own copy before the fsync).
        Break::AckBeforeFsync => (&[I7AckedDurable], 2, 20),
        // 17 of 500 seeds: a node must crash between an unpersisted vote and the next hard-state write.
        Break::VoteWithoutPersist => (&[I6TermMonotonic, I1ElectionSafety], 6, 250),
        // 203 of 500.
        Break::SkipUpToDateCheck => (&[I4LeaderCompleteness, I8AckedNeverLost], 1, 20),
        // 179 of 500; caught by I9's "advanced in the current term" half, before any entry is lost.
        Break::CommitOldTerm => (&[I9HwmQuorum], 1, 30),
        // 106 of 500; the leader's own copy is not yet durable when it commits.
        Break::CommitWithoutLeader => (&[I9HwmQuorum, I7AckedDurable], 2, 40),
        // 43 of 500: needs a follower with a divergent suffix (a deposed leader's entries).
        Break::SkipPrevCheck => (&[I3LogMatching], 1, 100),
        // 40 of 500: needs a bit flip on a record that is then applied or sent.
        Break::SkipCrc => (&[I17NoCorruptRecordUsed], 6, 100),
        // 163 of 500 (114 also report I15: the leader's log starts above its durable snapshot).
        Break::GcBeforeSnapshotDurable => (&[I14DeletionCovered], 2, 30),
        // 402 of 500.
        Break::ReadAboveHwm => (&[I13ReadBelowHwm], 1, 20),
        // 465 of 500 (with I12: HWM above the last index).
        Break::FollowerHwmUnbounded => (&[I11FollowerHwmBounded], 1, 20),
        // 93 of 500 report I4 or I8 (88 and 78).
        Break::TruncateToHwmOnRestart => (&[I8AckedNeverLost, I4LeaderCompleteness], 1, 50),
        // 337 of 500.
        Break::NoDedup => (&[I18AppliedOnce], 2, 20),
        // 5 of 500 (12 of 1000) with `--read-mode lease`: a slow leader must be cut off (or paused) with its lease
        // running and fast followers must elect a successor within it, with a wide drift bound.
        Break::LeaseIgnoresDrift => (&[I19OneLease, Linearizability], 15, 700),
        // 500 of 500 with `--pre-vote`: every pre-vote round raises a term nobody held.
        Break::PreVoteBumpsTerm => (&[I6TermMonotonic], 1, 10),
        // 138 of 500 (the seeds that add a learner while a voter lags).
        Break::LearnerVotes => (&[I20LearnersNeverCount], 7, 30),
    };
    Expectation { invariants, first_seed, bound }
}

/// Runs seeds 1..=bound with only `b` on; returns the first seed whose report names an expected invariant.
fn assert_caught(b: Break) {
    let Expectation { invariants, first_seed, bound } = expectation(b);
    let options = options(b);
    let mut other = Vec::new();
    for seed in 1..=bound {
        let outcome = run_chaos(seed, &options);
        if let Some(v) = outcome.violations.iter().find(|v| invariants.contains(&v.invariant)) {
            assert!(v.describe().starts_with(v.invariant.code()), "the report names the invariant: {}", v.describe());
            if seed != first_seed {
                eprintln!("{}: first caught at seed {seed} (recorded: {first_seed})", b.name());
            }
            return;
        }
        other.extend(outcome.violations.iter().map(|v| format!("seed {seed}: {}", v.describe())).take(2));
    }
    let codes: Vec<&str> = invariants.iter().map(|i| i.code()).collect();
    panic!(
        "--break {}: no {codes:?} violation in seeds 1..={bound} (recorded first at seed {first_seed}); other reports:\n{}",
        b.name(),
        other.join("\n")
    );
}

#[test]
fn ack_before_fsync_breaks_i7() {
    assert_caught(Break::AckBeforeFsync);
}

#[test]
fn vote_without_persist_breaks_i6() {
    assert_caught(Break::VoteWithoutPersist);
}

#[test]
fn skip_up_to_date_check_breaks_i4() {
    assert_caught(Break::SkipUpToDateCheck);
}

#[test]
fn commit_old_term_breaks_i9() {
    assert_caught(Break::CommitOldTerm);
}

#[test]
fn commit_without_leader_breaks_i9() {
    assert_caught(Break::CommitWithoutLeader);
}

#[test]
fn skip_prev_check_breaks_i3() {
    assert_caught(Break::SkipPrevCheck);
}

#[test]
fn skip_crc_breaks_i17() {
    assert_caught(Break::SkipCrc);
}

#[test]
fn gc_before_snapshot_durable_breaks_i14() {
    assert_caught(Break::GcBeforeSnapshotDurable);
}

#[test]
fn read_above_hwm_breaks_i13() {
    assert_caught(Break::ReadAboveHwm);
}

#[test]
fn follower_hwm_unbounded_breaks_i11() {
    assert_caught(Break::FollowerHwmUnbounded);
}

#[test]
fn truncate_to_hwm_on_restart_breaks_i8() {
    assert_caught(Break::TruncateToHwmOnRestart);
}

#[test]
fn no_dedup_breaks_i18() {
    assert_caught(Break::NoDedup);
}

#[test]
fn lease_ignores_drift_breaks_i19() {
    assert_caught(Break::LeaseIgnoresDrift);
}

#[test]
fn pre_vote_bumps_term_breaks_i6() {
    assert_caught(Break::PreVoteBumpsTerm);
}

#[test]
fn learner_votes_breaks_i20() {
    assert_caught(Break::LearnerVotes);
}

#[test]
fn every_switch_has_a_well_formed_expectation() {
    // `expectation` is an exhaustive match, so a new switch needs one to compile; this checks its contents.
    for b in Break::ALL {
        let e = expectation(b);
        assert!(!e.invariants.is_empty() && (1..=e.bound).contains(&e.first_seed), "{}", b.name());
    }
}

#[test]
fn with_no_switch_on_fifty_other_seeds_report_nothing() {
    // Seeds tests/chaos.rs does not run (it runs 1..=1000), with the options drawn.
    let options = ChaosOptions::default();
    for seed in 10_001..=10_050 {
        let outcome = run_chaos(seed, &options);
        assert!(
            outcome.violations.is_empty(),
            "seed {seed}: {}",
            outcome.violations.iter().map(|v| v.describe()).collect::<Vec<_>>().join("\n")
        );
    }
}
