//! The audit trail is a hash chain: append, verify, and detect edits, deletions, reordering.

mod common;

use serde_json::json;
use store::danger::{AuditTamper, tamper_audit};
use store::{AuditKind, ChainBreak, Store, Timestamp};

fn trail(events: u64) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("vault.db"), &common::key()).unwrap();
    for i in 0..events {
        let at = Timestamp::from_unix_millis(1_000 + i64::try_from(i).unwrap());
        store.audit_mut().append(AuditKind::Unlocked, &json!({ "i": i }), at).unwrap();
    }
    (dir, store)
}

#[test]
fn an_untouched_chain_verifies() {
    let (_dir, store) = trail(10);
    let report = store.audit().verify().unwrap().unwrap();
    assert_eq!(report.events, 10);
    assert_eq!(report.head_seq, 10);
    let events = store.audit().all().unwrap();
    assert_eq!(events[0].prev_hash, [0; 32]);
    assert_eq!(events[1].prev_hash, events[0].hash);
}

#[test]
fn retention_keeps_events_younger_than_seven_years() {
    let (_dir, mut store) = trail(3);
    let purged = store
        .purge_expired(&store::RetentionPolicy::default(), Timestamp::from_unix_millis(5_000))
        .unwrap();
    assert_eq!(purged.audit_events, 0);
    assert_eq!(store.audit().all().unwrap().len(), 3);
}

#[test]
fn an_edited_event_is_named() {
    let (_dir, mut store) = trail(6);
    tamper_audit(&mut store, AuditTamper::Edit { seq: 4 }).unwrap();
    assert_eq!(store.audit().verify().unwrap(), Err(ChainBreak::Altered { seq: 4 }));
}

#[test]
fn a_deleted_event_is_named() {
    let (_dir, mut store) = trail(6);
    tamper_audit(&mut store, AuditTamper::Delete { seq: 3 }).unwrap();
    assert_eq!(store.audit().verify().unwrap(), Err(ChainBreak::Missing { expected: 3, found: 4 }));
}

#[test]
fn deleting_the_first_event_is_detected() {
    let (_dir, mut store) = trail(4);
    tamper_audit(&mut store, AuditTamper::Delete { seq: 1 }).unwrap();
    assert_eq!(store.audit().verify().unwrap(), Err(ChainBreak::Missing { expected: 1, found: 2 }));
}

#[test]
fn reordered_events_are_detected() {
    let (_dir, mut store) = trail(6);
    tamper_audit(&mut store, AuditTamper::Swap { a: 2, b: 5 }).unwrap();
    let broken = store.audit().verify().unwrap().unwrap_err();
    assert!(
        matches!(broken, ChainBreak::Unlinked { seq: 2 } | ChainBreak::Altered { seq: 2 }),
        "got {broken:?}"
    );
}

#[test]
fn pruning_old_events_keeps_the_chain_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("vault.db"), &common::key()).unwrap();
    let day = 86_400_000i64;
    let old = Timestamp::from_unix_millis(0);
    let recent = Timestamp::from_unix_millis(3000 * day);
    store.audit_mut().append(AuditKind::Unlocked, &json!({}), old).unwrap();
    store.audit_mut().append(AuditKind::Exported, &json!({}), old).unwrap();
    store.audit_mut().append(AuditKind::Locked, &json!({}), recent).unwrap();
    let policy = store::RetentionPolicy::default();
    let purged = store.purge_expired(&policy, Timestamp::from_unix_millis(3001 * day)).unwrap();
    assert_eq!(purged.audit_events, 2, "events older than seven years go");
    let report = store.audit().verify().unwrap().unwrap();
    assert_eq!((report.events, report.head_seq), (1, 3));
    // New events keep chaining from the head.
    store.audit_mut().append(AuditKind::Unlocked, &json!({}), recent).unwrap();
    assert_eq!(store.audit().verify().unwrap().unwrap().head_seq, 4);
}
