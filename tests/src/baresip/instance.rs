//! A running baresip instance and what a test does with it.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::config::{BaresipPorts, Identity};
use super::ctrl::{Ctrl, Response};
use super::event::{Event, EventKind};
use super::{BaresipBuilder, cons};
use crate::account::SipAccount;
use crate::error::PeerError;
use crate::net::loopback;
use crate::process::PeerProcess;
use crate::wait::poll_until;

const PEER: &str = "baresip";
const COMMAND_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a quitting baresip gets before it is killed by PID (it sometimes ignores SIGTERM).
const QUIT_GRACE: Duration = Duration::from_secs(2);

/// A running baresip; quits (then is killed by PID if needed) on drop.
#[derive(Debug)]
pub struct Baresip {
    process: PeerProcess,
    ctrl: Ctrl,
    ports: BaresipPorts,
    identity: Identity,
    rec: PathBuf,
    /// Indices of events already returned by [`Baresip::wait_for_event`].
    consumed: HashSet<usize>,
    // Last: removed only after the process stopped.
    dir: TempDir,
}

impl Baresip {
    pub(super) fn new(
        process: PeerProcess,
        ctrl: Ctrl,
        ports: BaresipPorts,
        identity: Identity,
        rec: PathBuf,
        dir: TempDir,
    ) -> Self {
        Self { process, ctrl, ports, identity, rec, consumed: HashSet::new(), dir }
    }

    /// A peer-to-peer phone `sip:USER@127.0.0.1:PORT` that does not register.
    pub fn direct(user: &str) -> BaresipBuilder {
        BaresipBuilder::new(Identity::Direct { user: user.to_owned() })
    }

    /// A phone that registers `account` (e.g. from [`crate::Kamailio::account`]) over UDP, TCP
    /// or TLS; baresip 1.0.0 has no WebSocket transport (`start` fails with `Unsupported`).
    pub fn registered(account: SipAccount) -> BaresipBuilder {
        BaresipBuilder::new(Identity::Registered(Box::new(account)))
    }

    /// The listening ports.
    pub fn ports(&self) -> BaresipPorts {
        self.ports
    }

    /// The SIP listener (UDP and TCP).
    pub fn sip_addr(&self) -> SocketAddr {
        loopback(self.ports.sip)
    }

    /// The URI to call this phone at: its direct contact, or its address of record.
    pub fn uri(&self) -> String {
        match &self.identity {
            Identity::Direct { user } => format!("sip:{user}@{}", self.sip_addr()),
            Identity::Registered(account) => account.aor(),
        }
    }

    /// Sends a `ctrl_tcp` command; fails unless baresip answers ok.
    pub fn command(&mut self, command: &str, params: &str) -> Result<Response, PeerError> {
        let response = self.ctrl.command(command, params, COMMAND_TIMEOUT)?;
        if response.ok {
            Ok(response)
        } else {
            let reason =
                format!("{}\n--- log tail ---\n{}", response.data, self.process.log_tail());
            Err(PeerError::Control { peer: PEER, command: command.to_owned(), reason })
        }
    }

    /// Places a call to `uri`.
    pub fn dial(&mut self, uri: &str) -> Result<(), PeerError> {
        self.command("dial", uri).map(drop)
    }

    /// Answers the ringing incoming call.
    pub fn accept(&mut self) -> Result<(), PeerError> {
        self.command("accept", "").map(drop)
    }

    /// Hangs up the current call.
    pub fn hangup(&mut self) -> Result<(), PeerError> {
        self.command("hangup", "").map(drop)
    }

    /// Sends one DTMF digit (RFC 4733) on the current call.
    pub fn send_dtmf(&mut self, digit: char) -> Result<(), PeerError> {
        self.command("sndcode", &digit.to_string()).map(drop)
    }

    /// Puts the current call on hold (re-INVITE with `a=sendonly`).
    pub fn hold(&mut self) -> Result<(), PeerError> {
        let addr = loopback(self.ports.cons);
        cons::press(addr, 'x', "call: hold", COMMAND_TIMEOUT).map(drop)
    }

    /// Resumes the held call (re-INVITE with `a=sendrecv`).
    pub fn resume(&mut self) -> Result<(), PeerError> {
        let addr = loopback(self.ports.cons);
        cons::press(addr, 'X', "call: resume", COMMAND_TIMEOUT).map(drop)
    }

    /// Every event received so far (including consumed ones).
    pub fn events(&self) -> Vec<Event> {
        self.ctrl.events()
    }

    /// Waits for the oldest event of `kind` this method has not returned yet: events that
    /// arrived before the call are not missed, none is returned twice, and waiting for one kind
    /// does not skip events of another.
    pub fn wait_for_event(
        &mut self,
        kind: EventKind,
        timeout: Duration,
    ) -> Result<Event, PeerError> {
        let started = Instant::now();
        let consumed = &self.consumed;
        match self.ctrl.wait_event(timeout, |i, e| e.kind == kind && !consumed.contains(&i)) {
            Some((index, event)) => {
                self.consumed.insert(index);
                Ok(event)
            }
            None => {
                let seen: Vec<String> =
                    self.events().iter().map(|e| format!("{:?}", e.kind)).collect();
                let what = format!("event {kind:?} (events so far: {})", seen.join(", "));
                Err(self.process.timeout_error(&what, started.elapsed()))
            }
        }
    }

    /// Waits until the account is registered: a `REGISTER_OK` event, or `reginfo` saying OK
    /// (registration may complete before the control connection exists). Fails at once on
    /// `REGISTER_FAIL`, with its reason.
    pub fn wait_registered(&mut self, timeout: Duration) -> Result<(), PeerError> {
        let started = Instant::now();
        let aor = self.uri();
        let outcome = poll_until(timeout, || {
            let events = self.ctrl.events();
            if let Some(fail) = events.iter().find(|e| e.kind == EventKind::RegisterFail) {
                return Some(Err(fail.param.clone()));
            }
            if events.iter().any(|e| e.kind == EventKind::RegisterOk) {
                return Some(Ok(()));
            }
            let info = self.ctrl.command("reginfo", "", COMMAND_TIMEOUT).ok()?;
            // e.g. "> sip:1001@127.0.0.1   \x1b[32mOK \x1b[;m kamailio ... Expires 60s"
            info.data.lines().any(|l| l.contains(&aor) && l.contains("OK ")).then_some(Ok(()))
        });
        match outcome {
            Some(Ok(())) => Ok(()),
            Some(Err(reason)) => Err(PeerError::Control {
                peer: PEER,
                command: "register".to_owned(),
                reason: format!("REGISTER_FAIL {reason}"),
            }),
            None => Err(self.process.timeout_error("registration", started.elapsed())),
        }
    }

    /// Recordings of received audio (`*-dec.wav`), oldest first. A file is complete once the
    /// call is closed (`CALL_CLOSED`). Names have one-second resolution.
    pub fn recordings(&self) -> Result<Vec<PathBuf>, PeerError> {
        let entries = std::fs::read_dir(&self.rec).map_err(PeerError::file(&self.rec))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with("-dec.wav"))
            .collect();
        files.sort();
        Ok(files)
    }

    /// The newest recording of received audio.
    pub fn received_audio(&self) -> Result<PathBuf, PeerError> {
        self.recordings()?.pop().ok_or_else(|| PeerError::File {
            path: self.rec.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no *-dec.wav recording"),
        })
    }

    /// The process id (leader of the peer's process group).
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Waits until the newest recording of received audio holds at least `audio` of sound
    /// (judged from its size and the byte rate in its WAV header), i.e. until that much audio
    /// has arrived in the current call.
    pub fn wait_received_audio(
        &mut self,
        audio: Duration,
        timeout: Duration,
    ) -> Result<(), PeerError> {
        let started = Instant::now();
        let enough = poll_until(timeout, || {
            let path = self.recordings().ok()?.pop()?;
            let bytes = std::fs::read(&path).ok()?;
            let byte_rate = u32::from_le_bytes(bytes.get(28..32)?.try_into().ok()?);
            let needed = 44.0 + f64::from(byte_rate) * audio.as_secs_f64();
            (bytes.len() as f64 >= needed).then_some(())
        });
        let what = format!("{audio:?} of received audio");
        enough.ok_or_else(|| self.process.timeout_error(&what, started.elapsed()))
    }

    /// The working directory (config, accounts, log, recordings).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The log file.
    pub fn log_path(&self) -> &Path {
        self.process.log_path()
    }

    /// Everything baresip printed so far.
    pub fn log(&self) -> String {
        self.process.log()
    }

    /// Quits gracefully (hangs up calls, closes recordings) and waits for the process to end;
    /// kills it by PID if it does not.
    pub fn quit(&mut self) {
        let _ = self.ctrl.command("quit", "", QUIT_GRACE);
        if self.process.wait_exit(QUIT_GRACE).is_err() {
            self.process.stop();
        }
    }
}

impl Drop for Baresip {
    fn drop(&mut self) {
        self.quit();
    }
}
