//! ICE (RFC 8445) for one call's media socket, with server-reflexive and relayed candidates
//! from STUN/TURN servers (RFC 8489, RFC 8656) and consent freshness (RFC 7675).
//!
//! The checks, pairing, nomination and keepalives are `rtc-ice`'s agent; the TURN protocol is
//! `rtc-turn`'s client. [`IceSession`] joins them over one UDP socket, sans IO: the engine
//! feeds every datagram of the call's socket with [`IceSession::handle_datagram`] (it returns
//! the media ones, from the consented address only), sends media with [`IceSession::send`],
//! calls [`IceSession::handle_timeout`] at [`IceSession::poll_timeout`], and performs what
//! [`IceSession::poll_transmit`] yields.
//!
//! A TURN server may also be reached over TCP or TLS (RFC 8656 §3.1; the relayed address is
//! UDP all the same). The engine owns that connection: it passes what it reads to
//! [`IceSession::handle_stream_data`] and writes what [`IceSession::poll_stream_write`] yields;
//! TLS is the engine's too, the session only sees the plaintext stream.
//!
//! Gathering starts at [`IceSession::new`]; once [`IceSession::gathering_done`], the
//! [`IceSession::local_parameters`] go into our SDP. [`IceSession::start`] takes the peer's
//! parameters from its SDP and begins the checks; the offerer controls (RFC 8445 §6.1.1).

mod routing;
mod sdp;
mod server;
mod stream;
mod stream_framing;
mod turn;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rtc_ice::candidate::candidate_host::CandidateHostConfig;
use rtc_ice::candidate::{CandidateConfig, CandidateType};
use rtc_ice::crypto::RTCCryptoProvider;
use rtc_ice::mdns::MulticastDnsMode;
use rtc_ice::{Agent, AgentConfig};

pub use sdp::IceParameters;
pub use server::{IceServer, TurnCredentials, TurnTransport};
pub use stream::{StreamServer, StreamWrite};
pub use stream_framing::{FramingError, StreamDecoder, frame_for_stream};

use turn::ServerLink;

/// Why ICE could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IceError {
    /// The agent, a candidate or a TURN client could not be built.
    #[error("ICE setup failed: {0}")]
    Setup(String),
    /// The peer's SDP has no usable ICE credentials.
    #[error("the peer's ICE credentials are unusable")]
    RemoteCredentials,
}

/// Which local candidates we offer and use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CandidatePolicy {
    /// Host, server-reflexive and relayed candidates.
    #[default]
    All,
    /// Relayed candidates only: the peer never learns our address, and media only ever
    /// flows through the TURN server.
    RelayOnly,
}

/// The kind of a candidate in the selected pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum CandidateKind {
    /// An address of the machine itself.
    Host,
    /// Our address as a STUN server saw it.
    ServerReflexive,
    /// An address learned from a connectivity check.
    PeerReflexive,
    /// An address on a TURN server.
    Relay,
}

impl CandidateKind {
    fn of(t: CandidateType) -> Self {
        match t {
            CandidateType::ServerReflexive => Self::ServerReflexive,
            CandidateType::PeerReflexive => Self::PeerReflexive,
            CandidateType::Relay => Self::Relay,
            _ => Self::Host,
        }
    }
}

/// The pair media flows on. `Debug` leaves out the addresses (personal data).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SelectedPair {
    /// Our side.
    pub local: CandidateKind,
    /// The peer's side.
    pub remote: CandidateKind,
    /// How we reach the TURN server, when our side is relayed.
    pub relay: Option<TurnTransport>,
    /// Where media goes to and must come from.
    pub remote_addr: SocketAddr,
    /// The local candidate's base: our socket, or our relayed address.
    local_base: SocketAddr,
}

impl std::fmt::Debug for SelectedPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SelectedPair")
            .field("local", &self.local)
            .field("remote", &self.remote)
            .field("relay", &self.relay)
            .finish_non_exhaustive()
    }
}

/// What the session reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IceEvent {
    /// Every server answered or was given up: the local parameters are complete.
    GatheringDone,
    /// A server could not be used (the reason names no address).
    ServerFailed(&'static str),
    /// A pair was selected (or changed): media goes there now.
    Connected(SelectedPair),
    /// The selected pair went quiet (consent is being re-checked).
    Disconnected,
    /// No pair works, or consent expired (RFC 7675 §5.1): media must stop.
    Failed,
}

/// A datagram to send from the call's socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Destination.
    pub to: SocketAddr,
    /// Bytes.
    pub data: Vec<u8>,
}

/// A media datagram accepted from the selected pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The peer's address on the selected pair (its relayed address, when relayed).
    pub from: SocketAddr,
    /// The datagram (SRTP, SRTCP, DTLS).
    pub data: Vec<u8>,
}

/// Where we gather from and what we offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceConfig {
    /// The call's media socket (its local address).
    pub base: SocketAddr,
    /// STUN and TURN servers.
    pub servers: Vec<IceServer>,
    /// Which candidates to use.
    pub policy: CandidatePolicy,
}

/// Counters for the call log and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct IceStats {
    /// Media datagrams sent through a TURN relay.
    pub relayed_sent: u64,
    /// Media datagrams received through a TURN relay.
    pub relayed_received: u64,
    /// Datagrams refused: not from a server, not STUN, and not from the selected pair.
    pub refused: u64,
}

/// One call's ICE agent and its STUN/TURN servers.
pub struct IceSession {
    agent: Agent,
    links: Vec<ServerLink>,
    stream_writes: VecDeque<StreamWrite>,
    base: SocketAddr,
    policy: CandidatePolicy,
    selected: Option<SelectedPair>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<IceEvent>,
    gathered: bool,
    stats: IceStats,
    /// The peer's RTCP-only addresses: their checks would pair our RTP with its RTCP port.
    rtcp_only: Vec<SocketAddr>,
}

impl std::fmt::Debug for IceSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IceSession")
            .field("policy", &self.policy)
            .field("selected", &self.selected)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

/// How often checks go out while connecting, and how many per pair before it fails: 10 s
/// covers the gap between the answerer starting its checks and the offerer hearing the answer.
const CHECK_INTERVAL: Duration = Duration::from_millis(100);
const MAX_CHECKS: u16 = 100;

impl IceSession {
    /// Starts gathering: our host candidate (unless relay-only), then a Binding and an
    /// Allocate to each server.
    pub fn new(now: Instant, config: IceConfig) -> Result<Self, IceError> {
        let crypto = crypto()?;
        let agent_config = AgentConfig {
            multicast_dns_mode: MulticastDnsMode::Disabled,
            check_interval: CHECK_INTERVAL,
            max_binding_requests: Some(MAX_CHECKS),
            host_acceptance_min_wait: Some(Duration::ZERO),
            srflx_acceptance_min_wait: Some(Duration::from_millis(200)),
            prflx_acceptance_min_wait: Some(Duration::from_millis(400)),
            relay_acceptance_min_wait: Some(Duration::from_millis(500)),
            ..AgentConfig::default()
        };
        let mut agent = Agent::new(now, Arc::new(agent_config), Arc::clone(&crypto))
            .map_err(|e| IceError::Setup(e.to_string()))?;
        if config.policy == CandidatePolicy::All {
            agent.add_local_candidate(host_candidate(config.base)?).map_err(setup)?;
        }
        let reflexive = config.policy == CandidatePolicy::All;
        let links = config
            .servers
            .iter()
            .map(|s| ServerLink::new(now, config.base, s, reflexive, Arc::clone(&crypto)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut session = Self {
            agent,
            links,
            stream_writes: VecDeque::new(),
            base: config.base,
            policy: config.policy,
            selected: None,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            gathered: false,
            stats: IceStats::default(),
            rtcp_only: Vec::new(),
        };
        session.pump(now);
        Ok(session)
    }

    /// True once every server answered or was given up.
    pub fn gathering_done(&self) -> bool {
        self.gathered
    }

    /// Our credentials and candidates, for SDP.
    pub fn local_parameters(&self) -> IceParameters {
        let credentials = self.agent.get_local_credentials();
        IceParameters {
            ufrag: credentials.ufrag.clone(),
            pwd: credentials.pwd.clone(),
            candidates: self.agent.get_local_candidates().iter().map(|c| c.marshal()).collect(),
        }
    }

    /// The address for `c=` and `m=` (RFC 8839 §4.2.1.1: the default candidate): our relayed
    /// address if we have one, else the socket's. `None` if relay-only and no relay exists.
    pub fn default_address(&self) -> Option<SocketAddr> {
        let relayed = self.links.iter().find_map(ServerLink::relayed);
        match self.policy {
            CandidatePolicy::RelayOnly => relayed,
            CandidatePolicy::All => Some(relayed.unwrap_or(self.base)),
        }
    }

    /// Begins connectivity checks against the peer's parameters.
    pub fn start(
        &mut self,
        now: Instant,
        controlling: bool,
        remote: &IceParameters,
    ) -> Result<(), IceError> {
        self.rtcp_only = remote.rtcp_only_addresses();
        // The peer's RTCP candidates are checked too (its ICE needs them to succeed), at their
        // lower priority; media is never accepted from them.
        let rtcp = remote.rtcp_only_candidates();
        for candidate in remote.parsed_candidates().into_iter().chain(rtcp) {
            let addr = candidate.addr();
            // A candidate the agent cannot pair (another address family) is just unused.
            let _ = self.agent.add_remote_candidate(candidate);
            self.links.iter_mut().for_each(|l| l.permit(now, addr));
        }
        self.agent
            .start_connectivity_checks(now, controlling, remote.ufrag.clone(), remote.pwd.clone())
            .map_err(|_| IceError::RemoteCredentials)?;
        self.pump(now);
        Ok(())
    }

    /// The candidate policy in force.
    pub fn policy(&self) -> CandidatePolicy {
        self.policy
    }

    /// The pair media flows on, once selected.
    pub fn selected(&self) -> Option<SelectedPair> {
        self.selected
    }

    /// Counters so far.
    pub fn stats(&self) -> IceStats {
        self.stats
    }

    /// Releases our allocations (at hang-up); their Refresh requests go out as transmits.
    pub fn close(&mut self, now: Instant) {
        self.links.iter_mut().for_each(|l| l.close(now));
        self.pump(now);
    }

    /// The next datagram to send from the call's socket.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<IceEvent> {
        self.events.pop_front()
    }

    /// When [`Self::handle_timeout`] is next due.
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        let agent = sansio::Protocol::poll_timeout(&mut self.agent);
        let links = self.links.iter_mut().filter_map(ServerLink::poll_timeout).min();
        [agent, links].into_iter().flatten().min()
    }
}

fn crypto() -> Result<Arc<dyn RTCCryptoProvider>, IceError> {
    rtc_ice::crypto::default_provider().map_err(|e| IceError::Setup(e.to_string()))
}

fn setup(e: impl std::fmt::Display) -> IceError {
    IceError::Setup(e.to_string())
}

fn host_candidate(base: SocketAddr) -> Result<rtc_ice::candidate::Candidate, IceError> {
    CandidateHostConfig {
        base_config: CandidateConfig {
            network: "udp".into(),
            address: base.ip().to_string(),
            port: base.port(),
            component: 1,
            ..CandidateConfig::default()
        },
        ..CandidateHostConfig::default()
    }
    .new_candidate_host()
    .map_err(setup)
}
