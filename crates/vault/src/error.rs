//! What can go wrong in the vault, named by diagnosis.

use std::time::Duration;

use store::StoreError;

use crate::KeyTransport;

/// A WebAuthn ceremony failed. Each variant is a reason the relying party refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PasskeyError {
    /// The client data names another origin than `https://callwarden.local` (a phishing page or
    /// a hostile client relaying the ceremony).
    #[error("passkey response is for another origin")]
    WrongOrigin,
    /// The response answers another challenge: a replayed or stale assertion.
    #[error("passkey response answers another challenge (replayed or stale)")]
    ChallengeMismatch,
    /// The authenticator did not verify the user (PIN or biometric), which the vault requires.
    #[error("the authenticator did not verify the user (PIN or biometric required)")]
    UserNotVerified,
    /// The signature counter did not increase: the authenticator may have been cloned.
    #[error("signature counter went backwards: possible cloned authenticator")]
    CounterRegression,
    /// The credential is not one of the enrolled passkeys.
    #[error("unknown passkey")]
    UnknownCredential,
    /// Policy allows only device-bound passkeys and this one can be synced.
    #[error("policy forbids synced (backup-eligible) passkeys")]
    SyncedPasskeyForbidden,
    /// No FIDO2 security key is connected on the transport asked for.
    #[error("no FIDO2 security key found {transport}")]
    NoSecurityKey {
        /// Where the key was looked for.
        transport: KeyTransport,
    },
    /// The transport itself is missing: udev unreadable, the PC/SC service not running, …
    #[error("security key transport unavailable: {0}")]
    TransportUnavailable(String),
    /// The key asked for a touch and nobody touched it in time.
    #[error("the security key was not touched within {} s", waited.as_secs())]
    TouchTimeout {
        /// How long the key waited (PIN entry not counted).
        waited: Duration,
    },
    /// The key never answered (and never asked for a touch).
    #[error("the security key did not answer within {} s", waited.as_secs())]
    KeyNotResponding {
        /// How long the vault waited.
        waited: Duration,
    },
    /// The key has no PIN (nor built-in verification), and the vault requires user verification.
    #[error("the security key has no PIN: set one with the key vendor's tool, then try again")]
    PinNotSet,
    /// The key refused the PIN.
    #[error("wrong security key PIN")]
    WrongPin,
    /// Too many wrong PINs: the key is locked until it is reset (which erases its passkeys).
    #[error("the security key's PIN is blocked: reset the key and re-enrol (admin recovery)")]
    PinBlocked,
    /// The user cancelled (no PIN given) or declined on the key.
    #[error("the passkey ceremony was cancelled")]
    Cancelled,
    /// Enrolment: this key already holds a Callwarden passkey for this vault.
    #[error("this security key is already enrolled")]
    AlreadyEnrolled,
    /// The device does not speak CTAP2 (an old U2F-only key).
    #[error("the security key does not support FIDO2 (CTAP2)")]
    UnsupportedKey,
    /// The authenticator (client side) failed or refused.
    #[error("authenticator failed: {0}")]
    Authenticator(String),
    /// Any other verification failure (bad signature, malformed response, …).
    #[error("passkey verification failed: {0}")]
    Rejected(webauthn_rs::prelude::WebauthnError),
}

impl From<webauthn_rs::prelude::WebauthnError> for PasskeyError {
    fn from(err: webauthn_rs::prelude::WebauthnError) -> Self {
        use webauthn_rs::prelude::WebauthnError as W;
        match err {
            W::InvalidRPOrigin => PasskeyError::WrongOrigin,
            W::MismatchedChallenge => PasskeyError::ChallengeMismatch,
            W::UserNotVerified => PasskeyError::UserNotVerified,
            W::CredentialPossibleCompromise => PasskeyError::CounterRegression,
            W::CredentialNotFound => PasskeyError::UnknownCredential,
            other => PasskeyError::Rejected(other),
        }
    }
}

/// An error from the vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// The OS keyring (Secret Service) could not be reached or refused.
    #[error("OS keyring unavailable: {0}")]
    Keyring(String),
    /// The keyring has no key for this vault, but the vault file exists: the key was deleted
    /// or this is another user's keyring.
    #[error("the OS keyring holds no key for this vault")]
    KeyMissing,
    /// The keyring entry is not a 256-bit key.
    #[error("the keyring entry is not a vault key")]
    KeyMalformed,
    /// The encrypted store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A passkey ceremony failed.
    #[error(transparent)]
    Passkey(#[from] PasskeyError),
    /// The vault locked itself after the idle timeout; unlock again.
    #[error("vault locked after the idle timeout")]
    IdleTimeout,
    /// The action needs a fresh step-up for this action.
    #[error("this action needs a fresh passkey confirmation")]
    StepUpRequired,
    /// No passkey is enrolled: run the first-run enrolment (or the admin recovery procedure).
    #[error("no passkey enrolled")]
    NoPasskey,
    /// The requested authenticator is not compiled into this build.
    #[error("authenticator {0} is not available in this build")]
    AuthenticatorUnavailable(String),
    /// File system access around the vault failed.
    #[error("vault file access failed")]
    Io(#[from] std::io::Error),
}
