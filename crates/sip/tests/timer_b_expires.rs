//! An INVITE nobody answers is retransmitted with timer A doubling and given up at timer B
//! (64*T1 = 32 s): the call ends with `Timeout`.

mod common;

use std::time::Duration;

use common::*;
use sip::{EndReason, Event};

#[test]
fn unanswered_invite_times_out_at_64_t1() {
    let mut sim = Sim::new(7);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let dead = sim.add_peer(peer::Peer::silent());
    let uri = format!("sip:nobody@{}", Sim::addr(dead));
    let call = sim.cmd(ALICE, |ua, now| ua.invite(now, &uri, OFFER.to_vec())).expect("invite");
    sim.run_until("call ends", Duration::from_secs(60), |s| {
        has(s, ALICE, |e| matches!(e, Event::Ended { .. }))
    });

    assert_eq!(sim.elapsed(), Duration::from_secs(32), "timer B is 64*T1");
    assert_eq!(sim.events(ALICE), &[Event::Ended { call, reason: EndReason::Timeout }]);
    let sends: Vec<u128> = sim
        .wire
        .iter()
        .filter(|w| w.text.starts_with("INVITE "))
        .map(|w| (w.at - sim.start).as_millis())
        .collect();
    assert_eq!(sends, [0, 500, 1500, 3500, 7500, 15_500, 31_500], "timer A doubles without cap");
    assert_eq!(sim.ua(ALICE).call_count(), 0);
}
