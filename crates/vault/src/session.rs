//! The lock state: `Opened::{FirstRun, Locked}` → `UnlockedVault` → (idle) → `LockedVault`.
//!
//! States are types: only an [`UnlockedVault`] hands out the store, and only a [`StepUpGrant`]
//! made by a fresh ceremony for that very action authorises a risky one.

use std::path::{Path, PathBuf};

use serde_json::json;
use store::{AuditKind, DbKey, Store, Timestamp};
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Uuid,
};

use crate::ceremony::{enrol, verify};
use crate::policy::POLICY_KEY;
use crate::{
    Assertion, Enrolment, KeyringEntry, LockPolicy, RelyingParty, UnlockedVault, UserHandle,
    VaultError,
};

const USER_KEY: &str = "vault.user";

/// What opening the vault found.
pub enum Opened {
    /// No passkey is enrolled yet: enrol one (first run, or after the admin recovery procedure).
    FirstRun(LockedVault),
    /// Passkeys exist: unlock with one.
    Locked(LockedVault),
}

/// Opens the vault directory: the key from the keyring (created on first run), then the store.
pub struct Vault;

impl Vault {
    /// The vault file inside a data directory.
    pub fn file(dir: &Path) -> PathBuf {
        dir.join("vault.db")
    }

    /// Opens (creating on first run) the vault in `dir` with the key under `keyring`.
    pub fn open(dir: &Path, keyring: &KeyringEntry, now: Timestamp) -> Result<Opened, VaultError> {
        let existed = Self::file(dir).exists();
        let key = match (keyring.fetch()?, existed) {
            (Some(key), _) => key,
            (None, false) => keyring.create()?,
            (None, true) => return Err(VaultError::KeyMissing),
        };
        Self::open_with_key(dir, &key, now)
    }

    /// Opens (creating on first run) the vault in `dir` with a key the caller fetched.
    pub fn open_with_key(dir: &Path, key: &DbKey, now: Timestamp) -> Result<Opened, VaultError> {
        std::fs::create_dir_all(dir)?;
        let path = Self::file(dir);
        let existed = path.exists();
        let mut store = Store::open(&path, key)?;
        if !existed {
            store.audit_mut().append(AuditKind::VaultCreated, &json!({}), now)?;
        }
        let policy = store.settings().value::<LockPolicy>(POLICY_KEY)?.unwrap_or_default();
        let vault = LockedVault { store, rp: RelyingParty::new(), policy };
        if vault.passkeys()?.is_empty() {
            Ok(Opened::FirstRun(vault))
        } else {
            Ok(Opened::Locked(vault))
        }
    }
}

/// The vault while locked: the store is open only to read the enrolled passkeys.
pub struct LockedVault {
    pub(crate) store: Store,
    pub(crate) rp: RelyingParty,
    pub(crate) policy: LockPolicy,
}

/// An unlock that failed: the vault stays locked.
#[derive(Debug, thiserror::Error)]
#[error("unlock refused: {error}")]
pub struct Refused {
    /// The vault, still locked.
    #[source]
    pub error: VaultError,
    /// The locked vault, to try again.
    pub vault: Box<LockedVault>,
}

impl std::fmt::Debug for LockedVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LockedVault")
    }
}

impl LockedVault {
    /// The lock policy in force.
    pub fn policy(&self) -> LockPolicy {
        self.policy
    }

    pub(crate) fn passkeys(&self) -> Result<Vec<Passkey>, VaultError> {
        let rows = self.store.passkeys().all()?;
        Ok(rows.iter().filter_map(|r| serde_json::from_str(&r.credential).ok()).collect())
    }

    pub(crate) fn user(&mut self, now: Timestamp) -> Result<UserHandle, VaultError> {
        if let Some(user) = self.store.settings().value::<UserHandle>(USER_KEY)? {
            return Ok(user);
        }
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| VaultError::Keyring(e.to_string()))?;
        let user = UserHandle { id: Uuid::from_bytes(id), name: "Callwarden user".to_owned() };
        self.store.settings_mut().set(USER_KEY, &user, now)?;
        Ok(user)
    }

    /// Starts enrolling the first passkey. Only allowed while none is enrolled.
    pub fn start_first_enrolment(
        &mut self,
        now: Timestamp,
    ) -> Result<(CreationChallengeResponse, Enrolment), VaultError> {
        if !self.passkeys()?.is_empty() {
            return Err(VaultError::StepUpRequired);
        }
        let user = self.user(now)?;
        Ok(self.rp.start_enrolment(&user, &[])?)
    }

    /// Finishes the first enrolment; proving presence with the new passkey unlocks the vault.
    pub fn finish_first_enrolment(
        mut self,
        enrolment: Enrolment,
        response: &RegisterPublicKeyCredential,
        label: &str,
        now: Timestamp,
    ) -> Result<UnlockedVault, VaultError> {
        enrol(&mut self.store, &self.rp, self.policy, enrolment, response, label, now)?;
        Ok(UnlockedVault { inner: self, last_activity: now })
    }

    /// Starts an unlock ceremony.
    pub fn start_unlock(&self) -> Result<(RequestChallengeResponse, Assertion), VaultError> {
        let passkeys = self.passkeys()?;
        if passkeys.is_empty() {
            return Err(VaultError::NoPasskey);
        }
        Ok(self.rp.start_assertion(&passkeys)?)
    }

    /// Finishes an unlock ceremony. Every outcome is written to the audit trail.
    pub fn finish_unlock(
        mut self,
        assertion: Assertion,
        response: &PublicKeyCredential,
        now: Timestamp,
    ) -> Result<UnlockedVault, Refused> {
        match verify(&mut self, assertion, response, now, AuditKind::Unlocked, None) {
            Ok(()) => Ok(UnlockedVault { inner: self, last_activity: now }),
            Err(error) => Err(Refused { error, vault: Box::new(self) }),
        }
    }

    /// Admin recovery: removes every passkey so the next start enrols afresh. Audited.
    pub fn reset_passkeys(
        mut self,
        reason: &str,
        now: Timestamp,
    ) -> Result<LockedVault, VaultError> {
        let removed = self.store.passkeys_mut().remove_all()?;
        let payload = json!({ "removed": removed, "reason": reason });
        self.store.audit_mut().append(AuditKind::PasskeysReset, &payload, now)?;
        Ok(self)
    }

    /// Authenticates every page of the file (SQLCipher HMAC) and checks its structure.
    pub fn check_integrity(&self) -> Result<(), VaultError> {
        Ok(self.store.check_integrity()?)
    }

    /// The audit trail, without unlocking (it holds no personal data).
    pub fn audit_events(&self) -> Result<Vec<store::AuditEvent>, VaultError> {
        Ok(self.store.audit().all()?)
    }

    /// Checks the audit chain without unlocking (it holds no personal data).
    pub fn verify_audit(
        &self,
    ) -> Result<Result<store::ChainReport, store::ChainBreak>, VaultError> {
        Ok(self.store.audit().verify()?)
    }
}
