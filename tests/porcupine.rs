//! Porcupine's own test suite: its 108 labelled histories (tests/porcupine/, MIT, see its README.md) read
//! with LogScope's readers and checked with LogScope's checker; every verdict must be the one
//! `porcupine_test.go` asserts (tests/porcupine/EXPECTED.md), and every file must hold the operations the
//! table counts.

use logscope::sim::check::history_formats::{parse_history, HistoryFormat};
use logscope::sim::check::linearize::{check_history, Verdict};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/porcupine")
}

/// `(file, expected verdict or None for "(no test)", operations)` from EXPECTED.md's table.
fn expectations() -> Vec<(String, Option<Verdict>, usize)> {
    let table = std::fs::read_to_string(dir().join("EXPECTED.md")).expect("EXPECTED.md");
    table
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let (file, expected, count) = (cells.get(1)?, cells.get(2)?, cells.get(3)?);
            let verdict = match *expected {
                "linearizable" => Some(Verdict::Linearizable),
                "not" => Some(Verdict::NotLinearizable),
                "(no test)" => None,
                _ => return None, // the header and its rule
            };
            Some((file.to_string(), verdict, count.parse().ok()?))
        })
        .collect()
}

fn format_of(file: &str) -> HistoryFormat {
    if file.starts_with("kv/") {
        HistoryFormat::PorcupineKv
    } else {
        HistoryFormat::JepsenEtcd
    }
}

#[test]
fn every_labelled_history_gets_porcupines_verdict() {
    let expectations = expectations();
    assert_eq!(expectations.len(), 109, "6 kv files and etcd_000..=102");
    let labelled = expectations.iter().filter(|(_, verdict, _)| verdict.is_some()).count();
    assert_eq!(labelled, 108);
    let mut wrong = Vec::new();
    for (file, expected, count) in &expectations {
        let text = std::fs::read_to_string(dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let ops = parse_history(format_of(file), &text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(ops.len(), *count, "{file}: operations read");
        let Some(expected) = expected else { continue };
        let report = check_history(&ops);
        if report.verdict != *expected {
            wrong.push(format!("{file}: expected {expected:?}, got {}", report.summary()));
        }
        if report.verdict == Verdict::NotLinearizable {
            let failing = report.failures().next().expect("a failing key");
            assert!(failing.failure().is_some_and(|f| !f.explanation.is_empty()), "{file}: an explanation");
        }
    }
    assert!(wrong.is_empty(), "{} verdicts differ:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_kv_files_are_checked_per_key_and_the_good_ones_linearize_every_key() {
    for name in ["c01", "c10", "c50"] {
        let read = |label: &str| {
            let text = std::fs::read_to_string(dir().join("kv").join(format!("{name}-{label}.txt"))).unwrap();
            check_history(&parse_history(HistoryFormat::PorcupineKv, &text).unwrap())
        };
        let (ok, bad) = (read("ok"), read("bad"));
        assert!(ok.keys_checked > 1 && bad.keys_checked > 1, "{name}: split per key");
        assert!(ok.keys.iter().all(|k| k.verdict() == Some(Verdict::Linearizable)), "{name}-ok: {}", ok.summary());
        assert!(bad.failures().count() >= 1, "{name}-bad: {}", bad.summary());
    }
}
