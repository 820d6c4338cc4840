//! `callwarden-cli trust check`: the stable JSON interface, on INVITEs signed by the independent
//! signer `secsipidx` with a PKI made by openssl at test time, and a context file with relative
//! paths.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

const X5U: &str = "https://cert.sti.test/sp.pem";

struct Lab {
    dir: tempfile::TempDir,
}

impl Lab {
    fn new() -> Lab {
        let dir = tempfile::tempdir().expect("tempdir");
        let pki = dir.path().join("sti");
        std::fs::create_dir(&pki).expect("mkdir");
        let script = include_str!("../../trust/tests/common/pki.sh");
        let out = Command::new("sh").arg("-ec").arg(script).current_dir(&pki).output().expect("sh");
        assert!(out.status.success(), "pki.sh: {}", String::from_utf8_lossy(&out.stderr));
        Lab { dir }
    }

    fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }

    fn sign(&self, attest: &str, orig: &str, dest: &str) -> (String, i64) {
        let out = Command::new("secsipidx")
            .args(["-sign-full", "-k"])
            .arg(self.path("sti/key.pem"))
            .args(["-attest", attest, "-orig-tn", orig, "-dest-tn", dest, "-x5u", X5U])
            .output()
            .expect("secsipidx is installed");
        assert!(out.status.success());
        let value = String::from_utf8(out.stdout).expect("utf8").trim().to_owned();
        // secsipidx stamps `iat` with the current time; checking "now" stays within 60 s of it.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        (value, i64::try_from(now).expect("fits"))
    }

    fn context(&self, x5u: Value) -> std::path::PathBuf {
        let ctx = json!({
            "own_numbers": ["+12155550202"],
            "directory": [{ "name": "IT Helpdesk", "aliases": ["Helpdesk"], "numbers": ["+12155550100"], "extension": "1000" }],
            "contacts": [{ "name": "Bob Builder", "numbers": ["+14155550142"] }],
            "trust_anchors": [{ "path": "sti/ca.pem" }],
            "x5u": { X5U: x5u },
            "policy": { "internal_ranges": ["+1215555*"] }
        });
        let path = self.path("context.json");
        std::fs::write(&path, ctx.to_string()).expect("write");
        path
    }

    fn invite(
        &self,
        from: &str,
        display: &str,
        identity: Option<&str>,
        line_end: &str,
    ) -> std::path::PathBuf {
        let mut lines = vec![
            "INVITE sip:+12155550202@pbx.example SIP/2.0".to_owned(),
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1".to_owned(),
            "Max-Forwards: 70".to_owned(),
            format!("From: \"{display}\" <sip:{from}@carrier.example>;tag=1"),
            "To: <sip:+12155550202@pbx.example>".to_owned(),
            "Call-ID: trust-check-1@carrier.example".to_owned(),
            "CSeq: 1 INVITE".to_owned(),
            "Contact: <sip:caller@192.0.2.1:5060>".to_owned(),
        ];
        if let Some(v) = identity {
            lines.push(format!("Identity: {v}"));
        }
        lines.push("Content-Length: 0".to_owned());
        let text = format!("{}{line_end}{line_end}", lines.join(line_end));
        let path = self.path("invite.sip");
        std::fs::write(&path, text).expect("write");
        path
    }
}

fn run(invite: &Path, context: &Path, now_secs: i64) -> Output {
    let now = humantime::format_rfc3339(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(now_secs as u64),
    )
    .to_string();
    Command::new(env!("CARGO_BIN_EXE_callwarden-cli"))
        .args(["trust", "check", "--invite"])
        .arg(invite)
        .arg("--context")
        .arg(context)
        .args(["--now", &now])
        .output()
        .expect("cli runs")
}

fn verdict(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn codes(v: &Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["code"].as_str().expect("code").to_owned())
        .collect()
}

#[test]
fn secsipidx_signed_invite_from_a_contact_is_verified() {
    let lab = Lab::new();
    let (identity, iat) = lab.sign("A", "14155550142", "12155550202");
    let out = run(
        &lab.invite("+14155550142", "Bob", Some(&identity), "\r\n"),
        &lab.context(json!({ "path": "sti/sp.chain.pem" })),
        iat + 1,
    );
    let v = verdict(&out);
    assert_eq!(v["level"], "verified");
    assert_eq!(v["attestation"], "a");
    assert_eq!(v["rcd"]["status"], "none");
    assert_eq!(v["action"], "answer");
    assert_eq!(v["callback_number"], "+14155550142");
    assert!(codes(&v).contains(&"attest.a".to_owned()));
    assert!(v["reasons"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn helpdesk_impersonation_says_call_the_directory_number() {
    let lab = Lab::new();
    let out = run(
        &lab.invite("+16465550199", "IT Helpdesk", None, "\n"),
        &lab.context(json!({ "path": "sti/sp.chain.pem" })),
        1_800_000_000,
    );
    let v = verdict(&out);
    assert_eq!(v["level"], "danger");
    assert_eq!(v["attestation"], "none");
    assert_eq!(v["action"], "verify_by_callback");
    assert_eq!(v["callback_number"], "+12155550100", "the directory number, never the caller's");
    assert_eq!(codes(&v)[0], "detector.impersonation");
}

#[test]
fn certificate_fetch_that_times_out_is_reported() {
    let lab = Lab::new();
    let (identity, iat) = lab.sign("A", "14155550142", "12155550202");
    let out = run(
        &lab.invite("+14155550142", "Bob", Some(&identity), "\r\n"),
        &lab.context(json!({ "timeout": true })),
        iat + 1,
    );
    let v = verdict(&out);
    assert_eq!(v["attestation"], "failed");
    assert_eq!(codes(&v)[0], "cert.fetch_timeout");
    assert_eq!(v["state"], "final");
}

#[test]
fn same_input_gives_the_same_output() {
    let lab = Lab::new();
    let (identity, iat) = lab.sign("B", "14155550142", "12155550202");
    let ctx = lab.context(json!({ "path": "sti/sp.chain.pem" }));
    let invite = lab.invite("+14155550142", "Bob", Some(&identity), "\r\n");
    let (a, b) = (run(&invite, &ctx, iat + 1), run(&invite, &ctx, iat + 1));
    assert_eq!(verdict(&a), verdict(&b));
    assert_eq!(verdict(&a)["attestation"], "b");
}

#[test]
fn unusable_input_exits_non_zero_with_a_message() {
    let lab = Lab::new();
    let ctx = lab.context(json!({ "path": "sti/sp.chain.pem" }));
    let missing = run(&lab.path("nope.sip"), &ctx, 1_800_000_000);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.sip"));
    std::fs::write(lab.path("garbage.sip"), "hello").expect("write");
    assert!(!run(&lab.path("garbage.sip"), &ctx, 1_800_000_000).status.success());
}
