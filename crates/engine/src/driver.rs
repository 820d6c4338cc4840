//! The driver: one task per phone that owns the UA core, the transports and the calls. It takes
//! commands, feeds transport input and timers to the core, and performs what the core outputs.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use sip::{Destination, Input, Output, RateLimiter, UserAgent};
use tokio::sync::mpsc;

use crate::api::PhoneEvent;
use crate::calls::Calls;
use crate::config::Account;
use crate::flows::{Flows, Route};
use crate::phone::Command;
use crate::resolve::Resolver;
use crate::screening::Screening;
use crate::transport::{FlowId as TransportFlow, Target, TransportEvent, Transports, is_secure};

/// How often stream flows send a CRLF keep-alive (RFC 5626 suggests 95-120 s for TCP; NATs on
/// hotel networks drop idle flows sooner, so we stay well under a minute).
pub(crate) const KEEPALIVE: Duration = Duration::from_secs(25);

/// Messages per source IP: a burst, then one every 5 ms. Bounds the CPU a flood can take.
const RATE_BURST: u32 = 200;
const RATE_REFILL: Duration = Duration::from_millis(5);
const RATE_SOURCES: usize = 4096;

/// How often a lost registrar flow is retried.
const RECONNECT_EVERY: Duration = Duration::from_secs(5);

/// How long shutdown waits for the registrar and peers to acknowledge the goodbyes.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Counters a test or the UI can read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DriverStats {
    /// Messages dropped because their source is neither the registrar, a trusted peer, nor a
    /// peer we contacted (ghost-call protection).
    pub untrusted_dropped: u64,
    /// Messages dropped by the per-source rate limit.
    pub rate_limited: u64,
}

/// Everything one running phone owns.
pub(crate) struct Driver {
    pub(crate) ua: UserAgent,
    pub(crate) transports: Transports,
    pub(crate) transport_events: mpsc::UnboundedReceiver<TransportEvent>,
    pub(crate) resolver: Resolver,
    pub(crate) resolved: HashMap<sip::Target, SocketAddr>,
    pub(crate) flows: Flows,
    pub(crate) calls: Calls,
    pub(crate) account: Account,
    pub(crate) events: mpsc::UnboundedSender<PhoneEvent>,
    pub(crate) rtp_ip: IpAddr,
    pub(crate) limiter: RateLimiter<IpAddr>,
    pub(crate) stats: DriverStats,
    pub(crate) registrar_label: String,
    /// Set once shutdown began: the deadline for the goodbyes (BYEs, unregister) to finish.
    pub(crate) stopping: Option<Instant>,
    /// Whether the registrar binding is (being) held; cleared when Unregistered arrives.
    pub(crate) bound: bool,
    /// The registrar's stream flow (TCP, TLS, WS, WSS) and how to reopen it when it drops.
    pub(crate) registrar_flow: Option<(TransportFlow, Target)>,
    /// When to try reopening a lost registrar flow again.
    reconnect_at: Option<Instant>,
    /// The trust core and its fetches: every incoming call is judged before it rings.
    pub(crate) screening: Screening,
    /// Whether the message being handled came over the registrar's TLS (or WSS) flow: only then
    /// is a network `verstat` believed.
    pub(crate) inbound_via_registrar_tls: bool,
    /// Start times (Unix seconds) of international calls in the last hour, for the toll-fraud
    /// guard's hourly limit.
    pub(crate) international_calls: Vec<i64>,
    timeout: Option<Instant>,
}

impl Driver {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        ua: UserAgent,
        transports: Transports,
        transport_events: mpsc::UnboundedReceiver<TransportEvent>,
        resolver: Resolver,
        flows: Flows,
        account: Account,
        events: mpsc::UnboundedSender<PhoneEvent>,
        rtp_ip: IpAddr,
    ) -> Self {
        let tls = account.tls.client_config().ok();
        let screening = Screening::new(std::sync::Arc::clone(&account.trust), tls);
        Self {
            ua,
            transports,
            transport_events,
            resolver,
            resolved: HashMap::new(),
            flows,
            calls: Calls::default(),
            registrar_label: account.file.aor.clone(),
            account,
            events,
            rtp_ip,
            limiter: RateLimiter::new(RATE_BURST, RATE_REFILL, RATE_SOURCES),
            stats: DriverStats::default(),
            stopping: None,
            bound: false,
            registrar_flow: None,
            reconnect_at: None,
            screening,
            inbound_via_registrar_tls: false,
            international_calls: Vec::new(),
            timeout: None,
        }
    }

    /// Runs until shutdown or until every `Phone` handle is dropped.
    pub(crate) async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        self.drain().await;
        let mut commands_open = true;
        loop {
            let wake = [self.stopping, self.reconnect_at, self.screening.deadline]
                .into_iter()
                .fold(self.timeout, earliest)
                .map(tokio::time::Instant::from_std);
            tokio::select! {
                command = commands.recv(), if commands_open => match command {
                    Some(Command::Shutdown) => self.begin_shutdown(),
                    None => {
                        commands_open = false;
                        self.begin_shutdown();
                    }
                    Some(command) => self.command(command).await,
                },
                Some(event) = self.transport_events.recv() => self.transport_event(event).await,
                Some(fetched) = self.screening.done.recv() => {
                    let verdicts = self.screening.fetched(fetched);
                    self.apply_verdicts(verdicts);
                }
                () = sleep_until(wake) => self.wake().await,
            }
            self.drain().await;
            if self
                .stopping
                .is_some_and(|deadline| self.goodbyes_done() || Instant::now() >= deadline)
            {
                break;
            }
        }
    }

    fn goodbyes_done(&mut self) -> bool {
        !self.bound && self.calls.iter().next().is_none()
    }

    async fn wake(&mut self) {
        let now = Instant::now();
        if self.reconnect_at.is_some_and(|at| at <= now) {
            self.reconnect_registrar().await;
        }
        if self.screening.deadline.is_some_and(|at| at <= now) {
            let verdicts = self.screening.expire();
            self.apply_verdicts(verdicts);
        }
        self.ua.handle_input(now, Input::Timeout);
    }

    async fn transport_event(&mut self, event: TransportEvent) {
        match event {
            TransportEvent::Received { flow, remote, bytes, .. } => {
                let now = Instant::now();
                if !self.flows.is_trusted(remote) {
                    // Ghost-call protection: no reply, no event, no state.
                    self.stats.untrusted_dropped += 1;
                    return;
                }
                if !self.limiter.allow(now, &remote.ip()) {
                    self.stats.rate_limited += 1;
                    return;
                }
                let id = self.flows.id_for(Route { flow, remote });
                self.inbound_via_registrar_tls =
                    self.registrar_flow.as_ref().is_some_and(|(registrar, target)| {
                        *registrar == flow && is_secure(target.kind)
                    });
                self.ua.handle_input(now, Input::Received { flow: id, trusted: true, bytes });
            }
            TransportEvent::Closed { flow, reason } => {
                tracing::info!(%flow, %reason, "transport flow closed");
                self.flows.close(flow);
                self.transports.forget(flow);
                if self.registrar_flow.as_ref().is_some_and(|(f, _)| *f == flow)
                    && self.stopping.is_none()
                {
                    self.reconnect_registrar().await;
                }
            }
        }
    }

    /// Performs every output the UA has ready and arms the next timer.
    pub(crate) async fn drain(&mut self) {
        self.timeout = None;
        while let Some(output) = self.ua.poll_output() {
            match output {
                Output::Transmit(t) => self.transmit(t.destination, t.bytes).await,
                Output::Event(event) => self.ua_event(event).await,
                Output::Timeout(at) => {
                    self.timeout = Some(at);
                    break;
                }
            }
        }
    }

    async fn transmit(&mut self, destination: Destination, bytes: Vec<u8>) {
        let result = match destination {
            Destination::Flow(id) => match self.flows.route(id) {
                Some(route) => self
                    .transports
                    .send_on(route.flow, route.remote, bytes)
                    .await
                    .map_err(Into::into),
                None => {
                    tracing::debug!("dropping a message for a closed flow");
                    Ok(())
                }
            },
            Destination::Target(target) => self.send_to_target(&target, bytes).await,
        };
        if let Err(error) = result {
            // The transaction layer times out and reports the failure as a SIP event.
            tracing::warn!(%error, "send failed");
        }
    }

    async fn send_to_target(
        &mut self,
        target: &sip::Target,
        bytes: Vec<u8>,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let addr = match self.resolved.get(target) {
            Some(addr) => *addr,
            None => {
                let found = self
                    .resolver
                    .locate(&target.host, target.port, Some(target.transport), false)
                    .await?;
                let first = found.first().ok_or("no address")?.addr;
                self.resolved.insert(target.clone(), first);
                first
            }
        };
        let server_name = target.host.parse::<IpAddr>().is_err().then(|| target.host.clone());
        let resolved = Target { kind: target.transport, addr, server_name };
        let flow = self.transports.send_to(&resolved, bytes).await?;
        // A peer we send requests to may answer and send in-dialog requests back.
        self.flows.trust(addr);
        self.flows.id_for(Route { flow, remote: addr });
        Ok(())
    }

    /// Reopens the registrar's flow after it dropped (network change, server restart) and tells
    /// the UA its new local address, which re-registers over the new flow. Retried every few
    /// seconds until it works.
    async fn reconnect_registrar(&mut self) {
        let Some((_, target)) = self.registrar_flow.clone() else { return };
        self.reconnect_at = None;
        match self.transports.flow_for(&target).await {
            Ok(flow) => {
                self.flows.id_for(Route { flow, remote: target.addr });
                self.registrar_flow = Some((flow, target));
                if let Some(local) = self.transports.local_addr(flow) {
                    let input = Input::NetworkChanged { local_addr: local.to_string() };
                    self.ua.handle_input(Instant::now(), input);
                }
            }
            Err(error) => {
                tracing::warn!(%error, "registrar flow could not be reopened");
                self.reconnect_at = Some(Instant::now() + RECONNECT_EVERY);
                let account = self.registrar_label.clone();
                let state = crate::api::RegistrationState::Failed {
                    reason: "The connection to the registrar was lost; retrying.".into(),
                };
                self.emit(PhoneEvent::RegistrationChanged { account, state });
            }
        }
    }

    /// Hangs up every call and removes the registration; the loop ends when the registrar and
    /// the peers have answered, or after a short grace period.
    fn begin_shutdown(&mut self) {
        if self.stopping.is_some() {
            return;
        }
        let now = Instant::now();
        self.stopping = Some(now + SHUTDOWN_GRACE);
        let handles: Vec<sip::CallHandle> = self.calls.iter().map(|c| c.handle).collect();
        for handle in handles {
            if self.ua.hangup(now, handle).is_err() {
                let _ = self.ua.cancel(now, handle);
            }
        }
        if self.bound && self.ua.unregister(now).is_err() {
            self.bound = false;
        }
    }

    /// Emits an event to the shell; a dropped receiver only means nobody listens any more.
    pub(crate) fn emit(&self, event: PhoneEvent) {
        let _ = self.events.send(event);
    }
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
