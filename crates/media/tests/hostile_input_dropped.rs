//! Hostile and broken input on the receive path is counted and dropped, never a panic:
//! malformed RTP/RTCP, SRTP authentication failures, replays, oversized packets, packets
//! from unexpected addresses, unknown payload types, sequence jumps and SSRC switches.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{A_ADDR, B_ADDR, Prng, addr, negotiate};
use media::rtp::{Protection, RtpSession};
use media::sdp::{Codec, Direction, Security};
use media::srtp::SrtpSession;

fn srtp_pair(now: Instant) -> (RtpSession, RtpSession, SrtpSession) {
    let (na, nb) = negotiate(Codec::Pcmu, None, Direction::SendRecv, Direction::SendRecv);
    let keys = |s: &Security| match s {
        Security::Sdes { suite, local, remote } => {
            SrtpSession::new(*suite, local, remote).expect("keys fit")
        }
        other => panic!("expected SDES, got {other:?}"),
    };
    let spare = keys(&na.security);
    let a = RtpSession::new(
        now,
        (addr(B_ADDR), addr(B_ADDR)),
        Protection::Srtp(keys(&na.security)),
        8000,
        vec![0],
    );
    let b = RtpSession::new(
        now,
        (addr(A_ADDR), addr(A_ADDR)),
        Protection::Srtp(keys(&nb.security)),
        8000,
        vec![0],
    );
    (a, b, spare)
}

fn from_a() -> SocketAddr {
    addr(A_ADDR)
}

#[test]
fn srtp_forgeries_replays_and_strangers_are_counted() {
    let now = Instant::now();
    let (mut a, mut b, _) = srtp_pair(now);
    let good = a.send_rtp(now, 0, true, 0, &[0xFF; 160]).expect("protects").data;
    assert!(b.receive(now, from_a(), &good).is_some(), "genuine packet accepted");
    assert!(b.receive(now, from_a(), &good).is_none(), "replay dropped");

    let mut forged = a.send_rtp(now, 0, false, 160, &[0xFF; 160]).expect("protects").data;
    if let Some(byte) = forged.get_mut(20) {
        *byte ^= 0x01;
    }
    assert!(b.receive(now, from_a(), &forged).is_none(), "forged dropped");

    let from_stranger = a.send_rtp(now, 0, false, 320, &[0xFF; 160]).expect("protects").data;
    assert!(b.receive(now, addr("127.0.0.1:666"), &from_stranger).is_none());
    assert!(b.receive(now, from_a(), &vec![0x80; 2000]).is_none(), "oversized dropped");
    let wrong_pt = a.send_rtp(now, 8, false, 480, &[0xD5; 160]).expect("protects").data;
    assert!(b.receive(now, from_a(), &wrong_pt).is_none());
    assert!(
        b.receive(now, from_a(), &[0x81, 200, 0, 1, 0, 0, 0, 1]).is_none(),
        "short SRTCP dropped"
    );

    let d = b.stats().drops;
    assert_eq!(
        (d.replays, d.auth_failures, d.unexpected_source, d.oversized, d.unknown_payload_type),
        (1, 1, 1, 1, 1),
        "{d:?}"
    );
    assert_eq!(d.malformed, 1, "{d:?}");
    assert_eq!(b.stats().packets_received, 1);
}

#[test]
fn ssrc_switch_is_accepted_and_counted() {
    let now = Instant::now();
    let (mut a, mut b, spare) = srtp_pair(now);
    let first = a.send_rtp(now, 0, true, 0, &[0xFF; 160]).expect("protects").data;
    assert!(b.receive(now, from_a(), &first).is_some());
    // Same keys, new SSRC: a B2BUA or a restarted peer.
    let mut a2 =
        RtpSession::new(now, (addr(B_ADDR), addr(B_ADDR)), Protection::Srtp(spare), 8000, vec![0]);
    let other = a2.send_rtp(now, 0, true, 0, &[0xFF; 160]).expect("protects").data;
    let got = b.receive(now, from_a(), &other).expect("new source accepted");
    assert!(got.new_source);
    assert_eq!(b.stats().ssrc_switches, 1);
}

fn plain_packet(seq: u16, ts: u32, ssrc: u32) -> Vec<u8> {
    let mut p = vec![0x80, 0];
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&ts.to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    p.extend_from_slice(&[0xFF; 160]);
    p
}

#[test]
fn sequence_jump_is_dropped_until_confirmed_and_rollover_is_counted() {
    let now = Instant::now();
    let mut b = RtpSession::new(now, (from_a(), from_a()), Protection::Plain, 8000, vec![0]);
    for (i, seq) in (65530u16..=65535).chain(0..5).enumerate() {
        let t = now + Duration::from_millis(20 * i as u64);
        assert!(b.receive(t, from_a(), &plain_packet(seq, 160 * i as u32, 9)).is_some());
    }
    assert_eq!(b.stats().packets_lost, 0, "rollover is not loss");
    assert!(b.receive(now, from_a(), &plain_packet(20_000, 0, 9)).is_none(), "jump dropped");
    let resync =
        b.receive(now, from_a(), &plain_packet(20_001, 160, 9)).expect("confirmed jump accepted");
    assert!(resync.new_source);
    assert_eq!(b.stats().drops.sequence_jumps, 1);
}

#[test]
fn random_garbage_never_panics_and_is_all_counted() {
    let now = Instant::now();
    let (_, mut b, _) = srtp_pair(now);
    let mut plain = RtpSession::new(now, (from_a(), from_a()), Protection::Plain, 8000, vec![0]);
    let mut rng = Prng::new(7);
    let n = 5000;
    for i in 0..n {
        let len = (rng.next_f64() * 300.0) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| (rng.next_f64() * 256.0) as u8).collect();
        if let Some(first) = data.first_mut() {
            // Half of them look like RTP/RTCP version 2 to reach the deeper parsers.
            if i % 2 == 0 {
                *first = 0x80 | (*first & 0x3F);
            }
        }
        assert!(b.receive(now, from_a(), &data).is_none());
        let _ = plain.receive(now, from_a(), &data);
    }
    assert_eq!(b.stats().drops.total(), n, "every garbage datagram is counted");
}
