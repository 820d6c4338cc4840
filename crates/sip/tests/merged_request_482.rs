//! The same INVITE reaching us twice through a forking proxy (same Call-ID, From-tag and
//! CSeq, another branch) rings once; the copy gets 482 Loop Detected (RFC 3261 §8.2.2.2).

mod common;

use std::time::Duration;

use common::*;
use sip::Event;

#[test]
fn second_copy_of_a_forked_invite_gets_482() {
    let mut sim = Sim::new(60);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let proxy = sim.add_peer(peer::Peer::silent());
    let first = String::from_utf8(peer::request(
        "INVITE",
        "sip:alice@192.0.2.1:5060",
        &Sim::addr(proxy),
        "m1",
        &[],
    ))
    .expect("utf8");
    let copy = first.replace("branch=z9hG4bKm1", "branch=z9hG4bKm1other");
    sim.send(proxy, Some(ALICE), first.into_bytes());
    sim.run_for(ms(50));
    sim.send(proxy, Some(ALICE), copy.into_bytes());
    sim.run_for(Duration::from_millis(300));

    assert_eq!(sim.count(ALICE, |e| matches!(e, Event::IncomingCall { .. })), 1);
    assert_eq!(sim.peer(proxy).responses(482), 1);
    assert_eq!(sim.peer(proxy).responses(100), 1, "the original is still being served");
}
