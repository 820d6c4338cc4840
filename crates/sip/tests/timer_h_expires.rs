//! A rejected INVITE whose ACK never comes: the final response is retransmitted with timer G
//! (doubling up to T2) until timer H (32 s), then the transaction is gone.

mod common;

use std::time::Duration;

use common::*;
use sip::Event;

#[test]
fn unacknowledged_486_stops_at_timer_h() {
    let mut sim = Sim::new(10);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let caller = sim.add_peer(peer::Peer::silent());
    let invite = peer::request("INVITE", "sip:alice@192.0.2.1:5060", &Sim::addr(caller), "h1", &[]);
    sim.send(caller, Some(ALICE), invite);
    sim.run_until("alice rings", Duration::from_secs(1), |s| incoming_call(s, ALICE).is_some());
    let call = incoming_call(&sim, ALICE).expect("incoming");
    let t0 = sim.now;
    sim.cmd(ALICE, |ua, now| ua.reject(now, call, 486, "Busy Here")).expect("reject");
    sim.run_for(Duration::from_secs(60));

    let busy: Vec<u128> = sim
        .wire
        .iter()
        .filter(|w| w.from == ALICE && w.text.starts_with("SIP/2.0 486"))
        .map(|w| (w.at - t0).as_millis())
        .collect();
    assert_eq!(busy[..6], [0, 500, 1500, 3500, 7500, 11_500], "timer G doubles up to T2");
    assert!(busy.iter().all(|t| *t < 32_000), "nothing after timer H: {busy:?}");
    assert_eq!(busy.len(), 11);
    assert_eq!(sim.ua(ALICE).transaction_count(), 0, "timer H removed the transaction");
    assert!(has(&sim, ALICE, |e| matches!(e, Event::Ended { .. })));
}

#[test]
fn ack_stops_retransmissions_early() {
    let mut sim = Sim::new(11);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let caller = sim.add_peer(peer::Peer::silent());
    let from = Sim::addr(caller);
    sim.send(
        caller,
        Some(ALICE),
        peer::request("INVITE", "sip:alice@192.0.2.1:5060", &from, "h2", &[]),
    );
    sim.run_until("alice rings", Duration::from_secs(1), |s| incoming_call(s, ALICE).is_some());
    let call = incoming_call(&sim, ALICE).expect("incoming");
    sim.cmd(ALICE, |ua, now| ua.reject(now, call, 486, "Busy Here")).expect("reject");
    sim.run_for(Duration::from_millis(600));
    let ack = peer::request("ACK", "sip:alice@192.0.2.1:5060", &from, "h2", &[]);
    sim.send(caller, Some(ALICE), ack);
    sim.run_for(Duration::from_secs(60));
    assert_eq!(sim.sent(ALICE, "SIP/2.0 486"), 2, "the ACK ended timer G");
    assert_eq!(sim.ua(ALICE).transaction_count(), 0, "timer I removed the transaction");
}
