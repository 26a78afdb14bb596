//! Every lesson in `scenarios/`, compiled into the tests that play them (natively in
//! `tests/scenario_files.rs`, in the browser in `tests/web_lessons.rs`), with the trace hash each gives when
//! played to its end. A change of a hash means a lesson's run changed: update it deliberately.

/// `(file, text, trace hash)` of every lesson, in file-name order.
pub const LESSONS: [(&str, &str, u64); 9] = [
    ("ack-after-fsync.json", include_str!("../../scenarios/ack-after-fsync.json"), 0x2f47_ae05_901a_60d9),
    (
        "ack-before-fsync-broken.json",
        include_str!("../../scenarios/ack-before-fsync-broken.json"),
        0xd298_611c_daea_6d9b,
    ),
    ("figure-8.json", include_str!("../../scenarios/figure-8.json"), 0x5a6c_ef70_7c14_bd3f),
    (
        "follower-catch-up-snapshot.json",
        include_str!("../../scenarios/follower-catch-up-snapshot.json"),
        0x73ae_1a07_94a5_1626,
    ),
    ("leader-crash.json", include_str!("../../scenarios/leader-crash.json"), 0xf6e1_e7d1_c4eb_1866),
    ("lost-update-cas.json", include_str!("../../scenarios/lost-update-cas.json"), 0x9459_de63_0279_efdb),
    ("membership.json", include_str!("../../scenarios/membership.json"), 0xa182_c91a_0ef6_3631),
    ("stale-follower-read.json", include_str!("../../scenarios/stale-follower-read.json"), 0x1bd3_53d9_4fbd_f18f),
    ("torn-write.json", include_str!("../../scenarios/torn-write.json"), 0x27d3_a151_4b23_683d),
];
