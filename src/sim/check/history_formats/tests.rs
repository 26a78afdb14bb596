//! The readers on good and bad input: every error names its line (and column where one is meaningful).

use super::*;
use crate::sim::raft::message::ClientOp;
use crate::sim::world::history::OpStatus;

fn error(format: HistoryFormat, text: &str) -> String {
    parse_history(format, text).unwrap_err().to_string()
}

const HEADER: &str = r#"{"format":"logscope-history","version":1}"#;

fn history() -> Vec<HistoryOp> {
    let op = |client, seq, op, invoked, completed, status| HistoryOp {
        client,
        seq,
        op,
        invoked_us: invoked,
        completed_us: completed,
        status,
        attempts: 1,
        served_by: None,
    };
    let mut h = vec![
        op(
            0,
            1,
            ClientOp::Put { key: "x".into(), value: "1".into() },
            10,
            Some(30),
            OpStatus::Ok { value: None, index: 4, applied: None },
        ),
        op(
            1,
            1,
            ClientOp::Get { key: "x".into() },
            20,
            Some(40),
            OpStatus::Ok { value: Some("1".into()), index: 4, applied: None },
        ),
        op(
            1,
            2,
            ClientOp::Get { key: "y".into() },
            40,
            Some(50),
            OpStatus::Ok { value: None, index: 0, applied: None },
        ),
        op(
            2,
            1,
            ClientOp::Cas { key: "x".into(), expected: None, value: "2".into() },
            15,
            Some(60),
            OpStatus::Ok { value: None, index: 5, applied: Some(false) },
        ),
        op(
            0,
            2,
            ClientOp::Append { key: "y".into(), value: "a;".into() },
            35,
            Some(90),
            OpStatus::Unknown { reason: "no answer after 3 attempts".into() },
        ),
        op(2, 2, ClientOp::Delete { key: "x".into() }, 70, None, OpStatus::Pending),
    ];
    h[0].served_by = Some(1);
    h[0].attempts = 2;
    h[3].served_by = Some(0);
    h[4].attempts = 3;
    h
}

#[test]
fn logscope_history_round_trips() {
    let text = write_logscope_history(&history());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], HEADER);
    assert_eq!(
        lines[1],
        r#"{"type":"invoke","client":0,"seq":1,"time_us":10,"call":{"op":"put","key":"x","value":"1"}}"#
    );
    assert!(
        lines.contains(&r#"{"type":"ok","client":2,"seq":1,"time_us":60,"applied":false,"index":5,"node":0}"#),
        "{text}"
    );
    assert!(
        lines.contains(
            &r#"{"type":"info","client":0,"seq":2,"time_us":90,"reason":"no answer after 3 attempts","attempts":3}"#
        ),
        "{text}"
    );
    assert_eq!(lines.len(), 1 + 6 + 5, "a pending operation has no second line");
    let mut read = parse_history(HistoryFormat::Logscope, &text).unwrap();
    read.sort_by_key(|op| (op.client, op.seq));
    let mut expected = history();
    expected.sort_by_key(|op| (op.client, op.seq));
    assert_eq!(read, expected);
    // Blank lines and a byte-order mark are fine.
    let padded = format!("\u{feff}{}\n\n", text.replace('\n', "\n\n"));
    assert_eq!(parse_history(HistoryFormat::Logscope, &padded).unwrap().len(), 6);
}

#[test]
fn logscope_errors_name_line_and_column() {
    let invoke = r#"{"type":"invoke","client":0,"seq":1,"time_us":10,"call":{"op":"get","key":"x"}}"#;
    let put = r#"{"type":"invoke","client":0,"seq":2,"time_us":20,"call":{"op":"put","key":"x","value":"1"}}"#;
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "empty history: expected the header line first"),
        (invoke.to_string(), "line 1, column 2: expected the header {\"format\": \"logscope-history\", \"version\": 1} first (unknown field `type`"),
        (r#"{"format":"porcupine","version":1}"#.into(), "line 1, column 2: the header's format is \"porcupine\""),
        (r#"{"format":"logscope-history","version":2}"#.into(), "line 1, column 30: version 2 is not known"),
        (format!("{HEADER}\n{{\"type\":\"invoke\",\"client\":0"), "line 2, column 27: EOF while parsing an object"),
        (format!("{HEADER}\n{{\"type\":\"begin\",\"client\":0}}"), "line 2, column 15: unknown variant `begin`, expected one of `invoke`, `ok`, `info`"),
        (format!("{HEADER}\n{put}\n{invoke}"), "line 3, column 37: time_us 10 is before the previous event's 20 (line 2): events must be in time order"),
        (format!("{HEADER}\n{{\"type\":\"ok\",\"client\":0,\"seq\":1,\"time_us\":5}}"), "line 2, column 25: client 0 seq 1 completes without an `invoke` line before it"),
        (
            format!("{HEADER}\n{invoke}\n{{\"type\":\"ok\",\"client\":0,\"seq\":1,\"time_us\":15}}\n{{\"type\":\"info\",\"client\":0,\"seq\":1,\"time_us\":16,\"reason\":\"x\"}}"),
            "line 4, column 27: client 0 seq 1 completes a second time",
        ),
        (format!("{HEADER}\n{invoke}\n{invoke}"), "line 3, column 29: client 0 invokes seq 1 a second time"),
        (
            format!("{HEADER}\n{put}\n{{\"type\":\"ok\",\"client\":0,\"seq\":2,\"time_us\":25,\"applied\":true}}"),
            "line 3, column 46: `applied` is only for a cas's answer, not for put x=1",
        ),
        (
            format!("{HEADER}\n{put}\n{{\"type\":\"ok\",\"client\":0,\"seq\":2,\"time_us\":25,\"value\":\"1\"}}"),
            "line 3, column 46: `value` is only for a get's answer",
        ),
        (
            format!("{HEADER}\n{{\"type\":\"invoke\",\"client\":0,\"seq\":1,\"time_us\":1,\"call\":{{\"op\":\"cas\",\"key\":\"x\",\"value\":\"1\"}}}}\n{{\"type\":\"ok\",\"client\":0,\"seq\":1,\"time_us\":2}}"),
            "line 3, column 2: a cas's answer needs `applied`",
        ),
        (format!("{HEADER}\n{{\"type\":\"ok\",\"client\":0,\"seq\":1,\"time_us\":5,\"colour\":1}}"), "line 2, column 45: unknown field `colour`"),
        (format!("{HEADER}\n{{\"type\":\"invoke\",\"client\":-1}}"), "line 2, column 28: invalid value: integer `-1`"),
        (
            format!("{HEADER}\n{{\"type\":\"invoke\",\"client\":0,\"seq\":1,\"time_us\":1,\"call\":{{\"op\":\"get\",\"key\":\"x\"}},\"value\":\"1\"}}"),
            "line 2, column 79: `value` does not belong in an `invoke` event",
        ),
        (format!("{HEADER}\n{{\"type\":\"invoke\",\"client\":0,\"seq\":1,\"time_us\":1}}"), "line 2, column 2: an `invoke` event needs `call`"),
        (format!("{HEADER}\n{invoke}\n{{\"type\":\"info\",\"client\":0,\"seq\":1,\"time_us\":11}}"), "line 3, column 2: an `info` event needs `reason`"),
        (
            format!("{HEADER}\n{{\"type\":\"invoke\",\"client\":0,\"seq\":1,\"time_us\":1,\"call\":{{\"op\":\"swap\",\"key\":\"x\"}}}}"),
            "line 2, column 67: unknown variant `swap`",
        ),
    ];
    for (text, expected) in cases {
        let got = error(HistoryFormat::Logscope, &text);
        assert!(got.starts_with(expected), "{text}\n  got:      {got}\n  expected: {expected}");
    }
}

#[test]
fn porcupine_kv_lines_become_operations() {
    let text = r#"{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
{:process 1, :type :invoke, :f :get, :key "0", :value nil}
{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}
{:process 1, :type :ok, :f :get, :key "0", :value ""}
{:process 1, :type :invoke, :f :put, :key "1", :value ""}
{:process 0, :type :invoke, :f :put, :key "1", :value "z"}
{:process 1, :type :info, :f :put, :key "1", :value ""}
"#;
    let ops = parse_history(HistoryFormat::PorcupineKv, text).unwrap();
    assert_eq!(ops.len(), 4);
    assert_eq!(ops[0].op, ClientOp::Append { key: "0".into(), value: "x 0 0 y".into() });
    assert_eq!((ops[0].invoked_us, ops[0].completed_us), (1, Some(3)), "times are line numbers");
    assert_eq!(ops[1].status, OpStatus::Ok { value: None, index: 0, applied: None }, "\"\" is an absent key");
    assert_eq!(ops[2].op, ClientOp::Delete { key: "1".into() }, "a put of \"\" clears the key");
    assert!(matches!(ops[2].status, OpStatus::Unknown { .. }));
    assert_eq!((ops[3].client, ops[3].seq, &ops[3].status), (0, 2, &OpStatus::Pending));
}

#[test]
fn porcupine_kv_errors_name_the_line() {
    let invoke = r#"{:process 0, :type :invoke, :f :get, :key "0", :value nil}"#;
    let cases = [
        (
            r#"{:process 0, :type :ok, :f :get, :key "0", :value "1"}"#.to_string(),
            "line 1: process 0 completes an operation it never invoked",
        ),
        (
            format!("{invoke}\n{invoke}"),
            "line 2: process 0 invokes again, but its operation from line 1 has not completed",
        ),
        (
            r#"{:process 0, :type :invoke, :f :cas, :key "0", :value "1"}"#.into(),
            "line 1: unknown `:f :cas` (expected :get, :put or :append)",
        ),
        (
            r#"{:process 0, :type :invoke, :f :put, :key "0", :value nil}"#.into(),
            "line 1: `:put` needs a string `:value`",
        ),
        (r#"{:process 0, :type :begin, :f :get, :key "0", :value nil}"#.into(), "line 1: unknown `:type :begin`"),
        (
            r#"{:process "0", :type :invoke, :f :get, :key "0", :value nil}"#.into(),
            "line 1, column 11: `:process` must be an integer",
        ),
        (r#"{:process 0, :type :invoke, :f :get, :value nil}"#.into(), "line 1: missing `:key`"),
        (
            r#"{:process 0, :type :invoke, :f :get, :key "0", :value nil, :time 3}"#.into(),
            "line 1, column 60: unknown field `:time`",
        ),
        (
            format!("{invoke}\n{}", r#"{:process 0, :type :ok, :f :put, :key "0", :value "1"}"#),
            "line 2: completes a `:get` with `:f :put`",
        ),
        ("{:process 0, :type :invoke".into(), "line 1, column 27: expected `}` at the end of the line"),
    ];
    for (text, expected) in cases {
        let got = error(HistoryFormat::PorcupineKv, &text);
        assert!(got.starts_with(expected), "{text}\n  got:      {got}\n  expected: {expected}");
    }
}

#[test]
fn jepsen_etcd_lines_become_operations() {
    let text = "INFO  jepsen.util - 0\t:invoke\t:read\tnil
INFO  jepsen.util - 1   :invoke :cas    [3 0]
INFO  jepsen.util - 2\t:invoke\t:write\t4
INFO  jepsen.util - 0\t:ok\t:read\t3
INFO  jepsen.util - 1   :fail   :cas    [3 0]
INFO  jepsen.util - 2\t:info\t:write\t:timed-out
INFO  jepsen.util - 3\t:invoke\t:read\tnil
INFO  jepsen.util - 3\t:fail\t:read\t:timed-out
INFO  jepsen.util - 4\t:invoke\t:cas\t[1 2]
";
    let ops = parse_history(HistoryFormat::JepsenEtcd, text).unwrap();
    assert_eq!(ops.len(), 5);
    assert_eq!(ops[0].status, OpStatus::Ok { value: Some("3".into()), index: 0, applied: None });
    assert_eq!(ops[1].op, ClientOp::Cas { key: "register".into(), expected: Some("3".into()), value: "0".into() });
    assert_eq!(ops[1].status, OpStatus::Ok { value: None, index: 0, applied: Some(false) }, ":fail :cas did not apply");
    assert!(matches!(ops[2].status, OpStatus::Unknown { .. }), ":info is no answer");
    assert!(matches!(ops[3].status, OpStatus::Unknown { .. }), "a timed-out read");
    assert_eq!(ops[4].status, OpStatus::Pending);
}

#[test]
fn jepsen_etcd_errors_name_line_and_column() {
    let cases = [
        ("INFO jepsen.core - starting", "line 1, column 6: expected `INFO jepsen.util - PROCESS :TYPE :F VALUE`"),
        ("INFO  jepsen.util - x\t:invoke\t:read\tnil", "line 1, column 21: expected a process number"),
        (
            "INFO  jepsen.util - 0\tinvoke\t:read\tnil",
            "line 1, column 23: expected `:invoke`, `:ok`, `:fail` or `:info`",
        ),
        ("INFO  jepsen.util - 0\t:invoke\t:append\t1", "line 1, column 31: unknown operation `:append`"),
        ("INFO  jepsen.util - 0\t:invoke\t:cas\t[1]", "line 1, column 36: expected `[FROM TO]`"),
        ("INFO  jepsen.util - 0\t:invoke\t:write\tx", "line 1, column 38: expected the value written"),
        ("INFO  jepsen.util - 0\t:ok\t:read\t3", "line 1: process 0 completes an operation it never invoked"),
        (
            "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:write\t3",
            "line 2, column 27: completes a `:read` with `:write`",
        ),
        (
            "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\tseven",
            "line 2, column 33: expected the value read",
        ),
        ("INFO  jepsen.util - 0\t:begin\t:read\tnil", "line 1, column 23: unknown type `:begin`"),
    ];
    for (text, expected) in cases {
        let got = error(HistoryFormat::JepsenEtcd, text);
        assert!(got.starts_with(expected), "{text}\n  got:      {got}\n  expected: {expected}");
    }
}

#[test]
fn input_beyond_the_limit_is_refused_before_it_is_read() {
    let huge = " ".repeat(MAX_HISTORY_BYTES + 1);
    for format in HistoryFormat::ALL {
        let got = error(format, &huge);
        assert!(got.starts_with("the history is 67108865 bytes; at most 67108864 bytes are read"), "{got}");
    }
}

#[test]
fn formats_are_named() {
    for format in HistoryFormat::ALL {
        assert_eq!(HistoryFormat::from_name(format.name()), Some(format));
    }
    assert_eq!(HistoryFormat::from_name("edn"), None);
}
