//! The two ceremony halves both lock states share: storing a new passkey, and verifying an
//! assertion (updating the credential's counter and flags, auditing success or refusal).

use serde_json::json;
use store::{AuditKind, Store, Timestamp};
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

use crate::passkey::{backup_flags, credential_id_text};
use crate::{
    Assertion, Enrolment, LockPolicy, LockedVault, PasskeyError, RelyingParty, RiskyAction,
    VaultError,
};

pub(crate) fn enrol(
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
pub(crate) fn verify(
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
