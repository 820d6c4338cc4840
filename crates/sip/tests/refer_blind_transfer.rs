//! Blind transfer (RFC 3515): Alice refers Bob to Carol; Bob accepts, calls Carol, and reports
//! progress to Alice by NOTIFY with sipfrag bodies (100 Trying, then 200 OK). Attended
//! transfer sends Replaces, and Carol's new call replaces her call with Alice.

mod common;

use std::time::Duration;

use common::*;
use sip::{EndReason, Event};

const CAROL: usize = 2;

fn trio(seed: u64) -> Sim {
    let mut sim = pair(seed);
    let c = sim.config("carol");
    sim.add_ua(c);
    sim
}

fn transfer_request(sim: &Sim) -> Option<(sip::CallHandle, String, bool)> {
    sim.events(BOB).iter().find_map(|e| match e {
        Event::TransferRequested { call, target, attended } => {
            Some((*call, target.clone(), *attended))
        }
        _ => None,
    })
}

#[test]
fn blind_transfer_reports_progress_to_the_referrer() {
    let mut sim = trio(30);
    let (a, _) = established(&mut sim);
    sim.cmd(ALICE, |ua, now| ua.refer(now, a, "sip:carol@192.0.2.3:5060")).expect("refer");
    sim.run_until("bob asked to transfer", Duration::from_secs(5), |s| {
        transfer_request(s).is_some()
    });
    let (b, target, attended) = transfer_request(&sim).expect("transfer");
    assert_eq!((target.as_str(), attended), ("sip:carol@192.0.2.3:5060", false));
    sim.run_until("alice hears 100", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| *e == Event::TransferProgress { call: a, status: 100 })
    });

    sim.cmd(BOB, |ua, now| ua.accept_transfer(now, b, OFFER.to_vec())).expect("accept");
    sim.run_until("carol rings", Duration::from_secs(5), |s| incoming_call(s, CAROL).is_some());
    let c = incoming_call(&sim, CAROL).expect("carol");
    sim.cmd(CAROL, |ua, now| ua.answer(now, c, ANSWER.to_vec())).expect("carol answers");
    sim.run_until("alice hears 200", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| *e == Event::TransferProgress { call: a, status: 200 })
    });
    sim.cmd(ALICE, |ua, now| ua.hangup(now, a)).expect("alice leaves");
    sim.run_for(Duration::from_secs(40));

    assert_eq!(sim.sent_cseq(BOB, "SIP/2.0 202", "REFER"), 1);
    let notifies: Vec<&str> = sim
        .wire
        .iter()
        .filter(|w| w.from == BOB && w.text.starts_with("NOTIFY "))
        .map(|w| w.text.as_str())
        .collect();
    assert_eq!(notifies.len(), 2);
    assert!(
        notifies[0].contains("Event: refer") && notifies[0].ends_with("SIP/2.0 100 Trying\r\n")
    );
    assert!(
        notifies[1].contains("Subscription-State: terminated")
            && notifies[1].ends_with("SIP/2.0 200 OK\r\n")
    );
    assert!(has(&sim, BOB, |e| matches!(e, Event::Answered { .. })), "bob talks to carol");
    assert!(has(&sim, BOB, |e| *e == Event::Ended { call: b, reason: EndReason::RemoteHangup }));
    assert!(!has(&sim, CAROL, |e| matches!(e, Event::Ended { .. })));
}

#[test]
fn attended_transfer_replaces_the_consultation_call() {
    let mut sim = trio(31);
    let (a_bob, _) = established(&mut sim);
    // Alice consults Carol.
    let a_carol = sim
        .cmd(ALICE, |ua, now| ua.invite(now, "sip:carol@192.0.2.3:5060", OFFER.to_vec()))
        .expect("invite");
    sim.run_until("carol rings", Duration::from_secs(5), |s| incoming_call(s, CAROL).is_some());
    let c_alice = incoming_call(&sim, CAROL).expect("carol");
    sim.cmd(CAROL, |ua, now| ua.answer(now, c_alice, ANSWER.to_vec())).expect("answer");
    sim.run_until("consultation up", Duration::from_secs(5), |s| {
        s.count(ALICE, |e| matches!(e, Event::Answered { .. })) == 2
    });

    sim.cmd(ALICE, |ua, now| ua.refer_attended(now, a_bob, a_carol)).expect("refer");
    sim.run_until("bob asked", Duration::from_secs(5), |s| transfer_request(s).is_some());
    let (b, target, attended) = transfer_request(&sim).expect("transfer");
    assert!(attended);
    assert_eq!(target, "sip:carol@192.0.2.3:5060");
    sim.cmd(BOB, |ua, now| ua.accept_transfer(now, b, OFFER.to_vec())).expect("accept");
    sim.run_until("carol gets the replacing call", Duration::from_secs(5), |s| {
        has(s, CAROL, |e| matches!(e, Event::IncomingCall { replaces: Some(_), .. }))
    });
    let replacing = sim
        .events(CAROL)
        .iter()
        .find_map(|e| match e {
            Event::IncomingCall { call, replaces: Some(old), .. } => Some((*call, *old)),
            _ => None,
        })
        .expect("replacing call");
    assert_eq!(replacing.1, c_alice, "it names Carol's call with Alice");
    sim.cmd(CAROL, |ua, now| ua.answer(now, replacing.0, ANSWER.to_vec())).expect("answer");
    sim.run_until("alice's consultation ends", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| *e == Event::Ended { call: a_carol, reason: EndReason::RemoteHangup })
    });
    assert!(has(&sim, CAROL, |e| *e == Event::Ended { call: c_alice, reason: EndReason::Replaced }));
    assert!(has(&sim, ALICE, |e| *e == Event::TransferProgress { call: a_bob, status: 200 }));
}
