//! One STUN/TURN server as our ICE session uses it: a Binding for the server-reflexive
//! address, an Allocate with long-term credentials for the relayed address (RFC 8656), and
//! then permissions, channel bindings and data through the relay. The protocol (messages,
//! MESSAGE-INTEGRITY, FINGERPRINT, retransmissions, refreshes) is `rtc-turn`'s; this adds what
//! its client leaves to the caller: matching events to the one allocation we keep, asking for
//! permissions on demand, and retrying after a 438 Stale Nonce, which the client notes but
//! does not resend.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::BytesMut;
use rtc_ice::crypto::RTCCryptoProvider;
use rtc_shared::error::Error as RtcError;
use rtc_shared::{TaggedBytesMut, TransportContext, TransportProtocol};
use rtc_stun::error_code::{CODE_STALE_NONCE, ErrorCodeAttribute};
use rtc_stun::message::{
    CLASS_ERROR_RESPONSE, METHOD_ALLOCATE, METHOD_REFRESH, Message, Method, is_stun_message,
};
use rtc_stun::message::{Getter, TransactionId};
use rtc_turn::client::{Client, ClientConfig, Event};
use sansio::Protocol;

use super::stream_framing::{FramingError, StreamDecoder};
use super::{IceError, IceServer, TurnTransport};

/// How often an Allocate is retried after a 438 Stale Nonce before the server is given up.
const ALLOCATE_RETRIES: u8 = 2;

/// What a server link reports to the session.
#[derive(Debug)]
pub(super) enum LinkEvent {
    /// Our address as the server sees it.
    Reflexive(SocketAddr),
    /// The allocation succeeded: peers reach us at this address.
    Relayed(SocketAddr),
    /// The Binding or Allocate failed for good (no answer, wrong credentials).
    Failed(&'static str),
    /// A datagram from `peer` through the relay.
    Data { peer: SocketAddr, data: BytesMut },
}

/// One server and our state with it.
pub(super) struct ServerLink {
    server: SocketAddr,
    transport: TurnTransport,
    /// What arrived on a TCP/TLS connection and is not yet a whole message.
    decoder: StreamDecoder,
    client: Client,
    binding: Option<TransactionId>,
    allocating: bool,
    allocate_retries: u8,
    relayed: Option<SocketAddr>,
    events: VecDeque<LinkEvent>,
}

impl ServerLink {
    /// Starts gathering from `server`: a Binding if `reflexive`, an Allocate if it has TURN
    /// credentials. Over TCP/TLS there is no Binding: the address the server would see is the
    /// connection's, not the call socket's.
    pub(super) fn new(
        now: Instant,
        base: SocketAddr,
        server: &IceServer,
        reflexive: bool,
        crypto: Arc<dyn RTCCryptoProvider>,
    ) -> Result<Self, IceError> {
        let (username, password) = server
            .credentials
            .as_ref()
            .map(|c| (c.username.clone(), c.password.clone()))
            .unwrap_or_default();
        let config = ClientConfig {
            stun_serv_addr: server.addr.to_string(),
            turn_serv_addr: server.addr.to_string(),
            local_addr: base,
            transport_protocol: protocol(server.transport),
            username,
            password,
            ..ClientConfig::default()
        };
        let client = Client::new(config, crypto).map_err(|e| IceError::Setup(e.to_string()))?;
        let mut link = Self {
            server: server.addr,
            transport: server.transport,
            decoder: StreamDecoder::default(),
            client,
            binding: None,
            allocating: false,
            allocate_retries: 0,
            relayed: None,
            events: VecDeque::new(),
        };
        if reflexive && !server.transport.is_stream() {
            link.binding = link.client.send_binding_request(now).ok();
        }
        if server.credentials.is_some() {
            link.allocating = link.client.allocate(now).is_ok();
        }
        Ok(link)
    }

    /// The server's address.
    pub(super) fn server(&self) -> SocketAddr {
        self.server
    }

    /// How we reach the server.
    pub(super) fn transport(&self) -> TurnTransport {
        self.transport
    }

    /// Our relayed address, once allocated.
    pub(super) fn relayed(&self) -> Option<SocketAddr> {
        self.relayed
    }

    /// True while a Binding or an Allocate is outstanding.
    pub(super) fn gathering(&self) -> bool {
        self.binding.is_some() || self.allocating
    }

    /// Bytes from the TCP/TLS connection: every whole message in them is handled. Returns how
    /// many messages were refused, or the error that makes the stream unusable.
    pub(super) fn handle_stream(&mut self, now: Instant, data: &[u8]) -> Result<u64, FramingError> {
        self.decoder.push(data);
        let mut refused = 0;
        while let Some(message) = self.decoder.next_message()? {
            refused += u64::from(!self.handle(now, &message));
        }
        Ok(refused)
    }

    /// The TCP/TLS connection failed or closed: what it was gathering is given up.
    pub(super) fn stream_lost(&mut self) {
        self.relayed = None;
        if self.allocating {
            self.allocate_failed("the TURN connection failed");
        }
    }

    /// A datagram (or one whole stream message) from the server. Malformed or unexpected
    /// messages are dropped (`false`).
    pub(super) fn handle(&mut self, now: Instant, data: &[u8]) -> bool {
        let stale = stale_nonce_method(data);
        let message = TaggedBytesMut {
            now,
            transport: TransportContext {
                local_addr: SocketAddr::from(([0, 0, 0, 0], 0)),
                peer_addr: self.server,
                ecn: None,
                transport_protocol: protocol(self.transport),
            },
            message: BytesMut::from(data),
        };
        let ok = self.client.handle_read(message).is_ok();
        if stale == Some(METHOD_REFRESH) {
            // The client took the new nonce but does not resend: refresh now, or the
            // allocation would lapse before the next scheduled refresh.
            let _ = self.client.refresh_allocations(now);
        }
        self.drain_client(now, stale == Some(METHOD_ALLOCATE));
        ok
    }

    /// Sends `data` to `peer` through our allocation, asking for a permission first if there
    /// is none (the datagram is then dropped; ICE retransmits its checks).
    pub(super) fn send_to(&mut self, now: Instant, peer: SocketAddr, data: &[u8]) {
        let Some(relayed) = self.relayed else { return };
        let Ok(mut relay) = self.client.relay(relayed) else { return };
        if let Err(RtcError::ErrNoPermission) = relay.send_to(now, data, peer) {
            let _ = relay.create_permission(now, peer);
        }
    }

    /// Asks for a permission for `peer` (RFC 8656 §9) ahead of the first datagram.
    pub(super) fn permit(&mut self, now: Instant, peer: SocketAddr) {
        let Some(relayed) = self.relayed else { return };
        if let Ok(mut relay) = self.client.relay(relayed) {
            let _ = relay.create_permission(now, peer);
        }
    }

    /// Releases the allocation (a Refresh with lifetime 0).
    pub(super) fn close(&mut self, now: Instant) {
        let Some(relayed) = self.relayed.take() else { return };
        if let Ok(mut relay) = self.client.relay(relayed) {
            let _ = relay.close(now);
        }
    }

    /// Retransmissions and refreshes due at `now`.
    pub(super) fn handle_timeout(&mut self, now: Instant) {
        let _ = self.client.handle_timeout(now);
        self.drain_client(now, false);
    }

    /// When [`Self::handle_timeout`] is next due.
    pub(super) fn poll_timeout(&mut self) -> Option<Instant> {
        self.client.poll_timeout()
    }

    /// The next datagram for the server.
    pub(super) fn poll_transmit(&mut self) -> Option<(SocketAddr, Vec<u8>)> {
        self.client.poll_write().map(|m| (m.transport.peer_addr, m.message.to_vec()))
    }

    /// The next event for the session.
    pub(super) fn poll_event(&mut self) -> Option<LinkEvent> {
        self.events.pop_front()
    }

    fn drain_client(&mut self, now: Instant, allocate_was_stale: bool) {
        while let Some(event) = self.client.poll_event() {
            match event {
                Event::BindingResponse(_, addr) => {
                    self.binding = None;
                    self.events.push_back(LinkEvent::Reflexive(addr));
                }
                Event::BindingError(..) => self.binding_failed(),
                Event::AllocateResponse(_, relayed) => {
                    self.allocating = false;
                    self.relayed = Some(relayed);
                    self.events.push_back(LinkEvent::Relayed(relayed));
                }
                Event::AllocateError(..) if allocate_was_stale => self.retry_allocate(now),
                Event::AllocateError(..) => self.allocate_failed("the TURN server refused"),
                Event::TransactionTimeout(id) if self.binding == Some(id) => self.binding_failed(),
                Event::TransactionTimeout(_) if self.allocating && self.relayed.is_none() => {
                    self.allocate_failed("the TURN server did not answer");
                }
                Event::DataIndicationOrChannelData(_, peer, data) => {
                    self.events.push_back(LinkEvent::Data { peer, data });
                }
                _ => {}
            }
        }
    }

    fn retry_allocate(&mut self, now: Instant) {
        self.allocate_retries += 1;
        if self.allocate_retries > ALLOCATE_RETRIES || self.client.allocate(now).is_err() {
            self.allocate_failed("the TURN server kept the nonce stale");
        }
    }

    fn binding_failed(&mut self) {
        self.binding = None;
        self.events.push_back(LinkEvent::Failed("the STUN server did not answer"));
    }

    fn allocate_failed(&mut self, why: &'static str) {
        self.allocating = false;
        self.events.push_back(LinkEvent::Failed(why));
    }
}

/// The method of a 438 Stale Nonce error response, read before the client consumes it.
fn stale_nonce_method(data: &[u8]) -> Option<Method> {
    if !is_stun_message(data) {
        return None;
    }
    let mut m = Message::new();
    m.unmarshal_binary(data).ok()?;
    if m.typ.class != CLASS_ERROR_RESPONSE {
        return None;
    }
    let mut code = ErrorCodeAttribute::default();
    code.get_from(&m).ok()?;
    (code.code == CODE_STALE_NONCE).then_some(m.typ.method)
}

/// The protocol `rtc-turn` frames and times its transactions for: over a stream it sends each
/// request once (TCP retransmits) and asks for a UDP relay all the same (RFC 8656 §3.1).
fn protocol(transport: TurnTransport) -> TransportProtocol {
    if transport.is_stream() { TransportProtocol::TCP } else { TransportProtocol::UDP }
}
