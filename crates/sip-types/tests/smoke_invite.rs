//! A typical INVITE with SDP parses, exposes its typed headers and prints back.

use sip_types::{Message, Method};

const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n\
Max-Forwards: 70\r\n\
To: Bob <sip:bob@biloxi.example.com>\r\n\
From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n\
CSeq: 314159 INVITE\r\n\
Contact: <sip:alice@pc33.atlanta.example.com>\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 4\r\n\
\r\n\
v=0\n";

#[test]
fn typical_invite_parses_and_round_trips() {
    let msg = Message::parse(INVITE).expect("valid INVITE");
    let Message::Request(req) = &msg else {
        panic!("expected a request");
    };
    assert_eq!(req.method, Method::Invite);
    let h = &req.headers;
    let via = h.top_via().expect("via");
    assert_eq!(via.branch().expect("branch").as_str(), "z9hG4bK776asdhds");
    assert_eq!(via.port(), Some(5060));
    assert_eq!(via.rport(), Some(None));
    assert_eq!(h.from().expect("from").tag().expect("tag").as_str(), "1928301774");
    assert_eq!(h.from().expect("from").display_name().as_deref(), Some("Alice"));
    assert_eq!(h.to().expect("to").tag(), None);
    assert_eq!(h.cseq().expect("cseq").seq, 314159);
    assert_eq!(h.call_id().expect("call-id").as_str(), "a84b4c76e66710@pc33.atlanta.example.com");
    assert_eq!(h.max_forwards().expect("mf"), Some(70));
    assert_eq!(req.body, b"v=0\n");
    let printed = msg.to_bytes();
    assert_eq!(Message::parse(&printed).expect("reparse"), msg);
    assert_eq!(printed, INVITE);
}
