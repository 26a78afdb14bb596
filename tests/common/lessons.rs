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
    ("client-retry-once.json", include_str!("../../scenarios/client-retry-once.json"), 0x5908_0ca4_8b1a_f5ff),
    ("commit-needs-majority.json", include_str!("../../scenarios/commit-needs-majority.json"), 0x5791_d8e5_29ef_cfdd),
    ("commit-old-term-broken.json", include_str!("../../scenarios/commit-old-term-broken.json"), 0x486b_c16b_14cf_4e7e),
    ("election.json", include_str!("../../scenarios/election.json"), 0x6130_fd14_ef38_28c2),
    ("figure-8.json", include_str!("../../scenarios/figure-8.json"), 0xf5f2_5924_eced_ae48),
    ("follower-hwm-lag.json", include_str!("../../scenarios/follower-hwm-lag.json"), 0x14c6_0e2d_825a_9241),
    (
        "follower-hwm-unbounded-broken.json",
        include_str!("../../scenarios/follower-hwm-unbounded-broken.json"),
        0x9e19_f963_5f25_5228,
    ),
    ("leader-crash.json", include_str!("../../scenarios/leader-crash.json"), 0x7a5f_4a55_b736_ac06),
    ("log-repair.json", include_str!("../../scenarios/log-repair.json"), 0x0f79_73a3_6ec4_f0b7),
    ("membership.json", include_str!("../../scenarios/membership.json"), 0x801b_ad4d_6fef_34f5),
    ("no-dedup-broken.json", include_str!("../../scenarios/no-dedup-broken.json"), 0x20aa_d1b6_8bee_aa63),
    ("paused-leader-fenced.json", include_str!("../../scenarios/paused-leader-fenced.json"), 0xb6c1_e97f_42df_b436),
    ("read-above-hwm-broken.json", include_str!("../../scenarios/read-above-hwm-broken.json"), 0x3f3c_7311_472e_0e24),
    ("skip-prev-check-broken.json", include_str!("../../scenarios/skip-prev-check-broken.json"), 0xf540_2654_c0ad_ef1b),
    ("stale-follower-read.json", include_str!("../../scenarios/stale-follower-read.json"), 0xc87f_9eaf_198c_84c1),
    // Raft beyond Figure 2 (pattern `raft-extensions`).
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
    // Client histories (pattern `history`).
    ("lost-update-cas.json", include_str!("../../scenarios/lost-update-cas.json"), 0x9459_de63_0279_efdb),
];
