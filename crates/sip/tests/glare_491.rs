//! Both sides send a re-INVITE at once: each answers the other's with 491 Request Pending and
//! retries after its randomised timer (RFC 3261 §14.1); the retries then succeed.

mod common;

use std::time::Duration;

use common::*;
use sip::Event;

#[test]
fn simultaneous_reinvites_resolve_after_491() {
    let mut sim = pair(26);
    sim.net.min_delay = ms(40);
    sim.net.max_delay = ms(40);
    let (a, b) = established(&mut sim);
    sim.cmd(ALICE, |ua, now| ua.reinvite(now, a, OFFER.to_vec())).expect("alice offers");
    sim.cmd(BOB, |ua, now| ua.reinvite(now, b, ANSWER.to_vec())).expect("bob offers");
    let t0 = sim.now;
    sim.run_for(Duration::from_millis(90));
    assert_eq!(sim.sent(ALICE, "SIP/2.0 491"), 1);
    assert_eq!(sim.sent(BOB, "SIP/2.0 491"), 1);
    assert!(
        !has(&sim, ALICE, |e| matches!(e, Event::OfferReceived { .. })),
        "glare is not an offer"
    );

    // Bob (not the Call-ID owner) retries within 0-2 s, Alice within 2.1-4 s; answer each.
    sim.run_until("bob's retry reaches alice", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| matches!(e, Event::OfferReceived { .. }))
    });
    let bob_retry = sim
        .wire
        .iter()
        .filter(|w| w.from == BOB && w.text.starts_with("INVITE "))
        .nth(1)
        .expect("retry");
    assert!(bob_retry.at - t0 <= Duration::from_secs(2));
    sim.cmd(ALICE, |ua, now| ua.answer_offer(now, a, OFFER.to_vec())).expect("alice answers");
    sim.run_until("alice's retry reaches bob", Duration::from_secs(5), |s| {
        has(s, BOB, |e| matches!(e, Event::OfferReceived { .. }))
    });
    let alice_retry = sim
        .wire
        .iter()
        .filter(|w| w.from == ALICE && w.text.starts_with("INVITE "))
        .nth(2)
        .expect("retry");
    assert!(alice_retry.at - t0 >= Duration::from_millis(2100), "the owner waits 2.1-4 s");
    sim.cmd(BOB, |ua, now| ua.answer_offer(now, b, ANSWER.to_vec())).expect("bob answers");
    sim.run_for(Duration::from_secs(5));

    assert_eq!(sim.count(ALICE, |e| matches!(e, Event::AnswerReceived { .. })), 1);
    assert_eq!(sim.count(BOB, |e| matches!(e, Event::AnswerReceived { .. })), 1);
    assert!(
        !has(&sim, ALICE, |e| matches!(e, Event::OfferRejected { .. })),
        "491 is retried, not reported"
    );
}
