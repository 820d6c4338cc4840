//! Requests the UA cannot serve get the status RFC 3261 names (RFC 4475 §3.3 cases): unknown
//! method 501 with Allow, unsupported Require 420 with Unsupported; OPTIONS gets capabilities.

mod common;

use std::time::Duration;

use common::*;
use sip::Event;
use sip_types::{HeaderName, Message};

fn ask(request: &[u8]) -> sip_types::Response {
    let mut sim = Sim::new(27);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let peer = sim.add_peer(peer::Peer::silent());
    sim.send(peer, Some(ALICE), request.to_vec());
    sim.run_for(Duration::from_secs(1));
    assert!(!has(&sim, ALICE, |e| matches!(e, Event::IncomingCall { .. })));
    let responses: Vec<_> = sim
        .peer(peer)
        .received
        .iter()
        .filter_map(|(_, m)| match m {
            Message::Response(r) => Some(r.clone()),
            Message::Request(_) => None,
        })
        .collect();
    assert!(!responses.is_empty(), "an answer");
    // A final to an INVITE is retransmitted until ACKed: copies only.
    assert!(
        responses.iter().all(|r| r.status == responses[0].status),
        "one answer (and its copies)"
    );
    responses.into_iter().next().expect("one")
}

#[test]
fn unknown_method_gets_501_with_allow() {
    let r = ask(&peer::request("NEWMETHOD", "sip:alice@192.0.2.1:5060", &Sim::addr(1), "u1", &[]));
    assert_eq!(r.status.code(), 501);
    assert!(r.headers.get(&HeaderName::Allow).is_some_and(|a| a.contains("INVITE")));
}

#[test]
fn unsupported_require_gets_420_with_unsupported() {
    let extra = [("Require", "nothingweknow, 100rel")];
    let r = ask(&peer::request("INVITE", "sip:alice@192.0.2.1:5060", &Sim::addr(1), "u2", &extra));
    assert_eq!(r.status.code(), 420);
    assert_eq!(r.headers.get(&HeaderName::Unsupported), Some("nothingweknow"));
}

#[test]
fn options_lists_capabilities() {
    let r = ask(&peer::request("OPTIONS", "sip:alice@192.0.2.1:5060", &Sim::addr(1), "u3", &[]));
    assert_eq!(r.status.code(), 200);
    assert!(r.headers.get(&HeaderName::Allow).is_some_and(|a| a.contains("REFER")));
    assert_eq!(r.headers.get(&HeaderName::Accept), Some("application/sdp"));
    assert!(r.headers.get(&HeaderName::Supported).is_some_and(|s| s.contains("100rel")));
}
