//! The user agent core: one state machine per account, fed with inputs, drained of outputs.

mod api;
mod bye;
mod call;
mod dialog;
mod incoming;
mod offer;
mod outgoing;
mod policy;
mod prack;
mod redact;
mod refer;
mod registration;
mod requests;
mod responses;
mod transactions;

use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

pub use api::{EndReason, Event, Input, OfferKind, Output, Registration, RequestId, Transmit};
pub use policy::RateLimiter;

use crate::auth::{Credentials, DigestClient};
use crate::ids::{CallHandle, Destination, Target, Transport};
use crate::timers::{TimerConfig, earliest};
use call::Call;
use registration::RegistrationCtl;
use transactions::Transactions;

/// Methods we implement, for `Allow`.
pub(crate) const ALLOW: &str = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, REFER, NOTIFY";
/// Extensions we implement, for `Supported`.
pub(crate) const SUPPORTED: &str = "100rel, replaces";

/// Caps that keep the core's memory bounded whatever the network sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Client plus server transactions alive at once; new requests beyond it are dropped.
    pub max_transactions: usize,
    /// Calls alive at once; INVITEs beyond it are answered 486.
    pub max_calls: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_transactions: 512, max_calls: 16 }
    }
}

/// One SIP account's configuration. `Debug` leaves out addresses and identities.
#[derive(Clone)]
pub struct Config {
    /// Address of record, e.g. `sip:alice@example.com`.
    pub aor: String,
    /// Display name for `From`.
    pub display_name: Option<String>,
    /// Digest credentials, if the servers challenge.
    pub credentials: Option<Credentials>,
    /// Registrar request-URI (e.g. `sip:example.com`); `None` disables registration.
    pub registrar: Option<String>,
    /// Every request goes here first when set (RFC 3261 §8.1.2 outbound proxy).
    pub outbound_proxy: Option<Target>,
    /// Transport for `Via`/`Contact` and for URIs without a `transport` parameter.
    pub transport: Transport,
    /// `host:port` of the local end, for `Via` and `Contact` (updated by `NetworkChanged`).
    pub local_addr: String,
    /// Requested registration lifetime in seconds.
    pub register_expires: u32,
    /// `User-Agent` header value.
    pub user_agent: String,
    /// Transaction timer base values.
    pub timers: TimerConfig,
    /// Memory bounds.
    pub limits: Limits,
    /// Send provisional responses reliably (RFC 3262) when the caller supports 100rel.
    pub reliable_provisionals: bool,
    /// Seed for tags, branches, Call-IDs and cnonces (tests pass a fixed one).
    pub rng_seed: u64,
}

impl Config {
    /// A configuration with defaults for everything but identity and local address.
    pub fn new(
        aor: impl Into<String>,
        local_addr: impl Into<String>,
        transport: Transport,
    ) -> Self {
        Self {
            aor: aor.into(),
            display_name: None,
            credentials: None,
            registrar: None,
            outbound_proxy: None,
            transport,
            local_addr: local_addr.into(),
            register_expires: 3600,
            user_agent: "Callwarden".into(),
            timers: TimerConfig::default(),
            limits: Limits::default(),
            reliable_provisionals: true,
            rng_seed: 0,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("transport", &self.transport)
            .field("register_expires", &self.register_expires)
            .field("timers", &self.timers)
            .field("limits", &self.limits)
            .field("reliable_provisionals", &self.reliable_provisionals)
            .finish_non_exhaustive()
    }
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No call with that handle.
    #[error("no such call")]
    UnknownCall,
    /// The call's state does not allow the command.
    #[error("the call's state does not allow {0}")]
    WrongState(&'static str),
    /// `register` without a configured registrar.
    #[error("no registrar configured")]
    NoRegistrar,
    /// The URI is not a routable sip:/sips: URI.
    #[error("the URI cannot be routed")]
    Unroutable,
    /// Too many calls or transactions.
    #[error("too many concurrent calls or transactions")]
    Busy,
}

/// A sans-IO SIP user agent for one account.
pub struct UserAgent {
    cfg: Config,
    rng: StdRng,
    digest: Option<DigestClient>,
    tx: Transactions,
    calls: BTreeMap<CallHandle, Call>,
    reg: RegistrationCtl,
    out: VecDeque<Output>,
    next_id: u64,
}

impl UserAgent {
    /// A user agent for `cfg`. Nothing is sent until a command or input arrives.
    pub fn new(mut cfg: Config) -> Self {
        // A zero T1/T2 would make retransmission timers fire forever at the same instant.
        cfg.timers.t1 = cfg.timers.t1.max(std::time::Duration::from_millis(1));
        cfg.timers.t2 = cfg.timers.t2.max(cfg.timers.t1);
        let mut rng = StdRng::seed_from_u64(cfg.rng_seed);
        let reg = RegistrationCtl::new(hex_token(&mut rng, 16), hex_token(&mut rng, 8));
        Self {
            digest: cfg.credentials.clone().map(DigestClient::new),
            cfg,
            rng,
            tx: Transactions::default(),
            calls: BTreeMap::new(),
            reg,
            out: VecDeque::new(),
            next_id: 1,
        }
    }

    /// Feeds one input at time `now`, then runs every timer due at `now`.
    pub fn handle_input(&mut self, now: Instant, input: Input) {
        match input {
            Input::Received { flow, trusted, bytes } => self.on_bytes(now, flow, trusted, &bytes),
            Input::NetworkChanged { local_addr } => self.on_network_changed(now, local_addr),
            Input::Timeout => {}
        }
        self.run_timers(now);
    }

    /// The next output; `Timeout(at)` when only waiting remains, `None` when idle.
    pub fn poll_output(&mut self) -> Option<Output> {
        if let Some(o) = self.out.pop_front() {
            return Some(o);
        }
        self.deadline().map(Output::Timeout)
    }

    /// Transactions alive (client plus server): bounded by [`Limits::max_transactions`].
    pub fn transaction_count(&self) -> usize {
        self.tx.len()
    }

    /// Calls alive: bounded by [`Limits::max_calls`].
    pub fn call_count(&self) -> usize {
        self.calls.len()
    }

    fn deadline(&self) -> Option<Instant> {
        let calls = self.calls.values().filter_map(Call::deadline).min();
        earliest(earliest(self.tx.deadline(), calls), self.reg.deadline())
    }

    fn run_timers(&mut self, now: Instant) {
        self.run_transaction_timers(now);
        self.run_call_timers(now);
        self.run_registration_timer(now);
    }

    fn emit(&mut self, event: Event) {
        self.out.push_back(Output::Event(event));
    }

    fn transmit(&mut self, destination: Destination, bytes: Vec<u8>) {
        self.out.push_back(Output::Transmit(Transmit { destination, bytes }));
    }

    fn token(&mut self, bytes: usize) -> String {
        hex_token(&mut self.rng, bytes)
    }

    fn branch(&mut self) -> String {
        format!("z9hG4bK{}", self.token(10))
    }

    fn next_handle(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Our `Contact` value.
    fn contact(&self) -> String {
        let user = crate::uri::user(&self.cfg.aor).unwrap_or("callwarden");
        match self.cfg.transport {
            Transport::Udp => format!("<sip:{user}@{}>", self.cfg.local_addr),
            t => format!(
                "<sip:{user}@{};transport={}>",
                self.cfg.local_addr,
                t.via_token().to_ascii_lowercase()
            ),
        }
    }

    /// Our `From` name-addr without tag.
    fn local_identity(&self) -> String {
        match &self.cfg.display_name {
            Some(name) => format!("\"{}\" <{}>", name.replace('"', ""), self.cfg.aor),
            None => format!("<{}>", self.cfg.aor),
        }
    }

    /// Where an out-of-dialog request for `uri` goes (outbound proxy first).
    fn next_hop(&self, uri: &str) -> Option<Destination> {
        let target = match &self.cfg.outbound_proxy {
            Some(proxy) => proxy.clone(),
            None => crate::uri::target(uri, self.cfg.transport)?,
        };
        Some(Destination::Target(target))
    }
}

impl std::fmt::Debug for UserAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserAgent")
            .field("calls", &self.calls.len())
            .field("transactions", &self.tx.len())
            .field("queued_outputs", &self.out.len())
            .finish_non_exhaustive()
    }
}

fn hex_token(rng: &mut StdRng, bytes: usize) -> String {
    (0..bytes).map(|_| format!("{:02x}", rng.random::<u8>())).collect()
}
