//! Verdict latency with a warm certificate cache (budget: p99 <= 1 ms).
//!
//! A test-only PKI is made with openssl at bench time (same script as the tests); the context is
//! the scenario corpus's base context plus 1000 history records. Each iteration is one incoming
//! call through the sans-IO machine: Identity parse, ES256 verification, chain validity at `now`,
//! TNAuthList, reputation, every detector, the verdict. p50/p99 are printed from 20 000 timed
//! calls before criterion's own run.

use std::hint::black_box;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cpu_time::ThreadTime;
use criterion::Criterion;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::json;
use trust::context::ContextFile;
use trust::{
    CheckId, FetchResult, InboundCall, Input, Output, Party, Trust, TrustContext, UnixTime,
    VerdictState,
};

const X5U: &str = "https://sti.test/sp.pem";

struct Setup {
    trust: Trust,
    call: InboundCall,
    now: UnixTime,
    next: u64,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new("sh")
        .arg("-ec")
        .arg(include_str!("../tests/common/pki.sh"))
        .current_dir(dir.path())
        .output()
        .expect("sh");
    assert!(out.status.success(), "pki.sh failed");
    let now_secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
        + 1;
    let key_pem = std::fs::read_to_string(dir.path().join("key.pem")).expect("key");
    let key = SigningKey::from(p256::SecretKey::from_sec1_pem(&key_pem).expect("key"));
    let header = json!({ "alg": "ES256", "ppt": "shaken", "typ": "passport", "x5u": X5U });
    let payload = json!({ "attest": "A", "dest": { "tn": ["12155550202"] }, "iat": now_secs, "orig": { "tn": "14155550142" }, "origid": "6b1c8b7e" });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let sig: Signature = key.sign(input.as_bytes());
    let identity = format!(
        "{input}.{};info=<{X5U}>;alg=ES256;ppt=shaken",
        URL_SAFE_NO_PAD.encode(sig.to_bytes())
    );

    let base = include_str!("../tests/corpus/base_context.json");
    let mut file: serde_json::Value = serde_json::from_str(base).expect("base");
    file.as_object_mut().expect("object").remove("feed_entries");
    file["history"] = json!((0..1000).map(|i| json!({ "number": format!("+1646555{:04}", i), "at": now_secs - 86_400 - i, "answered": true, "duration_secs": 60 })).collect::<Vec<_>>());
    let ctx: Arc<TrustContext> = Arc::new(
        ContextFile::from_json(file.to_string().as_bytes())
            .expect("json")
            .build(&|p| std::fs::read(dir.path().join(p)))
            .expect("ctx"),
    );
    let call = InboundCall {
        from: Party {
            user: "+14155550142".into(),
            display_name: Some("Bob Builder".into()),
            ..Party::default()
        },
        to: Party { user: "+12155550202".into(), ..Party::default() },
        request_uri_user: "+12155550202".into(),
        identity: vec![identity],
        ..InboundCall::default()
    };
    let mut trust = Trust::new(ctx);
    let now = UnixTime::from_secs(now_secs);
    // Warm the cache with one call.
    trust.handle_input(now, Input::Call { id: CheckId(0), call: call.clone() });
    let chain = FetchResult::Body {
        bytes: std::fs::read(dir.path().join("sp.chain.pem")).expect("chain"),
        cache_control: None,
    };
    loop {
        match trust.poll_output() {
            Output::Fetch { url, .. } => {
                trust.handle_input(now, Input::Fetched { url, result: chain.clone() })
            }
            Output::Verdict { .. } => {}
            _ => break,
        }
    }
    Setup { trust, call, now, next: 1 }
}

impl Setup {
    fn one(&mut self) -> trust::Verdict {
        self.next += 1;
        self.trust.handle_input(
            self.now,
            Input::Call { id: CheckId(self.next), call: self.call.clone() },
        );
        match self.trust.poll_output() {
            Output::Verdict { verdict, .. } => verdict,
            other => panic!("warm cache must give a verdict at once, got {other:?}"),
        }
    }
}

fn main() {
    let mut s = setup();
    let v = s.one();
    assert_eq!(
        (v.state, v.level),
        (VerdictState::Final, trust::Level::Verified),
        "{:?}",
        v.codes()
    );
    // Wall time and this thread's CPU time per call: on a shared, oversubscribed machine the
    // wall-clock tail is other processes' time slices; CPU time is what a verdict costs.
    let (mut wall, mut cpu): (Vec<u128>, Vec<u128>) = (0..20_000)
        .map(|_| {
            let (w, c) = (Instant::now(), ThreadTime::now());
            black_box(s.one());
            (w.elapsed().as_nanos(), c.elapsed().as_nanos())
        })
        .unzip();
    wall.sort_unstable();
    cpu.sort_unstable();
    let pct = |v: &[u128], p: f64| v[((v.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0;
    println!(
        "verdict_warm_cache: n={} wall p50={:.1}us p99={:.1}us; thread CPU p50={:.1}us p99={:.1}us (budget p99 <= 1000us)",
        wall.len(),
        pct(&wall, 0.5),
        pct(&wall, 0.99),
        pct(&cpu, 0.5),
        pct(&cpu, 0.99)
    );
    let mut c = Criterion::default().configure_from_args();
    c.bench_function("verdict_warm_cache", |b| b.iter(|| black_box(s.one())));
    c.final_summary();
}
