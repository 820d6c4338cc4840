//! The vault's IO: the store key in the OS keyring, passkey ceremonies, unlock and auto-lock.
//!
//! Layering: `engine -> vault -> store`. The vault owns everything around the encrypted store
//! that touches the world: the 256-bit key kept in the OS keyring ([`KeyringEntry`]), the local
//! WebAuthn relying party ([`RelyingParty`]), the client side that talks to an authenticator
//! ([`Authenticator`]: FIDO2 security keys over USB/NFC, asking the app's [`KeyPrompt`] for the
//! PIN), and the lock state ([`Vault`] → [`LockedVault`] / [`UnlockedVault`]).
//!
//! Authenticators: FIDO2 security keys over USB (default feature `usb`) and NFC (feature `nfc`),
//! the software token in test builds only. Hybrid (phone) passkeys are not offered on Linux:
//! webauthn-authenticator-rs's caBLE client needs a BlueZ Bluetooth LE radio and a relay on the
//! internet (see docs/threat-model.md).
//!
//! Time comes in as a [`store::Timestamp`] argument: idle timeouts and step-up freshness are
//! computed from wall-clock time so that a suspended laptop counts as idle.
#![forbid(unsafe_code)]

mod authenticator;
mod ceremony;
mod error;
mod key_prompt;
mod keyring;
mod passkey;
mod policy;
mod screening;
#[cfg(any(feature = "usb", feature = "nfc"))]
mod security_key;
mod session;
#[cfg(feature = "test-authenticator")]
mod soft_token;
#[cfg(feature = "test-keyring")]
pub mod testkit;
mod unlocked;

pub use authenticator::{Authenticator, KeyTransport};
pub use error::{PasskeyError, VaultError};
pub use key_prompt::{KeyPrompt, NoPrompt, Pin};
pub use keyring::KeyringEntry;
pub use passkey::{Assertion, Enrolment, RP_ID, RP_ORIGIN, RelyingParty, UserHandle, Verified};
pub use policy::{LockPolicy, RiskyAction};
pub use screening::ScreeningInputs;
#[cfg(any(feature = "usb", feature = "nfc"))]
pub use security_key::{DEFAULT_TOUCH_TIMEOUT, SecurityKey};
pub use session::{LockedVault, Opened, Refused, Vault};
#[cfg(feature = "test-authenticator")]
pub use soft_token::SoftAuthenticator;
pub use unlocked::{StepUp, StepUpGrant, UnlockedVault};

/// WebAuthn message types the engine/UI passes between [`RelyingParty`] and [`Authenticator`].
pub mod proto {
    pub use webauthn_rs::prelude::{
        CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
        RequestChallengeResponse,
    };
}
