//! Where a phone keeps its data: the vault directory, the key's keyring entry and the passkey
//! authenticator; and how vault errors reach the UI.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use store::Timestamp;
use vault::{KeyPrompt, KeyringEntry, NoPrompt, Opened, PasskeyError, VaultError};

use crate::api::{ApiError, ErrorCode};

/// The phone's storage: an encrypted vault behind a passkey lock.
#[derive(Clone)]
pub struct Storage {
    /// The data directory (the vault file is `vault.db` inside).
    pub dir: PathBuf,
    /// The passkey authenticator: `usb` (default builds), `nfc` or `any` where compiled in, or
    /// `soft:PATH` (builds with the `test-authenticator` feature only).
    pub authenticator: String,
    /// The OS keyring entry that holds the vault key.
    pub keyring: KeyringEntry,
    /// Asks for a security key's PIN and says when to touch it.
    pub key_prompt: Arc<dyn KeyPrompt>,
}

impl Storage {
    /// The keyring account of the default profile; the same as `callwarden vault`'s default,
    /// so the CLI reaches the app's vault with just `--data-dir`. (The keyring itself is the
    /// OS user's own.)
    pub const DEFAULT_PROFILE: &'static str = "default";

    /// Storage in `dir` with `authenticator`, the key under Callwarden's keyring service for the
    /// default profile, and no PIN prompt (keys with built-in verification, or the software
    /// token).
    pub fn new(dir: impl Into<PathBuf>, authenticator: impl Into<String>) -> Self {
        Self {
            dir: dir.into(),
            authenticator: authenticator.into(),
            keyring: KeyringEntry::new(Self::DEFAULT_PROFILE),
            key_prompt: Arc::new(NoPrompt),
        }
    }

    /// Opens the vault (creating it and its key on first run), off the async runtime: the
    /// keyring talks D-Bus and the store opens a file, both blocking.
    pub(crate) async fn open(&self) -> Result<Opened, VaultError> {
        let (dir, keyring) = (self.dir.clone(), self.keyring.clone());
        tokio::task::spawn_blocking(move || vault::Vault::open(&dir, &keyring, now()))
            .await
            .map_err(|_| VaultError::Keyring("the keyring lookup was interrupted".into()))?
    }
}

impl fmt::Debug for Storage {
    /// The directory can name the user: only the authenticator's kind is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.authenticator.split(':').next().unwrap_or_default();
        f.debug_struct("Storage").field("authenticator", &kind).finish_non_exhaustive()
    }
}

/// Wall-clock time for the vault: idle time counts while a laptop sleeps.
pub(crate) fn now() -> Timestamp {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    Timestamp::from_unix_millis(i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
}

/// The UI's error for a vault error. The cause is logged by kind only (never personal data:
/// vault errors carry none, but the store's SQL errors are not shown to the user either).
pub(crate) fn vault_error(error: &VaultError) -> ApiError {
    use ErrorCode as C;
    match error {
        VaultError::IdleTimeout => locked(),
        VaultError::NoPasskey => ApiError::new(C::NotEnrolled, "Set up a passkey first."),
        VaultError::StepUpRequired => {
            ApiError::new(C::AlreadyEnrolled, "A passkey is already set up: unlock with it.")
        }
        VaultError::Passkey(passkey) => passkey_error(passkey),
        VaultError::AuthenticatorUnavailable(_) => ApiError::new(
            C::SecurityKeyMissing,
            "This kind of passkey is not available in this version of the app.",
        ),
        other => {
            tracing::warn!(error = %other, "vault storage failed");
            ApiError::new(C::StorageFailed, "The phone's encrypted storage could not be used.")
        }
    }
}

fn passkey_error(error: &PasskeyError) -> ApiError {
    use PasskeyError as P;
    let refused = |text: &str| ApiError::new(ErrorCode::PasskeyRefused, text);
    match error {
        P::NoSecurityKey { .. } | P::TransportUnavailable(_) => ApiError::new(
            ErrorCode::SecurityKeyMissing,
            "No security key was found: plug it in and try again.",
        ),
        P::UnknownCredential => refused("This passkey is not set up for this phone."),
        P::TouchTimeout { .. } | P::KeyNotResponding { .. } => {
            refused("The security key was not touched in time.")
        }
        P::Cancelled => refused("The passkey check was cancelled."),
        P::WrongPin => refused("The security key's PIN was wrong."),
        P::PinBlocked => refused("The security key's PIN is blocked: ask your administrator."),
        P::PinNotSet => refused("The security key has no PIN yet: set one, then try again."),
        P::AlreadyEnrolled => refused("This security key is already set up."),
        other => {
            tracing::warn!(error = %other, "passkey refused");
            refused("The passkey was not accepted.")
        }
    }
}

/// The vault is locked.
pub(crate) fn locked() -> ApiError {
    ApiError::new(ErrorCode::Locked, "The phone is locked: unlock it with your passkey.")
}
