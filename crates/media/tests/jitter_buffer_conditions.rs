//! The jitter buffer under simulated loss, jitter (which reorders) and ±1 % clock drift.
//! Prints a table of concealment ratio and added delay and asserts bounds, including that
//! the buffer does not grow without bound when the sender's clock runs fast.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use common::Link;
use media::jitter::{JitterBuffer, JitterStats, Playout};

const FRAME: Duration = Duration::from_millis(20);
const CLOCK: u32 = 48_000;
const SECONDS: u32 = 60;

struct Outcome {
    stats: JitterStats,
    held_mid: usize,
    held_end: usize,
}

/// Sender produces 20 ms frames on its own clock (`drift` faster or slower than ours);
/// receiver pops every 20 ms of its clock.
fn simulate(loss: f64, jitter_ms: u64, drift: f64, seed: u64) -> Outcome {
    let t0 = Instant::now();
    let mut link =
        Link::new(loss, Duration::from_millis(20), Duration::from_millis(jitter_ms), seed);
    let mut jb = JitterBuffer::new(CLOCK, FRAME);
    let sender_period = FRAME.mul_f64(1.0 / (1.0 + drift));
    let (mut next_send, mut next_pop, mut ts) = (t0, t0, 0u32);
    let (mut held_mid, end) = (0, t0 + Duration::from_secs(u64::from(SECONDS)));
    let mut now = t0;
    while now < end {
        now = next_send.min(next_pop);
        if now == next_send {
            link.send(now, ts.to_be_bytes().to_vec());
            ts = ts.wrapping_add(CLOCK / 50);
            next_send += sender_period;
        }
        for (at, data) in link.deliver(now) {
            let Ok(b) = <[u8; 4]>::try_from(data.as_slice()) else { continue };
            jb.push(at, u32::from_be_bytes(b), Bytes::from(data));
        }
        if now == next_pop {
            let played = jb.pop(now);
            assert!(
                !matches!(played, Playout::Idle) || now < t0 + Duration::from_millis(600),
                "buffer went idle"
            );
            next_pop += FRAME;
        }
        if now.duration_since(t0) < Duration::from_secs(u64::from(SECONDS / 2)) {
            held_mid = jb.len();
        }
    }
    Outcome { stats: jb.stats(), held_mid, held_end: jb.len() }
}

#[test]
fn concealment_and_delay_stay_bounded_across_conditions() {
    println!(
        "{:>6} {:>7} {:>7} | {:>9} {:>10} {:>9} {:>7} {:>5} {:>8}",
        "loss", "jitter", "drift", "conceal", "delay(ms)", "target", "dropped", "late", "max held"
    );
    let mut seed = 10;
    for &(loss, jitter_ms) in
        &[(0.0, 0), (0.0, 50), (0.05, 30), (0.1, 100), (0.2, 150), (0.3, 200), (0.0, 200), (0.3, 0)]
    {
        for drift in [-0.01, 0.0, 0.01] {
            seed += 1;
            let o = simulate(loss, jitter_ms, drift, seed);
            let s = o.stats;
            println!(
                "{:>5.0}% {:>5}ms {:>6.1}% | {:>8.1}% {:>10.1} {:>9.1} {:>7} {:>5} {:>8}",
                loss * 100.0,
                jitter_ms,
                drift * 100.0,
                s.concealment_ratio() * 100.0,
                s.mean_delay_ms,
                s.target_ms,
                s.dropped,
                s.late,
                s.max_held
            );
            // Concealment: the lost share, plus a little for late packets and drift stretches.
            let allowance = 0.03 + if jitter_ms >= 150 { 0.04 } else { 0.0 };
            assert!(
                s.concealment_ratio() <= loss + allowance,
                "conceal {} at loss {loss} jitter {jitter_ms}",
                s.concealment_ratio()
            );
            // Added delay follows the jitter, with headroom for the p95 target and one frame.
            assert!(
                s.mean_delay_ms <= jitter_ms as f64 + 60.0,
                "delay {} at jitter {jitter_ms}",
                s.mean_delay_ms
            );
            // Bounded: never more than jitter + a second's worth of packets, and no growth.
            assert!(s.max_held <= (jitter_ms as usize / 20) + 50, "held {}", s.max_held);
            assert!(
                o.held_end <= o.held_mid + (jitter_ms as usize / 20) + 5,
                "growing: {} -> {}",
                o.held_mid,
                o.held_end
            );
        }
    }
}

#[test]
fn fast_sender_clock_is_absorbed_by_dropping_frames() {
    let o = simulate(0.0, 0, 0.01, 99);
    // 1 % of 3000 frames is 30 frames too many: about that many must be dropped.
    assert!((20..=40).contains(&o.stats.dropped), "dropped {}", o.stats.dropped);
    assert!(o.stats.mean_delay_ms < 80.0);
}

#[test]
fn slow_sender_clock_is_absorbed_by_concealment() {
    let o = simulate(0.0, 0, -0.01, 98);
    let c = o.stats.concealed;
    assert!((20..=45).contains(&c), "concealed {c}");
}
