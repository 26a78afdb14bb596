//! `logscope-cli check-history`: reads a client history file (LogScope's format, Porcupine's key-value log
//! or Jepsen's etcd log), checks it with the same checker the chaos runner and the UI use, and prints the
//! verdict per key — for a failing key the sentence, the operations involved and the one that cannot be
//! linearized. Exit 0 linearizable, 1 not, 3 inconclusive, 2 bad input (the message names line and column).

use crate::args::{CheckHistoryArgs, EXIT_INCONCLUSIVE, EXIT_VIOLATION};
use crate::output::outln;
use logscope::sim::check::history_formats::{parse_history, too_large, HistoryFormat};
use logscope::sim::check::linearize::{
    check_history_with, CheckOptions, Clock, KeyOutcome, KeyReport, LinearizabilityReport, OpOutcome, Verdict,
};
use logscope::sim::limits::MAX_HISTORY_BYTES;
use std::process::ExitCode;

/// Operations of a failing key shown around the blocked one, at most.
const SHOWN_OPS: usize = 12;

/// Reads, checks, prints; a file that cannot be read is an error (exit 2) naming the file, line and column.
pub fn check_history(args: &CheckHistoryArgs) -> Result<ExitCode, String> {
    let file = args.file.display();
    let size = std::fs::metadata(&args.file).map_err(|e| format!("{file}: {e}"))?.len();
    if size > MAX_HISTORY_BYTES as u64 {
        return Err(format!("{file}: {}", too_large(size)));
    }
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{file}: {e}"))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        format!("{file}: line {line}, column {column}: not UTF-8 text")
    })?;
    let ops = parse_history(args.format, text).map_err(|e| format!("{file}: {e}"))?;
    let clock = if args.format == HistoryFormat::Logscope { Clock::Virtual } else { Clock::Lines };
    let options = CheckOptions { state_budget: args.state_budget, every_key: args.every_key, clock };
    let report = check_history_with(&ops, options);
    if args.json {
        let json = serde_json::json!({
            "file": args.file.display().to_string(),
            "format": args.format.name(),
            "operations": ops.len(),
            "report": report,
        });
        outln!("{}", serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
    } else {
        outln!("history: {file} ({}), {} operations", args.format.name(), ops.len());
        for key in &report.keys {
            print_key(key, &report, clock);
        }
        outln!("verdict: {}", report.summary());
    }
    Ok(match report.verdict {
        Verdict::Linearizable => ExitCode::SUCCESS,
        Verdict::NotLinearizable => ExitCode::from(EXIT_VIOLATION),
        Verdict::Inconclusive => ExitCode::from(EXIT_INCONCLUSIVE),
    })
}

/// One key: its verdict in a line, and for a failure the evidence.
fn print_key(key: &KeyReport, report: &LinearizabilityReport, clock: Clock) {
    let ops = key.ops.len();
    match &key.outcome {
        KeyOutcome::Linearizable { .. } => outln!("key {}: linearizable ({ops} ops)", key.key),
        KeyOutcome::Inconclusive => outln!(
            "key {}: inconclusive (budget {} states; {ops} ops; raise --state-budget)",
            key.key,
            report.state_budget
        ),
        KeyOutcome::NotChecked => {
            outln!("key {}: not checked (another key failed first; --every-key checks it)", key.key)
        }
        KeyOutcome::NotLinearizable(failure) => {
            outln!("key {}: NOT linearizable ({ops} ops)", key.key);
            outln!("  {}", failure.explanation);
            outln!(
                "  longest linearizable prefix: {} of {ops} operations, leaving {}",
                failure.longest_prefix.len(),
                failure.value_after_prefix.as_ref().map_or("the key absent".to_string(), |v| format!("{v:?}"))
            );
            outln!("  operations involved:");
            for line in involved(key, failure.blocked, &failure.longest_prefix, clock) {
                outln!("    {line}");
            }
        }
    }
}

/// The blocked operation, the end of the longest prefix and the operations concurrent with the blocked one,
/// in invocation order, each marked with its part.
fn involved(key: &KeyReport, blocked: usize, prefix: &[usize], clock: Clock) -> Vec<String> {
    let op = &key.ops[blocked];
    let end = if op.outcome == OpOutcome::Ok { op.completed_us.unwrap_or(u64::MAX) } else { u64::MAX };
    let tail = &prefix[prefix.len().saturating_sub(4)..];
    let mut shown: Vec<usize> = (0..key.ops.len())
        .filter(|&i| {
            let other = &key.ops[i];
            let other_end =
                if other.outcome == OpOutcome::Ok { other.completed_us.unwrap_or(u64::MAX) } else { u64::MAX };
            i == blocked || tail.contains(&i) || (other.invoked_us <= end && op.invoked_us <= other_end)
        })
        .collect();
    shown.truncate(SHOWN_OPS);
    if !shown.contains(&blocked) {
        shown.push(blocked);
    }
    shown
        .iter()
        .map(|&i| {
            let role = if i == blocked {
                "  ← cannot be linearized"
            } else if let Some(at) = prefix.iter().position(|&p| p == i) {
                if at + 1 == prefix.len() {
                    "  (last of the prefix)"
                } else {
                    "  (in the prefix)"
                }
            } else {
                "  (concurrent, not placed)"
            };
            format!("{}{role}", key.ops[i].label_on(clock))
        })
        .collect()
}
