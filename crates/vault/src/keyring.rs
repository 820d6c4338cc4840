//! The vault key in the OS keyring (Secret Service on Linux, through `keyring-core` and the
//! `dbus-secret-service-keyring-store` of the keyring 4 family).
//!
//! The key is stored as 64 hex digits (so `secret-tool lookup` shows it as text to an admin) and
//! never touches the disk in the clear: gnome-keyring encrypts its keyring file with the login
//! password. Every copy in memory is zeroized on drop.
//!
//! Only the Linux Secret Service backend is wired today; the keyring family's macOS Keychain and
//! Windows Credential Manager stores plug in here the same way.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use store::DbKey;
use zeroize::Zeroizing;

use crate::VaultError;

/// One keyring entry: the service/account pair under which a vault key is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyringEntry {
    service: String,
    account: String,
}

impl KeyringEntry {
    /// The service name Callwarden uses.
    pub const SERVICE: &'static str = "callwarden-vault";

    /// The entry for the vault of `account` (the OS user, or a profile name).
    pub fn new(account: impl Into<String>) -> Self {
        Self { service: Self::SERVICE.to_owned(), account: account.into() }
    }

    /// The entry under another service name (tests and side-by-side profiles).
    pub fn with_service(service: impl Into<String>, account: impl Into<String>) -> Self {
        Self { service: service.into(), account: account.into() }
    }

    /// The service attribute (as `secret-tool` calls it).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The account attribute (`username` for `secret-tool`).
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Reads the key; `Ok(None)` when the keyring has no entry.
    pub fn fetch(&self) -> Result<Option<DbKey>, VaultError> {
        let entry = self.entry()?;
        let text = match entry.get_password() {
            Ok(text) => Zeroizing::new(text),
            Err(keyring_core::Error::NoEntry) => return Ok(None),
            Err(err) => return Err(VaultError::Keyring(err.to_string())),
        };
        decode_hex_key(&text).map(Some).ok_or(VaultError::KeyMalformed)
    }

    /// Creates a fresh random 256-bit key and stores it.
    pub fn create(&self) -> Result<DbKey, VaultError> {
        let mut bytes = Zeroizing::new([0u8; DbKey::LEN]);
        getrandom::fill(&mut bytes[..]).map_err(|err| VaultError::Keyring(err.to_string()))?;
        let key = DbKey::from_bytes(*bytes);
        let mut text = Zeroizing::new(String::with_capacity(64));
        for byte in key.expose() {
            write!(text, "{byte:02x}").expect("writing to a String cannot fail");
        }
        self.entry()?.set_password(&text).map_err(|err| VaultError::Keyring(err.to_string()))?;
        Ok(key)
    }

    /// Removes the key (the vault file becomes unreadable for good).
    pub fn delete(&self) -> Result<(), VaultError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(err) => Err(VaultError::Keyring(err.to_string())),
        }
    }

    fn entry(&self) -> Result<keyring_core::Entry, VaultError> {
        let store: Arc<keyring_core::CredentialStore> =
            dbus_secret_service_keyring_store::Store::new()
                .map_err(|err| VaultError::Keyring(err.to_string()))?;
        let label = format!("Callwarden vault key ({})", self.account);
        let modifiers = HashMap::from([("label", label.as_str())]);
        keyring_core::Entry::new_in_store_with_modifiers(
            &store,
            &self.service,
            &self.account,
            &modifiers,
        )
        .map_err(|err| VaultError::Keyring(err.to_string()))
    }
}

fn decode_hex_key(text: &str) -> Option<DbKey> {
    let text = text.trim();
    if text.len() != 2 * DbKey::LEN {
        return None;
    }
    let mut bytes = Zeroizing::new([0u8; DbKey::LEN]);
    for (i, slot) in bytes.iter_mut().enumerate() {
        *slot = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(DbKey::from_bytes(*bytes))
}

#[cfg(test)]
mod tests {
    use super::decode_hex_key;

    #[test]
    fn hex_keys_decode_and_garbage_does_not() {
        let hex = "ab".repeat(32);
        assert_eq!(decode_hex_key(&hex).map(|k| k.expose()[0]), Some(0xab));
        assert!(decode_hex_key("abc").is_none());
        assert!(decode_hex_key(&"zz".repeat(32)).is_none());
    }
}
