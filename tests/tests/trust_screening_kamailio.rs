//! Caller trust end to end: Kamailio's `secsipid` module signs each authenticated INVITE
//! (STIR/SHAKEN, ES256, x5u over HTTP on loopback); Callwarden's engine fetches the certificate,
//! verifies the PASSporT against the test STI-CA and shows the verdict before the phone rings.
//! Then the vishing case: a caller presenting the helpdesk's name from an unknown number gets a
//! callback prompt, and one command ends the call and dials the helpdesk's directory number.

mod common;

use common::TestPhone;
use common::trust_lab::{
    GATEWAY, HELPDESK, STRANGER, US, kamailio, phone, trust_context, write_context,
};
use engine::api::{
    Attestation, CallKey, EndReason, PhoneEvent, RecommendedAction, TrustLevel, TrustVerdict,
};

/// Waits for an incoming call and its final verdict (the first one may say "verifying" while
/// the x5u certificate is fetched).
async fn incoming_with_final_verdict(phone: &mut TestPhone) -> (CallKey, TrustVerdict) {
    let (call, first) = phone
        .wait_for("an incoming call", |e| match e {
            PhoneEvent::IncomingCall { call, verdict, .. } => Some((call.clone(), verdict.clone())),
            _ => None,
        })
        .await;
    if first.level != TrustLevel::Verifying {
        return (call, first);
    }
    let verdict = phone
        .wait_for("the final verdict", |e| match e {
            PhoneEvent::TrustUpdated { call: c, verdict } if *c == call => {
                (verdict.level != TrustLevel::Verifying).then(|| verdict.clone())
            }
            _ => None,
        })
        .await;
    (call, verdict)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_signed_by_kamailio_from_a_directory_number_shows_verified_with_attestation_a() {
    let kam = kamailio();
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = trust_context(dir.path(), &kam.stir().root_ca);
    let mut us = phone(&kam, US, None, Some(&ctx)).await;
    let mut helpdesk = phone(&kam, HELPDESK, Some("IT Helpdesk"), None).await;

    let outgoing = helpdesk.phone.dial(US.into()).await.expect("helpdesk dials us");
    let (call, verdict) = incoming_with_final_verdict(&mut us).await;

    assert_eq!(verdict.attestation, Attestation::A, "{verdict:#?}");
    assert_eq!(verdict.level, TrustLevel::Verified, "{verdict:#?}");
    assert_eq!(verdict.action, RecommendedAction::Answer, "{verdict:#?}");
    assert!(kam.x5u_requests() >= 1, "the engine fetched the certificate from x5u");

    us.phone.decline(call.clone()).await.expect("decline");
    assert_eq!(us.ended(&call).await, EndReason::Declined);
    helpdesk.ended(&outgoing).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_helpdesk_name_from_an_unknown_number_prompts_a_callback_to_the_directory_number() {
    let kam = kamailio();
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = trust_context(dir.path(), &kam.stir().root_ca);
    let mut us = phone(&kam, US, None, Some(&ctx)).await;
    let mut helpdesk = phone(&kam, HELPDESK, None, None).await;
    let mut impostor = phone(&kam, STRANGER, Some("IT Helpdesk"), None).await;

    let scam = impostor.phone.dial(US.into()).await.expect("impostor dials us");
    let (call, verdict) = incoming_with_final_verdict(&mut us).await;

    assert!(
        matches!(verdict.level, TrustLevel::Caution | TrustLevel::Danger),
        "a borrowed helpdesk name is a risk: {verdict:#?}"
    );
    assert_eq!(verdict.attestation, Attestation::B, "Kamailio signed 1415.. with B: {verdict:#?}");
    assert_eq!(verdict.action, RecommendedAction::VerifyByCallback, "{verdict:#?}");
    let callback = verdict.callback.clone().expect("a callback number");
    assert_eq!(callback.number, HELPDESK, "the number comes from the directory");
    assert_eq!(callback.label, "IT Helpdesk");
    assert!(
        verdict.reasons.iter().any(|r| r.code.contains("impersonat") || r.code.contains("name")),
        "a reason names the impersonation: {verdict:#?}"
    );

    let callback_call = us.phone.callback_verify(call.clone()).await.expect("callback");
    assert_eq!(us.ended(&call).await, EndReason::CallbackVerification);
    impostor.ended(&scam).await;
    let (at_helpdesk, caller) = helpdesk.incoming().await;
    assert_eq!(caller.number.as_deref(), Some(US), "the helpdesk sees our number");
    helpdesk.phone.answer(at_helpdesk.clone()).await.expect("helpdesk answers");
    us.answered(&callback_call).await;
    us.phone.hangup(callback_call.clone()).await.expect("hang up");
    assert_eq!(us.ended(&callback_call).await, EndReason::LocalHangup);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_attested_call_from_an_unknown_number_shows_c_and_stays_neutral() {
    let kam = kamailio();
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = trust_context(dir.path(), &kam.stir().root_ca);
    let mut us = phone(&kam, US, None, Some(&ctx)).await;
    let mut gateway = phone(&kam, GATEWAY, None, None).await;

    let outgoing = gateway.phone.dial(US.into()).await.expect("dial");
    let (call, verdict) = incoming_with_final_verdict(&mut us).await;

    assert_eq!(verdict.attestation, Attestation::C, "{verdict:#?}");
    assert_eq!(verdict.level, TrustLevel::Neutral, "C alone is no risk signal: {verdict:#?}");
    us.phone.decline(call).await.expect("decline");
    gateway.ended(&outgoing).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_fetch_that_never_answers_rings_as_verifying_then_settles_at_the_deadline() {
    let kam = kamailio();
    let dir = tempfile::tempdir().expect("tempdir");
    // The x5u URL Kamailio signs with is answered by nobody: the fetch hangs until its deadline.
    let x5u = serde_json::json!({ kam.x5u_url(): { "timeout": true } });
    let ctx = write_context(dir.path(), &kam.stir().root_ca, x5u, 700);
    let mut us = phone(&kam, US, None, Some(&ctx)).await;
    let mut helpdesk = phone(&kam, HELPDESK, None, None).await;

    let outgoing = helpdesk.phone.dial(US.into()).await.expect("dial");
    let (call, first) = us
        .wait_for("an incoming call", |e| match e {
            PhoneEvent::IncomingCall { call, verdict, .. } => Some((call.clone(), verdict.clone())),
            _ => None,
        })
        .await;
    assert_eq!(first.level, TrustLevel::Verifying, "the phone rings while verifying");
    let settled = us
        .wait_for("the verdict after the deadline", |e| match e {
            PhoneEvent::TrustUpdated { call: c, verdict } if *c == call => Some(verdict.clone()),
            _ => None,
        })
        .await;
    assert_ne!(settled.level, TrustLevel::Verifying);
    assert_ne!(settled.level, TrustLevel::Verified, "an unverifiable call is never verified");
    assert!(
        settled.reasons.iter().any(|r| r.code == "cert.fetch_timeout"),
        "the reason names the timeout: {settled:#?}"
    );
    us.phone.decline(call).await.expect("decline");
    helpdesk.ended(&outgoing).await;
}
