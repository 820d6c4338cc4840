//! `callwarden-cli register | call | answer` against a real Kamailio: the documented account file
//! in, one JSON event per line out.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use interop::{Kamailio, SipAccount, Transport};

const CLI: &str = env!("CARGO_BIN_EXE_callwarden-cli");

fn account_file(dir: &Path, sip: &SipAccount) -> PathBuf {
    sip.write_account_file(dir).expect("write account file")
}

fn events(stdout: &[u8]) -> Vec<serde_json::Value> {
    stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("every stdout line is JSON"))
        .collect()
}

fn states(events: &[serde_json::Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["type"] == "registrationChanged")
        .map(|e| e["state"]["state"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn register_over_tls_prints_registered_then_unregistered() {
    let kamailio = Kamailio::start().expect("kamailio");
    let dir = tempfile::tempdir().expect("tempdir");
    let account =
        account_file(dir.path(), &kamailio.account("1001", Transport::Tls).expect("1001"));
    let out =
        Command::new(CLI).args(["register", "--account"]).arg(&account).output().expect("run cli");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(states(&events(&out.stdout)), ["registered", "unregistered"]);
}

#[test]
fn a_wrong_password_fails_with_one_clear_line() {
    let kamailio = Kamailio::start().expect("kamailio");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sip = kamailio.account("1001", Transport::Udp).expect("1001");
    sip.password = "not-the-password".into();
    let account = account_file(dir.path(), &sip);
    let out = Command::new(CLI)
        .args(["register", "--timeout", "20", "--account"])
        .arg(&account)
        .output()
        .expect("run cli");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("registration failed"), "stderr: {stderr}");
    assert!(!stderr.contains("not-the-password"), "the password must never be printed");
}

#[test]
fn call_and_answer_through_kamailio() {
    let kamailio = Kamailio::start().expect("kamailio");
    let dir = tempfile::tempdir().expect("tempdir");
    let callee = account_file(dir.path(), &kamailio.account("1002", Transport::Tls).expect("1002"));
    let caller = account_file(dir.path(), &kamailio.account("1001", Transport::Tls).expect("1001"));

    let mut answer = Command::new(CLI)
        .args(["answer", "--calls", "1", "--account"])
        .arg(&callee)
        .stdout(Stdio::piped())
        .spawn()
        .expect("answer starts");
    let mut lines = BufReader::new(answer.stdout.take().expect("stdout")).lines();
    let ready = lines.by_ref().map_while(Result::ok).any(|l| l.contains("\"ready\""));
    assert!(ready, "the answering side registered and said ready");

    let call = Command::new(CLI)
        .args(["call", "--duration", "1", "--account"])
        .arg(&caller)
        .arg("1002")
        .output()
        .expect("call");
    assert!(call.status.success(), "call stderr: {}", String::from_utf8_lossy(&call.stderr));
    let caller_events = events(&call.stdout);
    let types: Vec<&str> = caller_events.iter().filter_map(|e| e["type"].as_str()).collect();
    for expected in ["outgoingCall", "answered", "mediaSecured", "ended"] {
        assert!(types.contains(&expected), "caller saw {types:?}");
    }

    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(answer.wait().expect("answer exits").success());
    assert!(rest.iter().any(|l| l.contains("\"incomingCall\"")), "callee saw {rest:?}");
    assert!(
        rest.iter().any(|l| l.contains("\"remoteHangup\"")),
        "callee saw the caller hang up: {rest:?}"
    );
}
