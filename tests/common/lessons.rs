//! Every lesson in `scenarios/`, compiled into the tests that play them (natively in
//! `tests/scenario_files.rs`, in the browser in `tests/web_lessons.rs`), with the trace hash each gives when
//! played to its end. A change of a hash means a lesson's run changed: update it deliberately.

/// `(file, text, trace hash)` of every lesson, in file-name order.
pub const LESSONS: [(&str, &str, u64); 16] = [
    ("ack-after-fsync.json", include_str!("../../scenarios/ack-after-fsync.json"), 0x2f47_ae05_901a_60d9),
    (
        "ack-before-fsync-broken.json",
        include_str!("../../scenarios/ack-before-fsync-broken.json"),
        0xd298_611c_daea_6d9b,
    ),
    (
        "cut-off-leader-check-quorum.json",
        include_str!("../../scenarios/cut-off-leader-check-quorum.json"),
        0xd2c1_768d_d628_654c,
    ),
    ("cut-off-leader.json", include_str!("../../scenarios/cut-off-leader.json"), 0x597e_d336_6394_d63e),
    (
        "disruptive-rejoin-pre-vote.json",
        include_str!("../../scenarios/disruptive-rejoin-pre-vote.json"),
        0xae83_0aa2_da63_c374,
    ),
    ("disruptive-rejoin.json", include_str!("../../scenarios/disruptive-rejoin.json"), 0x0f84_758f_a033_dcc7),
    ("figure-8.json", include_str!("../../scenarios/figure-8.json"), 0x5a6c_ef70_7c14_bd3f),
    (
        "follower-catch-up-snapshot.json",
        include_str!("../../scenarios/follower-catch-up-snapshot.json"),
        0x73ae_1a07_94a5_1626,
    ),
    ("leader-crash.json", include_str!("../../scenarios/leader-crash.json"), 0xf6e1_e7d1_c4eb_1866),
    ("leadership-transfer.json", include_str!("../../scenarios/leadership-transfer.json"), 0xd5dd_a9de_ac50_b33b),
    ("learner-join.json", include_str!("../../scenarios/learner-join.json"), 0xaf2a_8967_4b1e_ba41),
    (
        "lease-drift-beyond-bound.json",
        include_str!("../../scenarios/lease-drift-beyond-bound.json"),
        0xbe00_7eb8_9aa2_23e4,
    ),
    (
        "lease-drift-within-bound.json",
        include_str!("../../scenarios/lease-drift-within-bound.json"),
        0xab7e_3514_1b40_f335,
    ),
    ("membership.json", include_str!("../../scenarios/membership.json"), 0xa182_c91a_0ef6_3631),
    ("stale-follower-read.json", include_str!("../../scenarios/stale-follower-read.json"), 0x1bd3_53d9_4fbd_f18f),
    ("torn-write.json", include_str!("../../scenarios/torn-write.json"), 0x27d3_a151_4b23_683d),
];
