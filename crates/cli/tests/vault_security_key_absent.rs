//! A release build's default authenticator is a USB security key. On a machine without one
//! (CI and the dev machines have none), `vault init` stops at once, names what is missing, and
//! creates nothing: no vault file, no key in the keyring.

mod vault_support;

use std::time::Instant;

use vault::DEFAULT_TOUCH_TIMEOUT;
use vault_support::Harness;

#[test]
fn init_without_a_security_key_says_so_and_creates_nothing() {
    let h = Harness::new();
    let started = Instant::now();
    let out = h.cli_with("usb", &["init"]).output().expect("run callwarden-cli");
    let elapsed = started.elapsed();

    assert!(!out.status.success(), "init cannot succeed without a key");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no FIDO2 security key found over USB"), "stderr: {stderr}");
    assert!(!stderr.contains("touch your security key"), "nothing to touch: {stderr}");
    assert!(elapsed < DEFAULT_TOUCH_TIMEOUT / 3, "it did not wait for a touch: {elapsed:?}");
    assert!(!h.file().exists(), "no vault file was created");
    assert!(
        h.session.secret_tool_lookup(vault::KeyringEntry::SERVICE, "default").is_none(),
        "no vault key was stored"
    );
}
