//! Edge cases baresip does not produce, scripted with sipp: a caller that cancels after 180, a
//! caller that holds and resumes by re-INVITE, a callee that answers and hangs up at once, and a
//! callee whose 200 must be retransmitted until our ACK arrives.

mod common;

use common::{TestPhone, account_for, direct_account};
use engine::SrtpPolicy;
use engine::api::{EndReason, PhoneEvent};
use interop::{Kamailio, Scenario, Sipp, Transport};

async fn registered_phone(kamailio: &Kamailio) -> TestPhone {
    let ours = kamailio.account("1001", Transport::Udp).expect("1001");
    // sipp offers plain RTP/AVP PCMU: a lab policy that allows it.
    let mut phone = TestPhone::start(account_for(&ours, SrtpPolicy::Optional)).await;
    phone.registered().await;
    phone
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_cancelling_after_ringing_ends_the_call_unanswered() {
    let kamailio = Kamailio::start().expect("kamailio");
    let mut phone = registered_phone(&kamailio).await;
    let caller = Sipp::uac(Scenario::UacCancelAfterRinging, kamailio.addr(Transport::Udp))
        .service("1001")
        .spawn()
        .expect("sipp");
    let (call, _) = phone.incoming().await;
    assert_eq!(phone.ended(&call).await, EndReason::Cancelled);
    let outcome = caller.wait().expect("sipp ends");
    assert!(outcome.all_succeeded(), "sipp got 200 for CANCEL and 487 for the INVITE: {outcome:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_holding_and_resuming_by_reinvite_is_answered_recvonly_then_sendrecv() {
    let kamailio = Kamailio::start().expect("kamailio");
    let mut phone = registered_phone(&kamailio).await;
    let caller = Sipp::uac(Scenario::UacHoldReinvite, kamailio.addr(Transport::Udp))
        .service("1001")
        .spawn()
        .expect("sipp");
    let (call, _) = phone.incoming().await;
    phone.phone.answer(call.clone()).await.expect("answer");
    phone.answered(&call).await;
    phone
        .wait_for("remote hold", |e| {
            matches!(e, PhoneEvent::Held { by_remote: true, .. }).then_some(())
        })
        .await;
    phone
        .wait_for("remote resume", |e| matches!(e, PhoneEvent::Resumed { .. }).then_some(()))
        .await;
    assert_eq!(phone.ended(&call).await, EndReason::RemoteHangup);
    let outcome = caller.wait().expect("sipp ends");
    assert!(outcome.all_succeeded(), "sipp saw a=recvonly then a=sendrecv: {outcome:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callee_that_answers_and_hangs_up_at_once_ends_the_call() {
    let callee = Sipp::uas(Scenario::UasAnswerThenBye).spawn().expect("sipp");
    let mut phone = TestPhone::start(direct_account("alice", &[], SrtpPolicy::Optional)).await;
    let call = phone.phone.dial(callee.uri("bob")).await.expect("dial");
    phone.answered(&call).await;
    assert_eq!(phone.ended(&call).await, EndReason::RemoteHangup);
    assert!(callee.wait().expect("sipp ends").all_succeeded());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callee_retransmitting_its_200_gets_our_ack_and_our_bye() {
    let callee = Sipp::uas(Scenario::UasRingingLateAck).spawn().expect("sipp");
    let mut phone = TestPhone::start(direct_account("alice", &[], SrtpPolicy::Optional)).await;
    let call = phone.phone.dial(callee.uri("bob")).await.expect("dial");
    phone.answered(&call).await;
    phone.phone.hangup(call.clone()).await.expect("hang up");
    assert_eq!(phone.ended(&call).await, EndReason::LocalHangup);
    assert!(callee.wait().expect("sipp ends").all_succeeded(), "sipp saw ACK and BYE");
}
