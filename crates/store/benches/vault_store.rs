//! Call-log budgets over a 1 M-row vault: insert, last-50, lookup by number, unlock.
//!
//! Criterion reports means; the budgets are p99s, so every benchmark also records each
//! iteration's own duration (`iter_custom` timing one operation per iteration) and prints
//! p50/p99/max over all of them when it ends. The 1 M-row file is built once per run in one
//! transaction with a prepared statement; its build time is printed too.
//!
//! Each operation's thread CPU time is recorded beside its wall time: on a shared machine the
//! wall-clock tail is mostly the scheduler (a preempted operation waits a whole 4 ms tick), and
//! the CPU-time p99 shows what the operation itself costs.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use nix::time::{ClockId, clock_gettime};
use store::{DbKey, Direction, DisplayName, NewCall, PhoneNumber, Store, Timestamp, UserAction};

const ROWS: u32 = 1_000_000;
/// Distinct numbers in the log: each appears ROWS / NUMBERS times.
const NUMBERS: u32 = 50_000;

fn key() -> DbKey {
    DbKey::from_bytes([0x5a; 32])
}

fn call(n: u32) -> NewCall {
    NewCall {
        started_at: Timestamp::from_unix_millis(1_600_000_000_000 + i64::from(n) * 30_000),
        direction: Direction::Incoming,
        number: PhoneNumber::new(format!("+1415{:07}", n % NUMBERS)),
        display_name: Some(DisplayName::new(format!("Caller {n}"))),
        verdict: serde_json::json!({ "level": "neutral", "attestation": "B", "reasons": [] }),
        quality: None,
        duration_ms: 42_000,
        actions: vec![UserAction::Answered],
    }
}

fn build(path: &Path) {
    let started = Instant::now();
    let mut store = Store::open(path, &key()).expect("create vault");
    let calls = (0..ROWS).map(call).collect::<Vec<_>>();
    store.calls_mut().insert_many(&calls).expect("bulk insert");
    store.checkpoint().expect("checkpoint");
    eprintln!("built {ROWS} rows in {:.1} s", started.elapsed().as_secs_f64());
}

/// Prints p50/p99/max of the per-operation samples.
fn report(name: &str, samples: &mut [Duration]) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    eprintln!(
        "{name}: n={} p50={:?} p99={:?} max={:?}",
        samples.len(),
        at(0.50),
        at(0.99),
        at(1.0)
    );
}

/// CPU time this thread has used so far.
fn thread_cpu() -> Duration {
    let t = clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID).expect("thread CPU clock");
    Duration::from(t)
}

/// Runs `op` once per criterion iteration, timing each call on its own (wall and CPU).
fn timed(c: &mut Criterion, name: &str, mut op: impl FnMut(u64)) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let (started, cpu_started) = (Instant::now(), thread_cpu());
                op(i);
                let one = started.elapsed();
                cpu.push(thread_cpu().saturating_sub(cpu_started));
                wall.push(one);
                total += one;
            }
            total
        })
    });
    report(name, &mut wall);
    report(&format!("{name} (thread CPU)"), &mut cpu);
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault.db");
    build(&path);
    let mut store = Store::open(&path, &key()).expect("open");

    let mut n = ROWS;
    timed(c, "insert_one_call_1m", |_| {
        n += 1;
        black_box(store.calls_mut().insert(&call(n)).expect("insert"));
    });
    timed(c, "last_50_calls_1m", |_| {
        let calls = store.calls().recent(50).expect("recent");
        assert_eq!(calls.len(), 50);
        black_box(calls);
    });
    timed(c, "lookup_by_number_1m", |i| {
        let number = PhoneNumber::new(format!("+1415{:07}", (i * 7919) % u64::from(NUMBERS)));
        let calls = store.calls().by_number(&number, 50).expect("by number");
        assert!(!calls.is_empty());
        black_box(calls);
    });
    drop(store);
    timed(c, "unlock_open_with_key_1m", |_| {
        let store = Store::open(&path, &key()).expect("unlock");
        black_box(store.calls().recent(1).expect("first read"));
    });
}

criterion_group! {
    name = vault_store;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(4));
    targets = benches
}
criterion_main!(vault_store);
