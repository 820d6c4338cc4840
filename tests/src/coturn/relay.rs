//! TURN relay round trips with coturn's own test client, to prove credentials and relaying.

use std::process::Command;

use super::{Coturn, PEER, READY_TIMEOUT};
use crate::account::Transport;
use crate::command::run;
use crate::error::PeerError;
use crate::net::{free_udp_port, loopback, udp_bound};
use crate::process::PeerProcess;

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
    /// Allocates a relay as `user` / `password` with `turnutils_uclient` over `transport` (UDP,
    /// TCP, or TLS if enabled) and echoes `messages` messages off a `turnutils_peer` on loopback
    /// through it. Fails (with the client's output)
    /// when the allocation is refused, e.g. for a wrong password.
    pub fn relay_round_trip(
        &self,
        user: &str,
        password: &str,
        transport: Transport,
        messages: u32,
    ) -> Result<RelayReport, PeerError> {
        let (peer_port, _peer) = self.echo_peer()?;
        let (client_transport, port): (&[&str], _) = match transport {
            Transport::Tcp => (&["-t"], Some(self.ports().plain)),
            Transport::Tls => (&["-t", "-S"], self.ports().tls),
            _ => (&[], Some(self.ports().plain)),
        };
        let port = port.ok_or_else(|| PeerError::Control {
            peer: PEER,
            command: "turnutils_uclient".to_owned(),
            reason: "TURN over TLS asked for, but the server was built without .tls(true)".into(),
        })?;
        let mut cmd = Command::new("timeout");
        cmd.args(["30", "turnutils_uclient", "-u", user, "-w", password]).args(client_transport);
        cmd.args(["-e", "127.0.0.1", "-r", &peer_port.to_string(), "-n", &messages.to_string()]);
        cmd.args(["-m", "1", "-l", "120", "-p", &port.to_string(), "127.0.0.1"]);
        let out = run(&mut cmd)?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        parse_totals(&text).ok_or_else(|| PeerError::Control {
            peer: PEER,
            command: "turnutils_uclient".to_owned(),
            reason: format!("no totals in {text:?}"),
        })
    }
}

impl Coturn {
    /// Starts `turnutils_peer` (a UDP echo) on a free loopback port; it stops when dropped.
    fn echo_peer(&self) -> Result<(u16, PeerProcess), PeerError> {
        let port = free_udp_port()?;
        let mut cmd = Command::new("turnutils_peer");
        cmd.args(["-L", "127.0.0.1", "-p", &port.to_string()]);
        let mut peer = PeerProcess::spawn("turnutils_peer", &cmd, &self.dir().join("peer.log"))?;
        peer.wait_for("turnutils_peer listening", READY_TIMEOUT, |_| {
            udp_bound(loopback(port)).then_some(())
        })?;
        Ok((port, peer))
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
