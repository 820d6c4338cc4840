//! Requests from RFC 4475 §3.3 that parse but must be answered with a status, and two valid
//! oddities (RFC 2543 peers without branch, multipart bodies) that must still ring.

mod common;

use std::time::Duration;

use common::*;
use sip::Event;
use sip_types::{HeaderName, Message};

fn deliver(text: &str) -> Sim {
    let mut sim = Sim::new(50);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let peer = sim.add_peer(peer::Peer::silent());
    sim.send(peer, Some(ALICE), text.replace('\n', "\r\n").into_bytes());
    sim.run_for(Duration::from_millis(300));
    sim
}

fn first_status(sim: &mut Sim) -> Option<(u16, sip_types::Headers)> {
    sim.peer(1).received.iter().find_map(|(_, m)| match m {
        Message::Response(r) => Some((r.status.code(), r.headers.clone())),
        Message::Request(_) => None,
    })
}

const HEAD: &str = "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK4475\nMax-Forwards: 70\nFrom: <sip:peer@192.0.2.2>;tag=p1\nTo: <sip:alice@192.0.2.1>\nCall-ID: rfc4475@peer\nContact: <sip:peer@192.0.2.2>\n";

#[test]
fn unknown_uri_scheme_gets_416() {
    let mut sim = deliver(&format!(
        "OPTIONS nobodyknowsthisscheme:totallyopaquecontent SIP/2.0\n{HEAD}CSeq: 1 OPTIONS\nContent-Length: 0\n\n"
    ));
    assert_eq!(first_status(&mut sim).map(|r| r.0), Some(416));
}

#[test]
fn unknown_body_type_gets_415_with_accept() {
    let body = "<audio> <pcmu port=\"443\"/> </audio>\n";
    let mut sim = deliver(&format!(
        "INVITE sip:alice@192.0.2.1 SIP/2.0\n{HEAD}CSeq: 1 INVITE\nContent-Type: application/unknownformat\nContent-Length: {}\n\n{body}",
        body.len() + 1
    ));
    let (status, headers) = first_status(&mut sim).expect("answered");
    assert_eq!(status, 415);
    assert_eq!(headers.get(&HeaderName::Accept), Some("application/sdp"));
    assert!(!has(&sim, ALICE, |e| matches!(e, Event::IncomingCall { .. })));
}

#[test]
fn cseq_method_mismatch_is_answered_400_and_never_rings() {
    // RFC 4475 §3.1.2.17 (mismatch01/02): the CSeq method disagrees with the request line;
    // "the element receiving this request should respond with a 400 Bad Request".
    let mut sim = deliver(&format!(
        "INVITE sip:alice@192.0.2.1 SIP/2.0\n{HEAD}CSeq: 1 OPTIONS\nContent-Length: 0\n\n"
    ));
    assert_eq!(first_status(&mut sim).map(|r| r.0), Some(400));
    assert!(!has(&sim, ALICE, |e| matches!(e, Event::IncomingCall { .. })));
}

#[test]
fn rfc2543_invite_without_branch_still_rings() {
    let head = HEAD.replace(";branch=z9hG4bK4475", "");
    let mut sim = deliver(&format!(
        "INVITE sip:alice@192.0.2.1 SIP/2.0\n{head}CSeq: 1 INVITE\nContent-Length: 0\n\n"
    ));
    assert!(has(&sim, ALICE, |e| matches!(e, Event::IncomingCall { .. })));
    assert_eq!(first_status(&mut sim).map(|r| r.0), Some(100));
}

#[test]
fn multipart_invite_offers_its_sdp_part() {
    let sdp =
        "v=0\no=- 1 1 IN IP4 192.0.2.2\ns=-\nc=IN IP4 192.0.2.2\nt=0 0\nm=audio 492 RTP/AVP 0\n";
    let body = format!(
        "--7a9cbec02ceef655\nContent-Type: text/plain\n\nhello\n--7a9cbec02ceef655\nContent-Type: application/sdp\n\n{sdp}--7a9cbec02ceef655--\n"
    );
    let len = body.replace('\n', "\r\n").len();
    let sim = deliver(&format!(
        "INVITE sip:alice@192.0.2.1 SIP/2.0\n{HEAD}CSeq: 1 INVITE\nContent-Type: multipart/mixed;boundary=7a9cbec02ceef655\nContent-Length: {len}\n\n{body}"
    ));
    let offered = sim.events(ALICE).iter().find_map(|e| match e {
        Event::IncomingCall { sdp, .. } => sdp.clone(),
        _ => None,
    });
    // The CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1).
    let expected = sdp.replace('\n', "\r\n");
    assert_eq!(offered.as_deref(), Some(expected.trim_end().as_bytes()));
}
