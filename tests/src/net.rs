//! Free loopback ports chosen at run time, so parallel tests never collide on fixed ports.
//!
//! A port is found by binding `127.0.0.1:0`, noting the port and releasing it; the peer binds it
//! a moment later. Another process may grab it in between, so every peer start retries with new
//! ports when its listener fails to bind (see `start_with_retries` in each peer).

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream, UdpSocket};
use std::time::Duration;

use crate::error::PeerError;

/// The loopback address every peer binds to.
pub const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// How many times a peer start is tried when a chosen port turned out to be taken.
const START_ATTEMPTS: usize = 3;

/// Calls `launch(attempt)` (attempt counts from 1) again with new ports while it fails with a
/// port clash ([`PeerError::is_port_clash`]), at most [`START_ATTEMPTS`] times.
pub(crate) fn start_with_retries<T>(
    mut launch: impl FnMut(usize) -> Result<T, PeerError>,
) -> Result<T, PeerError> {
    let mut attempt = 1;
    loop {
        match launch(attempt) {
            Err(e) if attempt < START_ATTEMPTS && e.is_port_clash() => attempt += 1,
            other => return other,
        }
    }
}

/// A socket address on loopback.
pub fn loopback(port: u16) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(LOOPBACK, port))
}

/// A port free for TCP on loopback.
pub fn free_tcp_port() -> Result<u16, PeerError> {
    let listener = TcpListener::bind(loopback(0)).map_err(PeerError::io("ports"))?;
    Ok(listener.local_addr().map_err(PeerError::io("ports"))?.port())
}

/// A port free for UDP on loopback.
pub fn free_udp_port() -> Result<u16, PeerError> {
    let socket = UdpSocket::bind(loopback(0)).map_err(PeerError::io("ports"))?;
    Ok(socket.local_addr().map_err(PeerError::io("ports"))?.port())
}

/// A port free for both UDP and TCP on loopback (SIP and STUN listen on both).
pub fn free_udp_tcp_port() -> Result<u16, PeerError> {
    let mut last = None;
    for _ in 0..50 {
        let socket = UdpSocket::bind(loopback(0)).map_err(PeerError::io("ports"))?;
        let port = socket.local_addr().map_err(PeerError::io("ports"))?.port();
        match TcpListener::bind(loopback(port)) {
            Ok(_) => return Ok(port),
            Err(e) => last = Some(e),
        }
    }
    Err(PeerError::Io {
        peer: "ports",
        source: last.unwrap_or_else(|| std::io::Error::other("no free UDP+TCP port")),
    })
}

/// The first port of `len` consecutive ports that are free for UDP right now (for RTP and relay
/// ranges). Peers pick ports inside such a range themselves and skip taken ones.
pub fn free_udp_range(len: u16) -> Result<u16, PeerError> {
    for _ in 0..100 {
        let base = free_udp_port()?;
        // Keep ranges even-aligned (RTP convention) and inside the port space.
        let base = base & !1;
        if base.checked_add(len).is_none() || base < 1024 {
            continue;
        }
        let all_free = (base..base + len).all(|p| UdpSocket::bind(loopback(p)).is_ok());
        if all_free {
            return Ok(base);
        }
    }
    Err(PeerError::Io { peer: "ports", source: std::io::Error::other("no free UDP port range") })
}

/// True when something accepts TCP connections on `addr`.
pub fn tcp_accepting(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

/// True when a UDP port is bound by someone (binding it ourselves fails).
pub fn udp_bound(addr: SocketAddr) -> bool {
    UdpSocket::bind(addr).is_err()
}
