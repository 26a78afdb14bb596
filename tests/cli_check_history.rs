//! `logscope-cli check-history` as scripts use it: exit 0 linearizable, 1 not, 3 inconclusive, 2 bad input
//! (malformed lines, an unknown format, times out of order, a huge file, not UTF-8: a message naming the
//! file, line and column, never a panic), the text report and `--json`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_logscope-cli")).args(args).output().expect("the CLI runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn porcupine(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/porcupine").join(file).display().to_string()
}

fn scratch(name: &str, contents: &[u8]) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-history");
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

const HEADER: &str = r#"{"format":"logscope-history","version":1}"#;

#[test]
fn exit_codes_follow_the_verdict() {
    let ok = cli(&["check-history", &porcupine("kv/c10-ok.txt"), "--format", "porcupine-kv"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout)
        .ends_with("verdict: linearizable; 337 ops on 10 keys checked, 0 dropped, 668 states explored\n"));
    let bad = cli(&["check-history", &porcupine("jepsen/etcd_000.log"), "--format", "jepsen-etcd"]);
    assert_eq!(bad.status.code(), Some(1));
    let out = text(&bad.stdout);
    assert!(out.contains("key register: NOT linearizable (85 ops)"), "{out}");
    assert!(out.contains("← cannot be linearized"), "{out}");
    assert!(out.contains("operations involved:"), "{out}");
    let inconclusive =
        cli(&["check-history", &porcupine("jepsen/etcd_002.log"), "--format", "jepsen-etcd", "--state-budget", "100"]);
    assert_eq!(inconclusive.status.code(), Some(3));
    assert!(text(&inconclusive.stdout).contains("verdict: inconclusive (budget 100 states; keys: register)"));
    // The same file with a larger budget is decided.
    let decided = cli(&[
        "check-history",
        &porcupine("jepsen/etcd_002.log"),
        "--format",
        "jepsen-etcd",
        "--state-budget",
        "5000000",
    ]);
    assert_eq!(decided.status.code(), Some(0));
}

#[test]
fn the_first_failure_ends_the_check_unless_every_key_is_asked_for() {
    let first = text(&cli(&["check-history", &porcupine("kv/c50-bad.txt"), "--format", "porcupine-kv"]).stdout);
    assert!(first.contains("not checked (another key failed first; --every-key checks it)"), "{first}");
    let every = cli(&["check-history", &porcupine("kv/c10-bad.txt"), "--format", "porcupine-kv", "--every-key"]);
    assert_eq!(every.status.code(), Some(1));
    let every = text(&every.stdout);
    assert!(!every.contains("not checked"), "{every}");
    assert!(every.contains("NOT linearizable (keys: 0, 1, 2, 3, 5, 6, 7, 9)"), "{every}");
}

#[test]
fn json_reports_every_key() {
    let out = cli(&["check-history", &porcupine("kv/c01-ok.txt"), "--format", "porcupine-kv", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["format"], "porcupine-kv");
    assert_eq!(json["operations"], 58);
    assert_eq!(json["report"]["verdict"], "linearizable");
    let key = &json["report"]["keys"][0];
    assert_eq!(key["outcome"]["verdict"], "linearizable");
    assert_eq!(key["outcome"]["order"].as_array().unwrap().len(), key["ops"].as_array().unwrap().len());
    assert_eq!(key["outcome"]["points_us"].as_array().unwrap().len(), key["ops"].as_array().unwrap().len());
}

#[test]
fn a_logscope_history_is_checked_with_virtual_times() {
    let lines = [
        HEADER,
        r#"{"type":"invoke","client":0,"seq":1,"time_us":1000,"call":{"op":"put","key":"x","value":"1"}}"#,
        r#"{"type":"ok","client":0,"seq":1,"time_us":2000,"index":3,"node":0}"#,
        r#"{"type":"invoke","client":0,"seq":2,"time_us":3000,"call":{"op":"put","key":"x","value":"2"}}"#,
        r#"{"type":"ok","client":0,"seq":2,"time_us":4000,"index":4,"node":0}"#,
        r#"{"type":"invoke","client":1,"seq":1,"time_us":5000,"call":{"op":"get","key":"x"}}"#,
        r#"{"type":"ok","client":1,"seq":1,"time_us":6000,"value":"1","index":3,"node":2}"#,
        r#"{"type":"invoke","client":1,"seq":2,"time_us":7000,"call":{"op":"put","key":"y","value":"1"}}"#,
    ];
    let file = scratch("stale.jsonl", (lines.join("\n") + "\n").as_bytes());
    let out = cli(&["check-history", &file, "--every-key"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let out = text(&out.stdout);
    assert!(
        out.contains("client 1's get x → \"1\" (5.0ms–6.0ms) returned after client 0's put x=2 had completed (4.0ms)"),
        "{out}"
    );
    assert!(out.contains("key y: linearizable (1 ops)"), "a pending put is an operation that may have happened: {out}");
}

#[test]
fn bad_input_is_exit_2_with_file_line_and_column() {
    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (b"{:process 0, :type :invoke, :f :get, :key \"0\", :value nil}\n{:process 0 :type".to_vec(), "porcupine-kv", "line 2, column 18: expected `}` at the end of the line"),
        (b"INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\tx\n".to_vec(), "jepsen-etcd", "line 2, column 33: expected the value read (`nil` or a non-negative integer)"),
        (
            format!("{HEADER}\n{{\"type\":\"invoke\",\"client\":0,\"seq\":1,\"time_us\":50,\"call\":{{\"op\":\"get\",\"key\":\"x\"}}}}\n{{\"type\":\"ok\",\"client\":0,\"seq\":1,\"time_us\":40}}\n").into_bytes(),
            "logscope",
            "line 3, column 33: time_us 40 is before the previous event's 50 (line 2): events must be in time order",
        ),
        (b"{\"format\":\"logscope-history\",\"version\":1}\n\xff\xfe".to_vec(), "logscope", "line 2, column 1: not UTF-8 text"),
        (Vec::new(), "logscope", "empty history: expected the header line first"),
    ];
    for (i, (contents, format, expected)) in cases.iter().enumerate() {
        let file = scratch(&format!("bad-{i}.txt"), contents);
        let out = cli(&["check-history", &file, "--format", format]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert_eq!(err, format!("error: {file}: {expected}\n"));
        assert!(out.stdout.is_empty());
    }
    let missing = cli(&["check-history", "/nonexistent/history.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).starts_with("error: /nonexistent/history.txt: "));
    let unknown = cli(&["check-history", &porcupine("kv/c01-ok.txt"), "--format", "edn"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("[possible values: logscope, porcupine-kv, jepsen-etcd]"));
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-history").join("huge.txt");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap(); // sparse: nothing is written
    let out = cli(&["check-history", &path.display().to_string(), "--format", "porcupine-kv"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("the history is 104857600 bytes; at most 67108864 bytes are read (MAX_HISTORY_BYTES)"),
        "{err}"
    );
    std::fs::remove_file(&path).unwrap();
}
