//! Shared test harness: a test-only STI PKI made with openssl at test time, PASSporT signing
//! (our own ES256 for crafted payloads, `secsipidx` as the independent signer), and a driver
//! that runs the sans-IO `Trust` machine against a map of fetch answers.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use trust::context::ContextFile;
use trust::{
    CheckId, FetchResult, FetchUrl, InboundCall, Input, Output, Party, Trust, TrustContext,
    UnixTime, Verdict,
};

/// The x5u every test certificate is served at (answers come from the driver's map).
pub const X5U: &str = "https://sti.test/sp.pem";
pub const ORIG: &str = "13105550101";
pub const DEST: &str = "12155550202";

/// A freshly generated test-only PKI in a temporary directory.
pub struct Pki {
    pub dir: tempfile::TempDir,
}

impl Pki {
    pub fn generate() -> Pki {
        let dir = tempfile::tempdir().expect("temp dir");
        let script = include_str!("pki.sh");
        let out = Command::new("sh")
            .arg("-ec")
            .arg(script)
            .current_dir(dir.path())
            .output()
            .expect("sh runs");
        assert!(out.status.success(), "pki.sh failed: {}", String::from_utf8_lossy(&out.stderr));
        Pki { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    /// The x5u document for certificate variant `name` (`sp`, `sp_one`, `sp_rogue`, ...).
    pub fn chain(&self, name: &str) -> FetchResult {
        FetchResult::Body { bytes: self.read(&format!("{name}.chain.pem")), cache_control: None }
    }

    pub fn signing_key(&self) -> SigningKey {
        let pem = std::fs::read_to_string(self.path("key.pem")).expect("key");
        SigningKey::from(p256::SecretKey::from_sec1_pem(&pem).expect("SEC1 key"))
    }

    /// A context trusting the test root (plus `extra` JSON merged into the context file).
    pub fn context(&self, extra: Value) -> Arc<TrustContext> {
        let mut file =
            json!({ "trust_anchors": [{ "path": "ca.pem" }], "own_numbers": ["+12155550202"] });
        merge(&mut file, extra);
        let parsed = ContextFile::from_json(file.to_string().as_bytes()).expect("context JSON");
        let dir = self.dir.path().to_owned();
        Arc::new(parsed.build(&|p| std::fs::read(dir.join(p))).expect("context builds"))
    }
}

/// Seconds since the epoch now (tests may read the clock; the core never does). The PKI is
/// issued "now", so verification times are taken relative to this.
pub fn wall_clock() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970");
    i64::try_from(d.as_secs()).expect("fits")
}

pub fn merge(base: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        for (k, v) in e {
            b.insert(k, v);
        }
    }
}

/// Signs `header`/`payload` with ES256 and returns the compact JWS.
pub fn sign(key: &SigningKey, header: &Value, payload: &Value) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let sig: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

pub fn shaken_header(x5u: &str) -> Value {
    json!({ "alg": "ES256", "ppt": "shaken", "typ": "passport", "x5u": x5u })
}

pub fn shaken_payload(attest: &str, orig: &str, dest: &str, iat: i64) -> Value {
    json!({ "attest": attest, "dest": { "tn": [dest] }, "iat": iat, "orig": { "tn": orig }, "origid": "6b1c8b7e-6a0e-4d1b-9a8f-1f2e3d4c5b6a" })
}

/// The Identity header value as Kamailio and secsipidx write it.
pub fn identity(token: &str, x5u: &str) -> String {
    format!("{token};info=<{x5u}>;alg=ES256;ppt=shaken")
}

/// A call from `orig` to `dest` (digits with country code) carrying `identity` headers.
pub fn call(orig: &str, dest: &str, identity: Vec<String>) -> InboundCall {
    InboundCall {
        from: Party {
            user: format!("+{orig}"),
            host: "carrier.example".into(),
            ..Party::default()
        },
        to: Party { user: format!("+{dest}"), host: "pbx.example".into(), ..Party::default() },
        request_uri_user: format!("+{dest}"),
        identity,
        ..InboundCall::default()
    }
}

/// Runs one call to its final verdict, answering fetches from `answers` (a URL with no answer
/// is left to time out). Returns every verdict emitted, in order.
pub fn drive(
    trust: &mut Trust,
    now: UnixTime,
    call: InboundCall,
    answers: &HashMap<String, FetchResult>,
) -> Vec<Verdict> {
    let id = CheckId(1);
    let mut verdicts = Vec::new();
    let mut now = now;
    trust.handle_input(now, Input::Call { id, call });
    loop {
        match trust.poll_output() {
            Output::Fetch { url, .. } => {
                if let Some(result) = answers.get(url.as_str()) {
                    trust.handle_input(
                        now,
                        Input::Fetched { url: url.clone(), result: result.clone() },
                    );
                }
            }
            Output::Verdict { verdict, .. } => verdicts.push(verdict),
            Output::Timeout(at) => {
                now = at;
                trust.handle_timeout(now);
            }
            Output::Idle => return verdicts,
        }
    }
}

/// The final verdict of one call against a fresh `Trust`.
pub fn verdict(
    ctx: Arc<TrustContext>,
    now: UnixTime,
    call: InboundCall,
    answers: &HashMap<String, FetchResult>,
) -> Verdict {
    let mut trust = Trust::new(ctx);
    drive(&mut trust, now, call, answers).pop().expect("a final verdict")
}

pub fn answers(pairs: Vec<(&str, FetchResult)>) -> HashMap<String, FetchResult> {
    pairs.into_iter().map(|(u, r)| (u.to_owned(), r)).collect()
}

/// The `iat` inside a compact JWS (for tokens from secsipidx, which stamps the current time).
pub fn iat_of(token: &str) -> i64 {
    let payload = token.split('.').nth(1).expect("payload");
    let v: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json");
    v["iat"].as_i64().expect("iat")
}

/// Signs with the independent signer: `secsipidx -sign-full` (prints the whole Identity value).
pub fn secsipidx_sign(key: &Path, attest: &str, orig: &str, dest: &str, x5u: &str) -> String {
    let out = Command::new("secsipidx")
        .args(["-sign-full", "-k"])
        .arg(key)
        .args(["-attest", attest, "-orig-tn", orig, "-dest-tn", dest, "-x5u", x5u])
        .output()
        .expect("secsipidx is installed (Debian package secsipidx)");
    assert!(out.status.success(), "secsipidx failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8").trim().to_owned()
}

pub fn url(u: &str) -> FetchUrl {
    FetchUrl::parse(u, true).expect("url")
}
