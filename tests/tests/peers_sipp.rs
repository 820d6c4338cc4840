//! sipp self-tests: every project scenario runs against a real baresip and ends as designed.

use std::time::Duration;

use interop::baresip::{AnswerMode, Codec, EventKind};
use interop::sipp::SippOutcome;
use interop::tone::analyse_wav;
use interop::{Baresip, Scenario, Sipp, Transport};

const SETUP: Duration = Duration::from_secs(10);
const PAUSE: Duration = Duration::from_millis(300);

fn assert_success(outcome: &SippOutcome) {
    assert!(outcome.all_succeeded(), "sipp did not succeed: {outcome:?}");
}

fn phone(mode: AnswerMode) -> Baresip {
    Baresip::direct("bob").answer_mode(mode).record(false).start().unwrap()
}

#[test]
fn basic_call_to_auto_answering_baresip_succeeds() {
    let mut bob = phone(AnswerMode::Auto);
    let outcome =
        Sipp::uac(Scenario::UacBasic, bob.sip_addr()).service("bob").pause(PAUSE).run().unwrap();
    assert_success(&outcome);
    bob.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    bob.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
}

#[test]
fn basic_call_over_tcp_succeeds() {
    let mut bob = phone(AnswerMode::Auto);
    let outcome = Sipp::uac(Scenario::UacBasic, bob.sip_addr())
        .service("bob")
        .transport(Transport::Tcp)
        .pause(PAUSE)
        .run()
        .unwrap();
    assert_success(&outcome);
    assert!(outcome.messages.contains("Via: SIP/2.0/TCP"), "the call did not use TCP");
    bob.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
}

#[test]
fn cancel_after_ringing_ends_the_call_unanswered() {
    let mut bob = phone(AnswerMode::Manual);
    let run = Sipp::uac(Scenario::UacCancelAfterRinging, bob.sip_addr())
        .service("bob")
        .pause(PAUSE)
        .spawn()
        .unwrap();
    bob.wait_for_event(EventKind::CallIncoming, SETUP).unwrap();
    bob.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
    assert_success(&run.wait().unwrap());
    assert!(bob.events().iter().all(|e| e.kind != EventKind::CallEstablished));
}

#[test]
fn hold_and_resume_reinvites_get_matching_answers() {
    let mut bob = phone(AnswerMode::Auto);
    let outcome = Sipp::uac(Scenario::UacHoldReinvite, bob.sip_addr())
        .service("bob")
        .pause(PAUSE)
        .run()
        .unwrap();
    assert_success(&outcome);
    bob.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
}

#[test]
fn bounded_invite_flood_is_fully_answered_and_baresip_survives() {
    let bob = Baresip::direct("bob").record(false).max_calls(2).start().unwrap();
    let flood = Sipp::uac(Scenario::InviteFlood, bob.sip_addr())
        .service("bob")
        .rate(20)
        .calls(20)
        .trace_messages(false)
        .timeout(Duration::from_secs(15))
        .run()
        .unwrap();
    assert_eq!(flood.created, 20, "{flood:?}");
    assert_success(&flood);
    let after =
        Sipp::uac(Scenario::UacBasic, bob.sip_addr()).service("bob").pause(PAUSE).run().unwrap();
    assert_success(&after);
}

#[test]
fn uas_answer_takes_a_baresip_call() {
    let sipp = Sipp::uas(Scenario::UasAnswer).spawn().unwrap();
    let mut alice = Baresip::direct("alice").record(false).start().unwrap();
    alice.dial(&sipp.uri("sipp")).unwrap();
    alice.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    alice.hangup().unwrap();
    alice.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
    assert_success(&sipp.wait().unwrap());
}

#[test]
fn uas_busy_rejects_with_486() {
    let sipp = Sipp::uas(Scenario::UasBusy).spawn().unwrap();
    let mut alice = Baresip::direct("alice").record(false).start().unwrap();
    alice.dial(&sipp.uri("sipp")).unwrap();
    let closed = alice.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
    assert!(closed.param.contains("486"), "{closed:?}");
    assert_success(&sipp.wait().unwrap());
}

#[test]
fn uas_ringing_then_answer_waits_for_the_ack() {
    let sipp = Sipp::uas(Scenario::UasRingingLateAck).pause(PAUSE).spawn().unwrap();
    let mut alice = Baresip::direct("alice").record(false).start().unwrap();
    alice.dial(&sipp.uri("sipp")).unwrap();
    alice.wait_for_event(EventKind::CallRinging, SETUP).unwrap();
    alice.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    alice.hangup().unwrap();
    assert_success(&sipp.wait().unwrap());
}

#[test]
fn uas_answer_then_bye_hangs_up_on_the_caller() {
    let sipp = Sipp::uas(Scenario::UasAnswerThenBye).pause(PAUSE).spawn().unwrap();
    let mut alice = Baresip::direct("alice").record(false).start().unwrap();
    alice.dial(&sipp.uri("sipp")).unwrap();
    alice.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    alice.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
    assert_success(&sipp.wait().unwrap());
}

#[test]
fn rtp_echo_returns_the_callers_tone() {
    let sipp = Sipp::uas(Scenario::UasAnswer).rtp_echo(true).spawn().unwrap();
    let mut alice = Baresip::direct("alice").codec(Codec::Pcmu).start().unwrap();
    alice.dial(&sipp.uri("echo")).unwrap();
    alice.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    alice.wait_received_audio(Duration::from_secs(2), SETUP).unwrap();
    alice.hangup().unwrap();
    alice.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
    assert_success(&sipp.wait().unwrap());
    let heard = analyse_wav(&alice.received_audio().unwrap(), 440.0, PAUSE).unwrap();
    assert!(heard.frames >= 50 && heard.fraction() >= 0.95, "{heard:?}");
}

#[test]
fn unsupported_transports_are_refused_up_front() {
    let tls =
        Sipp::uac(Scenario::UacBasic, "127.0.0.1:9".parse().unwrap()).transport(Transport::Tls);
    assert!(matches!(tls.spawn(), Err(interop::PeerError::Unsupported { .. })));
    let account = interop::SipAccount {
        user: "1001".to_owned(),
        password: "pw1001".to_owned(),
        domain: "127.0.0.1".to_owned(),
        proxy: "127.0.0.1:9".parse().unwrap(),
        transport: Transport::Wss,
        ca_cert: None,
    };
    let ws = Baresip::registered(account).start();
    assert!(matches!(ws, Err(interop::PeerError::Unsupported { .. })));
}
