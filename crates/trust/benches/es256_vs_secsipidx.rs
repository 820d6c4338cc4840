//! ES256 PASSporT verification side by side with `secsipidx` on the same tokens.
//!
//! How it is measured: N tokens are signed by `secsipidx -sign-full` with a test-only key (made
//! by openssl at bench time). Then each token is verified (1) by `secsipidx -c -p cert.pem
//! -expire 999999 -identity <value>`, one process per token, as the CLI can only check one at a
//! time, and (2) by our verifier in-process: Identity header parse, JWS decode with strict JSON,
//! ES256 verification with the certificate's key. secsipidx's process start-up is measured
//! separately (`secsipidx -c` on a malformed identity, which fails before any crypto) and
//! subtracted to estimate its per-token verification cost; both ratios are printed.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use cpu_time::ThreadTime;
use criterion::Criterion;
use trust::cert::Chain;
use trust::stir::{IdentityHeader, Jws};

const N: usize = 60;
const X5U: &str = "https://sti.test/sp.pem";

fn secsipidx_check(cert: &Path, identity: &str) -> (bool, Duration) {
    let t = Instant::now();
    let out = Command::new("secsipidx")
        .args(["-c", "-p"])
        .arg(cert)
        .args(["-expire", "999999", "-identity", identity])
        .output()
        .expect("secsipidx (Debian package secsipidx) is installed");
    (out.status.success(), t.elapsed())
}

fn ours(key: &p256::ecdsa::VerifyingKey, identity: &str) -> bool {
    let Ok(h) = IdentityHeader::parse(identity) else { return false };
    Jws::decode(&h.token, None).and_then(|j| j.verify(key)).is_ok()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new("sh")
        .arg("-ec")
        .arg(include_str!("../tests/common/pki.sh"))
        .current_dir(dir.path())
        .output()
        .expect("sh");
    assert!(out.status.success(), "pki.sh failed");
    let key_path = dir.path().join("key.pem");
    let cert = dir.path().join("sp.pem");
    let tokens: Vec<String> = (0..N)
        .map(|i| {
            let orig = format!("1310555{:04}", i);
            let out = Command::new("secsipidx")
                .args(["-sign-full", "-k"])
                .arg(&key_path)
                .args(["-attest", "A", "-orig-tn", &orig, "-dest-tn", "12155550202", "-x5u", X5U])
                .output()
                .expect("secsipidx signs");
            String::from_utf8(out.stdout).expect("utf8").trim().to_owned()
        })
        .collect();
    let chain = Chain::parse(&std::fs::read(&cert).expect("cert")).expect("chain");
    let key = chain.leaf().key;

    let theirs: Vec<Duration> = tokens
        .iter()
        .map(|t| {
            let (ok, d) = secsipidx_check(&cert, t);
            assert!(ok, "secsipidx rejects its own token");
            d
        })
        .collect();
    let startup: Vec<Duration> =
        (0..N).map(|_| secsipidx_check(&cert, "x.y.z;info=<https://a/b>").1).collect();
    let (mut ours_times, mut ours_cpu) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        for t in &tokens {
            let (s, c) = (Instant::now(), ThreadTime::now());
            assert!(black_box(ours(&key, t)), "we reject a secsipidx token");
            ours_times.push(s.elapsed());
            ours_cpu.push(c.elapsed());
        }
    }
    let (t_med, s_med, o_med) = (median(theirs), median(startup), median(ours_times));
    let t_crypto = t_med.saturating_sub(s_med);
    println!("es256 on {N} secsipidx tokens (medians):");
    println!(
        "  secsipidx -c per token (process): {:.0} us; start-up alone: {:.0} us; verification estimate: {:.0} us",
        t_med.as_secs_f64() * 1e6,
        s_med.as_secs_f64() * 1e6,
        t_crypto.as_secs_f64() * 1e6
    );
    println!(
        "  trust verifier per token (in-process): {:.1} us wall, {:.1} us thread CPU",
        o_med.as_secs_f64() * 1e6,
        median(ours_cpu).as_secs_f64() * 1e6
    );
    println!(
        "  ratio secsipidx/trust: {:.0}x per invocation, {:.1}x start-up excluded",
        t_med.as_secs_f64() / o_med.as_secs_f64(),
        t_crypto.as_secs_f64() / o_med.as_secs_f64()
    );
    let first = tokens[0].clone();
    let mut c = Criterion::default().configure_from_args();
    c.bench_function("es256_verify_secsipidx_token", |b| {
        b.iter(|| black_box(ours(&key, black_box(&first))))
    });
    c.final_summary();
}
