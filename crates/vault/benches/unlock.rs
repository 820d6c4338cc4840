//! Unlock, the machine's share (the touch on the key is the user's):
//!
//! - `keyring_fetch_key`: fetching the vault key from the Secret Service (gnome-keyring-daemon);
//! - `unlock_end_to_end`: `Vault::open` (keyring fetch, SQLCipher open), a passkey assertion from
//!   the software token, `finish_unlock` (webauthn-rs verification, counter update, audit event)
//!   and the first read of the call log.
//!
//! The bench starts a private D-Bus session with gnome-keyring-daemon and re-runs itself inside
//! it (the Secret Service client reads `DBUS_SESSION_BUS_ADDRESS` from the environment). Prints
//! p50/p99 of individual operations besides criterion's mean.

use std::hint::black_box;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use criterion::Criterion;
use store::Timestamp;
use vault::testkit::KeyringSession;
use vault::{KeyringEntry, Opened, SoftAuthenticator, Vault};

const CHILD: &str = "CALLWARDEN_KEYRING_BENCH_CHILD";

/// Times `op` once per criterion iteration and prints p50/p99/max of those timings.
fn timed(c: &mut Criterion, name: &str, mut op: impl FnMut()) {
    let mut samples = Vec::new();
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                op();
                let one = started.elapsed();
                samples.push(one);
                total += one;
            }
            total
        })
    });
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    eprintln!("{name}: n={} p50={:?} p99={:?} max={:?}", samples.len(), at(0.5), at(0.99), at(1.0));
}

fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_700_000_000_000)
}

fn bench(c: &mut Criterion) {
    let entry = KeyringEntry::new("bench");
    entry.create().expect("create the key");
    timed(c, "keyring_fetch_key", || {
        black_box(entry.fetch().expect("fetch").expect("present"));
    });

    let dir = tempfile::tempdir().expect("tempdir");
    let unlocker = KeyringEntry::new("bench-unlock");
    let mut token = SoftAuthenticator::in_memory().expect("soft token");
    let Opened::FirstRun(mut vault) = Vault::open(dir.path(), &unlocker, now()).expect("open")
    else {
        panic!("a new vault starts at first run");
    };
    let (challenge, enrolment) = vault.start_first_enrolment(now()).expect("enrolment");
    let response = token.register(challenge).expect("register");
    drop(vault.finish_first_enrolment(enrolment, &response, "bench key", now()).expect("enrol"));
    timed(c, "unlock_end_to_end", || {
        let Opened::Locked(vault) = Vault::open(dir.path(), &unlocker, now()).expect("open") else {
            panic!("an enrolled vault opens locked");
        };
        let (challenge, assertion) = vault.start_unlock().expect("challenge");
        let response = token.authenticate(challenge).expect("assertion");
        let Ok(mut unlocked) = vault.finish_unlock(assertion, &response, now()) else {
            panic!("the enrolled passkey unlocks");
        };
        black_box(unlocked.store(now()).expect("unlocked").calls().recent(1).expect("read"));
    });
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
