//! Retention deletes expired calls; export writes a date range as JSON and CSV; the report
//! outbox survives a reopen until a report is marked sent.

mod common;

use store::{ExportFormat, PhoneNumber, RetentionPolicy, Store, TimeRange, Timestamp};

const DAY: i64 = 86_400_000;

fn store_with_calls(dir: &tempfile::TempDir) -> Store {
    let mut store = Store::open(&dir.path().join("vault.db"), &common::key()).unwrap();
    for day in 0..10u32 {
        store.calls_mut().insert(&common::call(day, i64::from(day) * DAY)).unwrap();
    }
    store
}

#[test]
fn expired_calls_are_deleted_and_recent_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_calls(&dir);
    let policy = RetentionPolicy { call_log_days: 3, ..RetentionPolicy::default() };
    let purged = store.purge_expired(&policy, Timestamp::from_unix_millis(10 * DAY)).unwrap();
    assert_eq!(purged.calls, 7, "days 0..=6 are older than three days at day 10");
    let left: Vec<i64> = store
        .calls()
        .recent(50)
        .unwrap()
        .iter()
        .map(|c| c.call.started_at.unix_millis() / DAY)
        .collect();
    assert_eq!(left, vec![9, 8, 7]);
    assert!(store.calls().by_number(&PhoneNumber::new("+493000000002"), 5).unwrap().is_empty());
}

#[test]
fn export_writes_exactly_the_range_as_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_calls(&dir);
    let range = TimeRange {
        from: Timestamp::from_unix_millis(2 * DAY),
        to: Timestamp::from_unix_millis(5 * DAY),
    };

    let mut json = Vec::new();
    assert_eq!(store.export_calls(range, ExportFormat::Json, &mut json).unwrap(), 3);
    let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let calls = doc["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[0]["number"], "+493000000002");
    assert_eq!(calls[0]["verdict"]["level"], "caution");
    assert_eq!(calls[2]["started_at"], 4 * DAY);

    let mut csv = Vec::new();
    assert_eq!(store.export_calls(range, ExportFormat::Csv, &mut csv).unwrap(), 3);
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "header plus three calls");
    assert!(lines[0].starts_with("id,started_at_ms,direction,number,display_name"));
    assert!(lines[1].contains("+493000000002") && lines[1].contains("Zebulon Quackenbush 2"));
}

#[test]
fn queued_reports_survive_a_reopen_until_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_calls(&dir);
    let now = Timestamp::from_unix_millis(11 * DAY);
    let call = store.calls().recent(1).unwrap()[0].id;
    let a = store
        .outbox_mut()
        .enqueue(Some(call), &serde_json::json!({ "why": "asked for a code" }), now)
        .unwrap();
    let b = store.outbox_mut().enqueue(None, &serde_json::json!({}), now).unwrap();
    store.outbox_mut().attempt_failed(a, now).unwrap();
    drop(store);

    let mut store = Store::open(&dir.path().join("vault.db"), &common::key()).unwrap();
    let pending = store.outbox().pending(10).unwrap();
    assert_eq!(pending.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!((pending[0].attempts, pending[0].call_id), (1, Some(call)));
    assert_eq!(pending[0].payload["why"], "asked for a code");
    assert!(store.outbox_mut().mark_sent(a, now).unwrap());
    assert!(!store.outbox_mut().mark_sent(a, now).unwrap(), "sent once only");
    assert_eq!(store.outbox().pending(10).unwrap().len(), 1);

    let purged = store
        .purge_expired(&RetentionPolicy::default(), Timestamp::from_unix_millis(60 * DAY))
        .unwrap();
    assert_eq!(purged.reports, 1, "the sent report expires, the pending one never does");
    assert_eq!(store.outbox().pending(10).unwrap().len(), 1);
}

#[test]
fn lists_directory_contacts_and_settings_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_calls(&dir);
    let now = Timestamp::from_unix_millis(DAY);
    let number = PhoneNumber::new("+4930555");
    store
        .lists_mut()
        .put(&store::ListEntry {
            number: number.clone(),
            kind: store::ListKind::Block,
            reason: None,
            added_at: now,
        })
        .unwrap();
    assert_eq!(store.lists().kind_of(&number).unwrap(), Some(store::ListKind::Block));
    store
        .directory_mut()
        .replace_all(&[store::DirectoryEntry {
            number: number.clone(),
            name: store::DisplayName::new("IT Helpdesk"),
            department: Some("IT".to_owned()),
            fetched_at: now,
        }])
        .unwrap();
    assert_eq!(store.directory().lookup(&number).unwrap().unwrap().name.expose(), "IT Helpdesk");
    store
        .contacts_mut()
        .insert(&store::Contact { name: store::DisplayName::new("Mum"), number: number.clone() })
        .unwrap();
    assert_eq!(store.contacts().by_number(&number).unwrap().len(), 1);
    store.settings_mut().set("retention.call_log_days", &90u32, now).unwrap();
    assert_eq!(store.settings().value::<u32>("retention.call_log_days").unwrap(), Some(90));
}
