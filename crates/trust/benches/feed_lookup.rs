//! Organisation feed at 1 M entries: lookup p99 (budget 20 µs) and memory (budget 100 MB).
//!
//! 950 000 exact numbers and 50 000 prefix ranges are generated deterministically, parsed from
//! feed text as a real feed would be, then 200 000 lookups (half hits, half misses) are timed one
//! by one. Memory is the feed's table bytes and the process RSS growth while it is alive.

use std::hint::black_box;
use std::time::Instant;

use cpu_time::ThreadTime;
use criterion::Criterion;
use trust::E164;
use trust::reputation::Feed;

/// A small deterministic generator (xorshift) so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn number(&mut self) -> u64 {
        12_000_000_000 + self.next() % 8_000_000_000
    }
}

fn rss_kib() -> u64 {
    status_kib("VmRSS:")
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut text = String::with_capacity(20_000_000);
    let mut numbers = Vec::with_capacity(950_000);
    for i in 0..950_000 {
        let n = rng.number();
        numbers.push(n);
        text.push_str(&format!("+{n} {}\n", ["scam", "spam", "robocall", "trusted"][i % 4]));
    }
    for _ in 0..50_000 {
        let n = rng.number().to_string();
        let len = 5 + (rng.next() % 5) as usize;
        text.push_str(&format!("+{}* spam\n", &n[..len]));
    }
    let before = rss_kib();
    let t = Instant::now();
    let feed = Feed::parse(text.as_bytes()).expect("feed parses");
    let load_ms = t.elapsed().as_millis();
    drop(text);
    let after = rss_kib();
    println!(
        "feed: {} entries loaded in {load_ms} ms; tables {:.1} MB; RSS growth {:.1} MB; peak RSS of the whole bench (feed text included) {:.1} MB (budget 100 MB)",
        feed.len(),
        feed.heap_bytes() as f64 / 1e6,
        after.saturating_sub(before) as f64 / 1024.0,
        status_kib("VmHWM:") as f64 / 1024.0
    );
    let queries: Vec<E164> = (0..200_000)
        .map(|i| {
            E164::from_digits(
                &(if i % 2 == 0 { numbers[(rng.next() % 950_000) as usize] } else { rng.number() })
                    .to_string(),
            )
            .expect("number")
        })
        .collect();
    let (mut wall, mut cpu): (Vec<u128>, Vec<u128>) = queries
        .iter()
        .map(|q| {
            let (w, c) = (Instant::now(), ThreadTime::now());
            black_box(feed.lookup(*q));
            (w.elapsed().as_nanos(), c.elapsed().as_nanos())
        })
        .unzip();
    wall.sort_unstable();
    cpu.sort_unstable();
    let pct = |v: &[u128], p: f64| v[((v.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0;
    println!(
        "feed_lookup: n={} wall p50={:.2}us p99={:.2}us; thread CPU p50={:.2}us p99={:.2}us (budget p99 <= 20us)",
        wall.len(),
        pct(&wall, 0.5),
        pct(&wall, 0.99),
        pct(&cpu, 0.5),
        pct(&cpu, 0.99)
    );
    let hit = E164::from_digits(&numbers[12_345].to_string()).expect("number");
    let miss = E164::from_digits("19999999999").expect("number");
    let mut c = Criterion::default().configure_from_args();
    c.bench_function("feed_lookup_hit_1m", |b| b.iter(|| black_box(feed.lookup(black_box(hit)))));
    c.bench_function("feed_lookup_miss_1m", |b| b.iter(|| black_box(feed.lookup(black_box(miss)))));
    c.final_summary();
}
