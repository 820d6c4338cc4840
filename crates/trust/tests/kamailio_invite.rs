//! A full INVITE as Kamailio's secsipid module emits it (`Identity: <jws>;info=<x5u>;alg=ES256;
//! ppt=shaken`) goes through `sip_types` parsing and `InboundCall::from_request` to a verdict.

mod common;

use common::*;
use serde_json::json;
use sip_types::Message;
use trust::{Attestation, InboundCall, Level, UnixTime};

fn invite(identity_lines: &str, pai: &str) -> Vec<u8> {
    format!(
        "INVITE sip:+{DEST}@127.0.0.1:5080 SIP/2.0\r\n\
         Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-524287-1\r\n\
         Max-Forwards: 69\r\n\
         From: \"Alice\" <sip:+{ORIG}@127.0.0.1>;tag=9fxced76sl\r\n\
         To: <sip:+{DEST}@127.0.0.1>\r\n\
         Call-ID: 3848276298220188511@127.0.0.1\r\n\
         CSeq: 1 INVITE\r\n\
         Contact: <sip:+{ORIG}@127.0.0.1:5070>\r\n\
         Date: Wed, 25 Nov 2026 03:00:00 GMT\r\n\
         {pai}{identity_lines}Content-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

fn facts(bytes: &[u8], tls: bool) -> InboundCall {
    let Ok(Message::Request(req)) = Message::parse(bytes) else { panic!("INVITE parses") };
    InboundCall::from_request(&req, tls).expect("call facts")
}

#[test]
fn kamailio_style_invite_verifies_end_to_end() {
    let pki = Pki::generate();
    let value = secsipidx_sign(&pki.path("key.pem"), "A", ORIG, DEST, X5U);
    let now = UnixTime::from_secs(iat_of(value.split(';').next().expect("token")) + 1);
    let call = facts(&invite(&format!("Identity: {value}\r\n"), ""), false);
    assert_eq!(call.identity, vec![value.clone()]);
    assert_eq!(call.from.display_name.as_deref(), Some("Alice"));
    assert_eq!(call.date, Some(1_795_575_600));
    let v = verdict(pki.context(json!({})), now, call, &answers(vec![(X5U, pki.chain("sp"))]));
    assert_eq!(v.attestation, Attestation::A, "{:?}", v.codes());

    // The compact header name `y:` is the same header.
    let compact = facts(&invite(&format!("y: {value}\r\n"), ""), false);
    assert_eq!(compact.identity, vec![value]);
}

#[test]
fn two_identity_lines_in_one_invite_are_duplicates() {
    let pki = Pki::generate();
    let a = secsipidx_sign(&pki.path("key.pem"), "A", ORIG, DEST, X5U);
    let c = secsipidx_sign(&pki.path("key.pem"), "C", ORIG, DEST, X5U);
    let now = UnixTime::from_secs(iat_of(a.split(';').next().expect("token")) + 1);
    let call = facts(&invite(&format!("Identity: {a}\r\nIdentity: {c}\r\n"), ""), false);
    let v = verdict(pki.context(json!({})), now, call, &answers(vec![(X5U, pki.chain("sp"))]));
    assert_eq!(v.codes()[0], "identity.duplicate");
}

#[test]
fn network_verstat_counts_only_over_the_registrar_tls_flow() {
    let pki = Pki::generate();
    let pai = format!(
        "P-Asserted-Identity: <sip:+{ORIG}@127.0.0.1;user=phone;verstat=TN-Validation-Passed-A>\r\n"
    );
    let now = UnixTime::from_secs(wall_clock());
    let ctx = pki.context(json!({}));
    let trusted = verdict(ctx.clone(), now, facts(&invite("", &pai), true), &answers(vec![]));
    assert_eq!(trusted.attestation, Attestation::A, "{:?}", trusted.codes());
    assert!(trusted.codes().contains(&"verstat.passed"));
    let untrusted = verdict(ctx, now, facts(&invite("", &pai), false), &answers(vec![]));
    assert_eq!(untrusted.attestation, Attestation::None);
    assert!(untrusted.codes().contains(&"verstat.untrusted"));
    assert_eq!(
        untrusted.level,
        Level::Neutral,
        "an unattested call with no risk signal is neutral"
    );
}
