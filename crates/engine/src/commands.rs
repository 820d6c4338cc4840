//! What the driver does for each command from the shell.

use std::time::Instant;

use media::sdp::Direction as SdpDirection;
use trust::OutboundDecision;

use crate::api::{ApiError, CallKey, Direction, ErrorCode, PhoneEvent};
use crate::calls::Phase;
use crate::driver::Driver;
use crate::phone::Command;
use crate::screening::unix_now;

fn no_call() -> ApiError {
    ApiError::new(ErrorCode::NoSuchCall, "There is no such call.")
}

fn ua_error(error: sip::Error) -> ApiError {
    match error {
        sip::Error::UnknownCall => no_call(),
        sip::Error::Unroutable => {
            ApiError::new(ErrorCode::InvalidTarget, "That address cannot be called.")
        }
        _ => ApiError::new(ErrorCode::InvalidState, "The call cannot do that right now."),
    }
}

fn media_error(error: impl std::fmt::Display) -> ApiError {
    tracing::warn!(%error, "SDP");
    ApiError::new(ErrorCode::InvalidState, "The call's media could not be set up.")
}

impl Driver {
    pub(crate) async fn command(&mut self, command: Command) {
        let now = Instant::now();
        match command {
            Command::Dial { target, confirmed, reply } => {
                let result = match self.outbound_guard(&target, confirmed) {
                    Ok(()) => self.dial(now, &target).await,
                    Err(refused) => Err(refused),
                };
                let _ = reply.send(result);
            }
            Command::Answer { call, reply } => {
                let _ = reply.send(self.answer(now, &call));
            }
            Command::Decline { call, reply } => {
                let _ = reply.send(self.decline(now, &call));
            }
            Command::Hangup { call, reply } => {
                let _ = reply.send(self.hangup(now, &call));
            }
            Command::Hold { call, reply } => {
                let _ = reply.send(self.reoffer(now, &call, SdpDirection::SendOnly, Phase::Held));
            }
            Command::Resume { call, reply } => {
                let _ =
                    reply.send(self.reoffer(now, &call, SdpDirection::SendRecv, Phase::Connected));
            }
            Command::SetMuted { call, muted, reply } => {
                let _ = reply.send(self.set_muted(&call, muted));
            }
            Command::Transfer { call, target, reply } => {
                let _ = reply.send(self.transfer(now, &call, &target));
            }
            Command::SendDtmf { call, digits, reply } => {
                let _ = reply.send(self.send_dtmf(&call, &digits));
            }
            Command::SetAudio { setup, reply } => {
                self.set_audio(setup);
                let _ = reply.send(Ok(()));
            }
            Command::ChooseDevices { input, output, reply } => {
                self.choose_devices(input, output);
                let _ = reply.send(Ok(()));
            }
            Command::Audio { reply } => {
                let _ = reply.send(Ok(self.calls.audio.clone()));
            }
            Command::AudioTest { on, reply } => {
                let _ = reply.send(self.audio_test(on));
            }
            Command::CallbackVerify { call, reply } => {
                let _ = reply.send(self.callback_verify(now, &call).await);
            }
            Command::Screen { trust, decline, reply } => {
                self.rescreen(trust, decline);
                if let Some(reply) = reply {
                    let _ = reply.send(Ok(()));
                }
            }
            Command::Shutdown => {}
        }
    }

    /// The toll-fraud guard for a dialled number (a SIP address is checked by its user part).
    /// International calls that pass are counted for the hourly limit.
    fn outbound_guard(&mut self, target: &str, confirmed: bool) -> Result<(), ApiError> {
        let number = dialled_number(target);
        let now = unix_now();
        let ctx = &self.account.trust;
        let verdict = trust::check_outbound(&number, ctx, &self.international_calls, now);
        let text = verdict.reasons.first().map(|r| r.message.clone()).unwrap_or_default();
        match verdict.decision {
            OutboundDecision::Block => Err(ApiError::new(ErrorCode::DestinationRefused, text)),
            OutboundDecision::Warn if !confirmed => {
                Err(ApiError::new(ErrorCode::DestinationWarning, text))
            }
            _ => {
                if trust::dials_abroad(&number, ctx) {
                    self.international_calls.retain(|t| *t > now.secs() - 3600);
                    self.international_calls.push(now.secs());
                }
                Ok(())
            }
        }
    }

    /// Turns what the user typed into a request URI: a SIP URI as is, a number at the
    /// registrar's domain.
    fn request_uri(&self, target: &str) -> Result<String, ApiError> {
        let target = target.trim();
        if target.starts_with("sip:") || target.starts_with("sips:") {
            return Ok(target.to_owned());
        }
        let digits: String =
            target.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
        let valid = !digits.is_empty()
            && digits
                .char_indices()
                .all(|(i, c)| c.is_ascii_digit() || matches!(c, '*' | '#') || (i == 0 && c == '+'));
        if !valid {
            return Err(ApiError::new(
                ErrorCode::InvalidTarget,
                "Enter a phone number or a SIP address.",
            ));
        }
        let domain = self.account.file.aor.split_once('@').map(|(_, d)| d).unwrap_or("invalid");
        Ok(format!("sip:{digits}@{domain}"))
    }

    async fn dial(&mut self, now: Instant, target: &str) -> Result<CallKey, ApiError> {
        let uri = self.request_uri(target)?;
        // The number dialled shows as a number in the UI and the call log, not as a SIP URI,
        // named when the organisation lists it (a callback shows as "IT Helpdesk").
        let mut party = crate::ua_events::presented_party(&uri);
        if party.display_name.is_none() {
            let listed = party
                .number
                .as_deref()
                .and_then(|n| crate::search::listed_name(&self.account.trust, n));
            party.display_name = listed;
        }
        let policy = self.account.file.srtp;
        // The UA names the call only once the INVITE exists; open it under a placeholder first.
        let placeholder = sip::CallHandle(u64::MAX);
        let call = self
            .calls
            .open(placeholder, Direction::Outgoing, party.clone(), self.rtp_ip, policy)
            .await
            .map_err(|e| open_error(&e))?;
        let key = call.key.clone();
        let offer = call.session.offer(SdpDirection::SendRecv).map_err(media_error);
        let handle = offer.and_then(|sdp| self.ua.invite(now, &uri, sdp).map_err(ua_error));
        match handle {
            Ok(handle) => {
                self.calls.rebind(&key, handle);
                self.emit(PhoneEvent::OutgoingCall { call: key.clone(), callee: party });
                Ok(key)
            }
            Err(error) => {
                self.calls.close(placeholder);
                Err(error)
            }
        }
    }

    /// Ends a suspicious call and dials the number its verdict names, which came from the
    /// directory or contacts, never from the call.
    async fn callback_verify(&mut self, now: Instant, key: &CallKey) -> Result<CallKey, ApiError> {
        let call = self.calls.get_mut(key).ok_or_else(no_call)?;
        let Some(number) = call.callback.clone() else {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "This call has no directory number to call back.",
            ));
        };
        call.ended_for_callback = true;
        self.hangup(now, key)?;
        self.outbound_guard(&number, false)?;
        self.dial(now, &number).await
    }

    fn answer(&mut self, now: Instant, key: &CallKey) -> Result<(), ApiError> {
        let call = self.calls.get_mut(key).ok_or_else(no_call)?;
        if call.phase != Phase::Ringing {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "Only a ringing call can be answered.",
            ));
        }
        let sdp = call.session.answer(None, SdpDirection::SendRecv).map_err(media_error)?;
        let handle = call.handle;
        self.ua.answer(now, handle, sdp).map_err(ua_error)
    }

    fn decline(&mut self, now: Instant, key: &CallKey) -> Result<(), ApiError> {
        let call = self.calls.get_mut(key).ok_or_else(no_call)?;
        let handle = call.handle;
        self.ua.reject(now, handle, 603, "Decline").map_err(ua_error)
    }

    fn hangup(&mut self, now: Instant, key: &CallKey) -> Result<(), ApiError> {
        let call = self.calls.get_mut(key).ok_or_else(no_call)?;
        let (handle, phase) = (call.handle, call.phase);
        match phase {
            Phase::Dialling => self.ua.cancel(now, handle).map_err(ua_error),
            Phase::Ringing => self.ua.reject(now, handle, 603, "Decline").map_err(ua_error),
            Phase::Connected | Phase::Held => self.ua.hangup(now, handle).map_err(ua_error),
        }
    }

    fn reoffer(
        &mut self,
        now: Instant,
        key: &CallKey,
        direction: SdpDirection,
        next: Phase,
    ) -> Result<(), ApiError> {
        let call = self.calls.get_mut(key).ok_or_else(no_call)?;
        let allowed = match next {
            Phase::Held => call.phase == Phase::Connected,
            _ => call.phase == Phase::Held,
        };
        if !allowed {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "The call is not in a state to do that.",
            ));
        }
        let sdp = call.session.offer(direction).map_err(media_error)?;
        let handle = call.handle;
        call.phase = next;
        self.ua.reinvite(now, handle, sdp).map_err(ua_error)
    }

    fn transfer(&mut self, now: Instant, key: &CallKey, target: &str) -> Result<(), ApiError> {
        let uri = self.request_uri(target)?;
        let call = self.calls.get_mut(key).ok_or_else(no_call)?;
        if !matches!(call.phase, Phase::Connected | Phase::Held) {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "Only a connected call can be transferred.",
            ));
        }
        let handle = call.handle;
        self.ua.refer(now, handle, &uri).map_err(ua_error)
    }

    fn set_muted(&mut self, key: &CallKey, muted: bool) -> Result<(), ApiError> {
        let call = self.calls.get_mut(key).ok_or_else(no_call)?;
        call.muted = muted;
        self.mute_media(key, muted);
        self.emit(PhoneEvent::MuteChanged { call: key.clone(), muted });
        Ok(())
    }
}

/// The number in what the user dialled: the text itself, or a SIP URI's user part.
fn dialled_number(target: &str) -> String {
    let target = target.trim();
    let rest = target.strip_prefix("sips:").or_else(|| target.strip_prefix("sip:"));
    match rest {
        Some(uri) => uri.split(['@', ';']).next().unwrap_or_default().to_owned(),
        None => target.to_owned(),
    }
}

/// Why a call could not be opened, for the user.
fn open_error(error: &std::io::Error) -> ApiError {
    let message = if crate::calls::ice_link::is_no_relay(error) {
        "No TURN server gave this call a relay, and the account allows relayed media only."
    } else {
        "No media port is free."
    };
    ApiError::new(ErrorCode::InvalidState, message)
}
