//! Readiness probe: an out-of-dialog OPTIONS over UDP, answered 200 by the configuration.

use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use crate::error::PeerError;
use crate::net::loopback;

/// Sends OPTIONS to Kamailio and checks for a 200 answer.
pub(super) struct OptionsProbe {
    socket: UdpSocket,
    target: SocketAddr,
    sent: u32,
}

impl OptionsProbe {
    pub(super) fn new(target: SocketAddr) -> Result<Self, PeerError> {
        let socket = UdpSocket::bind(loopback(0)).map_err(PeerError::io("kamailio"))?;
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .map_err(PeerError::io("kamailio"))?;
        Ok(Self { socket, target, sent: 0 })
    }

    /// Sends one OPTIONS and returns `Some(())` if a 200 arrives within a short wait.
    pub(super) fn answered(&mut self) -> Option<()> {
        self.sent += 1;
        let local = self.socket.local_addr().ok()?;
        let n = self.sent;
        let request = format!(
            "OPTIONS sip:{t} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK-probe{n}\r\n\
             Max-Forwards: 70\r\nFrom: <sip:probe@{local}>;tag=probe{n}\r\nTo: <sip:{t}>\r\n\
             Call-ID: probe{n}-{p}@127.0.0.1\r\nCSeq: {n} OPTIONS\r\nContent-Length: 0\r\n\r\n",
            t = self.target,
            p = local.port(),
        );
        self.socket.send_to(request.as_bytes(), self.target).ok()?;
        let mut buf = [0u8; 2048];
        let (len, _) = self.socket.recv_from(&mut buf).ok()?;
        buf.get(..len)?.starts_with(b"SIP/2.0 200").then_some(())
    }
}
