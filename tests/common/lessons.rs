//! Every lesson in `scenarios/`, compiled into the tests that play them (natively in
//! `tests/scenario_files.rs`, in the browser in `tests/web_lessons.rs`), with the trace hash each gives when
//! played to its end. A change of a hash means a lesson's run changed: update it deliberately.

/// `(file, text, trace hash)` of every lesson, in blocks by pattern (each block in file-name order; the tests sort).
pub const LESSONS: &[(&str, &str, u64)] = &[
    ("ack-after-fsync.json", include_str!("../../scenarios/ack-after-fsync.json"), 0x2f47_ae05_901a_60d9),
    (
        "ack-before-fsync-broken.json",
        include_str!("../../scenarios/ack-before-fsync-broken.json"),
        0xd298_611c_daea_6d9b,
    ),
    (
        "follower-catch-up-snapshot.json",
        include_str!("../../scenarios/follower-catch-up-snapshot.json"),
        0x73ae_1a07_94a5_1626,
    ),
    ("torn-write.json", include_str!("../../scenarios/torn-write.json"), 0x27d3_a151_4b23_683d),
    // Replication, HWM and reads, clients (patterns `replication`, `hwm`, `clients`).
    ("client-retry-once.json", include_str!("../../scenarios/client-retry-once.json"), 0x0927_a61b_4c81_8b7b),
    ("commit-needs-majority.json", include_str!("../../scenarios/commit-needs-majority.json"), 0x9b70_090f_2a70_ac36),
    ("election.json", include_str!("../../scenarios/election.json"), 0x2411_1ccf_dbc2_2fef),
    ("figure-8.json", include_str!("../../scenarios/figure-8.json"), 0x5a6c_ef70_7c14_bd3f),
    ("follower-hwm-lag.json", include_str!("../../scenarios/follower-hwm-lag.json"), 0xdfdf_8c92_1c41_bea2),
    (
        "follower-hwm-unbounded-broken.json",
        include_str!("../../scenarios/follower-hwm-unbounded-broken.json"),
        0xf6fd_a1d0_5993_ea7f,
    ),
    ("leader-crash.json", include_str!("../../scenarios/leader-crash.json"), 0x36ef_c42b_d5b5_6cad),
    ("log-repair.json", include_str!("../../scenarios/log-repair.json"), 0xeb24_882c_46d2_101e),
    ("membership.json", include_str!("../../scenarios/membership.json"), 0xa182_c91a_0ef6_3631),
    ("no-dedup-broken.json", include_str!("../../scenarios/no-dedup-broken.json"), 0x9311_cc3f_f279_67be),
    ("paused-leader-fenced.json", include_str!("../../scenarios/paused-leader-fenced.json"), 0x0aaf_f697_3fe9_5e66),
    ("read-above-hwm-broken.json", include_str!("../../scenarios/read-above-hwm-broken.json"), 0xc10d_022a_6abd_bd78),
    ("skip-prev-check-broken.json", include_str!("../../scenarios/skip-prev-check-broken.json"), 0x26f8_52a0_9293_df8a),
    ("stale-follower-read.json", include_str!("../../scenarios/stale-follower-read.json"), 0xb897_9f67_c4d3_27d9),
];
