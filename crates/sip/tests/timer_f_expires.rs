//! A non-INVITE request nobody answers is retransmitted with timer E (doubling, capped at
//! T2 = 4 s) and given up at timer F (32 s): OPTIONS reports status 0, REGISTER fails.

mod common;

use std::time::Duration;

use common::*;
use sip::{Event, Registration};

#[test]
fn unanswered_options_times_out_at_64_t1() {
    let mut sim = Sim::new(8);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let dead = sim.add_peer(peer::Peer::silent());
    let uri = format!("sip:{}", Sim::addr(dead));
    let id = sim.cmd(ALICE, |ua, now| ua.options(now, &uri)).expect("options");
    sim.run_until("options answered", Duration::from_secs(60), |s| {
        has(s, ALICE, |e| matches!(e, Event::OptionsAnswered { .. }))
    });

    assert_eq!(sim.elapsed(), Duration::from_secs(32));
    assert_eq!(sim.events(ALICE), &[Event::OptionsAnswered { id, status: 0 }]);
    let sends: Vec<u128> = sim.wire.iter().map(|w| (w.at - sim.start).as_millis()).collect();
    assert_eq!(
        sends,
        [0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500],
        "timer E doubles up to T2"
    );
    assert_eq!(sim.ua(ALICE).transaction_count(), 0);
}

#[test]
fn unanswered_register_fails_and_is_retried() {
    let mut sim = Sim::new(9);
    let mut cfg = sim.config("alice");
    cfg.registrar = Some(format!("sip:{}", Sim::addr(1)));
    sim.add_ua(cfg);
    sim.add_peer(peer::Peer::silent());
    sim.cmd(ALICE, |ua, now| ua.register(now)).expect("register");
    sim.run_until("registration fails", Duration::from_secs(60), |s| {
        has(s, ALICE, |e| matches!(e, Event::Registration(Registration::Failed { status: 0, .. })))
    });
    assert_eq!(sim.elapsed(), Duration::from_secs(32));
    sim.run_for(Duration::from_secs(30));
    assert_eq!(sim.sent(ALICE, "REGISTER "), 11 + 1, "a failed registration is retried after 30 s");
}
