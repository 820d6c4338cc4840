//! Hold and resume by re-INVITE (and by UPDATE): the peer gets the offer, the app answers it,
//! the offerer gets the answer; CSeq grows in the dialog.

mod common;

use std::time::Duration;

use common::*;
use sip::{Event, OfferKind};

const HOLD: &[u8] = b"v=0\r\no=a 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n";
const HELD: &[u8] = b"v=0\r\no=b 1 2 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\na=recvonly\r\n";

fn offer_round(
    sim: &mut Sim,
    a: sip::CallHandle,
    b: sip::CallHandle,
    kind: OfferKind,
    offer: &[u8],
    answer: &[u8],
) {
    let offers_before = sim.count(BOB, |e| matches!(e, Event::OfferReceived { .. }));
    let answers_before = sim.count(ALICE, |e| matches!(e, Event::AnswerReceived { .. }));
    sim.cmd(ALICE, |ua, now| match kind {
        OfferKind::Reinvite => ua.reinvite(now, a, offer.to_vec()),
        _ => ua.update(now, a, offer.to_vec()),
    })
    .expect("offer");
    sim.run_until("bob gets the offer", Duration::from_secs(5), |s| {
        s.count(BOB, |e| matches!(e, Event::OfferReceived { .. })) > offers_before
    });
    let expected = Event::OfferReceived { call: b, kind, sdp: offer.to_vec() };
    assert_eq!(sim.events(BOB).last(), Some(&expected));
    sim.cmd(BOB, |ua, now| ua.answer_offer(now, b, answer.to_vec())).expect("answer offer");
    sim.run_until("alice gets the answer", Duration::from_secs(5), |s| {
        s.count(ALICE, |e| matches!(e, Event::AnswerReceived { .. })) > answers_before
    });
    assert_eq!(
        sim.events(ALICE).last(),
        Some(&Event::AnswerReceived { call: a, sdp: answer.to_vec() })
    );
}

#[test]
fn hold_then_resume_by_reinvite() {
    let mut sim = pair(21);
    let (a, b) = established(&mut sim);
    offer_round(&mut sim, a, b, OfferKind::Reinvite, HOLD, HELD);
    offer_round(&mut sim, a, b, OfferKind::Reinvite, OFFER, ANSWER);
    sim.run_for(Duration::from_secs(40));

    assert_eq!(sim.sent_cseq(ALICE, "INVITE ", "2 INVITE"), 1, "hold is CSeq 2");
    assert_eq!(sim.sent_cseq(ALICE, "INVITE ", "3 INVITE"), 1, "resume is CSeq 3");
    assert_eq!(sim.sent(ALICE, "ACK "), 3, "every 2xx to an INVITE is ACKed");
    assert!(!has(&sim, ALICE, |e| matches!(e, Event::Ended { .. })));
    assert!(!has(&sim, BOB, |e| matches!(e, Event::Ended { .. })));
    assert_eq!(sim.ua(ALICE).transaction_count() + sim.ua(BOB).transaction_count(), 0);
}

#[test]
fn hold_then_resume_by_update() {
    let mut sim = pair(22);
    let (a, b) = established(&mut sim);
    offer_round(&mut sim, a, b, OfferKind::Update, HOLD, HELD);
    offer_round(&mut sim, a, b, OfferKind::Update, OFFER, ANSWER);
    assert_eq!(sim.sent(ALICE, "UPDATE "), 2);
    assert_eq!(sim.sent_cseq(BOB, "SIP/2.0 200", "UPDATE"), 2);
}

#[test]
fn callee_can_hold_too() {
    let mut sim = pair(23);
    let (a, b) = established(&mut sim);
    sim.cmd(BOB, |ua, now| ua.reinvite(now, b, HELD.to_vec())).expect("bob holds");
    sim.run_until("alice gets the offer", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| matches!(e, Event::OfferReceived { .. }))
    });
    sim.cmd(ALICE, |ua, now| ua.answer_offer(now, a, HOLD.to_vec())).expect("answer");
    sim.run_until("bob gets the answer", Duration::from_secs(5), |s| {
        has(s, BOB, |e| matches!(e, Event::AnswerReceived { .. }))
    });
    // Bob's first request in the dialog he did not start.
    let invite = sim
        .wire
        .iter()
        .find(|w| w.from == BOB && w.text.starts_with("INVITE "))
        .expect("re-INVITE");
    assert!(
        invite.text.starts_with("INVITE sip:alice@192.0.2.1:5060 SIP/2.0"),
        "sent to alice's Contact"
    );
}
