//! Golden trace tests in the spirit of etcd raft's datadriven `testdata/*.txt`: each file under
//! `tests/testdata/` is a short script of directives, and below each directive, after a `----` line, the
//! output it is expected to print. The interpreter is `golden/script.rs`; the directives are documented in
//! `tests/testdata/README.md`.
//!
//! ```text
//! # Lines starting with `#` narrate; they and blank lines are kept as they are.
//! crash n2
//! ----
//! ok
//! ```
//!
//! An output block ends at the first blank line (outputs never contain one). Run with `LOGSCOPE_REWRITE=1`
//! to regenerate every expected block from what the world prints now; review the diff like code.

#[path = "golden/script.rs"]
mod script;

use logscope::sim::world::command::Command;
use script::Interpreter;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The separator between a directive and its expected output.
const SEPARATOR: &str = "----";

/// One piece of a golden file.
#[derive(Debug)]
enum Item {
    /// A comment or blank line, kept verbatim.
    Text(String),
    /// A directive with its 1-based line number and its expected output (None: no `----` block yet).
    Directive { line: usize, text: String, expected: Option<Vec<String>> },
}

/// Splits a golden file into narration and directives. The error names the file and the line.
fn parse_file(name: &str, source: &str) -> Result<Vec<Item>, String> {
    let lines: Vec<&str> = source.lines().collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            items.push(Item::Text(line.to_string()));
            i += 1;
            continue;
        }
        if trimmed == SEPARATOR {
            return Err(format!("{name}:{}: `----` without a directive above it", i + 1));
        }
        let directive_line = i + 1;
        i += 1;
        let expected = if lines.get(i).map(|l| l.trim()) == Some(SEPARATOR) {
            i += 1;
            let mut block = Vec::new();
            while i < lines.len() && !lines[i].trim().is_empty() {
                block.push(lines[i].to_string());
                i += 1;
            }
            // The blank line that ends the block belongs to it.
            if i < lines.len() {
                i += 1;
            }
            Some(block)
        } else {
            // A directive written without its block yet: the blank line after it ends it, as a block would.
            if lines.get(i).is_some_and(|l| l.trim().is_empty()) {
                i += 1;
            }
            None
        };
        items.push(Item::Directive { line: directive_line, text: trimmed.to_string(), expected });
    }
    Ok(items)
}

/// What running one file found.
struct FileOutcome {
    /// The file as it would be with every output block regenerated.
    rewritten: String,
    /// Human-readable mismatches (empty when the file passes).
    mismatches: Vec<String>,
}

/// Runs every directive of a golden file and compares (or collects) its output.
fn run_file(name: &str, source: &str) -> Result<FileOutcome, String> {
    let items = parse_file(name, source)?;
    let mut interpreter = Interpreter::new();
    let mut rewritten = String::new();
    let mut mismatches = Vec::new();
    let count = items.len();
    for (position, item) in items.into_iter().enumerate() {
        match item {
            Item::Text(text) => {
                rewritten.push_str(&text);
                rewritten.push('\n');
            }
            Item::Directive { line, text, expected } => {
                let actual = interpreter.run(&text).map_err(|e| format!("{name}:{line}: {e}"))?;
                let actual: Vec<String> = actual.lines().map(str::to_string).collect();
                assert!(
                    actual.iter().all(|l| !l.trim().is_empty()),
                    "{name}:{line}: the interpreter printed a blank line, which would end the block"
                );
                match &expected {
                    None => mismatches
                        .push(format!("{name}:{line}: `{text}` has no expected output (no `----` block below it)")),
                    Some(block) if *block != actual => {
                        mismatches.push(describe_mismatch(name, line, &text, block, &actual))
                    }
                    Some(_) => {}
                }
                let _ = writeln!(rewritten, "{text}\n{SEPARATOR}");
                for l in &actual {
                    let _ = writeln!(rewritten, "{l}");
                }
                if position + 1 < count {
                    rewritten.push('\n');
                }
            }
        }
    }
    Ok(FileOutcome { rewritten, mismatches })
}

/// Expected and actual output of one directive, with the first differing line marked.
fn describe_mismatch(name: &str, line: usize, text: &str, expected: &[String], actual: &[String]) -> String {
    let first = expected.iter().zip(actual).position(|(e, a)| e != a).unwrap_or(expected.len().min(actual.len()));
    let mut out =
        format!("{name}:{line}: `{text}` printed something else (first difference at output line {}):\n", first + 1);
    out.push_str("--- expected\n");
    for l in expected {
        let _ = writeln!(out, "  {l}");
    }
    out.push_str("+++ actual\n");
    for l in actual {
        let _ = writeln!(out, "  {l}");
    }
    out
}

fn testdata_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("testdata");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
}

fn rewrite_requested() -> bool {
    std::env::var("LOGSCOPE_REWRITE").is_ok_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn golden_files() {
    let files = testdata_files();
    let rewrite = rewrite_requested();
    // LOGSCOPE_GOLDEN_ONLY=figure-8 runs (or rewrites) only the files whose name contains that text.
    let only = std::env::var("LOGSCOPE_GOLDEN_ONLY").unwrap_or_default();
    if only.is_empty() && !rewrite {
        assert!(files.len() >= 10, "expected the golden files in tests/testdata, found {files:?}");
    }
    let mut failures = Vec::new();
    for path in files.iter().filter(|p| p.to_string_lossy().contains(only.as_str())) {
        let name = format!("tests/testdata/{}", path.file_name().expect("a file name").to_string_lossy());
        let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let outcome = match run_file(&name, &source) {
            Ok(outcome) => outcome,
            Err(error) => {
                failures.push(error);
                continue;
            }
        };
        if rewrite {
            if outcome.rewritten != source {
                std::fs::write(path, &outcome.rewritten).unwrap_or_else(|e| panic!("{name}: {e}"));
                eprintln!("rewrote {name}");
            }
        } else {
            failures.extend(outcome.mismatches);
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatch(es):\n\n{}\n\nIf the new output is right, regenerate with \
         `LOGSCOPE_REWRITE=1 cargo test --test golden` and review the diff.",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_parse_error_names_the_file_and_the_line() {
    let script = "# a comment\nconfig nodes=3 seed=1\n----\nok\n\ncrsh n1\n----\nok\n";
    let error = run_file("demo.txt", script).err().expect("an unknown directive is an error");
    assert!(error.starts_with("demo.txt:6: "), "{error}");
    assert!(error.contains("crsh"), "{error}");

    let bad_node = "put c0 x=1 node=7\n----\nok\n";
    let error = run_file("demo.txt", bad_node).err().expect("a node that does not exist is an error");
    assert!(error.starts_with("demo.txt:1: "), "{error}");

    let stray = "config seed=1\n----\nok\n\n----\n";
    let error = run_file("demo.txt", stray).err().expect("a stray separator is an error");
    assert!(error.starts_with("demo.txt:5: "), "{error}");

    let bad_config = "config nodes=3 segment_entires=4\n----\nok\n";
    let error = run_file("demo.txt", bad_config).err().expect("an unknown config key is an error");
    assert!(error.starts_with("demo.txt:1: ") && error.contains("segment_entires"), "{error}");
}

#[test]
fn any_action_of_the_command_schema_is_a_directive() {
    let script = "set-timeouts heartbeat_ms=40 election_timeout_ms_min=200 election_timeout_ms_max=400\n----\nok\n\n\
                  set-write-load per_second=5\n----\nok\n";
    let outcome = run_file("demo.txt", script).expect("schema actions are directives");
    assert!(outcome.mismatches.is_empty(), "{:?}", outcome.mismatches);
    let error = run_file("demo.txt", "set-loss probability=lots\n----\nok\n").err().expect("a bad field is an error");
    assert!(error.starts_with("demo.txt:1: ") && error.contains("probability: invalid type"), "{error}");
    let error = run_file("demo.txt", "set-write-load per_second=5000\n----\nok\n").err().expect("over the limit");
    assert!(error.contains("per_second: at most 1000 writes per second, got 5000"), "{error}");
    let error = run_file("demo.txt", "explode\n----\nok\n").err().expect("an unknown directive");
    assert!(error.contains(&Command::actions().join(", ")), "the directive list names every action: {error}");
}

#[test]
fn a_missing_or_different_output_is_a_mismatch_and_rewriting_fixes_it() {
    let script = "config seed=3\n----\nwrong\n\nrun 10ms\n";
    let outcome = run_file("demo.txt", script).expect("the script parses");
    assert_eq!(outcome.mismatches.len(), 2, "{:?}", outcome.mismatches);
    assert!(outcome.mismatches[0].starts_with("demo.txt:1: "));
    assert!(outcome.mismatches[1].starts_with("demo.txt:5: "));
    let again = run_file("demo.txt", &outcome.rewritten).expect("the rewritten script parses");
    assert!(again.mismatches.is_empty(), "{:?}", again.mismatches);
    assert_eq!(again.rewritten, outcome.rewritten, "rewriting is a fixed point");
}
