//! sipp scenarios against a target, on free local ports, with the outcome parsed.

mod scenario;
mod stats;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

pub use scenario::Scenario;
pub use stats::SippOutcome;

use crate::account::Transport;
use crate::error::PeerError;
use crate::net::{
    free_udp_range, free_udp_tcp_port, loopback, start_with_retries, tcp_accepting, udp_bound,
};
use crate::process::{PeerProcess, tail};
use crate::workdir::workdir;

const PEER: &str = "sipp";
const READY_TIMEOUT: Duration = Duration::from_secs(10);
/// Extra time sipp gets to exit after its own `-timeout`.
const EXIT_SLACK: Duration = Duration::from_secs(10);

/// Configures a sipp run.
#[derive(Debug, Clone)]
pub struct SippBuilder {
    scenario: Scenario,
    target: Option<SocketAddr>,
    service: String,
    auth: Option<(String, String)>,
    keys: Vec<(String, String)>,
    calls: u32,
    rate: Option<u32>,
    pause: Duration,
    transport: Transport,
    timeout: Duration,
    trace_messages: bool,
    rtp_echo: bool,
}

impl SippBuilder {
    /// Sets the request-URI user (`-s`, default "service").
    pub fn service(mut self, user: &str) -> Self {
        self.service = user.to_owned();
        self
    }

    /// Answers digest challenges as `user` / `password` (`-au`, `-ap`).
    pub fn auth(mut self, user: &str, password: &str) -> Self {
        self.auth = Some((user.to_owned(), password.to_owned()));
        self
    }

    /// Sets a scenario keyword `[name]` (`-key`).
    pub fn key(mut self, name: &str, value: &str) -> Self {
        self.keys.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Stops after this many calls (`-m`, default 1).
    pub fn calls(mut self, calls: u32) -> Self {
        self.calls = calls;
        self
    }

    /// Places this many calls per second (`-r`, UAC only).
    pub fn rate(mut self, per_second: u32) -> Self {
        self.rate = Some(per_second);
        self
    }

    /// Length of the scenario's `<pause/>` steps (`-d`, default 1 s).
    pub fn pause(mut self, pause: Duration) -> Self {
        self.pause = pause;
        self
    }

    /// Uses UDP (default) or TCP (`-t u1` / `-t t1`); other transports fail at spawn with
    /// [`PeerError::Unsupported`].
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Ends the run after this long, failing open calls (`-timeout`, `-timeout_error`;
    /// default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Logs every message sent and received (`-trace_msg`, default on; turn off for floods).
    pub fn trace_messages(mut self, on: bool) -> Self {
        self.trace_messages = on;
        self
    }

    /// Echoes RTP received on the media port back to its sender (`-rtp_echo`), so a caller
    /// hears its own audio: a media path check without a second phone.
    pub fn rtp_echo(mut self, on: bool) -> Self {
        self.rtp_echo = on;
        self
    }

    /// Starts sipp; for a UAS scenario, returns once it listens.
    pub fn spawn(self) -> Result<SippRun, PeerError> {
        if !matches!(self.transport, Transport::Udp | Transport::Tcp) {
            let what =
                format!("SIP over {} (the harness runs sipp over UDP or TCP)", self.transport);
            return Err(PeerError::Unsupported { peer: PEER, what });
        }
        let dir = workdir("sipp-")?;
        let scenario = self.scenario.materialize(dir.path())?;
        // A server is retried on new ports if its port was taken; a client's run can only be
        // judged at its end.
        let (process, local) = if self.scenario.is_server() {
            start_with_retries(|attempt| self.launch(dir.path(), &scenario, attempt))?
        } else {
            self.launch(dir.path(), &scenario, 1)?
        };
        Ok(SippRun { process, local, timeout: self.timeout, dir })
    }

    /// Spawns sipp on new free ports; a server is awaited until it listens.
    fn launch(
        &self,
        dir: &Path,
        scenario: &Path,
        attempt: usize,
    ) -> Result<(PeerProcess, SocketAddr), PeerError> {
        let port = free_udp_tcp_port()?;
        let local = loopback(port);
        let media = free_udp_range(4)?;
        let cmd = self.command(dir, scenario, port, media);
        let log = dir.join(format!("sipp-{attempt}.log"));
        let mut process = PeerProcess::spawn(PEER, &cmd, &log)?;
        if self.scenario.is_server() {
            let tcp = self.transport == Transport::Tcp;
            process.wait_for("sipp listening", READY_TIMEOUT, |_| {
                let bound = if tcp { tcp_accepting(local) } else { udp_bound(local) };
                bound.then_some(())
            })?;
        }
        Ok((process, local))
    }

    /// Runs to completion and returns the outcome.
    pub fn run(self) -> Result<SippOutcome, PeerError> {
        self.spawn()?.wait()
    }

    fn command(&self, dir: &Path, scenario: &Path, port: u16, media: u16) -> Command {
        let mut cmd = Command::new("sipp");
        if let Some(target) = self.target {
            cmd.arg(target.to_string());
        }
        cmd.arg("-sf").arg(scenario);
        cmd.args(["-i", "127.0.0.1", "-p", &port.to_string(), "-mp", &media.to_string()]);
        cmd.args(["-s", &self.service, "-m", &self.calls.to_string()]);
        cmd.args(["-d", &self.pause.as_millis().to_string()]);
        cmd.args(["-t", if self.transport == Transport::Tcp { "t1" } else { "u1" }]);
        cmd.args(["-timeout", &format!("{}s", self.timeout.as_secs().max(1)), "-timeout_error"]);
        if let Some(rate) = self.rate {
            cmd.args(["-r", &rate.to_string(), "-rp", "1000"]);
        }
        if let Some((user, password)) = &self.auth {
            cmd.args(["-au", user, "-ap", password]);
        }
        for (name, value) in &self.keys {
            cmd.args(["-key", name, value]);
        }
        cmd.arg("-trace_stat").arg("-stf").arg(dir.join("stat.csv"));
        cmd.arg("-trace_err").arg("-error_file").arg(dir.join("errors.log"));
        if self.trace_messages {
            cmd.arg("-trace_msg").arg("-message_file").arg(dir.join("messages.log"));
        }
        if self.rtp_echo {
            cmd.arg("-rtp_echo");
        }
        cmd.arg("-nostdin");
        cmd
    }
}

/// A sipp run in progress; killed by PID on drop.
#[derive(Debug)]
pub struct SippRun {
    process: PeerProcess,
    local: SocketAddr,
    timeout: Duration,
    // Last: removed only after the process stopped.
    dir: TempDir,
}

/// Entry points.
#[derive(Debug)]
pub struct Sipp;

impl Sipp {
    /// A client scenario sending to `target`.
    pub fn uac(scenario: Scenario, target: SocketAddr) -> SippBuilder {
        SippBuilder { target: Some(target), ..Self::builder(scenario) }
    }

    /// A server scenario: it waits for calls on [`SippRun::local_addr`].
    pub fn uas(scenario: Scenario) -> SippBuilder {
        Self::builder(scenario)
    }

    fn builder(scenario: Scenario) -> SippBuilder {
        SippBuilder {
            scenario,
            target: None,
            service: "service".to_owned(),
            auth: None,
            keys: Vec::new(),
            calls: 1,
            rate: None,
            pause: Duration::from_secs(1),
            transport: Transport::Udp,
            timeout: Duration::from_secs(30),
            trace_messages: true,
            rtp_echo: false,
        }
    }
}

impl SippRun {
    /// Where sipp sends from and listens (for a UAS: the address to call).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// A URI that reaches this sipp as `user`.
    pub fn uri(&self, user: &str) -> String {
        format!("sip:{user}@{}", self.local)
    }

    /// The working directory (scenario, statistics, traces).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Every message sipp sent and received so far (`-trace_msg`).
    pub fn messages(&self) -> String {
        read_lossy(&self.dir.path().join("messages.log"))
    }

    /// Waits for sipp to finish (its own timeout plus slack) and reads its statistics.
    pub fn wait(mut self) -> Result<SippOutcome, PeerError> {
        let exit_code = self.process.wait_exit(self.timeout + EXIT_SLACK)?;
        let stat = read_lossy(&self.dir.path().join("stat.csv"));
        let (created, successful, failed) = stats_or_zero(&stat);
        let errors = tail(&read_lossy(&self.dir.path().join("errors.log")), 30);
        let errors = if errors.is_empty() { self.process.log_tail() } else { errors };
        let messages = self.messages();
        Ok(SippOutcome { exit_code, successful, failed, created, errors, messages })
    }
}

fn stats_or_zero(text: &str) -> (u64, u64, u64) {
    stats::parse_stat_csv(text).unwrap_or((0, 0, 0))
}

fn read_lossy(path: &Path) -> String {
    std::fs::read(path).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
}
