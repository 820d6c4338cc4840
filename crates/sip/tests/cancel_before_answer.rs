//! Cancelling a ringing call: CANCEL gets 200, the INVITE gets 487, both sides end. A cancel
//! before any provisional waits for one (RFC 3261 §9.1).

mod common;

use std::time::Duration;

use common::*;
use sip::{EndReason, Event};

#[test]
fn cancel_of_a_ringing_call() {
    let mut sim = pair(15);
    let a = dial(&mut sim);
    let b = incoming_call(&sim, BOB).expect("incoming");
    sim.cmd(BOB, |ua, now| ua.ringing(now, b, None)).expect("ringing");
    sim.run_until("ringing", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| matches!(e, Event::Ringing { .. }))
    });
    sim.cmd(ALICE, |ua, now| ua.cancel(now, a)).expect("cancel");
    sim.run_until("both ended", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| matches!(e, Event::Ended { .. }))
            && has(s, BOB, |e| matches!(e, Event::Ended { .. }))
    });
    sim.run_for(Duration::from_secs(40));

    assert_eq!(
        sim.events(ALICE).last(),
        Some(&Event::Ended { call: a, reason: EndReason::Cancelled })
    );
    assert_eq!(
        sim.events(BOB).last(),
        Some(&Event::Ended { call: b, reason: EndReason::RemoteCancel })
    );
    assert_eq!(sim.sent(BOB, "SIP/2.0 487"), 1);
    assert_eq!(sim.sent(ALICE, "ACK "), 1, "the 487 is acknowledged by the transaction");
    assert_eq!(
        sim.cmd(BOB, |ua, now| ua.answer(now, b, ANSWER.to_vec())),
        Err(sip::Error::UnknownCall)
    );
    assert_eq!(sim.ua(ALICE).transaction_count() + sim.ua(BOB).transaction_count(), 0);
}

#[test]
fn cancel_before_any_provisional_waits_for_one() {
    let mut sim = Sim::new(16);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let callee = sim.add_peer(peer::Peer::silent());
    let uri = format!("sip:bob@{}", Sim::addr(callee));
    let a = sim.cmd(ALICE, |ua, now| ua.invite(now, &uri, OFFER.to_vec())).expect("invite");
    sim.cmd(ALICE, |ua, now| ua.cancel(now, a)).expect("cancel");
    sim.run_for(Duration::from_millis(300));
    assert_eq!(sim.sent(ALICE, "CANCEL "), 0, "no CANCEL before a provisional");

    let invite = sim.peer(callee).requests("INVITE")[0].clone();
    sim.send(callee, Some(ALICE), peer::response(&invite, 180, Some("r1"), &[], b""));
    sim.run_for(Duration::from_millis(100));
    assert_eq!(sim.sent(ALICE, "CANCEL "), 1, "the provisional releases the CANCEL");
}

#[test]
fn cancelled_invite_without_final_response_is_given_up_after_64_t1() {
    let mut sim = Sim::new(17);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    // A broken callee: rings, accepts the CANCEL, never sends 487.
    let callee = sim.add_peer(peer::Peer::scripted(|from, msg| match msg {
        sip_types::Message::Request(r) if r.method.as_str() == "INVITE" => {
            vec![(from, peer::response(r, 180, Some("x"), &[], b""))]
        }
        sip_types::Message::Request(r) if r.method.as_str() == "CANCEL" => {
            vec![(from, peer::response(r, 200, Some("x"), &[], b""))]
        }
        _ => vec![],
    }));
    let uri = format!("sip:bob@{}", Sim::addr(callee));
    let a = sim.cmd(ALICE, |ua, now| ua.invite(now, &uri, OFFER.to_vec())).expect("invite");
    sim.run_until("ringing", Duration::from_secs(1), |s| {
        has(s, ALICE, |e| matches!(e, Event::Ringing { .. }))
    });
    let t0 = sim.now;
    sim.cmd(ALICE, |ua, now| ua.cancel(now, a)).expect("cancel");
    sim.run_until("given up", Duration::from_secs(40), |s| {
        has(s, ALICE, |e| matches!(e, Event::Ended { .. }))
    });
    assert_eq!(sim.now - t0, Duration::from_secs(32));
    assert_eq!(
        sim.events(ALICE).last(),
        Some(&Event::Ended { call: a, reason: EndReason::Cancelled })
    );
    assert_eq!(sim.ua(ALICE).call_count(), 0);
}
