//! `Authenticator::from_spec` picks the client the ceremonies run through: a security key
//! (`usb`, `any`) or, in test builds, the software token (`soft:PATH`). The software token and a
//! security key answer the same `register` / `authenticate` calls.
//!
//! The security key tests need a machine with no FIDO2 key attached (CI and this dev machine
//! have none): they check that asking for a key fails at once with the error that names the
//! missing key, instead of waiting for a touch that cannot come.

use std::sync::Arc;
use std::time::Instant;

use vault::{
    Authenticator, DEFAULT_TOUCH_TIMEOUT, KeyTransport, NoPrompt, PasskeyError, RelyingParty,
    UserHandle, VaultError,
};
use webauthn_rs::prelude::Uuid;

/// Asks for a key on `spec` and returns the error and how long it took.
fn missing_key(spec: &str) -> (VaultError, std::time::Duration) {
    let started = Instant::now();
    let result = Authenticator::from_spec(spec, Arc::new(NoPrompt));
    let elapsed = started.elapsed();
    match result {
        Ok(_) => panic!("a FIDO2 key is attached: these tests need a machine without one"),
        Err(err) => (err, elapsed),
    }
}

#[test]
fn usb_without_a_key_fails_at_once_naming_the_missing_key() {
    let (err, elapsed) = missing_key("usb");
    assert!(
        matches!(
            err,
            VaultError::Passkey(PasskeyError::NoSecurityKey { transport: KeyTransport::Usb })
        ),
        "expected NoSecurityKey over USB, got {err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("no FIDO2 security key found over USB"), "{message}");
    assert!(message.contains("/dev/hidraw"), "the message says what to check: {message}");
    // Well inside the touch timeout: the vault looked, found nothing and said so.
    assert!(elapsed < DEFAULT_TOUCH_TIMEOUT / 6, "took {elapsed:?}");
}

#[test]
fn any_transport_without_a_key_fails_at_once() {
    let (err, elapsed) = missing_key("any");
    assert!(
        matches!(
            err,
            VaultError::Passkey(PasskeyError::NoSecurityKey { transport: KeyTransport::Any })
        ),
        "expected NoSecurityKey on any transport, got {err:?}"
    );
    assert!(elapsed < DEFAULT_TOUCH_TIMEOUT / 6, "took {elapsed:?}");
}

#[test]
fn transports_not_in_this_build_are_named_unavailable() {
    let mut specs = vec!["bluetooth", "hybrid", "soft", "usb:extra"];
    if cfg!(not(feature = "nfc")) {
        specs.push("nfc");
    }
    for spec in specs {
        let (err, _) = missing_key(spec);
        assert!(
            matches!(&err, VaultError::AuthenticatorUnavailable(s) if s == spec),
            "{spec}: expected AuthenticatorUnavailable, got {err:?}"
        );
    }
}

#[test]
fn software_token_runs_the_ceremonies_through_the_same_api() {
    let dir = tempfile::tempdir().unwrap();
    let spec = format!("soft:{}", dir.path().join("token.cbor").display());
    let Ok(mut authenticator) = Authenticator::from_spec(&spec, Arc::new(NoPrompt)) else {
        panic!("the test build has the software token");
    };
    let rp = RelyingParty::new();
    let user = UserHandle { id: Uuid::from_bytes([9; 16]), name: "bob@example.com".to_owned() };

    let (challenge, enrolment) = rp.start_enrolment(&user, &[]).unwrap();
    let response = authenticator.register(challenge).expect("makeCredential");
    let passkey = rp.finish_enrolment(enrolment, &response).expect("enrolment accepted");

    let (challenge, assertion) = rp.start_assertion(std::slice::from_ref(&passkey)).unwrap();
    let response = authenticator.authenticate(challenge).expect("getAssertion");
    let verified =
        rp.finish_assertion(assertion, &response, std::slice::from_ref(&passkey)).unwrap();
    assert!(verified.user_verified);
    assert_eq!(verified.passkey.cred_id(), passkey.cred_id());
}
