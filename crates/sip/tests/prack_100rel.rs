//! Reliable provisionals (RFC 3262): Bob's 183 with early media carries Require: 100rel and
//! RSeq, is retransmitted until Alice's PRACK, and the PRACK gets 200.

mod common;

use std::time::Duration;

use common::*;
use sip::Event;

#[test]
fn early_media_183_is_pracked_and_stops_retransmitting() {
    let mut sim = pair(24);
    sim.net.min_delay = ms(100);
    sim.net.max_delay = ms(100);
    let a = dial(&mut sim);
    let b = incoming_call(&sim, BOB).expect("incoming");
    sim.run_for(ms(300)); // Bob's automatic 100 Trying stops Alice's INVITE retransmissions.
    assert_eq!(sim.sent(BOB, "SIP/2.0 100"), 1);
    sim.untrust(BOB, ALICE); // Alice's first PRACKs get lost.
    let t0 = sim.now;
    sim.cmd(BOB, |ua, now| ua.ringing(now, b, Some(ANSWER.to_vec()))).expect("early media");
    sim.run_for(ms(1200));
    sim.trust(BOB, ALICE);
    sim.run_until("bob answered the PRACK", Duration::from_secs(10), |s| {
        s.sent_cseq(BOB, "SIP/2.0 200", "PRACK") > 0
    });
    sim.run_for(Duration::from_secs(5));

    let early =
        sim.wire.iter().find(|w| w.from == BOB && w.text.starts_with("SIP/2.0 183")).expect("183");
    assert!(early.text.contains("Require: 100rel") && early.text.contains("RSeq: 1"));
    let resent: Vec<u128> = sim
        .wire
        .iter()
        .filter(|w| w.from == BOB && w.text.starts_with("SIP/2.0 183"))
        .map(|w| (w.at - t0).as_millis())
        .collect();
    assert_eq!(resent, [0, 500, 1500], "T1 doubling until the PRACK lands at 1.7 s");
    let pracks: Vec<&str> = sim
        .wire
        .iter()
        .filter(|w| w.text.starts_with("PRACK "))
        .map(|w| cseq_of(&w.text))
        .collect();
    assert!(pracks.len() >= 2, "the PRACK itself was retransmitted");
    assert!(pracks.iter().all(|c| *c == pracks[0]), "one PRACK transaction, not one per 183 copy");
    let prack = sim.wire.iter().find(|w| w.text.starts_with("PRACK ")).expect("prack");
    assert!(prack.text.contains("RAck: 1 1 INVITE"), "{}", prack.text);
    let ringing = Event::Ringing { call: a, status: 183, sdp: Some(ANSWER.to_vec()) };
    assert_eq!(sim.count(ALICE, |e| *e == ringing), 1);

    sim.cmd(BOB, |ua, now| ua.answer(now, b, ANSWER.to_vec())).expect("answer");
    sim.run_until("answered", Duration::from_secs(10), |s| {
        has(s, ALICE, |e| matches!(e, Event::Answered { .. }))
    });
}

#[test]
fn no_prack_means_no_call() {
    let mut sim = pair(25);
    let _ = dial(&mut sim);
    let b = incoming_call(&sim, BOB).expect("incoming");
    sim.untrust(BOB, ALICE); // Alice's PRACKs never reach Bob's core.
    sim.cmd(BOB, |ua, now| ua.ringing(now, b, None)).expect("ringing");
    sim.run_for(Duration::from_secs(40));
    assert_eq!(sim.sent(BOB, "SIP/2.0 180"), 7, "retransmitted for 64*T1");
    assert!(has(&sim, BOB, |e| matches!(e, Event::Ended { .. })), "given up after 64*T1");
    let first_504 = sim.wire.iter().find(|w| w.text.starts_with("SIP/2.0 504")).expect("504");
    assert!(first_504.at - sim.start >= Duration::from_secs(32));
}
