//! What can go wrong in the vault, named by diagnosis.

use store::StoreError;

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
