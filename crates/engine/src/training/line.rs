//! The simulated line: a second SIP user agent in the engine's process, on its own loopback UDP
//! socket, that plays the outside world for the training phone. Each scripted call is a caller
//! leg (one sans-IO `sip::UserAgent` with the scenario's number and display name); the line's
//! desk leg answers whatever the phone dials (callback verification, the dialler). The phone is
//! the only peer: datagrams from anywhere else are dropped.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use sip::{Config, FlowId, Input, Output, Transport, UserAgent};
use sip_types::CallId;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use super::legs::{Action, Leg, LegKind};
use super::passport::{Attest, Carrier};
use super::scenarios::{Behaviour, OWN_NUMBER, Scenario, Signed};
use crate::api::{ApiError, ErrorCode};
use crate::screening::unix_now;

/// How long a ringing scenario call waits for the user before the caller gives up.
const GIVE_UP_AFTER: Duration = Duration::from_secs(45);
/// How long a one-ring caller lets the phone ring.
const ONE_RING_FOR: Duration = Duration::from_secs(2);
/// The UA flow that stands for the phone (the line has no other peer).
const PHONE_FLOW: FlowId = FlowId(1);
/// The desk leg, which answers calls from the phone.
const DESK: LegId = LegId(0);

/// A command for the line, from [`crate::Phone::training_call`].
#[derive(Debug)]
pub(crate) enum LineCommand {
    /// Place a scenario's call to the phone; the answer says whether it went out.
    Place { scenario: &'static Scenario, reply: oneshot::Sender<Result<(), ApiError>> },
}

/// Names one leg of the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct LegId(u64);

/// A deferred step of a leg (answer after a ring, give up after a while).
struct Scheduled {
    at: Instant,
    leg: LegId,
    action: Action,
}

/// The line: its socket, its legs, and what it will do next.
pub(crate) struct Line {
    socket: UdpSocket,
    local: SocketAddr,
    /// Where the legs' SDP says media goes; bound so that the phone's media finds a port.
    rtp: UdpSocket,
    phone: SocketAddr,
    carrier: Carrier,
    legs: HashMap<LegId, Leg>,
    next_leg: u64,
    scheduled: Vec<Scheduled>,
}

impl Line {
    /// Binds the line's SIP and media sockets on loopback.
    pub async fn bind(carrier: Carrier) -> std::io::Result<Self> {
        let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let socket = UdpSocket::bind(loopback).await?;
        let rtp = UdpSocket::bind(loopback).await?;
        let local = socket.local_addr()?;
        Ok(Self {
            socket,
            local,
            rtp,
            phone: loopback,
            carrier,
            legs: HashMap::new(),
            next_leg: 1,
            scheduled: Vec::new(),
        })
    }

    /// The line's SIP address: the phone's trusted peer and its account's domain.
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Serves the phone at `phone` until every command sender is gone.
    pub async fn run(
        mut self,
        phone: SocketAddr,
        mut commands: mpsc::UnboundedReceiver<LineCommand>,
    ) {
        self.phone = phone;
        let desk_aor = format!("sip:training-desk@{}", self.local);
        let desk = self.user_agent(&desk_aor, Some("Callwarden training desk"));
        let rtp = self.rtp_addr();
        self.legs.insert(DESK, Leg::new(desk, LegKind::Desk, rtp));
        let mut buf = vec![0u8; 65_535];
        loop {
            let wake = self.next_wake().map(tokio::time::Instant::from_std);
            tokio::select! {
                command = commands.recv() => match command {
                    Some(LineCommand::Place { scenario, reply }) => {
                        let placed = self.place(scenario).await;
                        let _ = reply.send(placed);
                    }
                    None => break,
                },
                received = self.socket.recv_from(&mut buf) => {
                    if let Ok((n, from)) = received {
                        self.received(buf.get(..n).unwrap_or_default().to_vec(), from).await;
                    }
                }
                () = sleep_until(wake) => self.wake().await,
            }
        }
    }

    fn rtp_addr(&self) -> SocketAddr {
        self.rtp.local_addr().unwrap_or(self.local)
    }

    fn user_agent(&self, aor: &str, display_name: Option<&str>) -> UserAgent {
        let mut cfg = Config::new(aor, self.local.to_string(), Transport::Udp);
        cfg.display_name = display_name.map(str::to_owned);
        cfg.user_agent = "Callwarden training line".into();
        cfg.rng_seed = rand::random();
        UserAgent::new(cfg)
    }

    /// Places one scenario's call: a new caller leg whose INVITE the carrier signs as scripted.
    async fn place(&mut self, scenario: &'static Scenario) -> Result<(), ApiError> {
        let now = Instant::now();
        let aor = format!("sip:{}@{}", scenario.number, self.local);
        let ua = self.user_agent(&aor, scenario.name);
        let identity = match scenario.signed {
            Signed::A => Some(Attest::A),
            Signed::B => Some(Attest::B),
            Signed::Unsigned => None,
        }
        .map(|attest| {
            self.carrier.identity(attest, scenario.number, OWN_NUMBER, unix_now().secs())
        });
        let mut leg = Leg::new(ua, LegKind::Caller { identity }, self.rtp_addr());
        let uri = format!("sip:{OWN_NUMBER}@{}", self.phone);
        let handle = leg.invite(now, &uri).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidState, "The training line could not place the call.")
        })?;
        let id = LegId(self.next_leg);
        self.next_leg += 1;
        self.legs.insert(id, leg);
        let wait = match scenario.behaviour {
            Behaviour::Rings => GIVE_UP_AFTER,
            Behaviour::OneRing => ONE_RING_FOR,
        };
        self.scheduled.push(Scheduled { at: now + wait, leg: id, action: Action::GiveUp(handle) });
        self.drain(id).await;
        Ok(())
    }

    /// A datagram arrived: the phone's answer to a caller leg, or a new request for the desk.
    async fn received(&mut self, bytes: Vec<u8>, from: SocketAddr) {
        if from != self.phone {
            return;
        }
        let id = self.leg_for(&bytes);
        let Some(leg) = self.legs.get_mut(&id) else { return };
        let input = Input::Received { flow: PHONE_FLOW, trusted: true, bytes };
        leg.ua.handle_input(Instant::now(), input);
        self.drain(id).await;
    }

    /// The leg whose call the message belongs to (by Call-ID); the desk for anything new.
    fn leg_for(&self, bytes: &[u8]) -> LegId {
        let call_id: Option<CallId> =
            sip_types::Message::parse(bytes).ok().and_then(|m| m.headers().call_id().ok());
        call_id
            .and_then(|c| self.legs.iter().find(|(_, leg)| leg.owns(&c)).map(|(id, _)| *id))
            .unwrap_or(DESK)
    }

    /// Performs what a leg's UA has ready; scheduled steps it asks for are queued. A caller leg
    /// whose call and transactions are all over is retired.
    async fn drain(&mut self, id: LegId) {
        loop {
            let Some(leg) = self.legs.get_mut(&id) else { return };
            match leg.ua.poll_output() {
                Some(Output::Transmit(t)) => {
                    let bytes = leg.outgoing(t.bytes);
                    if let Err(error) = self.socket.send_to(&bytes, self.phone).await {
                        tracing::warn!(%error, "the training line could not send");
                    }
                }
                Some(Output::Event(event)) => {
                    if let Some((after, action)) = leg.event(Instant::now(), event) {
                        let at = Instant::now() + after;
                        self.scheduled.push(Scheduled { at, leg: id, action });
                    }
                }
                Some(Output::Timeout(at)) => {
                    leg.wake = Some(at);
                    break;
                }
                None => {
                    leg.wake = None;
                    break;
                }
            }
        }
        if id != DESK && self.legs.get(&id).is_some_and(Leg::finished) {
            self.legs.remove(&id);
            self.scheduled.retain(|s| s.leg != id);
        }
    }

    fn next_wake(&self) -> Option<Instant> {
        let legs = self.legs.values().filter_map(|leg| leg.wake);
        legs.chain(self.scheduled.iter().map(|s| s.at)).min()
    }

    /// Runs the scheduled steps and UA timers that are due.
    async fn wake(&mut self) {
        let now = Instant::now();
        let (due, later): (Vec<Scheduled>, Vec<Scheduled>) =
            std::mem::take(&mut self.scheduled).into_iter().partition(|s| s.at <= now);
        self.scheduled = later;
        for step in due {
            if let Some(leg) = self.legs.get_mut(&step.leg) {
                leg.perform(now, step.action);
                self.drain(step.leg).await;
            }
        }
        let timed_out: Vec<LegId> = self
            .legs
            .iter()
            .filter(|(_, leg)| leg.wake.is_some_and(|at| at <= now))
            .map(|(id, _)| *id)
            .collect();
        for id in timed_out {
            if let Some(leg) = self.legs.get_mut(&id) {
                leg.ua.handle_input(now, Input::Timeout);
                self.drain(id).await;
            }
        }
    }
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
