//! Unlock state: first-run enrolment unlocks, idle timeout locks, step-up grants are single-use,
//! action-bound and short-lived, and every decision lands in the audit trail.

use store::{DbKey, Timestamp};
use vault::{
    LockPolicy, LockedVault, Opened, RiskyAction, SoftAuthenticator, UnlockedVault, Vault,
    VaultError,
};

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms)
}

fn key() -> DbKey {
    DbKey::from_bytes([9; 32])
}

/// First run: a fresh vault, one passkey enrolled, unlocked at t=0.
fn first_run(dir: &std::path::Path, token: &mut SoftAuthenticator) -> UnlockedVault {
    let Opened::FirstRun(mut vault) = Vault::open_with_key(dir, &key(), at(0)).unwrap() else {
        panic!("a new vault has no passkey yet");
    };
    let (challenge, enrolment) = vault.start_first_enrolment(at(0)).unwrap();
    let response = token.register(challenge).unwrap();
    vault.finish_first_enrolment(enrolment, &response, "key 1", at(0)).unwrap()
}

fn unlock(vault: LockedVault, token: &mut SoftAuthenticator, now: i64) -> UnlockedVault {
    let (challenge, assertion) = vault.start_unlock().unwrap();
    let response = token.authenticate(challenge).unwrap();
    vault.finish_unlock(assertion, &response, at(now)).unwrap()
}

fn step_up(
    vault: &mut UnlockedVault,
    token: &mut SoftAuthenticator,
    action: RiskyAction,
    now: i64,
) -> vault::StepUpGrant {
    let (challenge, step) = vault.start_step_up(action, at(now)).unwrap();
    let response = token.authenticate(challenge).unwrap();
    vault.finish_step_up(step, &response, at(now)).unwrap()
}

#[test]
fn the_vault_locks_after_the_idle_timeout_and_unlocks_with_the_passkey() {
    let dir = tempfile::tempdir().unwrap();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let mut vault = first_run(dir.path(), &mut token);
    let idle = LockPolicy::default().idle_timeout_ms;
    assert!(vault.store(at(idle - 1)).is_ok(), "activity just before the timeout");
    assert_eq!(vault.locks_at(), at(2 * idle - 1));
    assert!(matches!(vault.store(at(2 * idle)), Err(VaultError::IdleTimeout)));
    let locked = vault.lock(at(2 * idle)).unwrap();

    let Opened::Locked(reopened) = Vault::open_with_key(dir.path(), &key(), at(0)).unwrap() else {
        panic!("an enrolled vault opens locked");
    };
    drop(reopened);
    let mut vault = unlock(locked, &mut token, 3 * idle);
    assert!(vault.store(at(3 * idle)).is_ok());
}

#[test]
fn a_step_up_grant_is_bound_to_its_action_and_expires() {
    let dir = tempfile::tempdir().unwrap();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let mut vault = first_run(dir.path(), &mut token);
    let range = store::TimeRange { from: at(0), to: at(10) };

    let wrong = step_up(&mut vault, &mut token, RiskyAction::OverrideTollFraudGuard, 1_000);
    let err = vault.export(wrong, range, store::ExportFormat::Json, std::io::sink(), at(1_000));
    assert!(matches!(err, Err(VaultError::StepUpRequired)));

    let validity = LockPolicy::default().step_up_validity_ms;
    let stale = step_up(&mut vault, &mut token, RiskyAction::Export, 2_000);
    let err = vault.export(
        stale,
        range,
        store::ExportFormat::Json,
        std::io::sink(),
        at(2_001 + validity),
    );
    assert!(matches!(err, Err(VaultError::StepUpRequired)));

    let fresh = step_up(&mut vault, &mut token, RiskyAction::Export, 3_000);
    assert_eq!(
        vault.export(fresh, range, store::ExportFormat::Json, std::io::sink(), at(3_001)).unwrap(),
        0
    );

    let grant = step_up(&mut vault, &mut token, RiskyAction::OverrideTollFraudGuard, 4_000);
    vault.override_toll_fraud_guard(grant, None, at(4_000)).unwrap();

    let kinds: Vec<String> = vault
        .store(at(4_001))
        .unwrap()
        .audit()
        .all()
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "stepped_up").count(), 4);
    assert_eq!(kinds.iter().filter(|k| *k == "exported").count(), 1);
    assert_eq!(kinds.last().map(String::as_str), Some("override"));
}

#[test]
fn a_second_passkey_is_encouraged_and_enrolled_after_step_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let mut backup = SoftAuthenticator::in_memory().unwrap();
    let mut vault = first_run(dir.path(), &mut token);
    assert!(vault.should_encourage_second_passkey().unwrap());

    let grant = step_up(&mut vault, &mut token, RiskyAction::ChangeSecuritySettings, 10);
    let (challenge, enrolment) = vault.start_enrolment(grant, at(10)).unwrap();
    let response = backup.register(challenge).unwrap();
    vault.finish_enrolment(enrolment, &response, "backup key", at(10)).unwrap();
    assert!(!vault.should_encourage_second_passkey().unwrap());

    // Either key unlocks.
    let locked = vault.lock(at(20)).unwrap();
    let vault = unlock(locked, &mut backup, 30);
    let locked = vault.lock(at(40)).unwrap();
    let _vault = unlock(locked, &mut token, 50);
}

#[test]
fn a_cloned_key_is_refused_flagged_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let clone = {
        let vault = first_run(dir.path(), &mut token);
        let snapshot = token.snapshot().unwrap();
        let locked = vault.lock(at(1)).unwrap();
        let vault = unlock(locked, &mut token, 2);
        drop(vault.lock(at(3)).unwrap());
        snapshot
    };
    token.restore(&clone).unwrap();
    let Opened::Locked(vault) = Vault::open_with_key(dir.path(), &key(), at(4)).unwrap() else {
        panic!("locked");
    };
    let (challenge, assertion) = vault.start_unlock().unwrap();
    let response = token.authenticate(challenge).unwrap();
    let refused = vault.finish_unlock(assertion, &response, at(5)).unwrap_err();
    assert!(matches!(refused.error, VaultError::Passkey(vault::PasskeyError::CounterRegression)));
    let events = refused.vault.audit_events().unwrap();
    assert_eq!(events.last().map(|e| e.kind.as_str()), Some("counter_regression"));
}

#[test]
fn admin_reset_returns_the_vault_to_first_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let locked = first_run(dir.path(), &mut token).lock(at(1)).unwrap();
    drop(locked.reset_passkeys("lost key, ticket 42", at(2)).unwrap());
    assert!(matches!(
        Vault::open_with_key(dir.path(), &key(), at(3)).unwrap(),
        Opened::FirstRun(_)
    ));
}
