//! The sliced, incremental check as the UI runs it: while the world plays, the history is handed to
//! `HistoryCheck::update` and searched a small slice at a time; whenever it catches up, its report equals a
//! whole check of the same history — and a stale read made on purpose shows as the failure, with its sentence.

use logscope::sim::check::history_formats::{parse_history, write_logscope_history, HistoryFormat};
use logscope::sim::check::linearize::{check_history, CheckOptions, HistoryCheck, KeyOutcome, Verdict};
use logscope::sim::config::{Config, ReadMode};
use logscope::sim::types::ms;
use logscope::sim::world::command::{Command, WriteMix};
use logscope::sim::world::World;

#[test]
fn a_check_in_slices_follows_a_growing_history() {
    let config = Config { read_mode: ReadMode::ReadIndex, ..Config::default() };
    let mut world = World::new(config, 5).unwrap();
    world.run_until(ms(1_000));
    let mix = WriteMix { put: 3, get: 3, cas: 2, append: 2 };
    world.apply(Command::SetWriteLoad { per_second: 40, mix: Some(mix) }).unwrap();
    let mut check = HistoryCheck::new(&world.history(), CheckOptions::default());
    let mut caught_up = 0;
    for frame in 0..300 {
        world.run_until(world.now() + ms(20)); // one frame of virtual time
        if check.update(&world.history()) || frame % 7 == 0 {
            let progress = check.run(200);
            assert_ne!(progress.verdict, Some(Verdict::NotLinearizable), "frame {frame}");
            if progress.finished {
                caught_up += 1;
                assert_eq!(check.report().unwrap(), check_history(&world.history()), "frame {frame}");
            }
        }
    }
    assert!(caught_up > 20, "the check keeps up with the cluster: {caught_up} frames");
    while !check.run(1_000).finished {}
    let report = check.report().unwrap();
    assert_eq!(report.verdict, Verdict::Linearizable, "{}", report.summary());
    assert!(report.ops_checked > 200, "{}", report.summary());
    // The export reads back as the same history and the same verdict.
    let exported = write_logscope_history(&world.history());
    let read = parse_history(HistoryFormat::Logscope, &exported).unwrap();
    assert_eq!(check_history(&read), report);
}

#[test]
fn a_stale_read_shows_as_the_failure() {
    // A deposed leader serving a leader-mode read: the classic stale read.
    let config =
        Config { read_mode: ReadMode::Leader, client_timeout_ms: 2_000, client_max_attempts: 3, ..Config::default() };
    let mut w = World::new(config, 11).unwrap();
    w.run_until(ms(1_000));
    let old = w.view().leader.expect("a leader");
    w.apply(Command::Put { client: 0, key: "x".into(), value: "old".into(), node: Some(old) }).unwrap();
    w.run_until(w.now() + ms(300));
    let majority: Vec<usize> = (0..3).filter(|&n| n != old).collect();
    w.apply(Command::Partition { groups: vec![vec![old], majority.clone()] }).unwrap();
    w.run_until(w.now() + ms(800));
    w.apply(Command::Put { client: 0, key: "x".into(), value: "new".into(), node: Some(majority[0]) }).unwrap();
    w.run_until(w.now() + ms(800));
    w.apply(Command::Get { client: 1, key: "x".into(), node: Some(old) }).unwrap();
    w.run_until(w.now() + ms(1_000));
    let mut check = HistoryCheck::new(&w.history(), CheckOptions::default());
    while !check.run(10).finished {}
    let report = check.report().unwrap();
    let x = report.key("x").unwrap();
    let KeyOutcome::NotLinearizable(failure) = &x.outcome else { panic!("{}", report.summary()) };
    let blocked = &x.ops[failure.blocked];
    assert_eq!((blocked.client, blocked.read_value.clone()), (1, Some(Some("old".to_string()))));
    assert!(
        failure.explanation.contains("returned after client 0's put x=new had completed"),
        "{}",
        failure.explanation
    );
    assert_eq!(failure.longest_prefix.len(), failure.prefix_points_us.len());
}
