//! A peer process: spawned in its own process group with its output in a log file, stopped by
//! PID on drop (SIGTERM, a deadline, then SIGKILL), even when the test panics.

use std::fs::File;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::error::PeerError;
use crate::wait::poll_until;

/// How long a peer may live at most, even if the test process dies without running `Drop`
/// (enforced by coreutils `timeout`, which is part of the peer's process group).
const MAX_LIFETIME: Duration = Duration::from_secs(600);
/// How long a peer gets to exit after SIGTERM before it is killed.
const TERM_GRACE: Duration = Duration::from_secs(3);
/// Lines of log shown in errors.
const TAIL_LINES: usize = 40;

/// A running peer program. Dropping it stops the whole process group.
#[derive(Debug)]
pub struct PeerProcess {
    peer: &'static str,
    child: Child,
    log: PathBuf,
}

impl PeerProcess {
    /// Spawns `command` (program and arguments already set) with stdout and stderr appended to
    /// `log` and stdin closed.
    pub fn spawn(peer: &'static str, command: &Command, log: &Path) -> Result<Self, PeerError> {
        let out =
            File::options().create(true).append(true).open(log).map_err(PeerError::file(log))?;
        let err = out.try_clone().map_err(PeerError::file(log))?;
        let mut wrapped = Command::new("timeout");
        wrapped
            .arg("--kill-after=5")
            .arg(MAX_LIFETIME.as_secs().to_string())
            .arg(command.get_program())
            .args(command.get_args())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => wrapped.env(key, value),
                None => wrapped.env_remove(key),
            };
        }
        if let Some(dir) = command.get_current_dir() {
            wrapped.current_dir(dir);
        }
        let child = wrapped.spawn().map_err(|source| PeerError::Spawn {
            peer,
            program: command.get_program().to_string_lossy().into_owned(),
            source,
        })?;
        Ok(Self { peer, child, log: log.to_path_buf() })
    }

    /// The process id of the group leader (the `timeout` wrapper around the peer).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The file holding everything the peer printed.
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// The whole log as text (lossy UTF-8); empty if it cannot be read.
    pub fn log(&self) -> String {
        std::fs::read(&self.log)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// The last lines of the log, for error messages.
    pub fn log_tail(&self) -> String {
        tail(&self.log(), TAIL_LINES)
    }

    /// Fails with [`PeerError::Exited`] if the process has already ended.
    pub fn ensure_running(&mut self) -> Result<(), PeerError> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(PeerError::Exited {
                peer: self.peer,
                status: status.to_string(),
                log_tail: self.log_tail(),
            }),
            Err(source) => Err(PeerError::Io { peer: self.peer, source }),
        }
    }

    /// Waits until `condition` holds, failing early if the process exits and with the log tail
    /// on timeout. `what` names the condition in the error.
    pub fn wait_for<T>(
        &mut self,
        what: &str,
        timeout: Duration,
        mut condition: impl FnMut(&Self) -> Option<T>,
    ) -> Result<T, PeerError> {
        let started = Instant::now();
        let found = poll_until(timeout, || {
            if let Err(e) = self.ensure_running() {
                return Some(Err(e));
            }
            condition(self).map(Ok)
        });
        match found {
            Some(result) => result,
            None => Err(self.timeout_error(what, started.elapsed())),
        }
    }

    /// Waits until a log line contains `needle`.
    pub fn wait_for_log(&mut self, needle: &str, timeout: Duration) -> Result<(), PeerError> {
        self.wait_for(&format!("log line {needle:?}"), timeout, |p| {
            p.log().contains(needle).then_some(())
        })
    }

    /// A [`PeerError::Timeout`] for this peer carrying its log tail.
    pub fn timeout_error(&self, what: &str, waited: Duration) -> PeerError {
        PeerError::Timeout {
            peer: self.peer,
            what: what.to_owned(),
            waited,
            log_tail: self.log_tail(),
        }
    }

    /// Waits for the process to exit by itself, up to `timeout`; returns its exit code
    /// (`None` if killed by a signal).
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<Option<i32>, PeerError> {
        let peer = self.peer;
        let started = Instant::now();
        let status = poll_until(timeout, || self.child.try_wait().transpose());
        match status {
            Some(Ok(status)) => Ok(status.code()),
            Some(Err(source)) => Err(PeerError::Io { peer, source }),
            None => Err(self.timeout_error("process exit", started.elapsed())),
        }
    }

    /// Stops the process group: SIGTERM, up to 3 s for it to exit, then SIGKILL. Idempotent.
    pub fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            self.kill_group(Signal::SIGKILL); // leftovers of the group, if any
            return;
        }
        self.kill_group(Signal::SIGTERM);
        let exited = poll_until(TERM_GRACE, || self.child.try_wait().ok().flatten()).is_some();
        // Children of the wrapped peer (Kamailio workers) may outlive their parent briefly.
        self.kill_group(Signal::SIGKILL);
        if !exited {
            let _ = self.child.wait();
        }
    }

    fn kill_group(&self, signal: Signal) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // ESRCH (group already gone) is the expected outcome after a clean exit.
            let _ = killpg(Pid::from_raw(pid), signal);
        }
    }
}

impl Drop for PeerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// True while any process of the group led by `pid` exists (for checking cleanup).
pub fn group_alive(pid: u32) -> bool {
    i32::try_from(pid).is_ok_and(|pid| killpg(Pid::from_raw(pid), None).is_ok())
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
