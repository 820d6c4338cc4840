//! Our 2xx to an INVITE is retransmitted with T1 doubling (capped at T2) until the ACK
//! arrives; without an ACK for 64*T1 the call is ended with a BYE (RFC 3261 §13.3.1.4).

mod common;

use std::time::Duration;

use common::*;
use sip::{EndReason, Event};

fn answered_by_alice(sim: &mut Sim, branch: &str) -> (usize, std::time::Instant) {
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let caller = sim.add_peer(peer::Peer::silent());
    let invite =
        peer::request("INVITE", "sip:alice@192.0.2.1:5060", &Sim::addr(caller), branch, &[]);
    sim.send(caller, Some(ALICE), invite);
    sim.run_until("alice rings", Duration::from_secs(1), |s| incoming_call(s, ALICE).is_some());
    let call = incoming_call(sim, ALICE).expect("incoming");
    sim.cmd(ALICE, |ua, now| ua.answer(now, call, ANSWER.to_vec())).expect("answer");
    (caller, sim.now)
}

fn ok_times(sim: &Sim, t0: std::time::Instant) -> Vec<u128> {
    sim.wire
        .iter()
        .filter(|w| w.from == ALICE && w.text.starts_with("SIP/2.0 200"))
        .map(|w| (w.at - t0).as_millis())
        .collect()
}

#[test]
fn retransmits_until_the_ack_then_stops() {
    let mut sim = Sim::new(12);
    let (caller, t0) = answered_by_alice(&mut sim, "x1");
    sim.run_for(Duration::from_millis(8000));
    assert!(
        !has(&sim, ALICE, |e| matches!(e, Event::Answered { .. })),
        "not confirmed before the ACK"
    );
    // The ACK for a 2xx is its own transaction: new branch, To-tag from the 200.
    let to_tag = {
        let ok = sim.wire.iter().find(|w| w.text.starts_with("SIP/2.0 200")).expect("200 sent");
        let to = ok.text.lines().find(|l| l.starts_with("To:")).expect("To").to_owned();
        to.split(";tag=").nth(1).expect("tag").trim().to_owned()
    };
    let ack = String::from_utf8(peer::request(
        "ACK",
        "sip:alice@192.0.2.1:5060",
        &Sim::addr(caller),
        "ack1",
        &[],
    ))
    .expect("utf8")
    .replace("tag=pack1", "tag=px1")
    .replace("Call-ID: cack1@peer", "Call-ID: cx1@peer")
    .replace(
        "To: <sip:alice@192.0.2.1:5060>",
        &format!("To: <sip:alice@192.0.2.1:5060>;tag={to_tag}"),
    );
    sim.send(caller, Some(ALICE), ack.into_bytes());
    sim.run_for(Duration::from_secs(60));

    assert_eq!(ok_times(&sim, t0), [0, 500, 1500, 3500, 7500], "T1 doubling until the ACK");
    assert_eq!(sim.count(ALICE, |e| matches!(e, Event::Answered { .. })), 1);
    assert!(!has(&sim, ALICE, |e| matches!(e, Event::Ended { .. })));
    assert_eq!(sim.ua(ALICE).transaction_count(), 0, "timer L ended the transaction");
}

#[test]
fn no_ack_within_64_t1_ends_the_call_with_bye() {
    let mut sim = Sim::new(13);
    let (caller, t0) = answered_by_alice(&mut sim, "x2");
    sim.run_for(Duration::from_secs(40));

    let times = ok_times(&sim, t0);
    assert_eq!(times[..7], [0, 500, 1500, 3500, 7500, 11_500, 15_500], "capped at T2");
    assert!(times.iter().all(|t| *t < 32_000));
    assert!(has(&sim, ALICE, |e| matches!(e, Event::Ended { reason: EndReason::Timeout, .. })));
    assert!(!sim.peer(caller).requests("BYE").is_empty(), "the session is ended with BYE");
}
