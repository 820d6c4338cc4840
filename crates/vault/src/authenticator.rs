//! The client side of the ceremonies: talks to an authenticator through
//! webauthn-authenticator-rs (WebKitGTK has no WebAuthn, so Callwarden runs the client natively).
//!
//! Which authenticators exist depends on the build: hardware security keys over USB (default
//! feature `usb`) and NFC (feature `nfc`), and the software token only with the
//! `test-authenticator` feature (test builds), never in a release. Both kinds answer the same
//! [`Authenticator::register`] / [`Authenticator::authenticate`] calls, so the ceremony tests
//! that run the software token exercise the path a security key takes.

use std::fmt;
use std::sync::Arc;

use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

#[cfg(any(feature = "usb", feature = "nfc"))]
use crate::SecurityKey;
#[cfg(feature = "test-authenticator")]
use crate::SoftAuthenticator;
use crate::{KeyPrompt, PasskeyError, VaultError};

/// An authenticator the vault can run ceremonies with.
#[non_exhaustive]
pub enum Authenticator {
    /// The software token from webauthn-authenticator-rs, kept in a file. Test builds only.
    #[cfg(feature = "test-authenticator")]
    Soft(SoftAuthenticator),
    /// A FIDO2 security key over USB or NFC, with its PIN.
    #[cfg(any(feature = "usb", feature = "nfc"))]
    SecurityKey(SecurityKey),
}

/// Where to look for security keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyTransport {
    /// USB HID keys (`/dev/hidraw*`).
    #[cfg(feature = "usb")]
    Usb,
    /// A card on an NFC reader, through the PC/SC service (pcscd).
    #[cfg(feature = "nfc")]
    Nfc,
    /// Every transport compiled into this build.
    Any,
}

impl fmt::Display for KeyTransport {
    /// Where the key was looked for, with advice for a user whose key was not found.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            #[cfg(feature = "usb")]
            KeyTransport::Usb => {
                "over USB: plug it in (if it is, this user may lack access to /dev/hidraw*)"
            }
            #[cfg(feature = "nfc")]
            KeyTransport::Nfc => "on an NFC reader: hold it on the reader",
            KeyTransport::Any => "on any transport: plug it in or hold it on the reader",
        })
    }
}

impl Authenticator {
    /// Picks an authenticator from a command-line spec: `usb`, `nfc` or `any` (a security key
    /// on those transports, where compiled in), or `soft:PATH` (test builds only).
    ///
    /// A security key must be connected now: otherwise this fails at once with
    /// [`PasskeyError::NoSecurityKey`]. `prompt` supplies its PIN and the "touch your key" cue.
    pub fn from_spec(spec: &str, prompt: Arc<dyn KeyPrompt>) -> Result<Self, VaultError> {
        let (kind, arg) = spec.split_once(':').map_or((spec, None), |(k, a)| (k, Some(a)));
        let _ = &prompt;
        match (kind, arg) {
            #[cfg(feature = "usb")]
            ("usb", None) => security_key(KeyTransport::Usb, prompt),
            #[cfg(feature = "nfc")]
            ("nfc", None) => security_key(KeyTransport::Nfc, prompt),
            #[cfg(any(feature = "usb", feature = "nfc"))]
            ("any", None) => security_key(KeyTransport::Any, prompt),
            #[cfg(feature = "test-authenticator")]
            ("soft", Some(path)) => Ok(Authenticator::Soft(SoftAuthenticator::open_or_create(
                std::path::Path::new(path),
            )?)),
            _ => Err(VaultError::AuthenticatorUnavailable(spec.to_owned())),
        }
    }

    /// Answers an enrolment challenge at the Callwarden origin (CTAP2 makeCredential).
    pub fn register(
        &mut self,
        challenge: CreationChallengeResponse,
    ) -> Result<RegisterPublicKeyCredential, PasskeyError> {
        match self {
            #[cfg(feature = "test-authenticator")]
            Authenticator::Soft(soft) => soft.register(challenge),
            #[cfg(any(feature = "usb", feature = "nfc"))]
            Authenticator::SecurityKey(key) => key.register(challenge),
            #[cfg(not(any(feature = "test-authenticator", feature = "usb", feature = "nfc")))]
            _ => {
                let _ = challenge;
                match *self {}
            }
        }
    }

    /// Answers an assertion challenge at the Callwarden origin (CTAP2 getAssertion).
    pub fn authenticate(
        &mut self,
        challenge: RequestChallengeResponse,
    ) -> Result<PublicKeyCredential, PasskeyError> {
        match self {
            #[cfg(feature = "test-authenticator")]
            Authenticator::Soft(soft) => soft.authenticate(challenge),
            #[cfg(any(feature = "usb", feature = "nfc"))]
            Authenticator::SecurityKey(key) => key.authenticate(challenge),
            #[cfg(not(any(feature = "test-authenticator", feature = "usb", feature = "nfc")))]
            _ => {
                let _ = challenge;
                match *self {}
            }
        }
    }
}

#[cfg(any(feature = "usb", feature = "nfc"))]
fn security_key(
    transport: KeyTransport,
    prompt: Arc<dyn KeyPrompt>,
) -> Result<Authenticator, VaultError> {
    Ok(Authenticator::SecurityKey(SecurityKey::find(transport, prompt)?))
}
