//! Bob is busy: 486 with a reason phrase reaches Alice as `Rejected`, the transaction ACKs it.

mod common;

use std::time::Duration;

use common::*;
use sip::{EndReason, Event};

#[test]
fn busy_here_ends_the_call_on_both_sides() {
    let mut sim = pair(17);
    let a = dial(&mut sim);
    let b = incoming_call(&sim, BOB).expect("incoming");
    sim.cmd(BOB, |ua, now| ua.reject(now, b, 486, "Busy Here")).expect("reject");
    sim.run_until("alice ended", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| matches!(e, Event::Ended { .. }))
    });
    sim.run_for(Duration::from_secs(40));

    let rejected = EndReason::Rejected { status: 486, reason: "Busy Here".into() };
    assert_eq!(sim.events(ALICE), &[Event::Ended { call: a, reason: rejected }]);
    assert_eq!(
        sim.events(BOB).last(),
        Some(&Event::Ended { call: b, reason: EndReason::LocalReject })
    );
    assert_eq!(sim.sent(ALICE, "ACK "), 1);
    assert_eq!(sim.sent(BOB, "SIP/2.0 486"), 1, "the ACK arrived: no retransmission");
    assert_eq!(sim.ua(ALICE).transaction_count() + sim.ua(BOB).transaction_count(), 0);
}
