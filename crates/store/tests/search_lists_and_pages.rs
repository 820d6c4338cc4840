//! The reads the app's screens page and search through: the call log by direction, page by
//! page; every number on the block list; contacts and the directory by a fragment of a name or
//! number, with LIKE's wildcards taken literally.

mod common;

use store::{
    Contact, Direction, DirectoryEntry, DisplayName, ListEntry, ListKind, PhoneNumber, Store,
    Timestamp,
};

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("vault.db"), &common::key()).unwrap();
    (dir, store)
}

#[test]
fn the_call_log_pages_newest_first_and_filters_by_direction() {
    let (_dir, mut store) = open();
    for n in 0..7 {
        store.calls_mut().insert(&common::call(n, i64::from(n) * 1000)).unwrap();
    }
    let starts = |page: Vec<store::CallRecord>| -> Vec<i64> {
        page.iter().map(|c| c.call.started_at.unix_millis()).collect()
    };
    assert_eq!(starts(store.calls().page(None, 0, 3).unwrap()), [6000, 5000, 4000]);
    assert_eq!(starts(store.calls().page(None, 6, 3).unwrap()), [0]);
    // Even numbers are incoming in the fixture.
    let incoming = store.calls().page(Some(Direction::Incoming), 1, 10).unwrap();
    assert_eq!(starts(incoming), [4000, 2000, 0]);
    let outgoing = store.calls().page(Some(Direction::Outgoing), 0, 10).unwrap();
    assert!(outgoing.iter().all(|c| c.call.direction == Direction::Outgoing));
    assert_eq!(outgoing.len(), 3);
}

#[test]
fn the_block_list_lists_only_blocked_numbers_oldest_first() {
    let (_dir, mut store) = open();
    let entry = |number: &str, kind, at| ListEntry {
        number: PhoneNumber::new(number),
        kind,
        reason: None,
        added_at: Timestamp::from_unix_millis(at),
    };
    store.lists_mut().put(&entry("+15550002", ListKind::Block, 20)).unwrap();
    store.lists_mut().put(&entry("+15550001", ListKind::Block, 10)).unwrap();
    store.lists_mut().put(&entry("+15550003", ListKind::Allow, 5)).unwrap();
    let blocked = store.lists().all(ListKind::Block).unwrap();
    let numbers: Vec<&str> = blocked.iter().map(|e| e.number.expose()).collect();
    assert_eq!(numbers, ["+15550001", "+15550002"]);
    store.lists_mut().remove(&PhoneNumber::new("+15550001")).unwrap();
    assert_eq!(store.lists().all(ListKind::Block).unwrap().len(), 1);
}

#[test]
fn contacts_and_directory_are_found_by_a_fragment_of_name_or_number() {
    let (_dir, mut store) = open();
    for (name, number) in [("Ada Byron", "+442071234567"), ("Alan 100%", "+15550100")] {
        let contact = Contact { name: DisplayName::new(name), number: PhoneNumber::new(number) };
        store.contacts_mut().insert(&contact).unwrap();
    }
    let names = |found: Vec<Contact>| -> Vec<String> {
        found.iter().map(|c| c.name.expose().to_owned()).collect()
    };
    assert_eq!(names(store.contacts().search("byron", 10).unwrap()), ["Ada Byron"]);
    assert_eq!(names(store.contacts().search("2071", 10).unwrap()), ["Ada Byron"]);
    assert_eq!(names(store.contacts().search("A", 1).unwrap()), ["Ada Byron"]);
    // `%` and `_` are text here, not wildcards.
    assert_eq!(names(store.contacts().search("100%", 10).unwrap()), ["Alan 100%"]);
    assert!(store.contacts().search("_", 10).unwrap().is_empty());

    let helpdesk = DirectoryEntry {
        number: PhoneNumber::new("+12155550100"),
        name: DisplayName::new("IT Helpdesk"),
        department: Some("IT".into()),
        fetched_at: Timestamp::from_unix_millis(0),
    };
    store.directory_mut().replace_all(std::slice::from_ref(&helpdesk)).unwrap();
    assert_eq!(store.directory().search("helpdesk", 5).unwrap(), std::slice::from_ref(&helpdesk));
    assert_eq!(store.directory().search("5550100", 5).unwrap(), [helpdesk]);
    assert!(store.directory().search("payroll", 5).unwrap().is_empty());
}
