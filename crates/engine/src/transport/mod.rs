//! SIP transports: UDP, TCP, TLS, WebSocket and secure WebSocket flows (RFC 3261 §18, RFC 7118).
//!
//! A [`Transports`] owns the UDP socket and every stream flow. Each stream flow runs in its own
//! task that frames incoming bytes into whole messages, writes what the driver sends, and sends
//! RFC 5626 CRLF keep-alives. Everything received becomes a [`TransportEvent`] on one channel, so
//! the driver sees all transports as a single ordered input.
//!
//! Outgoing stream flows are reused per destination (RFC 5626 style): requests and responses for
//! the registrar go over the flow the registration used, which is also what makes ghost-call
//! protection possible (only that flow is trusted).

mod flow;
mod tls;
mod udp;
mod websocket;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::mpsc;

pub use sip::Transport;

pub use tls::{TlsError, TlsSettings};

use flow::FlowHandle;

/// Whether the transport protects the signalling with TLS.
pub fn is_secure(kind: Transport) -> bool {
    matches!(kind, Transport::Tls | Transport::Wss)
}

/// Identifies one flow: the UDP socket, or one stream connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowId(pub u64);

impl fmt::Display for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "flow#{}", self.0)
    }
}

/// Where to send a message when no flow exists yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Which transport.
    pub kind: Transport,
    /// The resolved address.
    pub addr: SocketAddr,
    /// The host name for TLS verification and SNI, and the WebSocket Host header. `None` uses
    /// the IP address itself.
    pub server_name: Option<String>,
}

/// What the transports report to the driver.
#[derive(Debug)]
pub enum TransportEvent {
    /// One complete SIP message arrived.
    Received {
        /// The flow it arrived on.
        flow: FlowId,
        /// Its transport.
        kind: Transport,
        /// Where it came from.
        remote: SocketAddr,
        /// The message bytes.
        bytes: Vec<u8>,
    },
    /// A stream flow ended (closed by the peer, failed, or a framing error).
    Closed {
        /// The flow.
        flow: FlowId,
        /// Why, without personal data.
        reason: String,
    },
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The flow named does not exist (any more).
    #[error("{0} is closed")]
    FlowClosed(FlowId),
    /// Connecting to the target failed.
    #[error("could not connect over {kind:?}: {source}")]
    Connect {
        /// The transport.
        kind: Transport,
        /// The cause.
        source: std::io::Error,
    },
    /// The TLS handshake failed (certificate not trusted, wrong name, ...).
    #[error("TLS handshake failed: {0}")]
    Tls(std::io::Error),
    /// The WebSocket upgrade failed.
    #[error("WebSocket upgrade failed: {0}")]
    WebSocket(String),
    /// Sending a datagram failed.
    #[error("UDP send failed: {0}")]
    Udp(std::io::Error),
    /// The server name is not a valid DNS name or IP address.
    #[error("invalid server name for TLS")]
    InvalidServerName,
}

/// How long to wait for a TCP connect plus TLS/WebSocket handshake.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Every transport of one phone.
pub struct Transports {
    udp: udp::UdpFlow,
    streams: HashMap<FlowId, FlowHandle>,
    by_target: HashMap<(Transport, SocketAddr), FlowId>,
    next_flow: u64,
    events: mpsc::UnboundedSender<TransportEvent>,
    tls: Arc<rustls::ClientConfig>,
    keepalive: Duration,
}

impl Transports {
    /// Binds the UDP socket on `local` (port 0 picks one) and prepares TLS.
    pub async fn bind(
        local: SocketAddr,
        tls: &TlsSettings,
        keepalive: Duration,
        events: mpsc::UnboundedSender<TransportEvent>,
    ) -> Result<Self, BindError> {
        let tls = Arc::new(tls.client_config().map_err(BindError::Tls)?);
        let udp =
            udp::UdpFlow::bind(local, FlowId(0), events.clone()).await.map_err(BindError::Udp)?;
        Ok(Self {
            udp,
            streams: HashMap::new(),
            by_target: HashMap::new(),
            next_flow: 1,
            events,
            tls,
            keepalive,
        })
    }

    /// The local address of the UDP socket.
    pub fn udp_local_addr(&self) -> SocketAddr {
        self.udp.local_addr()
    }

    /// The flow of the UDP socket.
    pub fn udp_flow(&self) -> FlowId {
        self.udp.id()
    }

    /// The local address of a stream flow, for Via and Contact.
    pub fn local_addr(&self, flow: FlowId) -> Option<SocketAddr> {
        if flow == self.udp.id() {
            return Some(self.udp.local_addr());
        }
        self.streams.get(&flow).map(|f| f.local)
    }

    /// Sends on an existing flow. UDP needs the destination; streams ignore it.
    pub async fn send_on(
        &mut self,
        flow: FlowId,
        to: SocketAddr,
        bytes: Vec<u8>,
    ) -> Result<(), TransportError> {
        if flow == self.udp.id() {
            return self.udp.send(to, &bytes).await.map_err(TransportError::Udp);
        }
        let handle = self.streams.get(&flow).ok_or(TransportError::FlowClosed(flow))?;
        if handle.send(bytes).is_err() {
            self.forget(flow);
            return Err(TransportError::FlowClosed(flow));
        }
        Ok(())
    }

    /// Sends to a target, reusing an open flow to it or opening one. Returns the flow used.
    pub async fn send_to(
        &mut self,
        target: &Target,
        bytes: Vec<u8>,
    ) -> Result<FlowId, TransportError> {
        let flow = self.flow_for(target).await?;
        self.send_on(flow, target.addr, bytes).await?;
        Ok(flow)
    }

    /// The flow that reaches `target`, opened now if none is open.
    pub async fn flow_for(&mut self, target: &Target) -> Result<FlowId, TransportError> {
        if target.kind == Transport::Udp {
            return Ok(self.udp.id());
        }
        let key = (target.kind, target.addr);
        if let Some(flow) = self.by_target.get(&key).copied() {
            if self.streams.get(&flow).is_some_and(|f| !f.is_closed()) {
                return Ok(flow);
            }
            self.forget(flow);
        }
        let id = FlowId(self.next_flow);
        self.next_flow += 1;
        let handle = tokio::time::timeout(CONNECT_TIMEOUT, self.connect(id, target))
            .await
            .map_err(|_| TransportError::Connect {
                kind: target.kind,
                source: std::io::ErrorKind::TimedOut.into(),
            })??;
        self.streams.insert(id, handle);
        self.by_target.insert(key, id);
        Ok(id)
    }

    /// Whether the flow is still open.
    pub fn is_open(&self, flow: FlowId) -> bool {
        flow == self.udp.id() || self.streams.get(&flow).is_some_and(|f| !f.is_closed())
    }

    /// Drops a closed flow's bookkeeping (after a [`TransportEvent::Closed`]).
    pub fn forget(&mut self, flow: FlowId) {
        self.streams.remove(&flow);
        self.by_target.retain(|_, f| *f != flow);
    }

    async fn connect(&self, id: FlowId, target: &Target) -> Result<FlowHandle, TransportError> {
        let tcp = TcpStream::connect(target.addr)
            .await
            .map_err(|source| TransportError::Connect { kind: target.kind, source })?;
        tcp.set_nodelay(true).ok();
        let local = tcp
            .local_addr()
            .map_err(|source| TransportError::Connect { kind: target.kind, source })?;
        let spec = flow::FlowSpec {
            id,
            kind: target.kind,
            local,
            remote: target.addr,
            keepalive: self.keepalive,
        };
        let events = self.events.clone();
        Ok(match target.kind {
            Transport::Tcp => flow::spawn_framed(spec, tcp, events),
            Transport::Tls => {
                let stream = tls::connect(&self.tls, target, tcp).await?;
                flow::spawn_framed(spec, stream, events)
            }
            Transport::Ws => {
                let ws = websocket::upgrade(tcp, target, "ws").await?;
                flow::spawn_websocket(spec, ws, events)
            }
            Transport::Wss => {
                let stream = tls::connect(&self.tls, target, tcp).await?;
                let ws = websocket::upgrade(stream, target, "wss").await?;
                flow::spawn_websocket(spec, ws, events)
            }
            // `flow_for` answers UDP with the shared socket before connecting anything, and a
            // transport the UA gains later has no connector here yet.
            _ => {
                return Err(TransportError::Connect {
                    kind: target.kind,
                    source: std::io::ErrorKind::Unsupported.into(),
                });
            }
        })
    }
}

/// Why the transports could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BindError {
    /// The UDP socket could not be bound.
    #[error("could not bind the SIP UDP socket: {0}")]
    Udp(std::io::Error),
    /// The TLS trust store could not be built.
    #[error(transparent)]
    Tls(TlsError),
}
