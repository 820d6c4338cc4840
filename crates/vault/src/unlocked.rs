//! The unlocked vault: hands out the store until the idle timeout; risky actions need a step-up.

use serde_json::json;
use store::{AuditKind, Store, Timestamp};
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

use crate::ceremony::{enrol, verify};
use crate::policy::POLICY_KEY;
use crate::{Assertion, Enrolment, LockPolicy, LockedVault, RiskyAction, VaultError};

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
    pub(crate) inner: LockedVault,
    pub(crate) last_activity: Timestamp,
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

    /// The lock policy in force.
    pub fn policy(&self) -> LockPolicy {
        self.inner.policy
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
