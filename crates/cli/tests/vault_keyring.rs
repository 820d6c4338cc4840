//! The vault key lives in the real Secret Service (gnome-keyring-daemon on a private bus),
//! never on disk, and a wrong key is reported as such.

mod vault_support;

use std::process::Command;

use store::Store;
use vault_support::{Harness, file_contains};

#[test]
fn init_keeps_a_random_key_in_the_secret_service() {
    let h = Harness::initialised();
    let key = h.key_from_secret_tool();
    // The key read back through libsecret opens the file the CLI created: it is the real key.
    let store = Store::open(&h.file(), &key).expect("the keyring's key opens the vault");
    assert!(store.passkeys().all().unwrap().len() == 1, "init enrolled one passkey");
    drop(store);
    // ... and it is nowhere on disk in the clear, neither in the data dir nor beside it.
    let hex: String = key.expose().iter().map(|b| format!("{b:02x}")).collect();
    for file in std::fs::read_dir(&h.data).unwrap() {
        let path = file.unwrap().path();
        assert!(!file_contains(&path, hex.as_bytes()), "hex key in {}", path.display());
        assert!(!file_contains(&path, key.expose()), "raw key in {}", path.display());
    }
    assert!(!file_contains(&h.token, key.expose()));
}

#[test]
fn calls_recorded_by_one_process_are_listed_by_the_next() {
    let h = Harness::initialised();
    let id =
        h.ok(&["add-call", "--number", "+14155550123", "--name", "Ada Lovelace", "--at", "1000"]);
    let listed = h.ok(&["list", "--limit", "5"]);
    assert!(
        listed.starts_with(&format!("{}\t1000\t+14155550123\tAda Lovelace", id.trim())),
        "{listed}"
    );
    assert!(!file_contains(&h.file(), b"Ada Lovelace"));
    assert!(!file_contains(&h.data.join("vault.db-wal"), b"+14155550123"));
}

#[test]
fn a_replaced_key_is_reported_as_the_wrong_key() {
    let h = Harness::initialised();
    let mut store = Command::new("secret-tool");
    h.session.apply(&mut store);
    let mut child = store
        .args([
            "store",
            "--label=tampered",
            "service",
            vault::KeyringEntry::SERVICE,
            "username",
            "default",
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all("00".repeat(32).as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());

    let out = h.run(&["list"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wrong key, or the file is not a Callwarden vault"), "{stderr}");
}

#[test]
fn a_second_init_is_refused() {
    let h = Harness::initialised();
    let out = h.run(&["init"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already initialised"));
}
