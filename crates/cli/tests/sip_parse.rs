//! `callwarden-cli sip parse` on the torture fixtures: one JSON object and exit 0 for valid
//! messages, one `error:` line on stderr and exit 1 for malformed ones.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn torture(kind: &str, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../sip-types/tests/torture")
        .join(kind)
        .join(format!("{name}.sip"))
}

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_callwarden-cli"))
}

#[test]
fn valid_request_prints_its_summary() {
    let out =
        cli().args(["sip", "parse"]).arg(torture("valid", "wsinv")).output().expect("run cli");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["kind"], "request");
    assert_eq!(json["method"], "INVITE");
    assert_eq!(json["status"], serde_json::Value::Null);
    assert_eq!(json["request_uri"], "sip:vivekg@chair-dnrc.example.com;unknownparam");
    assert_eq!(json["header_count"], 14);
    assert_eq!(json["call_id"], "wsinv.ndaksdj@192.0.2.1");
    assert_eq!(json["cseq"]["seq"], 9);
    assert_eq!(json["cseq"]["method"], "INVITE");
    assert_eq!(json["via_count"], 3);
    assert_eq!(json["body_length"], 150);
}

#[test]
fn response_from_stdin_prints_its_status() {
    let mut child = cli()
        .args(["sip", "parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let bytes = std::fs::read(torture("valid", "bcast")).expect("fixture");
    child.stdin.take().expect("stdin").write_all(&bytes).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["kind"], "response");
    assert_eq!(json["status"], 200);
    assert_eq!(json["via_count"], 2);
    assert_eq!(json["body_length"], 154);
}

#[test]
fn malformed_message_exits_1_with_one_line_naming_the_problem() {
    let out =
        cli().args(["sip", "parse"]).arg(torture("invalid", "mcl01")).output().expect("run cli");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).expect("utf8");
    assert_eq!(stderr, "error: line 9: Content-Length given twice with different values\n");
}

#[test]
fn every_invalid_fixture_exits_1() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sip-types/tests/torture/invalid");
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        let out = cli().args(["sip", "parse"]).arg(&path).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{}: {stderr}", path.display());
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
}
