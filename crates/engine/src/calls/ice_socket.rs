//! ICE on a call's media socket before its media thread runs: candidates are gathered from the
//! account's STUN/TURN servers when the call opens (a blocking loop on the socket, off the async
//! driver) so that the offer or answer can carry them. The media thread then keeps driving the
//! same [`IceLink`] (`media_runtime`).

use std::io::{self, ErrorKind};
use std::net::UdpSocket;
use std::sync::Arc;
use std::time::{Duration, Instant};

use media::ice::{CandidatePolicy, IceConfig, IceSession, StreamServer, TurnTransport};

use super::ice_link::{IceLink, STREAM_POLL, no_relay};
use crate::config::{ConfiguredServer, MediaSettings};
use crate::transport::TlsSettings;

/// How long a call may wait for its servers before it goes on with what it has.
const GATHER_LIMIT: Duration = Duration::from_secs(5);
/// The least time left for reading answers after the stream servers' connects.
const MIN_LISTEN: Duration = Duration::from_secs(1);
/// Larger than any STUN/TURN message.
const DATAGRAM_MAX: usize = 4096;

/// The account's ICE servers and candidate policy, resolved once at start.
#[derive(Debug, Clone)]
pub(crate) struct IceSetup {
    servers: Vec<ConfiguredServer>,
    policy: CandidatePolicy,
    /// Trust for `turns:` servers: the system's roots and the account's `turn_ca_file`.
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl IceSetup {
    /// `None` when the account does not use ICE. Servers that cannot be used (said in the log)
    /// turn ICE off, except under relay-only: media must then never go direct, so the setup
    /// keeps the policy with no servers and every call is refused for want of a relay.
    pub(crate) fn from_settings(settings: &MediaSettings) -> Option<Self> {
        if !settings.ice_enabled() {
            return None;
        }
        let policy = settings.policy();
        match Self::resolve(settings) {
            Ok((servers, tls)) => Some(Self { servers, policy, tls }),
            Err(error) if policy == CandidatePolicy::RelayOnly => {
                tracing::warn!(%error, "relay-only calls will be refused: no usable TURN server");
                Some(Self { servers: Vec::new(), policy, tls: None })
            }
            Err(error) => {
                tracing::warn!(%error, "ICE is off: the [media] servers cannot be used");
                None
            }
        }
    }

    /// The servers, and the TLS trust for `turns:` ones.
    fn resolve(
        settings: &MediaSettings,
    ) -> Result<(Vec<ConfiguredServer>, Option<Arc<rustls::ClientConfig>>), String> {
        let servers = settings.servers().map_err(|e| e.to_string())?;
        if !servers.iter().any(|s| s.ice.transport == TurnTransport::Tls) {
            return Ok((servers, None));
        }
        let trust = TlsSettings {
            system_roots: true,
            extra_ca_files: settings.turn_ca_file.iter().cloned().collect(),
        };
        let tls = trust.client_config().map_err(|e| e.to_string())?;
        Ok((servers, Some(Arc::new(tls))))
    }

    fn host(&self, server: StreamServer) -> Option<String> {
        self.servers.get(server.0).map(|s| s.host.clone())
    }
}

/// Gathers candidates for the call's `socket`. Fails if relay-only and no relay was allocated.
pub(crate) async fn gather(socket: &UdpSocket, setup: &IceSetup) -> io::Result<IceLink> {
    let socket = socket.try_clone()?;
    let setup = setup.clone();
    let ice = tokio::task::spawn_blocking(move || gather_blocking(&socket, &setup))
        .await
        .map_err(io::Error::other)??;
    if ice.session.default_address().is_none() {
        return Err(no_relay());
    }
    Ok(ice)
}

fn gather_blocking(socket: &UdpSocket, setup: &IceSetup) -> io::Result<IceLink> {
    let started = Instant::now();
    let config = IceConfig {
        base: socket.local_addr()?,
        servers: setup.servers.iter().map(|s| s.ice.clone()).collect(),
        policy: setup.policy,
    };
    let session = IceSession::new(Instant::now(), config).map_err(io::Error::other)?;
    let mut ice = IceLink::connect(session, Instant::now(), setup.tls.as_ref(), |s| setup.host(s));
    // Connecting to TCP/TLS servers blocks (up to 3 s each, for servers behind a firewall that
    // drops packets); the UDP servers' answers wait in the socket meanwhile and still get read.
    let deadline = (started + GATHER_LIMIT).max(Instant::now() + MIN_LISTEN);
    let mut buf = vec![0u8; DATAGRAM_MAX];
    loop {
        ice.flush(socket);
        while let Some(event) = ice.session.poll_event() {
            tracing::debug!(?event, "ICE gathering");
        }
        let now = Instant::now();
        if ice.session.gathering_done() || now >= deadline {
            return Ok(ice);
        }
        let mut until = ice.session.poll_timeout().map_or(deadline, |t| t.min(deadline));
        if ice.has_streams() {
            until = until.min(now + STREAM_POLL);
        }
        if let Some((n, from)) = receive(socket, until, &mut buf) {
            let data = buf.get(..n).unwrap_or_default();
            // Nothing but the servers talks to us before our SDP is out.
            let _ = ice.session.handle_datagram(Instant::now(), from, data);
        }
        // Nothing but the servers talks to us yet: there is no media to keep.
        let _ = ice.read_streams(Instant::now());
        if ice.session.poll_timeout().is_some_and(|t| t <= Instant::now()) {
            ice.session.handle_timeout(Instant::now());
        }
    }
}

/// One datagram, or `None` once `until` passed.
pub(crate) fn receive(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::IceCandidates;

    fn unusable(candidates: IceCandidates) -> MediaSettings {
        MediaSettings {
            turn: vec!["turns:127.0.0.1".into()],
            turn_username: Some("u".into()),
            turn_password: Some("p".into()),
            turn_ca_file: Some("/nonexistent/turn-ca.pem".into()),
            ice_candidates: candidates,
            ..MediaSettings::default()
        }
    }

    #[test]
    fn relay_only_with_unusable_servers_keeps_the_policy_and_no_server() {
        let setup = IceSetup::from_settings(&unusable(IceCandidates::Relay)).expect("a setup");
        assert_eq!(setup.policy, CandidatePolicy::RelayOnly);
        assert!(setup.servers.is_empty(), "calls then fail for want of a relay");
    }

    #[test]
    fn otherwise_unusable_servers_turn_ice_off() {
        assert!(IceSetup::from_settings(&unusable(IceCandidates::All)).is_none());
    }
}
