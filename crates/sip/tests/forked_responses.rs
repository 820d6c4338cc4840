//! A forking proxy returns provisionals from two branches (two To-tags) and both answer: the
//! first 2xx wins and is ACKed; the late 2xx is ACKed and hung up with BYE (RFC 3261 §13.2.2.4).

mod common;

use std::time::Duration;

use common::*;
use sip::Event;
use sip_types::Message;

#[test]
fn first_2xx_wins_and_the_late_fork_is_acked_and_released() {
    let mut sim = Sim::new(20);
    let cfg = sim.config("alice");
    sim.add_ua(cfg);
    let proxy_addr = Sim::addr(1);
    let fork = |user: &'static str| format!("<sip:{user}@{proxy_addr}>");
    let (fork_a, fork_b) = (fork("desk"), fork("mobile"));
    let proxy = sim.add_peer(peer::Peer::scripted(move |from, msg| {
        let Message::Request(req) = msg else { return vec![] };
        if req.method.as_str() != "INVITE" {
            return vec![(from, peer::response(req, 200, None, &[], b""))];
        }
        let a = [("Contact", fork_a.as_str())];
        let b = [("Contact", fork_b.as_str())];
        vec![
            (from, peer::response(req, 180, Some("desk"), &a, b"")),
            (from, peer::response(req, 183, Some("mobile"), &b, ANSWER)),
            (from, peer::response(req, 200, Some("desk"), &a, ANSWER)),
            (from, peer::response(req, 200, Some("mobile"), &b, ANSWER)),
        ]
    }));
    let uri = format!("sip:bob@{}", Sim::addr(proxy));
    let call = sim.cmd(ALICE, |ua, now| ua.invite(now, &uri, OFFER.to_vec())).expect("invite");
    sim.run_for(Duration::from_secs(40));

    assert_eq!(sim.count(ALICE, |e| matches!(e, Event::Ringing { .. })), 2, "one per early dialog");
    assert_eq!(sim.count(ALICE, |e| matches!(e, Event::Answered { .. })), 1, "only the first 2xx");
    assert!(!has(&sim, ALICE, |e| matches!(e, Event::Ended { .. })), "the winning call stays up");
    let received = &sim.peer(proxy).received;
    let acks: Vec<String> = received
        .iter()
        .filter_map(|(_, m)| match m {
            Message::Request(r) if r.method.as_str() == "ACK" => Some(r.uri.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        acks,
        [format!("sip:desk@{}", Sim::addr(1)), format!("sip:mobile@{}", Sim::addr(1))]
    );
    let byes =
        sim.peer(proxy).requests("BYE").iter().map(|r| r.uri.to_string()).collect::<Vec<_>>();
    assert_eq!(byes, [format!("sip:mobile@{}", Sim::addr(1))], "only the losing fork is hung up");
    sim.cmd(ALICE, |ua, now| ua.hangup(now, call)).expect("the winner can be hung up");
}
