//! Test support: a private D-Bus session bus with a real gnome-keyring-daemon on it.
//!
//! Every test that needs the Secret Service starts its own [`KeyringSession`], so tests running in
//! parallel processes (nextest) never share a bus or a keyring file. The daemons are children of
//! the test and are killed by PID when the session drops. Build with the `test-keyring` feature.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private `dbus-daemon --session` plus `gnome-keyring-daemon --unlock --components=secrets`.
pub struct KeyringSession {
    dir: tempfile::TempDir,
    bus: Child,
    keyring: Child,
    address: String,
}

/// Why the keyring session could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyringSessionError {
    /// A daemon could not be spawned or talked to.
    #[error("{what}: {source}")]
    Spawn {
        /// Which step failed.
        what: &'static str,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// The daemon did not come up before the deadline.
    #[error("{0} did not start in time")]
    Timeout(&'static str),
}

fn spawn_err(what: &'static str) -> impl FnOnce(std::io::Error) -> KeyringSessionError {
    move |source| KeyringSessionError::Spawn { what, source }
}

impl KeyringSession {
    /// Starts the bus and an unlocked keyring (login password fed on stdin) in a fresh HOME.
    pub fn start() -> Result<Self, KeyringSessionError> {
        let dir = tempfile::tempdir().map_err(spawn_err("tempdir"))?;
        for sub in ["home", "run"] {
            std::fs::create_dir_all(dir.path().join(sub)).map_err(spawn_err("mkdir"))?;
        }
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(spawn_err("dbus-daemon"))?;
        let mut line = String::new();
        let stdout = bus.stdout.take().ok_or(KeyringSessionError::Timeout("dbus-daemon"))?;
        BufReader::new(stdout).read_line(&mut line).map_err(spawn_err("dbus-daemon address"))?;
        let address = line.trim().to_owned();
        let keyring = start_keyring(dir.path(), &address)?;
        let session = KeyringSession { dir, bus, keyring, address };
        session.wait_for_secrets()?;
        Ok(session)
    }

    /// Waits (with a deadline) until the keyring daemon owns `org.freedesktop.secrets`.
    fn wait_for_secrets(&self) -> Result<(), KeyringSessionError> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let mut cmd = Command::new("dbus-send");
            cmd.args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ]);
            self.apply(&mut cmd);
            let out = cmd.output().map_err(spawn_err("dbus-send"))?;
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(KeyringSessionError::Timeout("gnome-keyring-daemon"))
    }

    /// Points `cmd` at this session: bus address, HOME and XDG dirs. (In `--foreground` mode with
    /// only the secrets component the daemon prints no variables; the bus address is all a
    /// Secret Service client needs.)
    pub fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        session_env(cmd, self.dir.path(), &self.address)
    }

    /// The private HOME the keyring files live under.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// The session's scratch directory (a good place for test data directories).
    pub fn scratch(&self) -> &Path {
        self.dir.path()
    }

    /// Reads a secret back through `secret-tool` (libsecret): proof it sits in the real
    /// Secret Service, not in a mock.
    pub fn secret_tool_lookup(&self, service: &str, account: &str) -> Option<String> {
        let mut cmd = Command::new("secret-tool");
        cmd.args(["lookup", "service", service, "username", account]);
        self.apply(&mut cmd);
        let out = cmd.output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

fn session_env<'c>(cmd: &'c mut Command, dir: &Path, address: &str) -> &'c mut Command {
    let home = dir.join("home");
    cmd.env("DBUS_SESSION_BUS_ADDRESS", address)
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_RUNTIME_DIR", dir.join("run"))
}

/// Starts the keyring daemon on the bus and unlocks it with a login password on stdin.
fn start_keyring(dir: &Path, address: &str) -> Result<Child, KeyringSessionError> {
    let mut cmd = Command::new("gnome-keyring-daemon");
    cmd.args(["--foreground", "--unlock", "--components=secrets"]);
    session_env(&mut cmd, dir, address);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(spawn_err("gnome-keyring-daemon"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(b"callwarden-test-login").map_err(spawn_err("keyring password"))?;
    }
    // stdin is dropped here: the daemon has the whole password and unlocks the login keyring.
    Ok(child)
}

impl Drop for KeyringSession {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
