//! Protection never stops at the lock screen: a locked vault still gives call screening the
//! block list and the call history, and still logs calls that end, without unlocking anything
//! else; neither counts as activity that keeps an unlocked vault open.

use store::{DbKey, Direction, ListEntry, ListKind, NewCall, PhoneNumber, Timestamp, UserAction};
use vault::{LockPolicy, Opened, SoftAuthenticator, UnlockedVault, Vault};

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms)
}

fn key() -> DbKey {
    DbKey::from_bytes([7; 32])
}

fn call(number: &str, started: i64) -> NewCall {
    NewCall {
        started_at: at(started),
        direction: Direction::Incoming,
        number: PhoneNumber::new(number),
        display_name: None,
        verdict: serde_json::json!({ "level": "neutral" }),
        quality: None,
        duration_ms: 0,
        actions: vec![UserAction::Declined],
    }
}

fn enrolled(dir: &std::path::Path) -> UnlockedVault {
    let mut token = SoftAuthenticator::in_memory().unwrap();
    let Opened::FirstRun(mut vault) = Vault::open_with_key(dir, &key(), at(0)).unwrap() else {
        panic!("a new vault has no passkey yet");
    };
    let (challenge, enrolment) = vault.start_first_enrolment(at(0)).unwrap();
    let response = token.register(challenge).unwrap();
    vault.finish_first_enrolment(enrolment, &response, "key", at(0)).unwrap()
}

#[test]
fn a_locked_vault_gives_screening_its_lists_and_logs_calls() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = enrolled(dir.path());
    let blocked = ListEntry {
        number: PhoneNumber::new("+15550199"),
        kind: ListKind::Block,
        reason: None,
        added_at: at(1),
    };
    vault.store(at(1)).unwrap().lists_mut().put(&blocked).unwrap();
    vault.record_call(&call("+15550100", 10)).unwrap();
    drop(vault);

    let Opened::Locked(mut locked) = Vault::open_with_key(dir.path(), &key(), at(20)).unwrap()
    else {
        panic!("an enrolled vault opens locked");
    };
    locked.record_call(&call("+15550101", 30)).unwrap();
    let inputs = locked.screening_inputs(at(5)).unwrap();
    let numbers: Vec<&str> = inputs.blocked.iter().map(PhoneNumber::expose).collect();
    assert_eq!(numbers, ["+15550199"]);
    let callers: Vec<&str> = inputs.calls.iter().map(|c| c.call.number.expose()).collect();
    assert_eq!(callers, ["+15550100", "+15550101"], "oldest first, since the window's start");
    assert!(locked.screening_inputs(at(11)).unwrap().calls.len() == 1);
}

#[test]
fn logging_a_call_does_not_keep_the_vault_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = enrolled(dir.path());
    let idle = LockPolicy::default().idle_timeout_ms;
    vault.record_call(&call("+15550100", idle - 1)).unwrap();
    assert_eq!(vault.locks_at(), at(idle), "the call was not user activity");
    assert!(vault.is_idle(at(idle)));
    vault.record_call(&call("+15550100", idle + 1)).unwrap();
    assert_eq!(vault.screening_inputs(at(0)).unwrap().calls.len(), 2);
}
