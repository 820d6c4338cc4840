//! The key round-trips through the real Secret Service: gnome-keyring-daemon on a private D-Bus
//! session started by this test, checked from outside with `secret-tool`.
//!
//! The Secret Service client finds the bus through `DBUS_SESSION_BUS_ADDRESS`, which a test may
//! not change for its own process; so the test re-runs its own binary (only this test, with the
//! private session's environment) to do the in-process keyring work.

use std::process::Command;

use vault::KeyringEntry;
use vault::testkit::KeyringSession;

const CHILD: &str = "CALLWARDEN_KEYRING_CHILD";
const ACCOUNT: &str = "keyring-test";

/// The half that runs inside the private session.
fn child() {
    let entry = KeyringEntry::new(ACCOUNT);
    assert!(entry.fetch().unwrap().is_none(), "a fresh keyring has no vault key");
    let created = entry.create().unwrap();
    let fetched = entry.fetch().unwrap().expect("the key is there");
    assert_eq!(created.expose(), fetched.expose());
    let dir = std::path::PathBuf::from(std::env::var_os(CHILD).unwrap());
    let now = store::Timestamp::from_unix_millis(0);
    assert!(matches!(vault::Vault::open(&dir, &entry, now).unwrap(), vault::Opened::FirstRun(_)));
}

#[test]
fn the_vault_key_lives_in_the_secret_service() {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    let session = KeyringSession::start().expect("private keyring session");
    let data = session.scratch().join("data");
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "the_vault_key_lives_in_the_secret_service", "--nocapture"])
        .env(CHILD, &data);
    session.apply(&mut cmd);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "child: {}", String::from_utf8_lossy(&out.stdout));

    let hex =
        session.secret_tool_lookup(KeyringEntry::SERVICE, ACCOUNT).expect("secret-tool finds it");
    let hex = hex.trim();
    assert_eq!(hex.len(), 64);
    let bytes: Vec<u8> =
        (0..32).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    let key = store::DbKey::from_slice(&bytes).unwrap();
    store::Store::open(&vault::Vault::file(&data), &key)
        .expect("the keyring's key opens the vault");
    assert!(
        !session.home().join(".local/share/keyrings").read_dir().unwrap().any(|f| {
            std::fs::read(f.unwrap().path()).unwrap().windows(64).any(|w| w == hex.as_bytes())
        }),
        "gnome-keyring stores the key encrypted"
    );
}
