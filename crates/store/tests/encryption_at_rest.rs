//! The vault file at rest: no plaintext, a wrong key is named, a flipped byte is caught.

mod common;

use std::fs;

use store::{DbKey, Store, StoreError};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn file_and_wal_hold_no_numbers_or_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    let mut store = Store::open(&path, &common::key()).unwrap();
    for n in 0..200 {
        store.calls_mut().insert(&common::call(n, 1_700_000_000_000 + i64::from(n))).unwrap();
    }
    // Look at both the WAL (before checkpoint) and the main file (after).
    let wal = fs::read(dir.path().join("vault.db-wal")).unwrap();
    assert!(wal.len() > 4096, "the inserts went through the WAL");
    store.checkpoint().unwrap();
    let main = fs::read(&path).unwrap();
    for bytes in [&wal, &main] {
        for needle in
            ["+493000000007", "Zebulon", "Quackenbush", "caution", "unattested", "CREATE TABLE"]
        {
            assert!(!contains(bytes, needle.as_bytes()), "{needle} found in the raw file");
        }
        assert!(!contains(bytes, b"SQLite format 3"), "header must be encrypted too");
    }
    assert_eq!(store.calls().count().unwrap(), 200);
}

#[test]
fn wrong_key_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    let mut store = Store::open(&path, &common::key()).unwrap();
    store.calls_mut().insert(&common::call(1, 1)).unwrap();
    drop(store);

    let err = Store::open(&path, &DbKey::from_bytes([0x43; 32])).err().expect("wrong key refused");
    assert!(matches!(err, StoreError::WrongKeyOrNotADatabase), "got {err:?}");
    assert_eq!(err.to_string(), "wrong key, or the file is not a Callwarden vault");
    // The right key still opens it: the failed attempt changed nothing.
    assert_eq!(Store::open(&path, &common::key()).unwrap().calls().count().unwrap(), 1);
}

#[test]
fn a_flipped_byte_in_a_page_is_detected_never_read_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    let mut store = Store::open(&path, &common::key()).unwrap();
    for n in 0..500 {
        store.calls_mut().insert(&common::call(n, i64::from(n))).unwrap();
    }
    store.checkpoint().unwrap();
    drop(store);

    let mut bytes = fs::read(&path).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages > 10, "enough pages to damage one in the middle");
    let victim = pages - 3; // a page of the calls table, not the schema page
    bytes[victim * 4096 + 100] ^= 0x01;
    fs::write(&path, &bytes).unwrap();

    let store = Store::open(&path, &common::key()).unwrap();
    let page = u32::try_from(victim + 1).unwrap(); // SQLite numbers pages from 1
    let err = store.check_integrity().unwrap_err();
    assert!(matches!(err, StoreError::Corrupted { page: Some(p) } if p == page), "got {err:?}");
    let err = store.calls().between(
        store::Timestamp::from_unix_millis(0),
        store::Timestamp::from_unix_millis(i64::MAX),
    );
    let err = err.expect_err("reading the damaged page must fail, not return data");
    assert!(matches!(err, StoreError::Corrupted { page: Some(p) } if p == page), "got {err:?}");
    assert!(err.to_string().contains(&format!("page {page}")));
}
