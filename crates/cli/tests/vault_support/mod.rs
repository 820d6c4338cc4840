//! Shared harness for the `vault_*` CLI tests: a private D-Bus session with a real
//! gnome-keyring-daemon, a data directory and a software authenticator file per test.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use store::DbKey;
use vault::KeyringEntry;
use vault::testkit::KeyringSession;

/// One test's world: its own keyring, vault directory and authenticator.
pub struct Harness {
    pub session: KeyringSession,
    pub data: PathBuf,
    pub token: PathBuf,
}

impl Harness {
    /// Starts the keyring; the vault is not created yet.
    pub fn new() -> Self {
        let session = KeyringSession::start().expect("private keyring session");
        let data = session.scratch().join("data");
        let token = session.scratch().join("soft-token.cbor");
        Harness { session, data, token }
    }

    /// Starts the keyring and runs `vault init`.
    pub fn initialised() -> Self {
        let h = Self::new();
        h.ok(&["init", "--label", "test key"]);
        h
    }

    /// `callwarden-cli vault ARGS` pointed at this world and its software token.
    pub fn cli(&self, args: &[&str]) -> Command {
        self.cli_with(&format!("soft:{}", self.token.display()), args)
    }

    /// `callwarden-cli vault --authenticator AUTHENTICATOR ARGS` pointed at this world.
    pub fn cli_with(&self, authenticator: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_callwarden-cli"));
        self.session.apply(&mut cmd);
        cmd.arg("vault")
            .arg("--data-dir")
            .arg(&self.data)
            .arg("--authenticator")
            .arg(authenticator)
            .args(args);
        cmd
    }

    /// Runs and returns the output, whatever the exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cli(args).output().expect("run callwarden-cli")
    }

    /// Runs, asserts success and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "vault {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// The vault key, read back from the Secret Service with `secret-tool`.
    pub fn key_from_secret_tool(&self) -> DbKey {
        let hex = self
            .session
            .secret_tool_lookup(KeyringEntry::SERVICE, "default")
            .expect("secret-tool finds the vault key");
        let hex = hex.trim();
        assert_eq!(hex.len(), 64, "a 256-bit key as hex");
        let bytes: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex digit"))
            .collect();
        DbKey::from_slice(&bytes).expect("32 bytes")
    }

    /// The vault file.
    pub fn file(&self) -> PathBuf {
        self.data.join("vault.db")
    }
}

/// True when `needle` occurs in the file at `path` (missing files hold nothing).
pub fn file_contains(path: &Path, needle: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
}
