//! The labelled scenario corpus (`tests/corpus/*.json`): legitimate and malicious calls, each
//! with its expected level and reasons. Every scenario runs through the sans-IO machine with a
//! PKI made at test time; the test prints precision and recall per detector and fails on any
//! unmet expectation.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::*;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use trust::context::ContextFile;
use trust::{CallOrigin, FetchResult, InboundCall, Party, Trust, UnixTime, Verdict};

const FILES: [&str; 6] = [
    "legitimate.json",
    "impersonation.json",
    "spoofing.json",
    "wangiri_burst.json",
    "stir.json",
    "reputation.json",
];

fn load() -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut all = Vec::new();
    for f in FILES {
        let text = std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
        all.extend(v.as_array().unwrap_or_else(|| panic!("{f} is a list")).iter().cloned());
    }
    all
}

/// The detector (or group) a reason code belongs to, for the precision/recall table.
fn group(code: &str) -> Option<&'static str> {
    Some(match code {
        "detector.impersonation" | "detector.identity_unproven" => "impersonation",
        "detector.internal_spoof" => "internal_spoof",
        "detector.neighbour_spoof" => "neighbour_spoof",
        "detector.one_ring" | "detector.high_risk_range" => "one_ring",
        "detector.rotating_burst" => "burst",
        "detector.anonymous" => "anonymous",
        "detector.invalid_number" => "invalid_number",
        "detector.premium_rate" => "premium_rate",
        "rcd.logo_digest_mismatch" | "rcd.digest_mismatch" | "rcd.not_permitted" => "rcd_forgery",
        c if c.starts_with("passport.") || c.starts_with("identity.") || c == "verstat.failed" => {
            "signature_failed"
        }
        c if c.starts_with("cert.") && c != "cert.crl_unavailable" => "signature_failed",
        "reputation.user_blocked"
        | "reputation.feed_block"
        | "reputation.feed_scam"
        | "reputation.feed_spam"
        | "reputation.reported" => "reputation",
        _ => return None,
    })
}

struct Runner {
    pki: Pki,
    now: i64,
    base: Value,
    feed_key: SigningKey,
}

impl Runner {
    fn new() -> Runner {
        let pki = Pki::generate();
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/base_context.json");
        let base = serde_json::from_str(&std::fs::read_to_string(dir).expect("base context"))
            .expect("json");
        Runner { pki, now: wall_clock() + 1, base, feed_key: SigningKey::from_bytes(&[42; 32]) }
    }

    fn context(&self, overlay: &Value) -> std::sync::Arc<trust::TrustContext> {
        let mut file = self.base.clone();
        let feed = file
            .as_object_mut()
            .and_then(|o| o.remove("feed_entries"))
            .and_then(|f| f.as_str().map(str::to_owned))
            .unwrap_or_default();
        let sig = self.feed_key.sign(feed.as_bytes()).to_bytes();
        file["feed"] = json!({ "inline": feed, "signature": STANDARD.encode(sig) });
        file["policy"]["feed_public_key"] =
            json!(STANDARD.encode(self.feed_key.verifying_key().to_bytes()));
        for (k, v) in overlay.as_object().into_iter().flatten() {
            match (k.as_str(), v) {
                ("policy", Value::Object(p)) => {
                    p.iter().for_each(|(pk, pv)| file["policy"][pk] = pv.clone())
                }
                ("history", Value::Array(records)) => {
                    file["history"] =
                        json!(records.iter().map(|r| self.record(r)).collect::<Vec<_>>())
                }
                _ => file[k] = v.clone(),
            }
        }
        let parsed = ContextFile::from_json(file.to_string().as_bytes()).expect("context JSON");
        let dir = self.pki.dir.path().to_owned();
        std::sync::Arc::new(parsed.build(&|p| std::fs::read(dir.join(p))).expect("context builds"))
    }

    /// History records in the corpus give `ago` (seconds before now) instead of `at`.
    fn record(&self, r: &Value) -> Value {
        let mut r = r.clone();
        let ago = r
            .as_object_mut()
            .and_then(|o| o.remove("ago"))
            .and_then(|a| a.as_i64())
            .unwrap_or(86_400);
        r["at"] = json!(self.now - ago);
        r
    }

    fn call(&self, s: &Value) -> InboundCall {
        let c = &s["call"];
        let text = |k: &str| c[k].as_str().map(str::to_owned);
        let to = text("to").unwrap_or_else(|| "+12155550202".into());
        let mut call = InboundCall {
            from: Party {
                user: text("from").unwrap_or_default(),
                host: text("from_host").unwrap_or_else(|| "carrier.example".into()),
                display_name: text("display"),
                verstat: None,
            },
            to: Party { user: to.clone(), host: "pbx.example".into(), ..Party::default() },
            request_uri_user: to,
            call_info: c["call_info"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                .unwrap_or_default(),
            via_registrar_tls: c["via_registrar_tls"].as_bool().unwrap_or(false),
            origin: serde_json::from_value(c["origin"].clone()).unwrap_or(CallOrigin::Unknown),
            ..InboundCall::default()
        };
        if let Some(verstat) = text("verstat") {
            call.pai = Some(Party {
                user: call.from.user.clone(),
                verstat: Some(verstat),
                ..Party::default()
            });
        }
        if let Some(sign) = s.get("sign") {
            call.identity.push(self.identity(&call, sign));
        }
        call
    }

    fn identity(&self, call: &InboundCall, spec: &Value) -> String {
        let digits = |u: &str| u.trim_start_matches('+').to_owned();
        let x5u = spec["x5u"].as_str().unwrap_or(X5U);
        let mut header = shaken_header(x5u);
        if let Some(alg) = spec["alg"].as_str() {
            header["alg"] = json!(alg);
        }
        let orig = spec["orig"].as_str().map_or_else(|| digits(&call.from.user), str::to_owned);
        let iat = self.now + spec["iat_offset"].as_i64().unwrap_or(0);
        let mut payload = shaken_payload(
            spec["attest"].as_str().unwrap_or("A"),
            &orig,
            &digits(&call.to.user),
            iat,
        );
        for k in ["rcd", "rcdi", "crn"] {
            if !spec[k].is_null() {
                payload[k] = spec[k].clone();
            }
        }
        let mut token = sign(&self.pki.signing_key(), &header, &payload);
        if spec["tamper"] == "signature" {
            let (input, s) = token.rsplit_once('.').expect("jws");
            let mut b = URL_SAFE_NO_PAD.decode(s).expect("b64");
            b[33] ^= 0x80;
            token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(b));
        }
        identity(&token, x5u)
    }

    fn answers(&self, s: &Value) -> std::collections::HashMap<String, FetchResult> {
        let mut out =
            answers(vec![(X5U, self.pki.chain(s["sign"]["chain"].as_str().unwrap_or("sp")))]);
        for (url, spec) in s["fetch"].as_object().into_iter().flatten() {
            let result = match spec {
                Value::String(t) if t == "timeout" => {
                    out.remove(url);
                    continue;
                }
                Value::String(t) if t.starts_with("chain:") => self.pki.chain(&t[6..]),
                Value::String(t) => {
                    FetchResult::Body { bytes: t.as_bytes().to_vec(), cache_control: None }
                }
                Value::Number(n) => FetchResult::HttpStatus(
                    n.as_u64().and_then(|n| u16::try_from(n).ok()).expect("status"),
                ),
                other => panic!("fetch spec {other}"),
            };
            out.insert(url.clone(), result);
        }
        out
    }

    fn run(&self, s: &Value) -> Verdict {
        let ctx = self.context(&s["context"]);
        let mut trust = Trust::new(ctx);
        drive(&mut trust, UnixTime::from_secs(self.now), self.call(s), &self.answers(s))
            .pop()
            .expect("final verdict")
    }
}

/// `sha256-<base64>` of a text, for scenarios pinning a logo with `rcdi`.
fn digest_of(text: &str) -> String {
    format!("sha256-{}", STANDARD.encode(Sha256::digest(text.as_bytes())))
}

fn check(s: &Value, v: &Verdict) -> Vec<String> {
    let mut problems = Vec::new();
    let e = &s["expect"];
    let got = serde_json::to_value(v).expect("verdict serialises");
    for key in ["level", "attestation", "action", "callback_number"] {
        if !e[key].is_null() && e[key] != got[key] {
            problems.push(format!("{key}: expected {}, got {}", e[key], got[key]));
        }
    }
    if !e["rcd"].is_null() && e["rcd"] != got["rcd"]["status"] {
        problems.push(format!("rcd: expected {}, got {}", e["rcd"], got["rcd"]));
    }
    let codes: BTreeSet<&str> = v.codes().into_iter().collect();
    for want in e["reasons"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if !codes.contains(want) {
            problems.push(format!("missing reason {want}"));
        }
    }
    for unwanted in e["absent"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if codes.contains(unwanted) {
            problems.push(format!("unexpected reason {unwanted}"));
        }
    }
    problems
}

#[derive(Default)]
struct Tally {
    tp: u32,
    fp: u32,
    attacks: u32,
    caught: u32,
}

#[test]
fn scenario_corpus_meets_every_expectation() {
    let runner = Runner::new();
    let scenarios = load();
    assert!(scenarios.len() >= 60, "corpus has {} calls, needs 60", scenarios.len());
    let mut failures = Vec::new();
    let mut tally: BTreeMap<&str, Tally> = BTreeMap::new();
    let (mut legit, mut bad) = (0, 0);
    for s in &scenarios {
        let name = s["name"].as_str().expect("name");
        let mut s = s.clone();
        if let Some(logo) = s["sign"]["logo"].as_str().map(str::to_owned) {
            s["sign"]["rcdi"] = json!({ "/icn": digest_of(&logo) });
        }
        let v = runner.run(&s);
        for p in check(&s, &v) {
            failures.push(format!("{name}: {p} (codes {:?})", v.codes()));
        }
        let malicious = s["label"] == "malicious";
        if malicious {
            bad += 1
        } else {
            legit += 1
        }
        let attacks: BTreeSet<&str> =
            s["attacks"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let fired: BTreeSet<&str> = v
            .reasons
            .iter()
            .filter(|r| r.severity >= trust::Severity::Caution)
            .filter_map(|r| group(r.code.0))
            .collect();
        for g in [
            "impersonation",
            "internal_spoof",
            "neighbour_spoof",
            "one_ring",
            "burst",
            "anonymous",
            "invalid_number",
            "premium_rate",
            "signature_failed",
            "rcd_forgery",
            "reputation",
        ] {
            let t = tally.entry(g).or_default();
            let hit = fired.contains(g);
            if hit && malicious {
                t.tp += 1
            }
            if hit && !malicious {
                t.fp += 1
            }
            if attacks.contains(g) {
                t.attacks += 1;
                t.caught += u32::from(hit);
            }
        }
    }
    println!("\ncorpus: {} calls ({legit} legitimate, {bad} malicious)", scenarios.len());
    println!(
        "{:<18} {:>4} {:>4} {:>9} {:>8} {:>7}",
        "detector", "TP", "FP", "precision", "attacks", "recall"
    );
    for (g, t) in &tally {
        let precision =
            if t.tp + t.fp == 0 { 1.0 } else { f64::from(t.tp) / f64::from(t.tp + t.fp) };
        let recall = if t.attacks == 0 { 1.0 } else { f64::from(t.caught) / f64::from(t.attacks) };
        println!("{g:<18} {:>4} {:>4} {precision:>9.2} {:>8} {recall:>7.2}", t.tp, t.fp, t.attacks);
    }
    assert!(failures.is_empty(), "{} unmet expectations:\n{}", failures.len(), failures.join("\n"));
}
