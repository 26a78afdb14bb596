//! Every lesson in `scenarios/`, compiled into the tests that play them (natively in
//! `tests/scenario_files.rs`, in the browser in `tests/web_lessons.rs`), with the trace hash each gives when
//! played to its end. A change of a hash means a lesson's run changed: update it deliberately.

/// `(file, text, trace hash)` of every lesson, in blocks by pattern (each block in file-name order; the tests sort).
pub const LESSONS: &[(&str, &str, u64)] = &[
    ("ack-after-fsync.json", include_str!("../../scenarios/ack-after-fsync.json"), 0x5392_99d0_7282_4917),
    (
        "ack-before-fsync-broken.json",
        include_str!("../../scenarios/ack-before-fsync-broken.json"),
        0xd298_611c_daea_6d9b,
    ),
    ("bit-flip-repair.json", include_str!("../../scenarios/bit-flip-repair.json"), 0xfa2c_b54f_25aa_b5a8),
    (
        "bit-flip-skip-crc-broken.json",
        include_str!("../../scenarios/bit-flip-skip-crc-broken.json"),
        0x2fa1_a9c7_4ba7_a48c,
    ),
    ("crash-unsynced-tail.json", include_str!("../../scenarios/crash-unsynced-tail.json"), 0xd0c9_ea3b_bef6_3b17),
    (
        "follower-catch-up-snapshot.json",
        include_str!("../../scenarios/follower-catch-up-snapshot.json"),
        0x5be4_d7db_a6f1_ef08,
    ),
    ("fsync-failure.json", include_str!("../../scenarios/fsync-failure.json"), 0x3b6a_ad0d_86e8_c1db),
    (
        "gc-before-snapshot-durable-broken.json",
        include_str!("../../scenarios/gc-before-snapshot-durable-broken.json"),
        0xc85f_b0f3_6f0a_7dc2,
    ),
    ("group-commit.json", include_str!("../../scenarios/group-commit.json"), 0x4619_9bc3_fdf8_5e0b),
    ("retention-count.json", include_str!("../../scenarios/retention-count.json"), 0x735e_21b0_eda1_6a69),
    (
        "retention-follower-aware.json",
        include_str!("../../scenarios/retention-follower-aware.json"),
        0x87e4_c1c4_f93b_2851,
    ),
    ("retention-snapshot.json", include_str!("../../scenarios/retention-snapshot.json"), 0xe20c_086c_e60b_d69b),
    ("segments-and-lwm.json", include_str!("../../scenarios/segments-and-lwm.json"), 0x9cc7_e513_7e60_82f9),
    ("torn-write.json", include_str!("../../scenarios/torn-write.json"), 0x7f15_2004_c58c_9f0c),
    // Replication, HWM and reads, clients (patterns `replication`, `hwm`, `clients`).
    ("figure-8.json", include_str!("../../scenarios/figure-8.json"), 0x5a6c_ef70_7c14_bd3f),
    ("leader-crash.json", include_str!("../../scenarios/leader-crash.json"), 0xf6e1_e7d1_c4eb_1866),
    ("membership.json", include_str!("../../scenarios/membership.json"), 0xa182_c91a_0ef6_3631),
    ("stale-follower-read.json", include_str!("../../scenarios/stale-follower-read.json"), 0x1bd3_53d9_4fbd_f18f),
];
