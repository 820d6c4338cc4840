//! A whole call (INVITE, 180, 200, ACK, BYE) completes over a network that drops 30 % of
//! datagrams, duplicates 10 % and reorders (random delays): retransmissions carry it through.

mod common;

use std::time::Duration;

use common::*;
use sip::{EndReason, Event};

#[test]
fn call_survives_loss_duplication_and_reordering() {
    let mut lost_total = 0;
    for seed in 1..=8 {
        let mut sim = pair(seed);
        sim.net = Conditions { loss: 0.3, duplicate: 0.1, min_delay: ms(5), max_delay: ms(120) };
        let a = sim
            .cmd(ALICE, |ua, now| ua.invite(now, "sip:bob@192.0.2.2:5060", OFFER.to_vec()))
            .expect("invite");
        sim.run_until("bob rings", Duration::from_secs(40), |s| incoming_call(s, BOB).is_some());
        let b = incoming_call(&sim, BOB).expect("incoming");
        sim.cmd(BOB, |ua, now| ua.answer(now, b, ANSWER.to_vec())).expect("answer");
        sim.run_until("both answered", Duration::from_secs(40), |s| {
            has(s, ALICE, |e| matches!(e, Event::Answered { .. }))
                && has(s, BOB, |e| matches!(e, Event::Answered { .. }))
        });
        sim.cmd(ALICE, |ua, now| ua.hangup(now, a)).expect("hangup");
        sim.run_until("bob hears the BYE", Duration::from_secs(40), |s| {
            has(s, BOB, |e| matches!(e, Event::Ended { reason: EndReason::RemoteHangup, .. }))
        });
        sim.run_for(Duration::from_secs(40));

        assert_eq!(sim.count(ALICE, |e| matches!(e, Event::Answered { .. })), 1, "seed {seed}");
        assert_eq!(sim.count(BOB, |e| matches!(e, Event::IncomingCall { .. })), 1, "seed {seed}");
        assert_eq!(sim.count(BOB, |e| matches!(e, Event::Ended { .. })), 1, "seed {seed}");
        lost_total += sim.wire.iter().filter(|w| !w.delivered).count();
        assert_eq!(
            sim.ua(ALICE).call_count() + sim.ua(BOB).call_count(),
            0,
            "seed {seed}: state leaked"
        );
        assert_eq!(
            sim.ua(ALICE).transaction_count() + sim.ua(BOB).transaction_count(),
            0,
            "seed {seed}"
        );
    }
    assert!(lost_total > 10, "the network dropped too little for the test to prove anything");
}
