//! WebAuthn ceremonies between the local relying party and webauthn-authenticator-rs's software
//! authenticator: register, authenticate, and each way an assertion must be refused.

use vault::{PasskeyError, RelyingParty, SoftAuthenticator, UserHandle};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{Passkey, Url, Uuid};
use webauthn_rs_proto::UserVerificationPolicy;

fn user() -> UserHandle {
    UserHandle { id: Uuid::from_bytes([7; 16]), name: "alice@example.com".to_owned() }
}

fn enrol(rp: &RelyingParty, token: &mut SoftAuthenticator) -> Passkey {
    let (challenge, enrolment) = rp.start_enrolment(&user(), &[]).expect("start enrolment");
    let response = token.register(challenge).expect("authenticator registers");
    rp.finish_enrolment(enrolment, &response).expect("relying party accepts the enrolment")
}

#[test]
fn register_then_authenticate_with_user_verification() {
    let rp = RelyingParty::new();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let passkey = enrol(&rp, &mut token);

    let (challenge, assertion) = rp.start_assertion(std::slice::from_ref(&passkey)).unwrap();
    let response = token.authenticate(challenge).unwrap();
    let verified =
        rp.finish_assertion(assertion, &response, std::slice::from_ref(&passkey)).unwrap();
    assert!(verified.user_verified);
    assert_eq!(verified.passkey.cred_id(), passkey.cred_id());
    assert!(verified.counter > 0, "the soft token counts signatures");
}

#[test]
fn assertion_made_for_another_origin_is_rejected() {
    let rp = RelyingParty::new();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let passkey = enrol(&rp, &mut token);

    let (challenge, assertion) = rp.start_assertion(std::slice::from_ref(&passkey)).unwrap();
    let phishing = Url::parse("https://callwarden.local.evil.example").unwrap();
    let response = token.authenticate_at(phishing, challenge).unwrap();
    let err = rp.finish_assertion(assertion, &response, &[passkey]).unwrap_err();
    assert!(matches!(err, PasskeyError::WrongOrigin), "got {err:?}");
}

#[test]
fn replayed_assertion_is_rejected() {
    let rp = RelyingParty::new();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let passkey = enrol(&rp, &mut token);
    let passkeys = [passkey];

    let (challenge, assertion) = rp.start_assertion(&passkeys).unwrap();
    let captured = token.authenticate(challenge).unwrap();
    rp.finish_assertion(assertion, &captured, &passkeys).expect("first use is accepted");

    // An attacker who recorded the response replays it against the next ceremony.
    let (_fresh_challenge, next) = rp.start_assertion(&passkeys).unwrap();
    let err = rp.finish_assertion(next, &captured, &passkeys).unwrap_err();
    assert!(matches!(err, PasskeyError::ChallengeMismatch), "got {err:?}");
}

#[test]
fn counter_regression_from_a_cloned_authenticator_is_flagged() {
    let rp = RelyingParty::new();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let mut passkey = enrol(&rp, &mut token);
    let clone = token.snapshot().unwrap();

    // The genuine key signs twice; the relying party keeps the newest counter.
    for _ in 0..2 {
        let (challenge, assertion) = rp.start_assertion(std::slice::from_ref(&passkey)).unwrap();
        let response = token.authenticate(challenge).unwrap();
        passkey = rp.finish_assertion(assertion, &response, &[passkey.clone()]).unwrap().passkey;
    }

    // A clone taken before those signatures answers with a lower counter.
    token.restore(&clone).unwrap();
    let (challenge, assertion) = rp.start_assertion(std::slice::from_ref(&passkey)).unwrap();
    let response = token.authenticate(challenge).unwrap();
    let err = rp.finish_assertion(assertion, &response, &[passkey]).unwrap_err();
    assert!(matches!(err, PasskeyError::CounterRegression), "got {err:?}");
}

#[test]
fn assertion_without_user_verification_is_rejected() {
    let rp = RelyingParty::new();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let passkey = enrol(&rp, &mut token);

    // A hostile client downgrades the request to "discouraged": the authenticator then signs
    // without verifying the user, and the relying party must notice the missing UV flag.
    let (mut challenge, assertion) = rp.start_assertion(std::slice::from_ref(&passkey)).unwrap();
    challenge.public_key.user_verification = UserVerificationPolicy::Discouraged_DO_NOT_USE;
    let response = token.authenticate(challenge).unwrap();
    let err = rp.finish_assertion(assertion, &response, &[passkey]).unwrap_err();
    assert!(matches!(err, PasskeyError::UserNotVerified), "got {err:?}");
}

#[test]
fn enrolment_requires_an_authenticator_that_verifies_the_user() {
    let rp = RelyingParty::new();
    // SoftPasskey(false) is honest: it cannot verify the user, so it refuses a UV-required
    // registration, and no credential comes into existence.
    let mut no_uv = SoftPasskey::new(false);
    let (challenge, _enrolment) = rp.start_enrolment(&user(), &[]).unwrap();
    let origin = RelyingParty::origin();
    assert!(no_uv.do_registration(origin, challenge).is_err());
}
