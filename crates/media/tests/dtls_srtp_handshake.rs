//! DTLS-SRTP between two in-memory endpoints on simulated time: the handshake completes,
//! both sides export matching SRTP keys, and a certificate that does not match the SDP
//! fingerprint is refused.

mod common;

use std::time::{Duration, Instant};

use common::{A_ADDR, B_ADDR, addr};
use media::dtls::{DtlsIdentity, DtlsSrtp};
use media::rtp::{Protection, RtpSession};
use media::sdp::Fingerprint;
use media::srtp::SrtpSession;

type Outcome = (Option<SrtpSession>, Option<SrtpSession>, Vec<String>);

/// Shuttles datagrams between client and server until both have keys or 5 s pass.
fn handshake(
    server_expects: Fingerprint,
    client_expects: Fingerprint,
    a: &DtlsIdentity,
    b: &DtlsIdentity,
) -> Outcome {
    let t0 = Instant::now();
    let mut now = t0;
    let mut client = DtlsSrtp::new(now, a, true, addr(A_ADDR), addr(B_ADDR), client_expects)
        .expect("client starts");
    let mut server = DtlsSrtp::new(now, b, false, addr(B_ADDR), addr(A_ADDR), server_expects)
        .expect("server starts");
    let (mut ka, mut kb, mut errors) = (None, None, Vec::new());
    while now < t0 + Duration::from_secs(5) && (ka.is_none() || kb.is_none()) {
        while let Some(d) = client.poll_transmit() {
            match server.handle_datagram(now, &d) {
                Ok(Some(k)) => kb = Some(k),
                Ok(None) => {}
                Err(e) => errors.push(format!("server: {e}")),
            }
        }
        while let Some(d) = server.poll_transmit() {
            match client.handle_datagram(now, &d) {
                Ok(Some(k)) => ka = Some(k),
                Ok(None) => {}
                Err(e) => errors.push(format!("client: {e}")),
            }
        }
        now += Duration::from_millis(10);
        let _ = client.handle_timeout(now);
        let _ = server.handle_timeout(now);
    }
    (ka, kb, errors)
}

#[test]
fn handshake_exports_matching_srtp_keys() {
    let (a, b) = (DtlsIdentity::generate().expect("cert"), DtlsIdentity::generate().expect("cert"));
    let (ka, kb, errors) = handshake(a.fingerprint().clone(), b.fingerprint().clone(), &a, &b);
    let (Some(ka), Some(kb)) = (ka, kb) else { panic!("handshake did not complete: {errors:?}") };
    assert_eq!(ka.suite(), kb.suite());
    println!("DTLS-SRTP negotiated {:?}", ka.suite());
    let now = Instant::now();
    let mut tx =
        RtpSession::new(now, (addr(B_ADDR), addr(B_ADDR)), Protection::Srtp(ka), 48_000, vec![96]);
    let mut rx =
        RtpSession::new(now, (addr(A_ADDR), addr(A_ADDR)), Protection::Srtp(kb), 48_000, vec![96]);
    let packet = tx.send_rtp(now, 96, true, 0, b"opus frame").expect("protects");
    let got = rx.receive(now, addr(A_ADDR), &packet.data).expect("unprotects with exported keys");
    assert_eq!(&got.payload[..], b"opus frame");
}

#[test]
fn certificate_not_matching_the_fingerprint_is_refused() {
    let (a, b) = (DtlsIdentity::generate().expect("cert"), DtlsIdentity::generate().expect("cert"));
    let wrong = Fingerprint { algorithm: "sha-256".into(), digest: vec![0xAB; 32] };
    let (ka, kb, _) = handshake(wrong, b.fingerprint().clone(), &a, &b);
    assert!(ka.is_none() && kb.is_none(), "no keys for an impostor");
}

#[test]
fn a_server_waiting_for_the_client_survives_its_timer() {
    let (a, b) = (DtlsIdentity::generate().expect("cert"), DtlsIdentity::generate().expect("cert"));
    let now = Instant::now();
    let mut server =
        DtlsSrtp::new(now, &b, false, addr(B_ADDR), addr(A_ADDR), a.fingerprint().clone())
            .expect("server starts");
    // The call's timer fires (RTCP, quality) before the client's first flight arrives.
    assert!(server.handle_timeout(now + Duration::from_secs(1)).is_ok());
    assert!(!server.is_established());
}
