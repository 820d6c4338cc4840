//! Calls between Callwarden and a real baresip, directly (no proxy): both directions,
//! INVITE/180/200/ACK/BYE, local and remote hang-up, CANCEL before answer.

mod common;

use std::time::Duration;

use common::{TestPhone, direct_account};
use engine::SrtpPolicy;
use engine::api::{EndReason, PhoneEvent};
use interop::Baresip;
use interop::baresip::{AnswerMode, EventKind, MediaEnc};
use interop::net::{free_udp_port, loopback};

const T: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_call_baresip_it_answers_and_we_hang_up() {
    let mut bob = Baresip::direct("bob").media_enc(MediaEnc::SrtpMand).start().expect("baresip");
    let mut phone = TestPhone::start(direct_account("alice", &[], SrtpPolicy::Required)).await;

    let call = phone.phone.dial(bob.uri()).await.expect("dial");
    phone.answered(&call).await;
    let security = phone
        .wait_for("media security", |e| match e {
            PhoneEvent::MediaSecured { call: c, security } if *c == call => Some(security.clone()),
            _ => None,
        })
        .await;
    assert!(
        matches!(security, engine::api::MediaSecurity::Sdes { .. }),
        "SRTP (SDES) agreed with baresip's srtp-mand: {security:?}"
    );
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");

    phone.phone.hangup(call.clone()).await.expect("hang up");
    assert_eq!(phone.ended(&call).await, EndReason::LocalHangup);
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip saw our BYE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_calls_us_we_answer_and_it_hangs_up() {
    let port = free_udp_port().expect("port");
    let mut bob = Baresip::direct("bob").media_enc(MediaEnc::SrtpMand).start().expect("baresip");
    let mut account = direct_account("alice", &[bob.sip_addr()], SrtpPolicy::Required);
    account.file.local_addr = Some(loopback(port));
    let mut phone = TestPhone::start(account).await;

    bob.dial(&format!("sip:alice@{}", loopback(port))).expect("baresip dials");
    let (call, caller) = phone.incoming().await;
    assert!(caller.uri.contains("bob@"), "caller as presented: {caller:?}");
    bob.wait_for_event(EventKind::CallRinging, T).expect("baresip hears ringing (180)");

    phone.phone.answer(call.clone()).await.expect("answer");
    phone.answered(&call).await;
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");

    bob.hangup().expect("baresip hangs up");
    assert_eq!(phone.ended(&call).await, EndReason::RemoteHangup);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_cancel_before_baresip_answers() {
    let mut bob = Baresip::direct("bob")
        .media_enc(MediaEnc::SrtpMand)
        .answer_mode(AnswerMode::Manual)
        .start()
        .expect("baresip");
    let mut phone = TestPhone::start(direct_account("alice", &[], SrtpPolicy::Required)).await;

    let call = phone.phone.dial(bob.uri()).await.expect("dial");
    phone
        .wait_for("ringing", |e| {
            matches!(e, PhoneEvent::RemoteRinging { call: c } if *c == call).then_some(())
        })
        .await;
    bob.wait_for_event(EventKind::CallIncoming, T).expect("baresip rings");

    phone.phone.hangup(call.clone()).await.expect("cancel");
    assert_eq!(phone.ended(&call).await, EndReason::LocalHangup);
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip saw the CANCEL");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_calling_our_port_never_rings() {
    let port = free_udp_port().expect("port");
    let mut stranger = Baresip::direct("mallory").start().expect("baresip");
    let mut account = direct_account("alice", &[], SrtpPolicy::Off);
    account.file.local_addr = Some(loopback(port));
    let (phone, mut events) = engine::Phone::start(account).await.expect("phone");

    stranger.dial(&format!("sip:alice@{}", loopback(port))).expect("dial");
    // The stranger gets no answer at all: its INVITE transaction times out (timer B, 32 s) or it
    // gives up. Within the time a phone would have rung, nothing may surface.
    let surfaced = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
    assert!(surfaced.is_err(), "an untrusted INVITE surfaced: {surfaced:?}");
    assert!(
        !stranger
            .events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::CallRinging | EventKind::CallEstablished)),
        "the stranger must not even learn that a phone exists"
    );
    phone.shutdown();
}
