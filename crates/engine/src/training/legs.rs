//! One leg of the training line: a user agent, the SDP sessions of its calls, and what it does on
//! each of its events. A caller leg places one scripted call; the desk leg answers the phone.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use media::sdp::Direction;
use sip::{CallHandle, Event, UserAgent};
use sip_types::CallId;

use super::passport::with_identity;
use crate::config::{SrtpKeying, SrtpPolicy};
use crate::session::Session;

/// How long the desk lets the phone hear ringing before it answers.
const ANSWER_AFTER: Duration = Duration::from_millis(800);

/// What a leg is for.
pub(crate) enum LegKind {
    /// Places one scenario call; `identity` is the carrier's signature for its INVITE.
    Caller { identity: Option<String> },
    /// Answers every call the phone places to the line.
    Desk,
}

/// A step a leg takes later.
#[derive(Debug)]
pub(crate) enum Action {
    /// Answer a call that has been ringing, with this SDP answer.
    Answer { call: CallHandle, sdp: Vec<u8> },
    /// Stop calling if nobody answered yet (one ring, or the caller's patience is over).
    GiveUp(CallHandle),
}

/// One user agent of the line.
pub(crate) struct Leg {
    pub ua: UserAgent,
    kind: LegKind,
    /// A caller leg's one call, once its INVITE went out.
    call_id: Option<CallId>,
    sessions: HashMap<CallHandle, Session>,
    rtp: SocketAddr,
    /// When the UA wants its next timeout.
    pub wake: Option<Instant>,
}

impl Leg {
    /// A leg whose SDP points media at `rtp`. SRTP is required, as on the phone.
    pub fn new(ua: UserAgent, kind: LegKind, rtp: SocketAddr) -> Self {
        Self { ua, kind, call_id: None, sessions: HashMap::new(), rtp, wake: None }
    }

    fn session(&self) -> Session {
        Session::new(self.rtp, SrtpPolicy::Required, SrtpKeying::Sdes, rand::random())
    }

    /// Calls `uri` with an SDES-SRTP offer; `None` when the UA cannot place it.
    pub fn invite(&mut self, now: Instant, uri: &str) -> Option<CallHandle> {
        let mut session = self.session();
        let offer = session.offer(Direction::SendRecv).ok()?;
        let handle = self.ua.invite(now, uri, offer).ok()?;
        self.sessions.insert(handle, session);
        Some(handle)
    }

    /// Whether the message with `call_id` belongs to this leg's call.
    pub fn owns(&self, call_id: &CallId) -> bool {
        self.call_id.as_ref() == Some(call_id)
    }

    /// True once the leg's calls and transactions are all over.
    pub fn finished(&self) -> bool {
        self.ua.call_count() == 0 && self.ua.transaction_count() == 0
    }

    /// The bytes to send for a message the UA produced: a caller's INVITE (and its
    /// retransmissions) carries the carrier's Identity header and names the leg's Call-ID.
    pub fn outgoing(&mut self, bytes: Vec<u8>) -> Vec<u8> {
        let LegKind::Caller { identity } = &self.kind else { return bytes };
        if !bytes.starts_with(b"INVITE ") {
            return bytes;
        }
        if self.call_id.is_none() {
            self.call_id =
                sip_types::Message::parse(&bytes).ok().and_then(|m| m.headers().call_id().ok());
        }
        match identity {
            Some(value) => with_identity(&bytes, value),
            None => bytes,
        }
    }

    /// Reacts to the UA's event; a step to take later comes back with its delay.
    pub fn event(&mut self, now: Instant, event: Event) -> Option<(Duration, Action)> {
        match event {
            Event::IncomingCall { call, sdp, .. } => return self.incoming(now, call, sdp),
            Event::Answered { call, sdp: Some(answer) } => {
                let usable = self.sessions.get_mut(&call).map(|s| s.answer_received(&answer));
                if matches!(usable, Some(Err(_))) {
                    let _ = self.ua.hangup(now, call);
                }
            }
            Event::OfferReceived { call, sdp, .. } => {
                // Hold and resume from the phone: answer in kind (the UA sends 488 otherwise).
                let answer =
                    self.sessions.get_mut(&call).map(|s| s.answer(Some(&sdp), Direction::SendRecv));
                if let Some(Ok(answer)) = answer {
                    let _ = self.ua.answer_offer(now, call, answer);
                }
            }
            Event::Ended { call, .. } => {
                self.sessions.remove(&call);
            }
            _ => {}
        }
        None
    }

    /// A call from the phone: ring, and answer shortly after if its media is acceptable.
    fn incoming(
        &mut self,
        now: Instant,
        call: CallHandle,
        sdp: Option<Vec<u8>>,
    ) -> Option<(Duration, Action)> {
        let mut session = self.session();
        let answer = sdp.and_then(|offer| session.answer(Some(&offer), Direction::SendRecv).ok());
        let Some(answer) = answer else {
            let _ = self.ua.reject(now, call, 488, "Not Acceptable Here");
            return None;
        };
        self.sessions.insert(call, session);
        let _ = self.ua.ringing(now, call, None);
        Some((ANSWER_AFTER, Action::Answer { call, sdp: answer }))
    }

    /// Takes a scheduled step. A step the call has outlived (answered, ended) does nothing.
    pub fn perform(&mut self, now: Instant, action: Action) {
        let _ = match action {
            Action::Answer { call, sdp } => self.ua.answer(now, call, sdp),
            Action::GiveUp(call) => self.ua.cancel(now, call),
        };
    }
}
