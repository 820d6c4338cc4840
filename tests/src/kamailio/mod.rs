//! Kamailio as registrar, proxy and STIR/SHAKEN authentication service on free loopback ports.

mod config;
mod invite;
mod probe;
mod websocket;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

pub use invite::ForwardedInvite;

use crate::account::{SipAccount, Transport};
use crate::command::run;
use crate::error::PeerError;
use crate::http::FileServer;
use crate::net::{free_tcp_port, free_udp_tcp_port, loopback, start_with_retries, tcp_accepting};
pub use crate::pki::Attestation;
use crate::pki::{StirPki, TlsCert};
use crate::process::PeerProcess;
use crate::wait::poll_until;
use crate::workdir::{create_dir, workdir, write_file};

const PEER: &str = "kamailio";
/// How long Kamailio may take to answer its first OPTIONS on a loaded machine.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// A digest user of the registrar.
#[derive(Debug, Clone)]
pub struct User {
    /// User name (the user part of the AOR and the digest user).
    pub name: String,
    /// Digest password.
    pub password: String,
    /// Attestation of INVITEs this user sends (unless overridden by `X-Attest`).
    pub attestation: Attestation,
}

/// The ports of one instance (all on 127.0.0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KamailioPorts {
    /// SIP over UDP and TCP.
    pub sip: u16,
    /// SIP over TLS.
    pub tls: u16,
    /// SIP over WebSocket.
    pub ws: u16,
    /// SIP over secure WebSocket.
    pub wss: u16,
}

impl KamailioPorts {
    fn free() -> Result<Self, PeerError> {
        Ok(Self {
            sip: free_udp_tcp_port()?,
            tls: free_tcp_port()?,
            ws: free_tcp_port()?,
            wss: free_tcp_port()?,
        })
    }
}

/// Configures a [`Kamailio`] before start. Defaults: users 1001/pw1001 (A), 1002/pw1002 (B),
/// 1003/pw1003 (C) in realm 127.0.0.1.
#[derive(Debug, Clone)]
pub struct KamailioBuilder {
    users: Vec<User>,
}

impl Default for KamailioBuilder {
    fn default() -> Self {
        let users = [("1001", Attestation::A), ("1002", Attestation::B), ("1003", Attestation::C)]
            .into_iter()
            .map(|(name, attestation)| User {
                name: name.to_owned(),
                password: format!("pw{name}"),
                attestation,
            })
            .collect();
        Self { users }
    }
}

impl KamailioBuilder {
    /// Adds (or replaces) a user.
    pub fn user(mut self, name: &str, password: &str, attestation: Attestation) -> Self {
        self.users.retain(|u| u.name != name);
        let (name, password) = (name.to_owned(), password.to_owned());
        self.users.push(User { name, password, attestation });
        self
    }

    /// Generates certificates, starts the x5u server and Kamailio, and waits until it answers.
    pub fn start(self) -> Result<Kamailio, PeerError> {
        let dir = workdir("kamailio-")?;
        let run_dir = dir.path().join("run");
        create_dir(&run_dir)?;
        let tls = TlsCert::generate(dir.path())?;
        let stir = StirPki::generate(dir.path())?;
        let x5u = FileServer::start(&stir.www)?;
        let tls_cfg = dir.path().join("tls.cfg");
        write_file(&tls_cfg, &config::render_tls(&tls.cert, &tls.key))?;
        let files = Files {
            dir: dir.path(),
            ctl_socket: run_dir.join("kamailio_ctl"),
            run_dir: &run_dir,
            tls_cfg: &tls_cfg,
            stir_key: &stir.sp_key,
            x5u_url: x5u.url("cert.pem"),
        };
        let (process, ports) = start_with_retries(|attempt| self.launch(&files, attempt))?;
        let (x5u_url, ctl_socket) = (files.x5u_url, files.ctl_socket);
        let users = self.users;
        Ok(Kamailio { process, ports, users, tls, stir, x5u, x5u_url, ctl_socket, dir })
    }

    /// Writes the configuration for new free ports, spawns Kamailio and waits until it is ready.
    fn launch(
        &self,
        files: &Files<'_>,
        attempt: usize,
    ) -> Result<(PeerProcess, KamailioPorts), PeerError> {
        let ports = KamailioPorts::free()?;
        let cfg = config::render(&config::ConfigInput {
            ports,
            users: &self.users,
            ctl_socket: &files.ctl_socket,
            tls_cfg: files.tls_cfg,
            stir_key: files.stir_key,
            x5u_url: &files.x5u_url,
        });
        let cfg_path = files.dir.join("kamailio.cfg");
        write_file(&cfg_path, &cfg)?;
        let log = files.dir.join(format!("kamailio-{attempt}.log"));
        let mut process = PeerProcess::spawn(PEER, &command(&cfg_path, files.run_dir), &log)?;
        wait_ready(&mut process, ports)?;
        Ok((process, ports))
    }
}

/// Paths and URLs an instance's configuration refers to.
struct Files<'a> {
    dir: &'a Path,
    run_dir: &'a Path,
    ctl_socket: PathBuf,
    tls_cfg: &'a Path,
    stir_key: &'a Path,
    x5u_url: String,
}

fn command(cfg: &Path, run_dir: &Path) -> Command {
    let mut cmd = Command::new("kamailio");
    // -DD: stay in the foreground; -E: log to stderr; -Y/-w/-P: everything in the temp dir.
    cmd.arg("-DD").arg("-E").arg("-f").arg(cfg).arg("-Y").arg(run_dir).arg("-w").arg(run_dir);
    cmd.arg("-P").arg(run_dir.join("kamailio.pid"));
    cmd
}

fn wait_ready(process: &mut PeerProcess, ports: KamailioPorts) -> Result<(), PeerError> {
    let mut probe = probe::OptionsProbe::new(loopback(ports.sip))?;
    process.wait_for("a 200 answer to OPTIONS over UDP", READY_TIMEOUT, |_| probe.answered())?;
    for port in [ports.sip, ports.tls, ports.ws, ports.wss] {
        process.wait_for(&format!("TCP listener on {port}"), READY_TIMEOUT, |_| {
            tcp_accepting(loopback(port)).then_some(())
        })?;
    }
    Ok(())
}

/// A running Kamailio with its x5u HTTP server; both stop on drop.
#[derive(Debug)]
pub struct Kamailio {
    process: PeerProcess,
    ports: KamailioPorts,
    users: Vec<User>,
    tls: TlsCert,
    stir: StirPki,
    x5u: FileServer,
    x5u_url: String,
    ctl_socket: PathBuf,
    // Last: removed only after the process stopped.
    dir: TempDir,
}

impl Kamailio {
    /// A builder with the default users.
    pub fn builder() -> KamailioBuilder {
        KamailioBuilder::default()
    }

    /// Starts an instance with the default users.
    pub fn start() -> Result<Self, PeerError> {
        Self::builder().start()
    }

    /// The SIP domain and digest realm.
    pub fn domain(&self) -> &'static str {
        "127.0.0.1"
    }

    /// The listening ports.
    pub fn ports(&self) -> KamailioPorts {
        self.ports
    }

    /// Where clients send SIP over `transport`.
    pub fn addr(&self, transport: Transport) -> SocketAddr {
        loopback(match transport {
            Transport::Udp | Transport::Tcp => self.ports.sip,
            Transport::Tls => self.ports.tls,
            Transport::Ws => self.ports.ws,
            Transport::Wss => self.ports.wss,
        })
    }

    /// The account of `user` reached over `transport`; `None` for an unknown user.
    pub fn account(&self, user: &str, transport: Transport) -> Option<SipAccount> {
        let u = self.users.iter().find(|u| u.name == user)?;
        Some(SipAccount {
            user: u.name.clone(),
            password: u.password.clone(),
            domain: self.domain().to_owned(),
            proxy: self.addr(transport),
            transport,
            ca_cert: Some(self.tls.cert.clone()),
        })
    }

    /// The TLS certificate of the TLS and WSS listeners (self-signed: trust it as a CA).
    pub fn tls_cert(&self) -> &TlsCert {
        &self.tls
    }

    /// The STIR/SHAKEN PKI: root CA (the verifier's trust anchor), SP certificate and key.
    pub fn stir(&self) -> &StirPki {
        &self.stir
    }

    /// The x5u URL put into every PASSporT (leaf followed by root, served over HTTP).
    pub fn x5u_url(&self) -> &str {
        &self.x5u_url
    }

    /// The URL under which the x5u server serves the file `name` of [`StirPki::www`]: put a
    /// rogue or broken certificate there to test a verifier's failures.
    pub fn x5u_url_for(&self, name: &str) -> String {
        self.x5u.url(name)
    }

    /// How many HTTP requests the x5u server answered.
    pub fn x5u_requests(&self) -> usize {
        self.x5u.requests_served()
    }

    /// The process id (leader of the peer's process group).
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// The working directory (configuration, certificates, logs).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The log file.
    pub fn log_path(&self) -> &Path {
        self.process.log_path()
    }

    /// Everything Kamailio logged so far.
    pub fn log(&self) -> String {
        self.process.log()
    }

    /// Every signed INVITE Kamailio forwarded so far, in order.
    pub fn forwarded_invites(&self) -> Vec<ForwardedInvite> {
        invite::parse_dumps(&self.log())
    }

    /// Waits until Kamailio has forwarded at least `count` signed INVITEs; returns them all.
    pub fn wait_forwarded_invites(
        &mut self,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<ForwardedInvite>, PeerError> {
        let what = format!("{count} forwarded signed INVITE(s)");
        self.process.wait_for(&what, timeout, |p| {
            let dumps = invite::parse_dumps(&p.log());
            (dumps.len() >= count).then_some(dumps)
        })
    }

    /// Asks Kamailio (over its ctl socket with `kamcmd`) whether `user` has a registered contact.
    pub fn is_registered(&self, user: &str) -> Result<bool, PeerError> {
        let socket = format!("unix:{}", self.ctl_socket.display());
        let out = run(Command::new("kamcmd").args(["-s", &socket, "ul.dump", "brief"]))?;
        let text = String::from_utf8_lossy(&out.stdout);
        // `ul.dump brief` lists one `AoR: USER` line per registered address of record.
        let (plain, with_domain) = (format!("AoR: {user}"), format!("AoR: {user}@"));
        Ok(text.lines().map(str::trim).any(|l| l == plain || l.starts_with(&with_domain)))
    }

    /// Waits until `user` is registered.
    pub fn wait_registered(&mut self, user: &str, timeout: Duration) -> Result<(), PeerError> {
        self.wait_registration_state(user, true, timeout)
    }

    /// Waits until `user` has no registered contact any more (unregistered or expired).
    pub fn wait_unregistered(&mut self, user: &str, timeout: Duration) -> Result<(), PeerError> {
        self.wait_registration_state(user, false, timeout)
    }

    fn wait_registration_state(
        &mut self,
        user: &str,
        registered: bool,
        timeout: Duration,
    ) -> Result<(), PeerError> {
        let started = std::time::Instant::now();
        let reached = poll_until(timeout, || {
            self.is_registered(user).ok().filter(|now| *now == registered).map(drop)
        });
        let what = if registered { "registration" } else { "unregistration" };
        reached.ok_or_else(|| {
            self.process.timeout_error(&format!("{what} of {user}"), started.elapsed())
        })
    }
}
