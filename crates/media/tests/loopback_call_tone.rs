//! Two endpoints on simulated time, entirely in-process: SDES offer/answer, a 1 kHz tone
//! through codec + SRTP + a lossy, jittery link + jitter buffer + decoder, hold and resume,
//! and DTMF.

mod common;

use std::time::{Duration, Instant};

use common::{A_ADDR, B_ADDR, Link, addr, negotiate, negotiate_dtls, tone, tone_present};
use media::call::{CallMedia, Input, MediaEvent, Output};
use media::dsp::VoiceProcessing;
use media::dtls::DtlsIdentity;
use media::dtmf::DtmfDigit;
use media::sdp::{Codec, Direction};

const FRAME: Duration = Duration::from_millis(20);
const NO_DSP: VoiceProcessing =
    VoiceProcessing { echo_cancellation: false, noise_suppression: false, gain_control: false };

struct Pair {
    a: CallMedia,
    b: CallMedia,
    ab: Link,
    ba: Link,
    now: Instant,
    tick: usize,
    heard_by_b: Vec<bool>,
    heard_by_a: Vec<bool>,
    rtp_sent: [u64; 2],
    digits_at_b: Vec<char>,
    secured: usize,
    alerts_at_b: Vec<media::quality::AlertChange>,
    mos_at_b: Vec<f64>,
}

fn is_rtcp(data: &[u8]) -> bool {
    data.get(1).is_some_and(|b| (192..=223).contains(b))
}

impl Pair {
    fn new(codec: Codec, suite: &str) -> Self {
        let now = Instant::now();
        let (na, nb) = negotiate(codec, Some(suite), Direction::SendRecv, Direction::SendRecv);
        assert!(na.security.is_encrypted() && nb.security.is_encrypted());
        let a = CallMedia::new(now, na, NO_DSP).expect("A starts");
        let b = CallMedia::new(now, nb, NO_DSP).expect("B starts");
        Self::with(now, a, b)
    }

    fn new_dtls(codec: Codec) -> Self {
        let now = Instant::now();
        let (ia, ib) =
            (DtlsIdentity::generate().expect("cert"), DtlsIdentity::generate().expect("cert"));
        let (na, nb) = negotiate_dtls(codec, ia.fingerprint(), ib.fingerprint());
        let a = CallMedia::new_dtls(now, na, &ia, addr(A_ADDR), NO_DSP).expect("A starts");
        let b = CallMedia::new_dtls(now, nb, &ib, addr(B_ADDR), NO_DSP).expect("B starts");
        Self::with(now, a, b)
    }

    fn with(now: Instant, a: CallMedia, b: CallMedia) -> Self {
        Self {
            a,
            b,
            ab: Link::new(0.03, Duration::from_millis(30), Duration::from_millis(40), 1),
            ba: Link::new(0.03, Duration::from_millis(30), Duration::from_millis(40), 2),
            now,
            tick: 0,
            heard_by_b: Vec::new(),
            heard_by_a: Vec::new(),
            rtp_sent: [0; 2],
            digits_at_b: Vec::new(),
            secured: 0,
            alerts_at_b: Vec::new(),
            mos_at_b: Vec::new(),
        }
    }

    fn drain(&mut self, from_a: bool) {
        loop {
            let side = if from_a { &mut self.a } else { &mut self.b };
            match side.poll_output() {
                Output::Transmit(t) => {
                    let i = usize::from(!from_a);
                    self.rtp_sent[i] += u64::from(!is_rtcp(&t.data));
                    let link = if from_a { &mut self.ab } else { &mut self.ba };
                    link.send(self.now, t.data);
                }
                Output::Event(MediaEvent::Dtmf(d)) if !from_a => self.digits_at_b.push(d.as_char()),
                Output::Event(MediaEvent::Secured(_)) => self.secured += 1,
                Output::Event(MediaEvent::Alert(a)) if !from_a => self.alerts_at_b.push(a),
                Output::Event(MediaEvent::Quality(q)) if !from_a => self.mos_at_b.push(q.mos),
                Output::Event(_) => {}
                Output::Timeout(_) => break,
            }
        }
    }

    fn step(&mut self) {
        let n = self.frame_len();
        let mic = tone(1000.0, self.tick * n, n);
        self.a.handle_input(self.now, Input::Capture(&mic));
        self.b.handle_input(self.now, Input::Capture(&mic));
        self.a.handle_input(self.now, Input::Tick);
        self.b.handle_input(self.now, Input::Tick);
        self.drain(true);
        self.drain(false);
        for (at, data) in self.ab.deliver(self.now) {
            self.b.handle_input(at, Input::Datagram { from: addr(A_ADDR), data: &data });
        }
        for (at, data) in self.ba.deliver(self.now) {
            self.a.handle_input(at, Input::Datagram { from: addr(B_ADDR), data: &data });
        }
        self.drain(false);
        self.drain(true);
        self.heard_by_b.push(tone_present(&self.b.playout(self.now), 1000.0, 48_000.0));
        self.heard_by_a.push(tone_present(&self.a.playout(self.now), 1000.0, 48_000.0));
        self.now += FRAME;
        self.tick += 1;
    }

    fn frame_len(&self) -> usize {
        self.a.frame_samples()
    }

    fn run(&mut self, frames: usize) {
        (0..frames).for_each(|_| self.step());
    }

    /// Share of frames with the tone among the last `frames`, skipping `settle` at the start.
    fn tone_ratio(heard: &[bool], frames: usize, settle: usize) -> f64 {
        let window = &heard[heard.len() - frames + settle..];
        window.iter().filter(|h| **h).count() as f64 / window.len() as f64
    }

    fn renegotiate(&mut self, a_dir: Direction, b_dir: Direction) {
        let codec = self.a.negotiated().codec.codec;
        let (na, nb) = negotiate(codec, None, a_dir, b_dir);
        self.a.renegotiate(na);
        self.b.renegotiate(nb);
    }
}

fn tone_crosses_both_ways(codec: Codec, suite: &str) {
    let mut p = Pair::new(codec, suite);
    p.run(150);
    let (to_b, to_a) =
        (Pair::tone_ratio(&p.heard_by_b, 150, 25), Pair::tone_ratio(&p.heard_by_a, 150, 25));
    println!(
        "{codec:?} {suite}: tone in {:.1} % of frames at B, {:.1} % at A",
        to_b * 100.0,
        to_a * 100.0
    );
    assert!(to_b >= 0.95 && to_a >= 0.95, "{codec:?}/{suite}: {to_b} {to_a}");
    let stats = p.b.rtp_stats();
    assert!(stats.packets_lost > 0, "the link dropped packets: {stats:?}");
    assert_eq!(stats.drops.auth_failures + stats.drops.malformed, 0);
}

#[test]
fn opus_over_aes_256_cm() {
    tone_crosses_both_ways(Codec::Opus, "AES_256_CM_HMAC_SHA1_80");
}

#[test]
fn opus_over_aead_aes_256_gcm() {
    tone_crosses_both_ways(Codec::Opus, "AEAD_AES_256_GCM");
}

#[test]
fn pcmu_over_aes_256_cm() {
    tone_crosses_both_ways(Codec::Pcmu, "AES_256_CM_HMAC_SHA1_80");
}

#[test]
fn pcmu_over_aead_aes_256_gcm() {
    tone_crosses_both_ways(Codec::Pcmu, "AEAD_AES_256_GCM");
}

#[test]
fn g722_over_aes_256_cm() {
    tone_crosses_both_ways(Codec::G722, "AES_256_CM_HMAC_SHA1_80");
}

#[test]
fn g722_over_aead_aes_256_gcm() {
    tone_crosses_both_ways(Codec::G722, "AEAD_AES_256_GCM");
}

#[test]
fn hold_stops_media_and_resume_restarts_it() {
    let mut p = Pair::new(Codec::Opus, "AEAD_AES_256_GCM");
    p.run(50);
    p.renegotiate(Direction::Inactive, Direction::SendRecv);
    p.run(10);
    let before = p.rtp_sent;
    p.run(50);
    assert_eq!(p.rtp_sent, before, "inactive hold: no RTP either way");
    assert!(Pair::tone_ratio(&p.heard_by_b, 40, 0) < 0.05, "B hears nothing while held");

    p.renegotiate(Direction::SendOnly, Direction::SendRecv);
    let before = p.rtp_sent;
    p.run(50);
    assert!(
        p.rtp_sent[0] > before[0] + 40,
        "sendonly: A still sends (music on hold): {:?} -> {:?}",
        before,
        p.rtp_sent
    );
    assert_eq!(p.rtp_sent[1], before[1], "sendonly: B (recvonly) sends nothing");

    p.renegotiate(Direction::SendRecv, Direction::SendRecv);
    p.run(100);
    let ratio = Pair::tone_ratio(&p.heard_by_a, 100, 25);
    assert!(ratio >= 0.95, "resume: A hears B again ({ratio})");
}

#[test]
fn dtmf_digits_arrive_in_order() {
    let mut p = Pair::new(Codec::Opus, "AES_256_CM_HMAC_SHA1_80");
    p.run(10);
    for c in ['1', '#', '9', 'A'] {
        p.a.handle_input(p.now, Input::SendDtmf(DtmfDigit::from_char(c).expect("valid digit")));
    }
    p.run(60);
    assert_eq!(p.digits_at_b, vec!['1', '#', '9', 'A']);
}

#[test]
fn opus_over_dtls_srtp_with_the_handshake_on_the_lossy_link() {
    let mut p = Pair::new_dtls(Codec::Opus);
    p.run(200);
    assert_eq!(p.secured, 2, "both sides finished DTLS-SRTP");
    let (to_b, to_a) =
        (Pair::tone_ratio(&p.heard_by_b, 100, 0), Pair::tone_ratio(&p.heard_by_a, 100, 0));
    println!(
        "Opus DTLS-SRTP: tone in {:.1} % of frames at B, {:.1} % at A",
        to_b * 100.0,
        to_a * 100.0
    );
    assert!(to_b >= 0.95 && to_a >= 0.95, "{to_b} {to_a}");
}

#[test]
fn mute_silences_the_far_end() {
    let mut p = Pair::new(Codec::Opus, "AEAD_AES_256_GCM");
    p.run(50);
    p.a.handle_input(p.now, Input::SetMute(true));
    p.run(50);
    assert!(Pair::tone_ratio(&p.heard_by_b, 40, 0) < 0.05, "B hears nothing while A is muted");
    p.a.handle_input(p.now, Input::SetMute(false));
    p.run(50);
    assert!(Pair::tone_ratio(&p.heard_by_b, 30, 0) >= 0.95);
}

#[test]
fn lossy_link_raises_a_loss_alert_and_the_summary_records_it_with_rtt() {
    let mut p = Pair::new(Codec::Opus, "AEAD_AES_256_GCM");
    p.ab.loss = 0.12;
    p.run(450);
    let raised =
        media::quality::AlertChange { alert: media::quality::QualityAlert::HighLoss, active: true };
    assert!(p.alerts_at_b.contains(&raised), "{:?}", p.alerts_at_b);
    let worst = p.mos_at_b.iter().copied().fold(5.0, f64::min);
    assert!(worst < 3.8, "MOS reflects 12 % loss: {worst}");
    let summary = p.b.summary(p.now);
    assert!(summary.encrypted && summary.quality.alerts_raised >= 1);
    // Links add 30-70 ms each way, so RTCP's LSR/DLSR round trip lands in between.
    let rtt = summary.rtp.rtt_ms.expect("RTT measured from SR/RR");
    assert!((60.0..=160.0).contains(&rtt), "rtt {rtt}");
    let json = serde_json::to_string(&summary).expect("summary serializes");
    assert!(json.contains("\"codec\":\"Opus\"") && json.contains("mean_mos"), "{json}");
    println!("call summary: {json}");
}

#[test]
fn capture_to_playout_latency_without_network_delay_is_one_frame_of_buffering() {
    let mut p = Pair::new(Codec::Opus, "AEAD_AES_256_GCM");
    p.ab = Link::new(0.0, Duration::ZERO, Duration::ZERO, 3);
    let silence = vec![0i16; p.frame_len()];
    let mut onset_heard = None;
    for k in 0..100 {
        // Silence first (the buffer settles), then the tone starts at frame 50.
        let mic = if k < 50 { silence.clone() } else { tone(1000.0, k * 960, 960) };
        p.a.handle_input(p.now, Input::Capture(&mic));
        p.drain(true);
        for (at, data) in p.ab.deliver(p.now) {
            p.b.handle_input(at, Input::Datagram { from: addr(A_ADDR), data: &data });
        }
        let out = p.b.playout(p.now);
        if k >= 50 && onset_heard.is_none() && out.iter().any(|s| s.unsigned_abs() > 2000) {
            let first = out.iter().position(|s| s.unsigned_abs() > 2000).unwrap_or(0);
            onset_heard = Some((k - 50) as f64 * 20.0 + first as f64 / 48.0);
        }
        p.now += FRAME;
    }
    // One frame is always spent filling the capture frame before it can be encoded; then
    // one frame of jitter-buffer margin and Opus's 6.5 ms look-ahead. Device buffers come on top.
    let latency = onset_heard.expect("tone onset heard") + 20.0;
    println!(
        "capture-to-playout latency without network delay: {latency:.1} ms (incl. 20 ms framing)"
    );
    assert!(latency <= 50.0, "{latency}");
}
