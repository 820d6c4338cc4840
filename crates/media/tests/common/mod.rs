//! Shared harness: a deterministic lossy link on simulated time, a tone source and a
//! Goertzel detector, and a negotiated pair of endpoints.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use media::sdp::{
    Codec, Direction, EncryptionPolicy, Keying, LocalMedia, NegotiatedSession, PendingOffer,
    SessionDescription, answer_offer,
};

/// xorshift64*: reproducible randomness for loss and jitter.
#[derive(Debug, Clone)]
pub struct Prng(u64);

impl Prng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A one-way link: each packet is lost with `loss`, else delayed by `base` plus a uniform
/// random extra in `0..jitter` (which also reorders).
#[derive(Debug)]
pub struct Link {
    pub loss: f64,
    pub base: Duration,
    pub jitter: Duration,
    rng: Prng,
    queue: BTreeMap<(Instant, u64), Vec<u8>>,
    seq: u64,
}

impl Link {
    pub fn new(loss: f64, base: Duration, jitter: Duration, seed: u64) -> Self {
        Self { loss, base, jitter, rng: Prng::new(seed), queue: BTreeMap::new(), seq: 0 }
    }

    pub fn send(&mut self, now: Instant, data: Vec<u8>) {
        if self.rng.next_f64() < self.loss {
            return;
        }
        let extra = self.jitter.mul_f64(self.rng.next_f64());
        self.seq += 1;
        self.queue.insert((now + self.base + extra, self.seq), data);
    }

    /// Packets due by `now`, in arrival order.
    pub fn deliver(&mut self, now: Instant) -> Vec<(Instant, Vec<u8>)> {
        let mut out = Vec::new();
        while let Some(entry) = self.queue.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let ((at, _), data) = entry.remove_entry();
            out.push((at, data));
        }
        out
    }
}

/// `n` samples of a sine at `freq` Hz and 48 kHz starting at sample `start`.
pub fn tone(freq: f64, start: usize, n: usize) -> Vec<i16> {
    (start..start + n)
        .map(|i| (8000.0 * (2.0 * std::f64::consts::PI * freq * i as f64 / 48_000.0).sin()) as i16)
        .collect()
}

/// True if `freq` carries most of the frame's energy (Goertzel amplitude vs RMS).
pub fn tone_present(frame: &[i16], freq: f64, rate: f64) -> bool {
    let n = frame.len() as f64;
    let w = 2.0 * std::f64::consts::PI * freq / rate;
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &x in frame {
        let s = f64::from(x) + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    let amplitude = 2.0 * power.max(0.0).sqrt() / n;
    let rms = (frame.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / n).sqrt();
    rms > 300.0 && amplitude / std::f64::consts::SQRT_2 > 0.7 * rms
}

pub const A_ADDR: &str = "127.0.0.1:40000";
pub const B_ADDR: &str = "127.0.0.1:50000";

pub fn addr(s: &str) -> SocketAddr {
    s.parse().expect("test address")
}

pub fn local(addr_text: &str, codec: Codec, direction: Direction) -> LocalMedia {
    LocalMedia {
        rtp_addr: addr(addr_text),
        codecs: vec![codec],
        ptime_ms: 20,
        policy: EncryptionPolicy::Required,
        keying: Keying::Sdes,
        dtls_fingerprint: None,
        direction,
        session_id: 7,
        session_version: 1,
    }
}

/// Offer from A, optionally filtered to crypto lines of one suite name, answered by B.
pub fn negotiate(
    codec: Codec,
    only_suite: Option<&str>,
    a_dir: Direction,
    b_dir: Direction,
) -> (NegotiatedSession, NegotiatedSession) {
    let (pending, mut offer) = PendingOffer::new(local(A_ADDR, codec, a_dir)).expect("offer");
    if let Some(name) = only_suite {
        offer.media[0]
            .attributes
            .retain(|a| a.name != "crypto" || a.value.as_deref().is_some_and(|v| v.contains(name)));
    }
    let offer = SessionDescription::parse(&offer.to_string()).expect("offer parses");
    let (answer, b) = answer_offer(&local(B_ADDR, codec, b_dir), &offer).expect("answer");
    let answer = SessionDescription::parse(&answer.to_string()).expect("answer parses");
    (pending.process_answer(&answer).expect("process answer"), b)
}

/// DTLS-SRTP offer from A (fingerprint `fa`) answered by B (fingerprint `fb`).
pub fn negotiate_dtls(
    codec: Codec,
    fa: &media::sdp::Fingerprint,
    fb: &media::sdp::Fingerprint,
) -> (NegotiatedSession, NegotiatedSession) {
    let mut a = local(A_ADDR, codec, Direction::SendRecv);
    a.keying = Keying::Dtls;
    a.dtls_fingerprint = Some(fa.clone());
    let mut b = local(B_ADDR, codec, Direction::SendRecv);
    b.dtls_fingerprint = Some(fb.clone());
    let (pending, offer) = PendingOffer::new(a).expect("offer");
    let offer = SessionDescription::parse(&offer.to_string()).expect("offer parses");
    let (answer, nb) = answer_offer(&b, &offer).expect("answer");
    let answer = SessionDescription::parse(&answer.to_string()).expect("answer parses");
    (pending.process_answer(&answer).expect("process answer"), nb)
}
