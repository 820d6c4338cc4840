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

use crate::passkey::{backup_flags, credential_id_text};
use crate::policy::POLICY_KEY;
use crate::{
    Assertion, Enrolment, KeyringEntry, LockPolicy, PasskeyError, RelyingParty, RiskyAction,
    UserHandle, VaultError,
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
    store: Store,
    rp: RelyingParty,
    policy: LockPolicy,
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

    fn passkeys(&self) -> Result<Vec<Passkey>, VaultError> {
        let rows = self.store.passkeys().all()?;
        Ok(rows.iter().filter_map(|r| serde_json::from_str(&r.credential).ok()).collect())
    }

    fn user(&mut self, now: Timestamp) -> Result<UserHandle, VaultError> {
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

fn enrol(
    store: &mut Store,
    rp: &RelyingParty,
    policy: LockPolicy,
    enrolment: Enrolment,
    response: &RegisterPublicKeyCredential,
    label: &str,
    now: Timestamp,
) -> Result<(), VaultError> {
    let passkey = rp.finish_enrolment(enrolment, response)?;
    let (backup_eligible, backup_state) = backup_flags(&passkey);
    if backup_eligible && !policy.allow_synced_passkeys {
        return Err(PasskeyError::SyncedPasskeyForbidden.into());
    }
    let credential_id = credential_id_text(passkey.cred_id());
    store.passkeys_mut().insert(&store::PasskeyRow {
        credential_id: store::StoredCredentialId(credential_id.clone()),
        label: label.to_owned(),
        credential: serde_json::to_string(&passkey).map_err(store::StoreError::from)?,
        created_at: now,
        last_used_at: None,
        counter: 0,
        backup_eligible,
        backup_state,
        counter_regressions: 0,
    })?;
    let payload =
        json!({ "credential": credential_id, "label": label, "backup_eligible": backup_eligible });
    store.audit_mut().append(AuditKind::PasskeyEnrolled, &payload, now)?;
    Ok(())
}

/// Verifies an assertion, updates the passkey row and audits the outcome.
fn verify(
    vault: &mut LockedVault,
    assertion: Assertion,
    response: &PublicKeyCredential,
    now: Timestamp,
    success: AuditKind,
    action: Option<RiskyAction>,
) -> Result<(), VaultError> {
    let passkeys = vault.passkeys()?;
    let credential = credential_id_text(&response.raw_id);
    let verified = match vault.rp.finish_assertion(assertion, response, &passkeys) {
        Ok(verified) => verified,
        Err(err) => {
            let id = store::StoredCredentialId(credential.clone());
            let kind = if matches!(err, PasskeyError::CounterRegression) {
                vault.store.passkeys_mut().flag_counter_regression(&id)?;
                AuditKind::CounterRegression
            } else {
                AuditKind::UnlockFailed
            };
            let payload =
                json!({ "credential": credential, "reason": err.to_string(), "action": action });
            vault.store.audit_mut().append(kind, &payload, now)?;
            return Err(err.into());
        }
    };
    let rows = vault.store.passkeys().all()?;
    if let Some(mut row) = rows.into_iter().find(|r| r.credential_id.0 == credential) {
        row.credential =
            serde_json::to_string(&verified.passkey).map_err(store::StoreError::from)?;
        row.last_used_at = Some(now);
        row.counter = verified.counter;
        row.backup_eligible = verified.backup_eligible;
        row.backup_state = verified.backup_state;
        vault.store.passkeys_mut().record_use(&row)?;
    }
    let payload = json!({
        "credential": credential,
        "counter": verified.counter,
        "user_verified": verified.user_verified,
        "backup_state": verified.backup_state,
        "action": action,
    });
    vault.store.audit_mut().append(success, &payload, now)?;
    Ok(())
}

/// Authorises one risky action, once, shortly after a passkey ceremony for that action.
#[derive(Debug)]
pub struct StepUpGrant {
    action: RiskyAction,
    granted_at: Timestamp,
}

/// A step-up ceremony in progress.
pub struct StepUp {
    action: RiskyAction,
    assertion: Assertion,
}

/// The vault while unlocked: hands out the store until the idle timeout.
pub struct UnlockedVault {
    inner: LockedVault,
    last_activity: Timestamp,
}

impl std::fmt::Debug for UnlockedVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnlockedVault").field("last_activity", &self.last_activity).finish()
    }
}

impl UnlockedVault {
    /// The store, if the vault is still within its idle timeout; counts as activity.
    pub fn store(&mut self, now: Timestamp) -> Result<&mut Store, VaultError> {
        self.touch(now)?;
        Ok(&mut self.inner.store)
    }

    /// Whether the idle timeout has passed at `now` (the engine's timer asks this).
    pub fn is_idle(&self, now: Timestamp) -> bool {
        now.unix_millis() - self.last_activity.unix_millis() >= self.inner.policy.idle_timeout_ms
    }

    /// When the vault will lock if nothing happens before.
    pub fn locks_at(&self) -> Timestamp {
        Timestamp::from_unix_millis(
            self.last_activity.unix_millis() + self.inner.policy.idle_timeout_ms,
        )
    }

    fn touch(&mut self, now: Timestamp) -> Result<(), VaultError> {
        if self.is_idle(now) {
            return Err(VaultError::IdleTimeout);
        }
        self.last_activity = now;
        Ok(())
    }

    /// Locks the vault (explicitly or because [`is_idle`](Self::is_idle)); audited.
    pub fn lock(mut self, now: Timestamp) -> Result<LockedVault, VaultError> {
        let reason = if self.is_idle(now) { "idle" } else { "explicit" };
        self.inner.store.audit_mut().append(
            AuditKind::Locked,
            &json!({ "reason": reason }),
            now,
        )?;
        Ok(self.inner)
    }

    /// True while only one passkey is enrolled: the UI should encourage a second (backup) one.
    pub fn should_encourage_second_passkey(&self) -> Result<bool, VaultError> {
        Ok(self.inner.passkeys()?.len() < 2)
    }

    /// Starts a step-up ceremony for `action`.
    pub fn start_step_up(
        &mut self,
        action: RiskyAction,
        now: Timestamp,
    ) -> Result<(RequestChallengeResponse, StepUp), VaultError> {
        self.touch(now)?;
        let (challenge, assertion) = self.inner.start_unlock()?;
        Ok((challenge, StepUp { action, assertion }))
    }

    /// Finishes a step-up ceremony: a grant for exactly that action.
    pub fn finish_step_up(
        &mut self,
        step_up: StepUp,
        response: &PublicKeyCredential,
        now: Timestamp,
    ) -> Result<StepUpGrant, VaultError> {
        self.touch(now)?;
        let action = Some(step_up.action);
        verify(&mut self.inner, step_up.assertion, response, now, AuditKind::SteppedUp, action)?;
        Ok(StepUpGrant { action: step_up.action, granted_at: now })
    }

    fn redeem(
        &self,
        grant: StepUpGrant,
        action: RiskyAction,
        now: Timestamp,
    ) -> Result<(), VaultError> {
        let age = now.unix_millis() - grant.granted_at.unix_millis();
        if grant.action != action || !(0..=self.inner.policy.step_up_validity_ms).contains(&age) {
            return Err(VaultError::StepUpRequired);
        }
        Ok(())
    }

    /// Exports the calls in `range`; needs a step-up grant for [`RiskyAction::Export`].
    pub fn export(
        &mut self,
        grant: StepUpGrant,
        range: store::TimeRange,
        format: store::ExportFormat,
        out: impl std::io::Write,
        now: Timestamp,
    ) -> Result<u64, VaultError> {
        self.redeem(grant, RiskyAction::Export, now)?;
        let store = self.store(now)?;
        let count = store.export_calls(range, format, out)?;
        let payload =
            json!({ "from": range.from, "to": range.to, "format": format, "calls": count });
        store.audit_mut().append(AuditKind::Exported, &payload, now)?;
        Ok(count)
    }

    /// Records that the user placed a call the toll-fraud guard stopped; needs a step-up grant.
    pub fn override_toll_fraud_guard(
        &mut self,
        grant: StepUpGrant,
        call: Option<store::CallId>,
        now: Timestamp,
    ) -> Result<(), VaultError> {
        self.redeem(grant, RiskyAction::OverrideTollFraudGuard, now)?;
        let payload = json!({ "guard": "toll_fraud", "call": call });
        self.store(now)?.audit_mut().append(AuditKind::Override, &payload, now)?;
        Ok(())
    }

    /// Changes the lock policy; needs a step-up grant for security settings.
    pub fn set_lock_policy(
        &mut self,
        grant: StepUpGrant,
        policy: LockPolicy,
        now: Timestamp,
    ) -> Result<(), VaultError> {
        self.redeem(grant, RiskyAction::ChangeSecuritySettings, now)?;
        let store = self.store(now)?;
        store.settings_mut().set(POLICY_KEY, &policy, now)?;
        store.audit_mut().append(
            AuditKind::PolicyChanged,
            &json!({ "lock_policy": policy }),
            now,
        )?;
        self.inner.policy = policy;
        Ok(())
    }

    /// Starts enrolling another passkey (a backup key); needs a security-settings grant.
    pub fn start_enrolment(
        &mut self,
        grant: StepUpGrant,
        now: Timestamp,
    ) -> Result<(CreationChallengeResponse, Enrolment), VaultError> {
        self.redeem(grant, RiskyAction::ChangeSecuritySettings, now)?;
        self.touch(now)?;
        let existing = self.inner.passkeys()?;
        let user = self.inner.user(now)?;
        Ok(self.inner.rp.start_enrolment(&user, &existing)?)
    }

    /// Finishes enrolling another passkey.
    pub fn finish_enrolment(
        &mut self,
        enrolment: Enrolment,
        response: &RegisterPublicKeyCredential,
        label: &str,
        now: Timestamp,
    ) -> Result<(), VaultError> {
        self.touch(now)?;
        let inner = &mut self.inner;
        enrol(&mut inner.store, &inner.rp, inner.policy, enrolment, response, label, now)
    }

    /// Queues a "report suspicious call" in the durable outbox; audited.
    pub fn report_call(
        &mut self,
        call: Option<store::CallId>,
        payload: &serde_json::Value,
        now: Timestamp,
    ) -> Result<store::ReportId, VaultError> {
        let store = self.store(now)?;
        let id = store.outbox_mut().enqueue(call, payload, now)?;
        store.audit_mut().append(
            AuditKind::Reported,
            &json!({ "report": id, "call": call }),
            now,
        )?;
        Ok(id)
    }
}
