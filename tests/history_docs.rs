//! `docs/history-format.md` cannot drift from the reader: its example is read as the doc says (the lines in
//! time order check as a stale read; the whole block is refused with the error the doc quotes), and it names
//! every format and the limits with their values.

use logscope::sim::check::history_formats::{parse_history, HistoryFormat};
use logscope::sim::check::linearize::{check_history, Verdict};
use logscope::sim::limits::{MAX_HISTORY_BYTES, MAX_HISTORY_OPS};
use std::path::Path;

fn doc() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/history-format.md")).unwrap()
}

#[test]
fn the_example_reads_as_the_doc_says() {
    let doc = doc();
    let block = doc.split("Example (a stale read").nth(1).unwrap();
    let example = block.split("```json\n").nth(1).unwrap().split("```").next().unwrap();
    let quoted = block.split("refused with\n`").nth(1).unwrap().split('`').next().unwrap();
    let error = parse_history(HistoryFormat::Logscope, example).unwrap_err();
    assert_eq!(error.to_string(), quoted);
    let in_order: Vec<&str> = example.lines().take(7).collect();
    let history = parse_history(HistoryFormat::Logscope, &in_order.join("\n")).unwrap();
    let report = check_history(&history);
    assert_eq!(report.verdict, Verdict::NotLinearizable, "{}", report.summary());
}

#[test]
fn the_doc_names_every_format_and_the_limits() {
    let doc = doc();
    for format in HistoryFormat::ALL {
        assert!(doc.contains(&format!("`--format {}`", format.name())), "{}", format.name());
    }
    assert_eq!(MAX_HISTORY_BYTES, 64 * 1024 * 1024);
    assert!(doc.contains("`MAX_HISTORY_BYTES` (64 MiB)"));
    assert_eq!(MAX_HISTORY_OPS, 1_000_000);
    assert!(doc.contains("`MAX_HISTORY_OPS` (1,000,000)"));
}
