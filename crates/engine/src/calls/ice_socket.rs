//! ICE on a call's media socket before its media thread runs: candidates are gathered from the
//! account's STUN/TURN servers when the call opens (a blocking loop on the socket, off the async
//! driver) so that the offer or answer can carry them. The media thread then keeps driving the
//! same [`IceSession`] (`media_runtime`).

use std::io::{self, ErrorKind};
use std::net::UdpSocket;
use std::time::{Duration, Instant};

use media::ice::{CandidatePolicy, IceConfig, IceServer, IceSession};

use crate::config::MediaSettings;

/// How long a call may wait for its servers before it goes on with what it has.
const GATHER_LIMIT: Duration = Duration::from_secs(5);
/// Larger than any STUN/TURN message.
const DATAGRAM_MAX: usize = 4096;

/// The account's ICE servers and candidate policy, resolved once at start.
#[derive(Debug, Clone)]
pub(crate) struct IceSetup {
    servers: Vec<IceServer>,
    policy: CandidatePolicy,
}

impl IceSetup {
    /// `None` when the account does not use ICE (or its servers cannot be used, said in the log).
    pub(crate) fn from_settings(settings: &MediaSettings) -> Option<Self> {
        if !settings.ice_enabled() {
            return None;
        }
        match settings.servers() {
            Ok(servers) => Some(Self { servers, policy: settings.policy() }),
            Err(error) => {
                tracing::warn!(%error, "ICE is off: the [media] servers cannot be used");
                None
            }
        }
    }
}

/// Gathers candidates for the call's `socket`. Fails if relay-only and no relay was allocated.
pub(crate) async fn gather(socket: &UdpSocket, setup: &IceSetup) -> io::Result<IceSession> {
    let socket = socket.try_clone()?;
    let config = IceConfig {
        base: socket.local_addr()?,
        servers: setup.servers.clone(),
        policy: setup.policy,
    };
    let ice = tokio::task::spawn_blocking(move || gather_blocking(&socket, config))
        .await
        .map_err(io::Error::other)??;
    if ice.default_address().is_none() {
        return Err(io::Error::other("relay-only, and no TURN server gave us a relayed address"));
    }
    Ok(ice)
}

fn gather_blocking(socket: &UdpSocket, config: IceConfig) -> io::Result<IceSession> {
    let deadline = Instant::now() + GATHER_LIMIT;
    let mut ice = IceSession::new(Instant::now(), config).map_err(io::Error::other)?;
    let mut buf = vec![0u8; DATAGRAM_MAX];
    loop {
        flush(&mut ice, socket);
        while let Some(event) = ice.poll_event() {
            tracing::debug!(?event, "ICE gathering");
        }
        let now = Instant::now();
        if ice.gathering_done() || now >= deadline {
            return Ok(ice);
        }
        let until = ice.poll_timeout().map_or(deadline, |t| t.min(deadline));
        match receive(socket, until, &mut buf) {
            Some((n, from)) => {
                let data = buf.get(..n).unwrap_or_default();
                // Nothing but the servers talks to us before our SDP is out.
                let _ = ice.handle_datagram(Instant::now(), from, data);
            }
            None => ice.handle_timeout(Instant::now()),
        }
    }
}

/// Sends every datagram the session has ready.
pub(crate) fn flush(ice: &mut IceSession, socket: &UdpSocket) {
    while let Some(t) = ice.poll_transmit() {
        if let Err(e) = socket.send_to(&t.data, t.to) {
            tracing::debug!(error = %e, "ICE send failed");
        }
    }
}

/// One datagram, or `None` once `until` passed.
fn receive(
    socket: &UdpSocket,
    until: Instant,
    buf: &mut [u8],
) -> Option<(usize, std::net::SocketAddr)> {
    let wait = until.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
    socket.set_read_timeout(Some(wait)).ok()?;
    match socket.recv_from(buf) {
        Ok(got) => Some(got),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => None,
        Err(e) => {
            tracing::debug!(error = %e, "ICE socket");
            None
        }
    }
}
