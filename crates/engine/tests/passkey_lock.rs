//! The lock screen through the real engine, the OS keyring (gnome-keyring on a private D-Bus)
//! and the software passkey: first run enrols and unlocks, the vault locks and unlocks, a
//! passkey that was never enrolled is refused, and the vault locks itself after the policy's
//! idle time. While locked the log answers `locked`.

mod support;

use std::time::Duration;

use engine::api::{CallLogFilter, LockState};
use engine::{ErrorCode, KeyringEntry};
use store::Timestamp;
use support::{Trainee, in_private_keyring, storage};
use vault::{LockPolicy, Opened, RiskyAction, SoftAuthenticator, Vault};

const LOCKED: LockState = LockState { enrolled: true, locked: true };
const UNLOCKED: LockState = LockState { enrolled: true, locked: false };

fn everything() -> CallLogFilter {
    CallLogFilter { direction: None, min_level: None, limit: 50 }
}

#[test]
fn first_run_enrols_a_passkey_that_unlocks_and_the_lock_holds_across_restarts() {
    in_private_keyring(
        "first_run_enrols_a_passkey_that_unlocks_and_the_lock_holds_across_restarts",
        |dir| async move {
            let (mut t, state) = Trainee::start(storage(&dir, "token.cbor")).await;
            assert_eq!(state, LockState { enrolled: false, locked: true }, "first run");
            let refused = t.phone.unlock().await.expect_err("nothing to unlock with yet");
            assert_eq!(refused.code, ErrorCode::NotEnrolled);
            let locked = t.phone.call_log(everything()).await.expect_err("locked");
            assert_eq!(locked.code, ErrorCode::Locked);

            assert_eq!(t.phone.enrol_passkey("Soft key".into()).await.unwrap(), UNLOCKED);
            assert_eq!(t.lock_changed().await, UNLOCKED);
            assert!(t.phone.call_log(everything()).await.unwrap().is_empty());
            let again = t.phone.enrol_passkey("Second".into()).await.expect_err("enrolled");
            assert_eq!(again.code, ErrorCode::AlreadyEnrolled);

            assert_eq!(t.phone.lock().await.unwrap(), LOCKED);
            assert_eq!(t.lock_changed().await, LOCKED);
            let locked = t.phone.search("help".into()).await.expect_err("locked");
            assert_eq!(locked.code, ErrorCode::Locked);
            assert_eq!(t.phone.unlock().await.unwrap(), UNLOCKED);
            assert_eq!(t.lock_changed().await, UNLOCKED);
            t.stop().await;

            let (mut t, state) = Trainee::start(storage(&dir, "token.cbor")).await;
            assert_eq!(state, LOCKED, "an enrolled vault starts locked");
            assert_eq!(t.phone.lock_state().await.unwrap(), LOCKED);
            assert_eq!(t.phone.unlock().await.unwrap(), UNLOCKED);
            assert_eq!(t.lock_changed().await, UNLOCKED);
            t.stop().await;
        },
    );
}

#[test]
fn a_passkey_that_was_never_enrolled_is_refused_and_the_vault_stays_locked() {
    in_private_keyring(
        "a_passkey_that_was_never_enrolled_is_refused_and_the_vault_stays_locked",
        |dir| async move {
            let (t, _) = Trainee::start(storage(&dir, "enrolled.cbor")).await;
            t.phone.enrol_passkey("Enrolled".into()).await.expect("enrolled");
            t.stop().await;

            let (t, state) = Trainee::start(storage(&dir, "stranger.cbor")).await;
            assert_eq!(state, LOCKED);
            let refused = t.phone.unlock().await.expect_err("a stranger's passkey");
            assert_eq!(refused.code, ErrorCode::PasskeyRefused, "{refused:?}");
            assert_eq!(t.phone.lock_state().await.unwrap(), LOCKED);
            let locked = t.phone.call_log(everything()).await.expect_err("still locked");
            assert_eq!(locked.code, ErrorCode::Locked);
            t.stop().await;

            let (t, _) = Trainee::start(storage(&dir, "enrolled.cbor")).await;
            assert_eq!(
                t.phone.unlock().await.unwrap(),
                UNLOCKED,
                "the enrolled passkey still works"
            );
            t.stop().await;
        },
    );
}

/// Enrols the token and sets a short idle timeout through the vault's own step-up, as an
/// administrator's policy change would.
fn enrol_with_short_idle_time(dir: &std::path::Path, idle: Duration) {
    let storage = storage(dir, "token.cbor");
    let token_path = storage.authenticator.trim_start_matches("soft:").to_owned();
    let mut token = SoftAuthenticator::open_or_create(std::path::Path::new(&token_path)).unwrap();
    let now = Timestamp::from_unix_millis(0);
    let keyring = KeyringEntry::new("engine-test");
    let Opened::FirstRun(mut vault) = Vault::open(&storage.dir, &keyring, now).unwrap() else {
        panic!("a fresh vault");
    };
    let (challenge, enrolment) = vault.start_first_enrolment(now).unwrap();
    let response = token.register(challenge).unwrap();
    let mut vault = vault.finish_first_enrolment(enrolment, &response, "Soft key", now).unwrap();
    let (challenge, step) = vault.start_step_up(RiskyAction::ChangeSecuritySettings, now).unwrap();
    let response = token.authenticate(challenge).unwrap();
    let grant = vault.finish_step_up(step, &response, now).unwrap();
    let policy = LockPolicy {
        idle_timeout_ms: i64::try_from(idle.as_millis()).unwrap(),
        ..LockPolicy::default()
    };
    vault.set_lock_policy(grant, policy, now).unwrap();
}

#[test]
fn the_vault_locks_itself_after_the_policys_idle_time() {
    in_private_keyring("the_vault_locks_itself_after_the_policys_idle_time", |dir| async move {
        let idle = Duration::from_millis(1500);
        enrol_with_short_idle_time(&dir, idle);
        let (mut t, state) = Trainee::start(storage(&dir, "token.cbor")).await;
        assert_eq!(state, LOCKED);
        assert_eq!(t.phone.unlock().await.unwrap(), UNLOCKED);
        let unlocked_at = tokio::time::Instant::now();
        assert_eq!(t.lock_changed().await, UNLOCKED);
        t.phone.call_log(everything()).await.expect("unlocked");
        assert_eq!(t.lock_changed().await, LOCKED, "locked by itself");
        assert!(unlocked_at.elapsed() >= idle, "not before the idle time");
        let locked = t.phone.call_log(everything()).await.expect_err("locked after idle");
        assert_eq!(locked.code, ErrorCode::Locked);
        t.stop().await;
    });
}
