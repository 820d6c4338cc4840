//! The built-in training line, end to end through the real engine: the simulated line places
//! each scripted call over loopback SIP (SRTP offers, PASSporTs signed at run time by the
//! training STI-CA's service provider), the phone screens it with the trust core against the
//! training context, and the verdict the user sees is checked here. Callback verification on the
//! fake helpdesk call dials the directory number, and the line answers it.

use std::time::Duration;

use engine::api::{
    Attestation, CallKey, EndReason, Party, RecommendedAction, RegistrationState, TrustLevel,
    TrustVerdict,
};
use engine::training::TRAINING_ACCOUNT;
use engine::{ErrorCode, Phone, PhoneEvent, PhoneEvents};

/// How long any one step may take on a loaded machine.
const STEP: Duration = Duration::from_secs(5);

struct Trainee {
    phone: Phone,
    events: PhoneEvents,
    /// Events not asked for yet, in order: a wait looks here before it reads new ones.
    unread: Vec<PhoneEvent>,
}

impl Trainee {
    /// A phone on the training line, once the line says it is ready.
    async fn start() -> Self {
        let (phone, events) = Phone::start_training().await.expect("the training line starts");
        let mut trainee = Self { phone, events, unread: Vec::new() };
        let (account, state) = trainee
            .wait_for("the line is ready", |e| match e {
                PhoneEvent::RegistrationChanged { account, state } => {
                    Some((account.clone(), state.clone()))
                }
                _ => None,
            })
            .await;
        assert_eq!(account, TRAINING_ACCOUNT);
        assert!(matches!(state, RegistrationState::Registered { .. }), "{state:?}");
        trainee
    }

    async fn wait_for<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&PhoneEvent) -> Option<T>,
    ) -> T {
        if let Some((at, found)) =
            self.unread.iter().enumerate().find_map(|(at, e)| pick(e).map(|found| (at, found)))
        {
            self.unread.remove(at);
            return found;
        }
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let event = tokio::time::timeout_at(deadline, self.events.next())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
                .unwrap_or_else(|| panic!("the engine stopped while waiting for {what}"));
            match pick(&event) {
                Some(found) => return found,
                None => self.unread.push(event),
            }
        }
    }

    /// Starts a scenario and returns the ringing call, who it shows, and its settled verdict
    /// (a `Verifying` first verdict is followed by the final one while the phone rings).
    async fn ring(&mut self, scenario: &str) -> (CallKey, Party, TrustVerdict) {
        self.phone.training_call(scenario).await.expect("the line places the call");
        let (call, caller, first) = self
            .wait_for("the phone to ring", |e| match e {
                PhoneEvent::IncomingCall { call, caller, verdict, training } => {
                    assert!(training, "a call from the training line is marked as training");
                    Some((call.clone(), caller.clone(), verdict.clone()))
                }
                _ => None,
            })
            .await;
        if first.level != TrustLevel::Verifying {
            return (call, caller, first);
        }
        let settled = self
            .wait_for("the settled verdict", |e| match e {
                PhoneEvent::TrustUpdated { call: c, verdict } if *c == call => {
                    (verdict.level != TrustLevel::Verifying).then(|| verdict.clone())
                }
                _ => None,
            })
            .await;
        (call, caller, settled)
    }

    async fn ended(&mut self, call: &CallKey) -> EndReason {
        self.wait_for("the call to end", |e| match e {
            PhoneEvent::Ended { call: c, reason } if c == call => Some(reason.clone()),
            _ => None,
        })
        .await
    }
}

fn codes(verdict: &TrustVerdict) -> Vec<&str> {
    verdict.reasons.iter().map(|r| r.code.as_str()).collect()
}

#[tokio::test]
async fn a_colleague_calling_from_the_directory_number_with_attestation_a_is_verified() {
    let mut t = Trainee::start().await;
    let (call, caller, verdict) = t.ring("verified-colleague").await;
    assert_eq!(caller.display_name.as_deref(), Some("Dana Reyes"));
    assert_eq!(caller.number.as_deref(), Some("+12155550142"));
    assert_eq!(verdict.level, TrustLevel::Verified, "{verdict:#?}");
    assert_eq!(verdict.attestation, Attestation::A, "{verdict:#?}");
    assert_eq!(verdict.action, RecommendedAction::Answer);
    assert!(codes(&verdict).contains(&"attest.a"), "{:?}", codes(&verdict));

    t.phone.answer(call.clone()).await.expect("answer");
    t.wait_for("answered", |e| {
        matches!(e, PhoneEvent::Answered { call: c } if *c == call).then_some(())
    })
    .await;
    let secured = t
        .wait_for("media secured", |e| match e {
            PhoneEvent::MediaSecured { call: c, security } if *c == call => Some(security.clone()),
            _ => None,
        })
        .await;
    assert!(matches!(secured, engine::api::MediaSecurity::Sdes { .. }), "{secured:?}");
    t.phone.hangup(call.clone()).await.expect("hang up");
    assert_eq!(t.ended(&call).await, EndReason::LocalHangup);
}

#[tokio::test]
async fn the_fake_helpdesk_prompts_a_callback_that_the_line_answers_on_the_directory_number() {
    let mut t = Trainee::start().await;
    let (call, caller, verdict) = t.ring("fake-helpdesk").await;
    assert_eq!(caller.display_name.as_deref(), Some("IT Helpdesk"));
    assert_eq!(verdict.attestation, Attestation::B, "{verdict:#?}");
    assert_eq!(verdict.level, TrustLevel::Danger, "a borrowed helpdesk name: {verdict:#?}");
    assert_eq!(verdict.action, RecommendedAction::VerifyByCallback);
    assert_eq!(codes(&verdict).first(), Some(&"detector.impersonation"), "{verdict:#?}");
    let callback = verdict.callback.clone().expect("a callback number");
    assert_eq!(
        (callback.label.as_str(), callback.number.as_str()),
        ("IT Helpdesk", "+12155550100")
    );

    let outgoing = t.phone.callback_verify(call.clone()).await.expect("callback placed");
    assert_eq!(t.ended(&call).await, EndReason::CallbackVerification);
    let callee = t
        .wait_for("the callback", |e| match e {
            PhoneEvent::OutgoingCall { call: c, callee } if *c == outgoing => Some(callee.clone()),
            _ => None,
        })
        .await;
    assert!(callee.uri.starts_with("sip:+12155550100@"), "dials the directory number: {callee:?}");
    t.wait_for("the line answers", |e| {
        matches!(e, PhoneEvent::Answered { call: c } if *c == outgoing).then_some(())
    })
    .await;
    t.phone.hangup(outgoing.clone()).await.expect("hang up");
    assert_eq!(t.ended(&outgoing).await, EndReason::LocalHangup);
}

#[tokio::test]
async fn a_number_that_looks_like_your_own_is_caution() {
    let mut t = Trainee::start().await;
    let (call, _, verdict) = t.ring("neighbour-spoof").await;
    assert_eq!(verdict.level, TrustLevel::Caution, "{verdict:#?}");
    assert_eq!(verdict.attestation, Attestation::None);
    assert_eq!(verdict.action, RecommendedAction::AnswerWithCaution);
    assert_eq!(codes(&verdict).first(), Some(&"detector.neighbour_spoof"), "{verdict:#?}");
    t.phone.decline(call.clone()).await.expect("decline");
    assert_eq!(t.ended(&call).await, EndReason::Declined);
}

#[tokio::test]
async fn a_one_ring_from_a_caribbean_look_alike_is_danger_and_hangs_up_by_itself() {
    let mut t = Trainee::start().await;
    let (call, caller, verdict) = t.ring("one-ring").await;
    assert_eq!(caller.number.as_deref(), Some("+18765550198"));
    assert_eq!(verdict.level, TrustLevel::Danger, "{verdict:#?}");
    assert_eq!(verdict.action, RecommendedAction::Decline);
    assert_eq!(codes(&verdict).first(), Some(&"detector.one_ring"), "{verdict:#?}");
    assert_eq!(t.ended(&call).await, EndReason::Cancelled, "it rings once and stops");
    let refused = t.phone.dial("+18765550198".into()).await.expect_err("calling back is guarded");
    assert_eq!(refused.code, ErrorCode::DestinationWarning, "{refused:?}");
}

#[tokio::test]
async fn a_blocked_number_is_refused_without_ringing() {
    let mut t = Trainee::start().await;
    t.phone.training_call("blocked-number").await.expect("placed");
    let (caller, verdict) = t
        .wait_for("the call to be blocked", |e| match e {
            PhoneEvent::IncomingCall { .. } => panic!("a blocked number must not ring"),
            PhoneEvent::CallBlocked { caller, verdict } => Some((caller.clone(), verdict.clone())),
            _ => None,
        })
        .await;
    assert_eq!(caller.number.as_deref(), Some("+13055550147"));
    assert_eq!(verdict.level, TrustLevel::Blocked);
    assert_eq!(verdict.action, RecommendedAction::Block);
    assert!(codes(&verdict).contains(&"reputation.user_blocked"), "{verdict:#?}");
}

#[tokio::test]
async fn an_unsigned_call_from_an_unknown_number_is_neutral_not_red() {
    let mut t = Trainee::start().await;
    let (call, _, verdict) = t.ring("unknown-unsigned").await;
    assert_eq!(verdict.level, TrustLevel::Neutral, "{verdict:#?}");
    assert_eq!(verdict.attestation, Attestation::None);
    assert_eq!(verdict.action, RecommendedAction::Answer);
    assert!(verdict.callback.is_none());
    t.phone.decline(call.clone()).await.expect("decline");
    assert_eq!(t.ended(&call).await, EndReason::Declined);
}

#[tokio::test]
async fn the_banks_number_without_proof_is_caution_with_a_callback_to_the_bank() {
    let mut t = Trainee::start().await;
    let (call, _, verdict) = t.ring("bank-unproven").await;
    assert_eq!(verdict.level, TrustLevel::Caution, "{verdict:#?}");
    assert_eq!(verdict.action, RecommendedAction::VerifyByCallback);
    assert_eq!(codes(&verdict).first(), Some(&"detector.identity_unproven"), "{verdict:#?}");
    let callback = verdict.callback.expect("a callback number");
    assert_eq!(callback.number, "+18005550199");
    t.phone.decline(call.clone()).await.expect("decline");
    assert_eq!(t.ended(&call).await, EndReason::Declined);
}

#[tokio::test]
async fn every_scenario_has_a_lesson_and_unknown_ones_are_refused() {
    let t = Trainee::start().await;
    let scenarios = t.phone.training_scenarios().expect("the training line lists its calls");
    assert_eq!(scenarios.len(), 7);
    assert!(scenarios.iter().all(|s| !s.title.is_empty() && !s.lesson.is_empty()));
    let error = t.phone.training_call("no-such-call").await.expect_err("unknown id");
    assert_eq!(error.code, ErrorCode::InvalidTarget);
}
