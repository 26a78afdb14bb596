//! The linearizability checker on Porcupine's own test files (tests/porcupine/): the 50-client key-value
//! histories c50-ok and c50-bad and etcd_002, the slowest Jepsen etcd file for Porcupine on this machine.
//! Budget (DESIGN §6): no slower than Porcupine single-threaded on any of them; docs/PERFORMANCE.md records
//! both sides' timings. Parsing is outside the timed part, as in Porcupine's benchmarks.

use criterion::{criterion_group, criterion_main, Criterion};
use logscope::sim::check::history_formats::{parse_history, HistoryFormat};
use logscope::sim::check::linearize::{check_history, Verdict};
use logscope::sim::world::history::HistoryOp;
use std::path::Path;

fn read(file: &str, format: HistoryFormat) -> Vec<HistoryOp> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/porcupine").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_history(format, &text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn bench(c: &mut Criterion) {
    let cases = [
        ("kv/c50-ok.txt", HistoryFormat::PorcupineKv, Verdict::Linearizable),
        ("kv/c50-bad.txt", HistoryFormat::PorcupineKv, Verdict::NotLinearizable),
        ("jepsen/etcd_002.log", HistoryFormat::JepsenEtcd, Verdict::Linearizable),
    ];
    let mut group = c.benchmark_group("linearize");
    group.sample_size(20);
    for (file, format, expected) in cases {
        let ops = read(file, format);
        group.bench_function(file, |b| {
            b.iter(|| {
                let report = check_history(&ops);
                assert_eq!(report.verdict, expected, "{file}");
                report
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
