//! Randomized, seeded chaos runs with every fault kind and the checker on: zero violations, and liveness after
//! healing. A failing seed prints a reproducing scenario (run it with `logscope-cli run`).
//!
//! Most seeds draw DESIGN §3a's options (pre-vote, check-quorum, lease reads with and without clock drift,
//! leadership transfers and learners among the faults; `sim::scenario::extensions`). The regression seeds run
//! plain (`ChaosOptions::plain()`): the schedules that once found a bug are the ones they were.

use logscope::sim::config::ReadMode;
use logscope::sim::scenario::chaos::{run_chaos, ChaosOptions, ChaosOutcome};
use logscope::sim::world::command::Command;

fn assert_clean(outcome: &ChaosOutcome, what: &str) {
    assert!(
        outcome.violations.is_empty(),
        "seed {} ({what}): {}\nreproduce:\n{}",
        outcome.seed,
        outcome.violations.iter().map(|v| v.describe()).collect::<Vec<_>>().join("\n"),
        outcome.scenario.to_json_pretty()
    );
}

/// How often each drawn option and extension fault occurred in a set of seeds.
#[derive(Default, Debug)]
struct Drawn {
    pre_vote: usize,
    check_quorum: usize,
    lease: usize,
    drift: usize,
    transfers: usize,
    learners: usize,
    promotions: usize,
}

impl Drawn {
    fn count(&mut self, outcome: &ChaosOutcome) {
        let config = &outcome.scenario.config;
        self.pre_vote += usize::from(config.pre_vote);
        self.check_quorum += usize::from(config.check_quorum);
        self.lease += usize::from(config.read_mode == ReadMode::Lease);
        let commands: Vec<&Command> = outcome.scenario.commands().map(|(_, c)| c).collect();
        let any = |f: &dyn Fn(&Command) -> bool| usize::from(commands.iter().any(|c| f(c)));
        self.drift += any(&|c| matches!(c, Command::SetClockRate { .. }));
        self.transfers += any(&|c| matches!(c, Command::TransferLeadership { .. }));
        self.learners += any(&|c| *c == Command::add_learner());
        self.promotions += any(&|c| matches!(c, Command::Promote { .. }));
    }
}

#[test]
fn a_thousand_chaos_seeds_with_the_options_drawn_find_no_violation() {
    let options = ChaosOptions::default();
    let (mut events, mut drawn) = (0, Drawn::default());
    for seed in 1..=1000 {
        let outcome = run_chaos(seed, &options);
        events += outcome.events;
        drawn.count(&outcome);
        assert_clean(&outcome, "options drawn");
    }
    assert!(events > 1000 * 1_000, "each seed should run a real schedule ({events} events)");
    // Every option and extension fault is exercised: each is drawn in about half the seeds, leases in a quarter;
    // a transfer or a promotion the cluster refused (no leader, a learner not caught up) is not recorded, so
    // fewer seeds show one (measured: 210 and 62 of 1000).
    let Drawn { pre_vote, check_quorum, lease, drift, transfers, learners, promotions } = drawn;
    assert!(pre_vote > 400 && check_quorum > 400 && lease > 200, "{drawn:?}");
    assert!(drift > 400 && transfers > 150 && learners > 250 && promotions > 40, "{drawn:?}");
}

#[test]
fn plain_chaos_draws_nothing_and_runs_as_before() {
    let options = ChaosOptions::plain();
    for seed in 1..=200 {
        let outcome = run_chaos(seed, &options);
        let config = &outcome.scenario.config;
        assert!(!config.pre_vote && !config.check_quorum && config.read_mode != ReadMode::Lease);
        assert!(outcome.scenario.commands().all(|(_, c)| !matches!(
            c,
            Command::SetClockRate { .. } | Command::TransferLeadership { .. } | Command::Promote { .. }
        ) && *c != Command::add_learner()));
        assert_clean(&outcome, "plain");
    }
}

/// Plain seeds run exactly as they did before DESIGN §3a's options existed: the events of seeds 1..=300, and of
/// seeds 1..=100 with membership changes, as commit 85a91cd counted them.
#[test]
fn plain_chaos_runs_the_events_it_ran_before_the_options_existed() {
    let plain = ChaosOptions::plain();
    let events: u64 = (1..=300).map(|seed| run_chaos(seed, &plain).events).sum();
    assert_eq!(events, 700_805);
    let membership = ChaosOptions { membership: true, ..ChaosOptions::plain() };
    let events: u64 = (1..=100).map(|seed| run_chaos(seed, &membership).events).sum();
    assert_eq!(events, 269_799);
}

#[test]
fn a_chaos_seed_is_reproducible() {
    for options in [ChaosOptions::default(), ChaosOptions::plain()] {
        let a = run_chaos(77, &options);
        let b = run_chaos(77, &options);
        assert_eq!(a.events, b.events);
        assert_eq!(a.scenario, b.scenario);
    }
}

/// Seeds that once found real bugs or checker mistakes (see the commit log); they must stay clean, on the
/// schedules that found them (plain) and with the options drawn.
#[test]
fn seeds_that_once_failed_stay_clean() {
    for options in [ChaosOptions::plain(), ChaosOptions::default()] {
        for seed in [29, 36, 168, 2089, 24702, 25018, 25085, 25330, 26374, 55995, 74074, 80190] {
            assert_clean(&run_chaos(seed, &options), "regression seed");
        }
    }
}

/// The same swarm with servers joining and leaving (single-server membership changes) during the faults.
/// Seeds 14, 24 and 895 once found: a removed leader that never campaigned while its removal was pending, a
/// stranded joiner whose addition was truncated (it campaigned for ever), and a leader probing below a
/// follower's snapshot (an append/reject loop).
#[test]
fn chaos_seeds_with_membership_changes_find_no_violation() {
    let drawn = ChaosOptions { membership: true, ..ChaosOptions::default() };
    let plain = ChaosOptions { membership: true, ..ChaosOptions::plain() };
    let (mut events, mut changes) = (0, 0);
    let seeds = (1..=400).map(|s| (s, &drawn)).chain([14, 24, 895].map(|s| (s, &plain)));
    for (seed, options) in seeds {
        let outcome = run_chaos(seed, options);
        events += outcome.events;
        changes += outcome
            .scenario
            .commands()
            .filter(|(_, c)| matches!(c, Command::AddNode { .. } | Command::RemoveNode { .. }))
            .count();
        assert_clean(&outcome, "membership");
    }
    assert!(changes > 200, "membership changes must actually happen ({changes} in 403 seeds)");
    assert!(events > 400 * 1_000, "each seed should run a real schedule ({events} events)");
}

/// Without pre-vote, 15 of 70,000 plain `--membership` seeds did not settle within the 5 s window: a member on
/// an old configuration does not know a new one, and two candidates duel while a third abstains. With pre-vote
/// and check-quorum every one of them settles, on the schedule that failed and with the other options drawn.
#[test]
fn with_pre_vote_and_check_quorum_the_membership_seeds_that_did_not_settle_do() {
    let forced =
        |base: ChaosOptions| ChaosOptions { membership: true, pre_vote: Some(true), check_quorum: Some(true), ..base };
    for options in [forced(ChaosOptions::plain()), forced(ChaosOptions::default())] {
        for seed in UNSETTLED_MEMBERSHIP_SEEDS {
            assert_clean(&run_chaos(seed, &options), "membership, pre-vote and check-quorum");
        }
    }
    let plain = ChaosOptions { membership: true, ..ChaosOptions::plain() };
    let outcome = run_chaos(3425, &plain);
    assert!(!outcome.violations.is_empty(), "seed 3425 without pre-vote is the known duel");
}

/// The plain `chaos --membership --seeds 70000` seeds that failed only the liveness window (docs/PERFORMANCE.md;
/// rerun on this branch with `--plain`: the same 15, 0 safety violations).
const UNSETTLED_MEMBERSHIP_SEEDS: [u64; 15] =
    [3425, 5978, 21039, 22277, 22897, 25803, 26977, 27272, 30044, 31723, 37506, 40168, 45492, 58834, 62700];
