//! Unlock's keyring half: fetching the vault key from the Secret Service (gnome-keyring-daemon).
//!
//! The bench starts a private D-Bus session with gnome-keyring-daemon and re-runs itself inside
//! it (the Secret Service client reads `DBUS_SESSION_BUS_ADDRESS` from the environment). Prints
//! p50/p99 of individual fetches besides criterion's mean.

use std::hint::black_box;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use criterion::Criterion;
use vault::KeyringEntry;
use vault::testkit::KeyringSession;

const CHILD: &str = "CALLWARDEN_KEYRING_BENCH_CHILD";

fn bench(c: &mut Criterion) {
    let entry = KeyringEntry::new("bench");
    entry.create().expect("create the key");
    let mut samples = Vec::new();
    c.bench_function("keyring_fetch_key", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                black_box(entry.fetch().expect("fetch").expect("present"));
                let one = started.elapsed();
                samples.push(one);
                total += one;
            }
            total
        })
    });
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    eprintln!(
        "keyring_fetch_key: n={} p50={:?} p99={:?} max={:?}",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn main() -> ExitCode {
    if std::env::var_os(CHILD).is_some() {
        let mut c = Criterion::default()
            .sample_size(20)
            .measurement_time(Duration::from_secs(3))
            .configure_from_args();
        bench(&mut c);
        c.final_summary();
        return ExitCode::SUCCESS;
    }
    let session = KeyringSession::start().expect("private keyring session");
    let mut cmd = Command::new(std::env::current_exe().expect("own path"));
    cmd.args(std::env::args_os().skip(1)).env(CHILD, "1");
    session.apply(&mut cmd);
    let status = cmd.status().expect("re-run inside the session");
    if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
