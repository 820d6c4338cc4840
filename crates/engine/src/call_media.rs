//! Where the driver starts, steers and stops each call's media thread: on answer, on every
//! finished re-offer (hold, resume), for mute and keypad tones, and at hang-up, where the
//! media summary for the call log is taken.

use std::time::Instant;

use media::call::{CallMedia, CallSummary};
use media::dsp::VoiceProcessing;
use media::dtmf::DtmfDigit;
use media::ice::CandidatePolicy;

use crate::calls::ice_link::IceLink;
use media::sdp::{Direction as SdpDirection, NegotiatedSession, Security};

use crate::api::{ApiError, CallKey, ErrorCode, MediaSecurity, MediaSummary, PhoneEvent};
use crate::audio::AudioSetup;
use crate::calls::{Call, Phase};
use crate::driver::Driver;
use crate::media_runtime::{MediaCommand, MediaStart, MediaTask};

impl Driver {
    /// The call connected with media protected as `security`: tell the user, start the media.
    /// A DTLS-SRTP call is reported secured by the media thread once its handshake finished.
    pub(crate) fn start_media(&mut self, handle: sip::CallHandle, security: MediaSecurity) {
        let Some(call) = self.calls.by_handle(handle) else { return };
        let key = call.key.clone();
        if !matches!(security, MediaSecurity::DtlsSrtp { .. }) {
            self.emit(PhoneEvent::MediaSecured { call: key.clone(), security });
        }
        let audio = self.calls.audio.clone();
        let commands = self.calls.commands.clone();
        let events = self.events.clone();
        let Some(call) = self.calls.by_handle(handle) else { return };
        let ice = call.ice.take();
        match spawn(call, ice, audio, events, commands) {
            Ok(task) => call.media = Some(task),
            Err(_) => {
                // The cause may name the peer's address: it stays out of the log.
                tracing::warn!("call media could not start");
                self.emit(PhoneEvent::DeviceFailed {
                    text: "The call's audio could not start.".into(),
                });
                let _ = self.ua.hangup(Instant::now(), handle);
            }
        }
    }

    /// A re-offer finished: hand the new session to the running media. While we hold the call
    /// nothing is sent either (the peer hears no audio, and no packets flow both ways).
    pub(crate) fn renegotiate_media(&mut self, handle: sip::CallHandle) {
        let Some(call) = self.calls.by_handle(handle) else { return };
        let Some(mut neg) = call.session.negotiated().cloned() else { return };
        if call.phase == Phase::Held {
            neg.direction = SdpDirection::Inactive;
        }
        if let Some(media) = &call.media {
            media.send(MediaCommand::Renegotiate(neg));
        }
    }

    /// Stops a finished call's media and reports its summary (before `Ended`).
    pub(crate) fn stop_media(&mut self, call: &mut Call) {
        let Some(summary) = call.media.take().and_then(MediaTask::stop) else { return };
        let summary = media_summary(&summary);
        self.emit(PhoneEvent::MediaSummary { call: call.key.clone(), summary });
    }

    /// Sends keypad tones on a connected call.
    pub(crate) fn send_dtmf(&mut self, key: &CallKey, digits: &str) -> Result<(), ApiError> {
        let call = self
            .calls
            .get_mut(key)
            .ok_or_else(|| ApiError::new(ErrorCode::NoSuchCall, "There is no such call."))?;
        let parsed: Option<Vec<DtmfDigit>> = digits.chars().map(DtmfDigit::from_char).collect();
        let parsed = parsed.filter(|d| !d.is_empty()).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidTarget, "Keypad tones are 0-9, *, # and A-D.")
        })?;
        let media = call.media.as_ref().ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidState, "Keypad tones need a connected call.")
        })?;
        parsed.into_iter().for_each(|d| media.send(MediaCommand::Dtmf(d)));
        Ok(())
    }

    /// Passes the mute state to the call's media, if it runs (it reads it again at start).
    pub(crate) fn mute_media(&mut self, key: &CallKey, muted: bool) {
        if let Some(media) = self.calls.get_mut(key).and_then(|c| c.media.as_ref()) {
            media.send(MediaCommand::Mute(muted));
        }
    }

    /// Chooses the audio source and sink for calls that connect from now on.
    pub(crate) fn set_audio(&mut self, setup: AudioSetup) {
        self.calls.audio = setup;
    }
}

/// Builds the call's media state machine and starts its thread.
fn spawn(
    call: &Call,
    ice: Option<IceLink>,
    audio: AudioSetup,
    events: tokio::sync::mpsc::UnboundedSender<PhoneEvent>,
    commands: Option<tokio::sync::mpsc::WeakUnboundedSender<crate::phone::Command>>,
) -> Result<MediaTask, String> {
    let neg: NegotiatedSession = call.session.negotiated().cloned().ok_or("nothing negotiated")?;
    let now = Instant::now();
    let on = audio.processes_voice();
    let stages = VoiceProcessing { echo_cancellation: on, noise_suppression: on, gain_control: on };
    let media = match (&neg.security, call.session.identity()) {
        (Security::Dtls { .. }, Some(identity)) => {
            CallMedia::new_dtls(now, neg, identity, call.session.local_addr(), stages)
        }
        _ => CallMedia::new(now, neg, stages),
    }
    .map_err(|e| e.to_string())?;
    let socket = call.rtp.try_clone().map_err(|e| e.to_string())?;
    let ice = start_ice(call, ice, now, &socket)?;
    let start = MediaStart {
        key: call.key.clone(),
        socket,
        media,
        ice,
        audio,
        muted: call.muted,
        events,
        commands,
    };
    MediaTask::spawn(start).map_err(|e| e.to_string())
}

/// Starts the connectivity checks against the peer's candidates. A peer without ICE gets
/// media straight from our socket, unless policy allows relayed media only.
fn start_ice(
    call: &Call,
    ice: Option<IceLink>,
    now: Instant,
    socket: &std::net::UdpSocket,
) -> Result<Option<IceLink>, String> {
    let Some(mut ice) = ice else { return Ok(None) };
    let Some(remote) = call.session.remote_ice() else {
        let relay_only = ice.session.policy() == CandidatePolicy::RelayOnly;
        ice.session.close(now);
        ice.flush(socket);
        return if relay_only {
            Err("the peer does not do ICE, and policy allows relayed media only".into())
        } else {
            Ok(None)
        };
    };
    ice.session.start(now, call.session.ice_controlling(), remote).map_err(|e| e.to_string())?;
    Ok(Some(ice))
}

/// The call log's view of the media crate's summary.
fn media_summary(s: &CallSummary) -> MediaSummary {
    let q = &s.quality;
    let heard = q.samples > 0;
    MediaSummary {
        codec: s.codec.encoding_name().to_ascii_lowercase(),
        encrypted: s.encrypted,
        duration_secs: s.duration_s as f32,
        packets_sent: s.rtp.packets_sent,
        packets_received: s.rtp.packets_received,
        packets_lost: s.rtp.packets_lost,
        packets_dropped: s.rtp.drops.total(),
        concealed_percent: (s.jitter_buffer.concealment_ratio() * 100.0) as f32,
        mean_loss_percent: (q.mean_loss * 100.0) as f32,
        max_jitter_ms: q.max_jitter_ms as f32,
        max_rtt_ms: q.max_rtt_ms.map(|r| r as f32),
        mean_mos: heard.then_some(q.mean_mos as f32),
        min_mos: heard.then_some(q.min_mos as f32),
        alerts_raised: q.alerts_raised,
    }
}
