//! `callwarden-cli vault verify` names the first broken link when an event of the audit trail is
//! edited, deleted or reordered (by someone who holds the key and drops the triggers).

mod vault_support;

use store::Store;
use store::danger::{AuditTamper, tamper_audit};
use vault_support::Harness;

/// A vault whose trail has several events: created, enrolled, unlocks, a report.
fn busy_vault() -> Harness {
    let h = Harness::initialised();
    let id = h.ok(&["add-call", "--number", "+14155550199"]);
    h.ok(&["report", "--call", id.trim()]);
    h.ok(&["list"]);
    h
}

fn verify(h: &Harness) -> (Option<i32>, String) {
    let out = h.run(&["verify"]);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn tamper(h: &Harness, how: AuditTamper) {
    let mut store = Store::open(&h.file(), &h.key_from_secret_tool()).unwrap();
    tamper_audit(&mut store, how).unwrap();
}

#[test]
fn an_intact_trail_verifies() {
    let h = busy_vault();
    let (code, out) = verify(&h);
    assert_eq!(code, Some(0), "{out}");
    // created, enrolled, 3 unlocks, reported
    assert!(out.contains("audit chain intact: 6 events"), "{out}");
}

#[test]
fn an_edited_event_is_named() {
    let h = busy_vault();
    tamper(&h, AuditTamper::Edit { seq: 3 });
    let (code, out) = verify(&h);
    assert_eq!(code, Some(2));
    assert!(out.contains("audit event 3 was altered"), "{out}");
}

#[test]
fn a_deleted_event_is_named() {
    let h = busy_vault();
    tamper(&h, AuditTamper::Delete { seq: 4 });
    let (code, out) = verify(&h);
    assert_eq!(code, Some(2));
    assert!(out.contains("audit event 4 is missing"), "{out}");
}

#[test]
fn reordered_events_are_named() {
    let h = busy_vault();
    tamper(&h, AuditTamper::Swap { a: 2, b: 5 });
    let (code, out) = verify(&h);
    assert_eq!(code, Some(2));
    assert!(out.contains("audit event 2 "), "{out}");
}
