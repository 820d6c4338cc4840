//! coturn as STUN/TURN server on a free loopback port with static long-term credentials.

use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use crate::command::run;
use crate::error::PeerError;
use crate::net::{free_udp_range, free_udp_tcp_port, loopback, start_with_retries};
use crate::process::PeerProcess;
use crate::workdir::{workdir, write_file};

const PEER: &str = "coturn";
const TEMPLATE: &str = include_str!("../peers/coturn/turnserver.conf.in");
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

    /// Starts coturn and waits until it answers a STUN binding request.
    pub fn start(self) -> Result<Coturn, PeerError> {
        let dir = workdir("coturn-")?;
        let (process, addr) = start_with_retries(|attempt| self.launch(dir.path(), attempt))?;
        Ok(Coturn { process, addr, builder: self, dir })
    }

    /// Writes the configuration for new free ports, spawns coturn and waits for STUN answers.
    fn launch(&self, dir: &Path, attempt: usize) -> Result<(PeerProcess, SocketAddr), PeerError> {
        let port = free_udp_tcp_port()?;
        let relay_min = free_udp_range(RELAY_RANGE)?;
        let conf = dir.join("turnserver.conf");
        write_file(&conf, &self.render(dir, port, relay_min))?;
        let mut cmd = Command::new("turnserver");
        cmd.arg("-c").arg(&conf);
        let log = dir.join(format!("turnserver-{attempt}.log"));
        let mut process = PeerProcess::spawn(PEER, &cmd, &log)?;
        let addr = loopback(port);
        process.wait_for("a STUN binding response", READY_TIMEOUT, |_| stun_answers(addr))?;
        Ok((process, addr))
    }

    fn render(&self, dir: &Path, port: u16, relay_min: u16) -> String {
        [
            ("@PORT@", port.to_string()),
            ("@RELAY_MIN@", relay_min.to_string()),
            ("@RELAY_MAX@", (relay_min + RELAY_RANGE - 1).to_string()),
            ("@REALM@", self.realm.clone()),
            ("@USER@", self.user.clone()),
            ("@PASSWORD@", self.password.clone()),
            ("@DIR@", dir.display().to_string()),
        ]
        .iter()
        .fold(TEMPLATE.to_owned(), |conf, (key, value)| conf.replace(key, value))
    }
}

/// A running coturn; stopped by PID on drop.
#[derive(Debug)]
pub struct Coturn {
    process: PeerProcess,
    addr: SocketAddr,
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
        }
    }

    /// Starts an instance with the default credentials.
    pub fn start() -> Result<Self, PeerError> {
        Self::builder().start()
    }

    /// The STUN/TURN listener (UDP and TCP).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `stun:` URI of the server.
    pub fn stun_uri(&self) -> String {
        format!("stun:{}", self.addr)
    }

    /// The `turn:` URI of the server (UDP).
    pub fn turn_uri(&self) -> String {
        format!("turn:{}?transport=udp", self.addr)
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
            &self.addr.port().to_string(),
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

/// What a TURN relay round trip through the server achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayReport {
    /// Messages the client sent through its allocation (both directions counted by coturn's
    /// test client).
    pub sent: u64,
    /// Messages that came back from the loopback peer through the relay.
    pub received: u64,
}

impl Coturn {
    /// Allocates a relay as `user` / `password` with `turnutils_uclient` and echoes `messages`
    /// messages off a `turnutils_peer` on loopback through it. Fails (with the client's output)
    /// when the allocation is refused, e.g. for a wrong password.
    pub fn relay_round_trip(
        &self,
        user: &str,
        password: &str,
        messages: u32,
    ) -> Result<RelayReport, PeerError> {
        let peer_port = crate::net::free_udp_port()?;
        let mut cmd = Command::new("turnutils_peer");
        cmd.args(["-L", "127.0.0.1", "-p", &peer_port.to_string()]);
        let mut peer = PeerProcess::spawn("turnutils_peer", &cmd, &self.dir().join("peer.log"))?;
        peer.wait_for("turnutils_peer listening", READY_TIMEOUT, |_| {
            crate::net::udp_bound(loopback(peer_port)).then_some(())
        })?;
        let out = run(Command::new("timeout").arg("30").arg("turnutils_uclient").args([
            "-u",
            user,
            "-w",
            password,
            "-e",
            "127.0.0.1",
            "-r",
            &peer_port.to_string(),
            "-n",
            &messages.to_string(),
            "-m",
            "1",
            "-l",
            "120",
            "-p",
            &self.addr.port().to_string(),
            "127.0.0.1",
        ]))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        parse_totals(&text).ok_or_else(|| PeerError::Control {
            peer: PEER,
            command: "turnutils_uclient".to_owned(),
            reason: format!("no totals in {text:?}"),
        })
    }
}

/// The last `tot_send_msgs=N, tot_recv_msgs=M` pair the TURN test client printed.
fn parse_totals(text: &str) -> Option<RelayReport> {
    let line = text.lines().rev().find(|l| l.contains("tot_send_msgs=") && !l.contains("msz="))?;
    let number = |key: &str| -> Option<u64> {
        let rest = line.split(key).nth(1)?;
        rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
    };
    Some(RelayReport { sent: number("tot_send_msgs=")?, received: number("tot_recv_msgs=")? })
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

#[cfg(test)]
mod tests {
    use super::{RelayReport, parse_totals};

    #[test]
    fn totals_come_from_the_summary_line() {
        let out = "6: : start_mclient: msz=2, tot_send_msgs=10, tot_recv_msgs=9, x\n\
                   6: : start_mclient: tot_send_msgs=20, tot_recv_msgs=19\n";
        assert_eq!(parse_totals(out), Some(RelayReport { sent: 20, received: 19 }));
        assert_eq!(parse_totals("ERROR: Cannot complete Allocation"), None);
    }
}
