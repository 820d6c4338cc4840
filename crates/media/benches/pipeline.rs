//! Per-frame pipeline cost for an Opus 48 kHz / 20 ms call with SRTP (AEAD_AES_256_GCM)
//! and jitter buffer; the echo canceller (with NS and AGC) is measured separately.
//! CPU ms per call-second = (send + receive) per frame x 50 frames.
//!
//! Times are the benchmark thread's CPU time (not wall time): the build machine is shared
//! and heavily loaded, and CPU time is what a call costs.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use cpu_time::ThreadTime;
use criterion::{Criterion, criterion_group, criterion_main};
use media::call::{CallMedia, Input, Output};
use media::codec::AudioEncoder;
use media::dsp::{VoiceProcessing, VoiceProcessor};
use media::resample::Resampler;
use media::sdp::{
    Codec, Direction, EncryptionPolicy, Keying, LocalMedia, NegotiatedSession, PendingOffer,
    answer_offer,
};

const NO_DSP: VoiceProcessing =
    VoiceProcessing { echo_cancellation: false, noise_suppression: false, gain_control: false };
const A: &str = "127.0.0.1:40000";
const B: &str = "127.0.0.1:50000";

fn local(addr: &str) -> LocalMedia {
    LocalMedia {
        rtp_addr: addr.parse().expect("literal"),
        codecs: vec![Codec::Opus],
        ptime_ms: 20,
        policy: EncryptionPolicy::Required,
        keying: Keying::Sdes,
        dtls_fingerprint: None,
        direction: Direction::SendRecv,
        session_id: 1,
        session_version: 1,
    }
}

fn pair() -> (NegotiatedSession, NegotiatedSession) {
    let (pending, offer) = PendingOffer::new(local(A)).expect("offer");
    let (answer, b) = answer_offer(&local(B), &offer).expect("answer");
    (pending.process_answer(&answer).expect("negotiated"), b)
}

fn speech_like(frame: usize) -> Vec<i16> {
    // Two tones with a slow envelope: keeps Opus out of DTX like speech does.
    (0..960)
        .map(|i| {
            let t = (frame * 960 + i) as f64 / 48_000.0;
            let env = 0.6 + 0.4 * (2.0 * std::f64::consts::PI * 3.0 * t).sin();
            (env * (6000.0 * (2.0 * std::f64::consts::PI * 310.0 * t).sin()
                + 3000.0 * (2.0 * std::f64::consts::PI * 1270.0 * t).sin())) as i16
        })
        .collect()
}

fn drain(m: &mut CallMedia) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        match m.poll_output() {
            Output::Transmit(t) => out.push(t.data),
            Output::Event(_) => {}
            Output::Timeout(_) => return out,
        }
    }
}

fn bench(c: &mut Criterion) {
    let frames: Vec<Vec<i16>> = (0..50).map(speech_like).collect();
    let (na, nb) = pair();
    let t0 = Instant::now();

    c.bench_function("send: capture -> opus encode -> SRTP protect (20 ms frame)", |bch| {
        let mut a = CallMedia::new(t0, na.clone(), NO_DSP).expect("starts");
        let mut i = 0usize;
        bch.iter_custom(|iters| {
            let start = ThreadTime::now();
            for _ in 0..iters {
                let now = t0 + Duration::from_millis(20 * i as u64);
                a.handle_input(now, Input::Capture(&frames[i % frames.len()]));
                i += 1;
                black_box(drain(&mut a));
            }
            start.elapsed()
        });
    });

    c.bench_function(
        "receive: SRTP unprotect -> jitter buffer -> opus decode (20 ms frame)",
        |bch| {
            bch.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut done = 0u64;
                while done < iters {
                    let n = (iters - done).min(1000) as usize;
                    let mut a = CallMedia::new(t0, na.clone(), NO_DSP).expect("starts");
                    let mut b = CallMedia::new(t0, nb.clone(), NO_DSP).expect("starts");
                    let packets: Vec<Vec<u8>> = (0..n)
                        .flat_map(|k| {
                            a.handle_input(
                                t0 + Duration::from_millis(20 * k as u64),
                                Input::Capture(&frames[k % frames.len()]),
                            );
                            drain(&mut a)
                        })
                        .collect();
                    let from: SocketAddr = A.parse().expect("literal");
                    let start = ThreadTime::now();
                    for (k, p) in packets.iter().enumerate() {
                        let now = t0 + Duration::from_millis(20 * k as u64);
                        b.handle_input(now, Input::Datagram { from, data: p });
                        black_box(b.playout(now));
                    }
                    total += start.elapsed();
                    done += n as u64;
                }
                total
            });
        },
    );

    c.bench_function("echo canceller + NS + AGC (20 ms capture + render at 48 kHz)", |bch| {
        let mut dsp = VoiceProcessor::new(VoiceProcessing::default());
        let mut i = 0usize;
        bch.iter_custom(|iters| {
            let start = ThreadTime::now();
            for _ in 0..iters {
                let mut far = frames[i % frames.len()].clone();
                let mut near: Vec<i16> = far.iter().map(|s| s / 4).collect();
                dsp.render(&mut far);
                dsp.capture(&mut near);
                i += 1;
                black_box(near);
            }
            start.elapsed()
        });
    });

    c.bench_function(
        "resample 48 -> 16 -> 48 kHz (20 ms frame, voice processing's share)",
        |bch| {
            let mut down = Resampler::new(48_000, 16_000).expect("integer ratio");
            let mut up = Resampler::new(16_000, 48_000).expect("integer ratio");
            let mut i = 0usize;
            bch.iter_custom(|iters| {
                let start = ThreadTime::now();
                for _ in 0..iters {
                    black_box(up.process(&down.process(&frames[i % frames.len()])));
                    i += 1;
                }
                start.elapsed()
            });
        },
    );

    c.bench_function("opus encode alone (20 ms frame, reference)", |bch| {
        let mut enc = AudioEncoder::new(&na.codec).expect("encoder");
        let mut i = 0usize;
        bch.iter_custom(|iters| {
            let start = ThreadTime::now();
            for _ in 0..iters {
                black_box(enc.encode(&frames[i % frames.len()]).expect("encodes"));
                i += 1;
            }
            start.elapsed()
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
