//! Calls through a real Kamailio proxy with digest auth, between Callwarden and a registered
//! baresip: both directions, hold/resume by re-INVITE from either side, remote BYE, and 486 busy.

mod common;

use std::time::Duration;

use common::{TestPhone, account_for};
use engine::SrtpPolicy;
use engine::api::{EndReason, PhoneEvent};
use interop::baresip::{EventKind, MediaEnc};
use interop::{Baresip, Kamailio, Transport};

const T: Duration = Duration::from_secs(15);

async fn setup(transport: Transport) -> (Kamailio, TestPhone, Baresip) {
    let mut kamailio = Kamailio::start().expect("kamailio");
    let ours = kamailio.account("1001", transport).expect("1001");
    let theirs = kamailio.account("1002", transport).expect("1002");
    let mut bob =
        Baresip::registered(theirs).media_enc(MediaEnc::SrtpMand).start().expect("baresip");
    bob.wait_registered(T).expect("baresip registered");
    kamailio.wait_registered("1002", T).expect("1002 bound");
    let mut phone = TestPhone::start(account_for(&ours, SrtpPolicy::Required)).await;
    phone.registered().await;
    (kamailio, phone, bob)
}

async fn we_call_hold_resume_hang_up(transport: Transport) {
    let (_kamailio, mut phone, mut bob) = setup(transport).await;
    let call = phone.phone.dial("1002".into()).await.expect("dial by number");
    phone.answered(&call).await;
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");

    phone.phone.hold(call.clone()).await.expect("hold");
    phone
        .wait_for("held", |e| matches!(e, PhoneEvent::Held { by_remote: false, .. }).then_some(()))
        .await;
    phone.phone.resume(call.clone()).await.expect("resume");
    phone.wait_for("resumed", |e| matches!(e, PhoneEvent::Resumed { .. }).then_some(())).await;

    phone.phone.hangup(call.clone()).await.expect("hang up");
    assert_eq!(phone.ended(&call).await, EndReason::LocalHangup);
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip saw BYE through the proxy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_call_through_kamailio_over_udp() {
    we_call_hold_resume_hang_up(Transport::Udp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_call_through_kamailio_over_tcp() {
    we_call_hold_resume_hang_up(Transport::Tcp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_call_through_kamailio_over_tls() {
    we_call_hold_resume_hang_up(Transport::Tls).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_calls_us_through_kamailio_holds_resumes_and_hangs_up() {
    let (_kamailio, mut phone, mut bob) = setup(Transport::Tls).await;
    bob.dial("sip:1001@127.0.0.1").expect("baresip dials 1001");
    let (call, caller) = phone.incoming().await;
    assert_eq!(caller.number.as_deref(), Some("1002"), "caller as presented: {caller:?}");
    phone.phone.answer(call.clone()).await.expect("answer");
    phone.answered(&call).await;
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");

    bob.hold().expect("baresip holds");
    phone
        .wait_for("remote hold", |e| {
            matches!(e, PhoneEvent::Held { by_remote: true, .. }).then_some(())
        })
        .await;
    bob.resume().expect("baresip resumes");
    phone
        .wait_for("remote resume", |e| matches!(e, PhoneEvent::Resumed { .. }).then_some(()))
        .await;

    bob.hangup().expect("baresip hangs up");
    assert_eq!(phone.ended(&call).await, EndReason::RemoteHangup);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_callee_is_reported_busy() {
    let busy = interop::Sipp::uas(interop::Scenario::UasBusy).spawn().expect("sipp");
    let mut phone = TestPhone::start(common::direct_account("alice", &[], SrtpPolicy::Off)).await;
    let call = phone.phone.dial(busy.uri("callee")).await.expect("dial");
    assert_eq!(phone.ended(&call).await, EndReason::Busy);
    assert!(busy.wait().expect("sipp ends").all_succeeded(), "sipp saw its 486 acknowledged");
}
