//! Alice cancels while Bob's 200 OK is already on its way: Alice must ACK the 2xx and then
//! hang up with BYE; nobody is left with a half-open call.

mod common;

use std::time::Duration;

use common::*;
use sip::{EndReason, Event};

#[test]
fn cancel_crossing_200_is_acked_and_hung_up() {
    let mut sim = pair(14);
    sim.net.min_delay = ms(50);
    sim.net.max_delay = ms(50);
    let a = dial(&mut sim);
    let b = incoming_call(&sim, BOB).expect("incoming");
    sim.cmd(BOB, |ua, now| ua.ringing(now, b, None)).expect("ringing");
    sim.run_until("alice hears ringing", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| matches!(e, Event::Ringing { .. }))
    });
    // Same instant: the 200 and the CANCEL cross on the wire.
    sim.cmd(BOB, |ua, now| ua.answer(now, b, ANSWER.to_vec())).expect("answer");
    sim.cmd(ALICE, |ua, now| ua.cancel(now, a)).expect("cancel");
    sim.run_for(Duration::from_secs(40));

    assert_eq!(sim.sent(ALICE, "CANCEL "), 1);
    assert_eq!(
        sim.sent_cseq(BOB, "SIP/2.0 200", "CANCEL"),
        1,
        "CANCEL of an answered call still gets 200"
    );
    assert_eq!(sim.sent(BOB, "SIP/2.0 487"), 0, "too late for 487");
    assert_eq!(sim.sent(ALICE, "ACK "), 1, "the 2xx is acknowledged");
    assert_eq!(sim.sent(ALICE, "BYE "), 1, "then the session is torn down");
    assert_eq!(
        sim.events(ALICE).last(),
        Some(&Event::Ended { call: a, reason: EndReason::Cancelled })
    );
    assert!(
        !has(&sim, ALICE, |e| matches!(e, Event::Answered { .. })),
        "the app never sees an answer"
    );
    assert!(has(&sim, BOB, |e| matches!(e, Event::Ended { reason: EndReason::RemoteHangup, .. })));
    assert_eq!(sim.ua(ALICE).call_count() + sim.ua(BOB).call_count(), 0);
}
