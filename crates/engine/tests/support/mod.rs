//! Shared harness for the vault tests (included with `mod support;`): a private gnome-keyring
//! session per test, the software passkey, and a phone on the training line with its vault.
//!
//! The Secret Service client finds the bus through `DBUS_SESSION_BUS_ADDRESS`, which a test may
//! not change for its own process; so each test re-runs its own binary (only that test, inside
//! the private session's environment) and does the phone work there.
#![allow(dead_code, reason = "each test file uses a part of the harness")]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use engine::api::{CallKey, LockState, Party, PhoneEvent, TrustLevel, TrustVerdict};
use engine::{KeyringEntry, Phone, PhoneEvents, Storage};
use vault::testkit::KeyringSession;

/// Set in the child process: the scratch directory of the private session.
const CHILD: &str = "CALLWARDEN_ENGINE_KEYRING_CHILD";

/// How long any one step may take on a loaded machine.
pub const STEP: Duration = Duration::from_secs(10);

/// Runs `body` inside a private keyring session, in a child process; `test` is the calling
/// test's name (the child runs only that test). `body` gets a scratch directory.
pub fn in_private_keyring<F, Fut>(test: &str, body: F)
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: Future<Output = ()>,
{
    if let Some(dir) = std::env::var_os(CHILD) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        return runtime.block_on(body(PathBuf::from(dir)));
    }
    let session = KeyringSession::start().expect("a private keyring session");
    let mut cmd = Command::new(std::env::current_exe().expect("the test binary"));
    cmd.args([test, "--exact", "--nocapture"]).env(CHILD, session.scratch());
    session.apply(&mut cmd);
    let out = cmd.output().expect("the child test runs");
    assert!(
        out.status.success(),
        "child test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "the child ran the test: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The storage in `dir` with the software passkey kept in `token`.
pub fn storage(dir: &Path, token: &str) -> Storage {
    let mut storage = Storage::new(dir.join("data"), format!("soft:{}", dir.join(token).display()));
    storage.keyring = KeyringEntry::new("engine-test");
    storage
}

/// A phone on the training line with its vault, and the events not looked at yet.
pub struct Trainee {
    pub phone: Phone,
    events: PhoneEvents,
    unread: Vec<PhoneEvent>,
}

impl Trainee {
    /// Starts the training phone on `storage`; returns it with the lock state it announced.
    pub async fn start(storage: Storage) -> (Self, LockState) {
        let (phone, events) =
            Phone::start_training_with(storage).await.expect("the training phone starts");
        let mut trainee = Self { phone, events, unread: Vec::new() };
        let state = trainee.lock_changed().await;
        (trainee, state)
    }

    /// The next `LockChanged`.
    pub async fn lock_changed(&mut self) -> LockState {
        self.wait_for("the lock state", |e| match e {
            PhoneEvent::LockChanged { state } => Some(*state),
            _ => None,
        })
        .await
    }

    /// Waits (with a deadline) for the first event `pick` accepts; earlier unread ones first.
    pub async fn wait_for<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&PhoneEvent) -> Option<T>,
    ) -> T {
        self.wait_for_within(what, STEP, &mut pick)
            .await
            .unwrap_or_else(|| panic!("timed out waiting for {what}"))
    }

    /// Like [`Trainee::wait_for`], `None` after `within`.
    pub async fn wait_for_within<T>(
        &mut self,
        what: &str,
        within: Duration,
        pick: &mut impl FnMut(&PhoneEvent) -> Option<T>,
    ) -> Option<T> {
        if let Some(at) = self.unread.iter().position(|e| pick(e).is_some()) {
            return pick(&self.unread.remove(at));
        }
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let event = match tokio::time::timeout_at(deadline, self.events.next()).await {
                Ok(Some(event)) => event,
                Ok(None) => panic!("the engine stopped while waiting for {what}"),
                Err(_) => return None,
            };
            match pick(&event) {
                Some(found) => return Some(found),
                None => self.unread.push(event),
            }
        }
    }

    /// Starts a scenario and returns the ringing call, its caller and its settled verdict.
    pub async fn ring(&mut self, scenario: &str) -> (CallKey, Party, TrustVerdict) {
        self.phone.training_call(scenario).await.expect("the line places the call");
        let (call, caller, mut verdict) = self
            .wait_for("the phone to ring", |e| match e {
                PhoneEvent::IncomingCall { call, caller, verdict, .. } => {
                    Some((call.clone(), caller.clone(), verdict.clone()))
                }
                PhoneEvent::CallBlocked { .. } => panic!("the call was blocked"),
                _ => None,
            })
            .await;
        while verdict.level == TrustLevel::Verifying {
            verdict = self
                .wait_for("the settled verdict", |e| match e {
                    PhoneEvent::TrustUpdated { call: c, verdict } if *c == call => {
                        Some(verdict.clone())
                    }
                    _ => None,
                })
                .await;
        }
        (call, caller, verdict)
    }

    /// Waits for `call` to end and returns why.
    pub async fn ended(&mut self, call: &CallKey) -> engine::api::EndReason {
        self.wait_for("the call to end", |e| match e {
            PhoneEvent::Ended { call: c, reason } if c == call => Some(reason.clone()),
            _ => None,
        })
        .await
    }

    /// Stops the phone and waits until its engine has shut down (the vault file is closed).
    pub async fn stop(mut self) {
        self.phone.shutdown();
        let deadline = tokio::time::Instant::now() + STEP;
        while let Ok(Some(_)) = tokio::time::timeout_at(deadline, self.events.next()).await {}
    }
}
