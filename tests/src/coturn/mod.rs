//! coturn as STUN/TURN server on a free loopback port with static long-term credentials.

mod relay;
mod usage;

use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

pub use relay::RelayReport;
pub use usage::PeerUsage;

use crate::command::run;
use crate::error::PeerError;
use crate::net::{free_udp_range, free_udp_tcp_port, loopback, start_with_retries, tcp_accepting};
use crate::pki::TlsCert;
use crate::process::PeerProcess;
use crate::workdir::{workdir, write_file};

const PEER: &str = "coturn";
const TEMPLATE: &str = include_str!("../../peers/coturn/turnserver.conf.in");
const READY_TIMEOUT: Duration = Duration::from_secs(15);
/// How many relay ports the instance may allocate from.
const RELAY_RANGE: u16 = 20;

/// Configures a [`Coturn`] before start. Defaults: user `turnuser` / `turnpass`, realm
/// `callwarden.test`.
#[derive(Debug, Clone)]
pub struct CoturnBuilder {
    user: String,
    password: String,
    realm: String,
    tls: bool,
    verbose: bool,
}

impl CoturnBuilder {
    /// Sets the one static long-term credential.
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.user = user.to_owned();
        self.password = password.to_owned();
        self
    }

    /// Sets the realm.
    pub fn realm(mut self, realm: &str) -> Self {
        self.realm = realm.to_owned();
        self
    }

    /// Also listens for TURN over TLS (RFC 5766 §2.1) with a self-signed certificate for
    /// 127.0.0.1 ([`Coturn::tls_addr`], [`Coturn::tls_cert`]). Default off.
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// Logs every session's events, and at its end the traffic it relayed
    /// ([`Coturn::peer_usage`]). Default off.
    pub fn verbose(mut self, on: bool) -> Self {
        self.verbose = on;
        self
    }

    /// Starts coturn and waits until it answers a STUN binding request (and accepts TLS).
    pub fn start(self) -> Result<Coturn, PeerError> {
        let dir = workdir("coturn-")?;
        let cert = self.tls.then(|| TlsCert::generate(dir.path())).transpose()?;
        let (process, ports) =
            start_with_retries(|attempt| self.launch(dir.path(), cert.as_ref(), attempt))?;
        Ok(Coturn { process, ports, cert, builder: self, dir })
    }

    /// Writes the configuration for new free ports, spawns coturn and waits for STUN answers.
    fn launch(
        &self,
        dir: &Path,
        cert: Option<&TlsCert>,
        attempt: usize,
    ) -> Result<(PeerProcess, CoturnPorts), PeerError> {
        let ports = CoturnPorts {
            plain: free_udp_tcp_port()?,
            tls: cert.map(|_| free_udp_tcp_port()).transpose()?,
            relay_min: free_udp_range(RELAY_RANGE)?,
        };
        let conf = dir.join("turnserver.conf");
        write_file(&conf, &self.render(dir, ports, cert))?;
        let mut cmd = Command::new("turnserver");
        cmd.arg("-c").arg(&conf);
        let log = dir.join(format!("turnserver-{attempt}.log"));
        let mut process = PeerProcess::spawn(PEER, &cmd, &log)?;
        let addr = loopback(ports.plain);
        process.wait_for("a STUN binding response", READY_TIMEOUT, |_| stun_answers(addr))?;
        if let Some(tls) = ports.tls {
            process.wait_for("the TLS listener", READY_TIMEOUT, |_| {
                tcp_accepting(loopback(tls)).then_some(())
            })?;
        }
        Ok((process, ports))
    }

    fn render(&self, dir: &Path, ports: CoturnPorts, cert: Option<&TlsCert>) -> String {
        let tls_lines = match (ports.tls, cert) {
            (Some(port), Some(cert)) => format!(
                "tls-listening-port={port}\ncert={}\npkey={}",
                cert.cert.display(),
                cert.key.display()
            ),
            _ => "no-tls".to_owned(),
        };
        [
            ("@PORT@", ports.plain.to_string()),
            ("@TLS_LINES@", tls_lines),
            ("@RELAY_MIN@", ports.relay_min.to_string()),
            ("@RELAY_MAX@", (ports.relay_min + RELAY_RANGE - 1).to_string()),
            ("@REALM@", self.realm.clone()),
            ("@USER@", self.user.clone()),
            ("@PASSWORD@", self.password.clone()),
            ("@DIR@", dir.display().to_string()),
        ]
        .iter()
        .fold(TEMPLATE.to_owned(), |conf, (key, value)| conf.replace(key, value))
            + if self.verbose { "verbose\n" } else { "" }
    }
}

/// The ports of one instance (all on 127.0.0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoturnPorts {
    /// STUN/TURN over UDP and TCP.
    pub plain: u16,
    /// TURN over TLS, when enabled.
    pub tls: Option<u16>,
    /// First port of the relay range.
    pub relay_min: u16,
}

/// A running coturn; stopped by PID on drop.
#[derive(Debug)]
pub struct Coturn {
    process: PeerProcess,
    ports: CoturnPorts,
    cert: Option<TlsCert>,
    builder: CoturnBuilder,
    // Last: removed only after the process stopped.
    dir: TempDir,
}

impl Coturn {
    /// A builder with the default credentials.
    pub fn builder() -> CoturnBuilder {
        CoturnBuilder {
            user: "turnuser".to_owned(),
            password: "turnpass".to_owned(),
            realm: "callwarden.test".to_owned(),
            tls: false,
            verbose: false,
        }
    }

    /// Starts an instance with the default credentials.
    pub fn start() -> Result<Self, PeerError> {
        Self::builder().start()
    }

    /// The STUN/TURN listener (UDP and TCP).
    pub fn addr(&self) -> SocketAddr {
        loopback(self.ports.plain)
    }

    /// The TURN-over-TLS listener, when enabled with [`CoturnBuilder::tls`].
    pub fn tls_addr(&self) -> Option<SocketAddr> {
        self.ports.tls.map(loopback)
    }

    /// The TLS certificate (self-signed: trust it as a CA), when TLS is enabled.
    pub fn tls_cert(&self) -> Option<&TlsCert> {
        self.cert.as_ref()
    }

    /// The listening ports.
    pub fn ports(&self) -> CoturnPorts {
        self.ports
    }

    /// The `stun:` URI of the server.
    pub fn stun_uri(&self) -> String {
        format!("stun:{}", self.addr())
    }

    /// The `turn:` URI of the server (UDP).
    pub fn turn_uri(&self) -> String {
        format!("turn:{}?transport=udp", self.addr())
    }

    /// The long-term credential: (user, password).
    pub fn credentials(&self) -> (&str, &str) {
        (&self.builder.user, &self.builder.password)
    }

    /// The realm.
    pub fn realm(&self) -> &str {
        &self.builder.realm
    }

    /// The process id (leader of the peer's process group).
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// The working directory (configuration, log).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Everything coturn logged so far.
    pub fn log(&self) -> String {
        self.process.log()
    }

    /// Runs `turnutils_stunclient` against the server; returns the reflexive address it
    /// reports (e.g. `127.0.0.1:40000`).
    pub fn stun_binding(&self) -> Result<String, PeerError> {
        let out = run(Command::new("turnutils_stunclient").args([
            "-p",
            &self.ports.plain.to_string(),
            "127.0.0.1",
        ]))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let reflexive = text.lines().find_map(|l| {
            let (_, addr) = l.split_once("UDP reflexive addr:")?;
            Some(addr.trim().to_owned())
        });
        reflexive.ok_or_else(|| PeerError::Control {
            peer: PEER,
            command: "turnutils_stunclient".to_owned(),
            reason: format!("no reflexive address in {text:?}"),
        })
    }
}

/// Sends one STUN Binding request (RFC 5389) and checks for a Binding success response.
/// Hand-written: the request is 20 fixed bytes; a STUN crate would be weight for a probe.
fn stun_answers(server: SocketAddr) -> Option<()> {
    let socket = UdpSocket::bind(loopback(0)).ok()?;
    socket.set_read_timeout(Some(Duration::from_millis(200))).ok()?;
    let mut request = [0u8; 20];
    request[..2].copy_from_slice(&0x0001u16.to_be_bytes()); // Binding request, length 0
    request[4..8].copy_from_slice(&0x2112_A442u32.to_be_bytes()); // magic cookie
    request[8..20].copy_from_slice(b"callwarden42"); // transaction id
    socket.send_to(&request, server).ok()?;
    let mut buf = [0u8; 512];
    let (len, _) = socket.recv_from(&mut buf).ok()?;
    let response = buf.get(..len)?;
    let success = response.get(..2) == Some(&[0x01, 0x01]);
    (success && response.get(8..20) == Some(&request[8..20])).then_some(())
}
