//! What the driver does with each event the UA core reports: call bookkeeping, SDP answers, and
//! the `PhoneEvent`s the shell sees.

use std::time::Instant;

use media::sdp::Direction as SdpDirection;
use sip::{Event, Registration};

use crate::api::{
    Attestation, Direction, EndReason, Party, PhoneEvent, RecommendedAction, RegistrationState,
    TrustLevel, TrustReason, TrustVerdict,
};
use crate::calls::{Phase, end_reason, media_security};
use crate::driver::Driver;
use crate::screening::Screened;
use crate::trust_view::verdict_view;

/// 488: the offer's media cannot be accepted (no common codec, or plain RTP against policy).
const NOT_ACCEPTABLE: u16 = 488;

impl Driver {
    pub(crate) async fn ua_event(&mut self, event: Event) {
        let now = Instant::now();
        match event {
            Event::Registration(registration) => self.registration(registration),
            Event::IncomingCall { call, from, sdp, invite, .. } => {
                self.incoming(now, call, from, sdp, &invite).await
            }
            Event::Ringing { call, .. } => {
                if let Some(c) = self.calls.by_handle(call) {
                    let key = c.key.clone();
                    self.emit(PhoneEvent::RemoteRinging { call: key });
                }
            }
            Event::Answered { call, sdp } => self.answered(call, sdp),
            Event::OfferReceived { call, sdp, .. } => self.offer_received(now, call, &sdp),
            Event::AnswerReceived { call, sdp } => self.answer_received(call, &sdp),
            Event::Ended { call, reason } => {
                self.screening.forget(call);
                if let Some(mut c) = self.calls.close(call) {
                    self.stop_media(&mut c);
                    let answered = matches!(c.phase, Phase::Connected | Phase::Held);
                    let reason = if c.ended_for_callback {
                        EndReason::CallbackVerification
                    } else {
                        end_reason(&reason, c.direction, answered)
                    };
                    self.emit(PhoneEvent::Ended { call: c.key, reason });
                }
            }
            other => {
                tracing::debug!(event = ?std::mem::discriminant(&other), "UA event not surfaced")
            }
        }
    }

    fn registration(&mut self, registration: Registration) {
        let state = match registration {
            Registration::Registered { expires, flow } => {
                // The registrar's flow is the one trusted path for incoming requests.
                if let Some(route) = flow.and_then(|f| self.flows.route(f)) {
                    self.flows.trust(route.remote);
                }
                self.bound = true;
                RegistrationState::Registered { expires_secs: expires }
            }
            Registration::Unregistered => {
                self.bound = false;
                RegistrationState::Unregistered
            }
            Registration::Failed { status: 0, .. } => {
                self.bound = false;
                RegistrationState::Failed { reason: "The registrar did not answer.".into() }
            }
            Registration::Failed { status, .. } => {
                self.bound = false;
                RegistrationState::Failed {
                    reason: format!("The registrar refused the registration ({status})."),
                }
            }
            _ => return,
        };
        let account = self.registrar_label.clone();
        self.emit(PhoneEvent::RegistrationChanged { account, state });
    }

    async fn incoming(
        &mut self,
        now: Instant,
        handle: sip::CallHandle,
        from: String,
        sdp: Option<Vec<u8>>,
        invite: &[u8],
    ) {
        let party = presented_party(&from);
        let policy = self.account.file.srtp;
        let Ok(call) =
            self.calls.open(handle, Direction::Incoming, party.clone(), self.rtp_ip, policy).await
        else {
            let _ = self.ua.reject(now, handle, 503, "Service Unavailable");
            return;
        };
        call.phase = Phase::Ringing;
        let key = call.key.clone();
        let accepted = match &sdp {
            Some(offer) => call.session.offer_received(offer).is_ok(),
            // An INVITE without an offer gets our offer in the 200 (RFC 3264 §5); not supported yet.
            None => false,
        };
        if !accepted {
            self.calls.close(handle);
            let _ = self.ua.reject(now, handle, NOT_ACCEPTABLE, "Not Acceptable Here");
            return;
        }
        let verdict = self.first_verdict(handle, invite);
        if verdict.level == TrustLevel::Blocked {
            // Blocked by the user or the organisation: the phone does not ring.
            self.screening.forget(handle);
            self.calls.close(handle);
            let _ = self.ua.reject(now, handle, 603, "Decline");
            self.emit(PhoneEvent::CallBlocked { caller: party, verdict });
            return;
        }
        if let Some(call) = self.calls.by_handle(handle) {
            call.callback = verdict.callback.as_ref().map(|c| c.number.clone());
        }
        let _ = self.ua.ringing(now, handle, None);
        self.emit(PhoneEvent::IncomingCall { call: key, caller: party, verdict, training: false });
    }

    /// Screens a new call and returns its first verdict (final, or `Verifying` while a
    /// certificate fetch runs). Verdicts for other calls that came out too are applied.
    fn first_verdict(&mut self, handle: sip::CallHandle, invite: &[u8]) -> TrustVerdict {
        let via_tls = self.inbound_via_registrar_tls;
        let Some(screened) = self.screening.screen(handle, invite, via_tls) else {
            return unreadable_verdict();
        };
        let (mine, others): (Vec<Screened>, Vec<Screened>) =
            screened.into_iter().partition(|s| s.handle == handle);
        self.apply_verdicts(others);
        match mine.last() {
            Some(s) => verdict_view(&s.verdict, self.screening.context()),
            None => unreadable_verdict(),
        }
    }

    /// Verdicts that changed after the phone started ringing (a fetch finished or timed out):
    /// the UI updates in place; a call that turns out blocked stops ringing.
    pub(crate) fn apply_verdicts(&mut self, verdicts: Vec<Screened>) {
        for Screened { handle, verdict } in verdicts {
            let view = verdict_view(&verdict, self.screening.context());
            let Some(call) = self.calls.by_handle(handle) else { continue };
            call.callback = view.callback.as_ref().map(|c| c.number.clone());
            let (key, ringing) = (call.key.clone(), call.phase == Phase::Ringing);
            if ringing && view.level == TrustLevel::Blocked {
                let _ = self.ua.reject(Instant::now(), handle, 603, "Decline");
            }
            self.emit(PhoneEvent::TrustUpdated { call: key, verdict: view });
        }
    }

    fn answered(&mut self, handle: sip::CallHandle, sdp: Option<Vec<u8>>) {
        let Some(call) = self.calls.by_handle(handle) else { return };
        let key = call.key.clone();
        let secured = match (call.direction, sdp) {
            (Direction::Outgoing, Some(answer)) => match call.session.answer_received(&answer) {
                Ok(negotiated) => Some(media_security(negotiated)),
                Err(e) => {
                    // SDP errors name lines, tags and suites, never addresses or users.
                    tracing::warn!(error = %e, "the answer's media is unusable");
                    None
                }
            },
            _ => call.session.negotiated().map(media_security),
        };
        call.phase = Phase::Connected;
        self.emit(PhoneEvent::Answered { call: key.clone() });
        match secured {
            Some(security) => self.start_media(handle, security),
            None => {
                // The answer's media is unusable (e.g. plain RTP against policy): end the call.
                let _ = self.ua.hangup(Instant::now(), handle);
            }
        }
    }

    fn offer_received(&mut self, now: Instant, handle: sip::CallHandle, sdp: &[u8]) {
        let Some(call) = self.calls.by_handle(handle) else { return };
        let ours =
            if call.phase == Phase::Held { SdpDirection::SendOnly } else { SdpDirection::SendRecv };
        let Ok(answer) = call.session.answer(Some(sdp), ours) else {
            // The UA answers a refused re-offer with 488 and the previous session stays.
            tracing::info!("refusing a re-offer whose media cannot be accepted");
            return;
        };
        // Held by the peer: our side may only receive (or nothing at all).
        let held = call.session.negotiated().is_some_and(|n| !n.direction.sends());
        let key = call.key.clone();
        let _ = self.ua.answer_offer(now, handle, answer);
        self.renegotiate_media(handle);
        let event = if held {
            PhoneEvent::Held { call: key, by_remote: true }
        } else {
            PhoneEvent::Resumed { call: key }
        };
        self.emit(event);
    }

    fn answer_received(&mut self, handle: sip::CallHandle, sdp: &[u8]) {
        let Some(call) = self.calls.by_handle(handle) else { return };
        let key = call.key.clone();
        let phase = call.phase;
        if call.session.answer_received(sdp).is_err() {
            tracing::info!("a re-offer's answer could not be used");
            return;
        }
        self.renegotiate_media(handle);
        let event = match phase {
            Phase::Held => PhoneEvent::Held { call: key, by_remote: false },
            _ => PhoneEvent::Resumed { call: key },
        };
        self.emit(event);
    }
}

/// The party named by a `From`/`To` value or a bare URI: the display name, the URI, and the
/// number when the URI's user part is one. For a caller this is only what they present.
pub(crate) fn presented_party(from: &str) -> Party {
    let parsed = sip_types::NameAddr::parse(from).ok();
    let display_name = parsed.as_ref().and_then(|n| n.display_name().map(|d| d.into_owned()));
    let uri = parsed.as_ref().map_or_else(|| from.to_owned(), |n| n.uri().as_str().to_owned());
    let number = parsed
        .as_ref()
        .and_then(|n| n.uri().as_sip().and_then(|s| s.user().map(|u| u.into_owned())))
        .filter(|u| u.trim_start_matches('+').chars().all(|c| c.is_ascii_digit()) && !u.is_empty());
    Party { number, display_name, uri }
}

/// The verdict for an INVITE whose caller identity cannot be read at all: nothing vouches for
/// it and something is off, so caution (never "verified").
fn unreadable_verdict() -> TrustVerdict {
    TrustVerdict {
        level: TrustLevel::Caution,
        attestation: Attestation::None,
        brand: None,
        reasons: vec![TrustReason {
            code: "call.identity_unreadable".into(),
            text: "The caller's identity could not be read from the call.".into(),
        }],
        action: RecommendedAction::AnswerWithCaution,
        callback: None,
    }
}

#[cfg(test)]
mod tests {
    use super::presented_party;

    #[test]
    fn a_dialled_uri_shows_its_number() {
        let party = presented_party("sip:+12155550100@pbx.example.com");
        assert_eq!(party.number.as_deref(), Some("+12155550100"));
        assert_eq!(party.uri, "sip:+12155550100@pbx.example.com");
        assert_eq!(party.display_name, None);
    }

    #[test]
    fn a_presented_name_is_kept_and_a_name_user_part_is_no_number() {
        let party = presented_party("\"IT Helpdesk\" <sip:helpdesk@pbx.example.com>;tag=1");
        assert_eq!(party.display_name.as_deref(), Some("IT Helpdesk"));
        assert_eq!(party.number, None);
        assert_eq!(party.uri, "sip:helpdesk@pbx.example.com");
    }
}
