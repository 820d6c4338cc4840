//! Ghost-call protection: requests from a flow the engine does not trust are dropped without
//! any reply and never ring, even in a flood; a trusted flow still rings during it.

mod common;

use std::time::Duration;

use common::*;
use sip::Event;

#[test]
fn invites_from_untrusted_flows_never_ring_nor_answer() {
    let mut sim = Sim::new(28);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let scanner = sim.add_peer(peer::Peer::silent());
    let registrar = sim.add_peer(peer::Peer::silent());
    sim.untrust(ALICE, scanner);
    for i in 0..2000 {
        let method = ["INVITE", "OPTIONS", "NEWMETHOD", "BYE"][i % 4];
        let bytes = peer::request(
            method,
            "sip:alice@192.0.2.1:5060",
            &Sim::addr(scanner),
            &format!("g{i}"),
            &[],
        );
        sim.send(scanner, Some(ALICE), bytes);
        if i == 1000 {
            let call = peer::request(
                "INVITE",
                "sip:alice@192.0.2.1:5060",
                &Sim::addr(registrar),
                "real",
                &[],
            );
            sim.send(registrar, Some(ALICE), call);
        }
    }
    sim.run_for(Duration::from_secs(1));

    assert!(sim.peer(scanner).received.is_empty(), "the scanner learns nothing");
    assert_eq!(
        sim.count(ALICE, |e| matches!(e, Event::IncomingCall { .. })),
        1,
        "only the trusted call rings"
    );
    assert_eq!(sim.peer(registrar).responses(100), 1, "the trusted call gets 100 Trying");
    assert_eq!(sim.ua(ALICE).transaction_count(), 1, "no state for dropped requests");
}

#[test]
fn trusted_flood_stays_bounded() {
    let mut sim = Sim::new(29);
    let mut cfg = sim.config("alice");
    cfg.limits = sip::Limits { max_transactions: 64, max_calls: 4 };
    sim.add_ua(cfg);
    let proxy = sim.add_peer(peer::Peer::silent());
    for i in 0..500 {
        let bytes = peer::request(
            "INVITE",
            "sip:alice@192.0.2.1:5060",
            &Sim::addr(proxy),
            &format!("f{i}"),
            &[],
        );
        sim.send(proxy, Some(ALICE), bytes);
    }
    sim.run_for(Duration::from_millis(100));
    assert!(sim.ua(ALICE).transaction_count() <= 64);
    assert_eq!(sim.ua(ALICE).call_count(), 4);
    assert_eq!(sim.count(ALICE, |e| matches!(e, Event::IncomingCall { .. })), 4);
    assert!(sim.peer(proxy).responses(486) >= 50, "calls beyond the cap are answered busy");
}
