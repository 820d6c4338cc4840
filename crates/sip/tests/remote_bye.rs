//! The callee hangs up: BYE travels in the dialog, gets 200, and both sides end once.

mod common;

use std::time::Duration;

use common::*;
use sip::{EndReason, Event};

#[test]
fn bye_from_the_callee_ends_the_call() {
    let mut sim = pair(18);
    let (a, b) = established(&mut sim);
    sim.cmd(BOB, |ua, now| ua.hangup(now, b)).expect("hangup");
    sim.run_until("alice ended", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| matches!(e, Event::Ended { .. }))
    });
    sim.run_for(Duration::from_secs(40));

    assert_eq!(
        sim.events(ALICE).last(),
        Some(&Event::Ended { call: a, reason: EndReason::RemoteHangup })
    );
    assert_eq!(
        sim.events(BOB).last(),
        Some(&Event::Ended { call: b, reason: EndReason::LocalHangup })
    );
    assert_eq!(sim.sent_cseq(ALICE, "SIP/2.0 200", "BYE"), 1);
    assert_eq!(
        sim.ua(ALICE).call_count() + sim.ua(BOB).call_count(),
        0,
        "the BYE's 200 released the call"
    );
    assert_eq!(sim.cmd(BOB, |ua, now| ua.hangup(now, b)), Err(sip::Error::UnknownCall));
}

#[test]
fn bye_for_an_unknown_dialog_gets_481() {
    let mut sim = pair(19);
    let (_, b) = established(&mut sim);
    sim.cmd(BOB, |ua, now| ua.hangup(now, b)).expect("hangup");
    sim.run_for(Duration::from_secs(1));
    // Replay Bob's BYE with a fresh branch: the dialog is gone, so 481.
    let bye = sim
        .wire
        .iter()
        .find(|w| w.from == BOB && w.text.starts_with("BYE "))
        .expect("bye")
        .text
        .clone();
    let replay = bye.replacen("branch=z9hG4bK", "branch=z9hG4bKreplay", 1);
    sim.send(BOB, Some(ALICE), replay.into_bytes());
    sim.run_for(Duration::from_secs(1));
    assert_eq!(sim.sent(ALICE, "SIP/2.0 481"), 1);
}
