//! One call's media as a sans-IO state machine: the engine feeds datagrams, microphone
//! frames and commands with `handle_input(now, ..)`, drains `poll_output()` until it returns
//! `Timeout`, and pulls speaker frames with `playout(now)` once per frame period.

mod receive;
mod report;
mod secure;
mod send;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::codec::{AudioDecoder, AudioEncoder, CodecError};
use crate::dsp::{DEVICE_RATE, VoiceProcessing, VoiceProcessor};
use crate::dtls::{DtlsError, DtlsIdentity, DtlsSrtp};
use crate::dtmf::{DtmfDigit, DtmfReceiver};
use crate::jitter::JitterBuffer;
use crate::quality::{AlertChange, QualityMonitor, QualitySample};
use crate::resample::Resampler;
use crate::rtp::{Protection, RtpSession, Transmit};
use crate::sdp::{NegotiatedSession, Security, SrtpSuite};
use crate::srtp::{ProtectError, SrtpSession};

pub use report::CallSummary;

/// Why call media could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// SRTP contexts could not be built from the negotiated keys.
    #[error("SRTP setup failed: {0}")]
    Srtp(#[from] ProtectError),
    /// The codec could not be created.
    #[error("codec setup failed: {0}")]
    Codec(#[from] CodecError),
    /// A DTLS-SRTP session needs our certificate: use [`CallMedia::new_dtls`].
    #[error("DTLS-SRTP session needs our DTLS identity")]
    DtlsIdentityRequired,
    /// The DTLS endpoint could not start.
    #[error("DTLS setup failed: {0}")]
    Dtls(#[from] DtlsError),
}

/// What the engine hands to the call.
#[derive(Debug)]
pub enum Input<'a> {
    /// A datagram that arrived on the call's media socket.
    Datagram {
        /// Sender address.
        from: SocketAddr,
        /// Datagram bytes.
        data: &'a [u8],
    },
    /// One frame period of microphone audio: mono, 48 kHz, `frame_samples()` samples.
    Capture(&'a [i16]),
    /// Send a DTMF digit (RFC 4733).
    SendDtmf(DtmfDigit),
    /// Mute or unmute the microphone.
    SetMute(bool),
    /// A timer armed by `Output::Timeout` has fired.
    Tick,
}

/// Something for the engine to report to the user.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaEvent {
    /// The peer sent a DTMF digit.
    Dtmf(DtmfDigit),
    /// A fresh quality measurement (once a second).
    Quality(QualitySample),
    /// A quality alert was raised or cleared.
    Alert(AlertChange),
    /// DTLS-SRTP finished: media is now encrypted with this suite.
    Secured(SrtpSuite),
    /// DTLS-SRTP failed (for example the certificate did not match the fingerprint):
    /// the call has no media and should be ended.
    SecurityFailed(String),
}

/// What the engine must do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Send this datagram from the call's media socket.
    Transmit(Transmit),
    /// Report this event.
    Event(MediaEvent),
    /// Nothing more now; call `handle_input(at, Input::Tick)` at this instant.
    Timeout(Instant),
}

/// Call media state.
#[derive(Debug)]
pub struct CallMedia {
    neg: NegotiatedSession,
    rtp: RtpSession,
    dtls: Option<DtlsSrtp>,
    encoder: AudioEncoder,
    decoder: AudioDecoder,
    jitter: JitterBuffer,
    dtmf_rx: DtmfReceiver,
    dtmf_tx: VecDeque<(bool, [u8; 4])>,
    dtmf_ts: u32,
    to_codec: Resampler,
    to_device: Resampler,
    dsp: VoiceProcessor,
    muted: bool,
    send_ts: u32,
    marker_next: bool,
    noise: u32,
    outputs: VecDeque<Output>,
    quality: QualityMonitor,
    next_quality: Instant,
    last_counts: (u64, u64),
    started: Instant,
}

impl CallMedia {
    /// Starts media for an SDES-keyed or unencrypted session.
    pub fn new(
        now: Instant,
        neg: NegotiatedSession,
        stages: VoiceProcessing,
    ) -> Result<Self, MediaError> {
        let protection = match &neg.security {
            Security::Sdes { suite, local, remote } => {
                Protection::Srtp(SrtpSession::new(*suite, local, remote)?)
            }
            Security::Unencrypted => Protection::Plain,
            Security::Dtls { .. } => return Err(MediaError::DtlsIdentityRequired),
        };
        Self::with_protection(now, neg, protection, stages)
    }

    /// Starts media for a DTLS-SRTP session: the handshake runs on the media port (`local`
    /// is our address there) and media flows once it has produced keys.
    pub fn new_dtls(
        now: Instant,
        neg: NegotiatedSession,
        identity: &DtlsIdentity,
        local: SocketAddr,
        stages: VoiceProcessing,
    ) -> Result<Self, MediaError> {
        let Security::Dtls { client, remote_fingerprint } = neg.security.clone() else {
            return Self::new(now, neg, stages);
        };
        let dtls = DtlsSrtp::new(now, identity, client, local, neg.remote_rtp, remote_fingerprint)?;
        let mut media = Self::with_protection(now, neg, Protection::AwaitingKeys, stages)?;
        media.dtls = Some(dtls);
        media.drain_dtls();
        Ok(media)
    }

    /// Starts media with SRTP contexts keyed elsewhere (DTLS-SRTP exporter).
    pub fn with_srtp(
        now: Instant,
        neg: NegotiatedSession,
        srtp: SrtpSession,
        stages: VoiceProcessing,
    ) -> Result<Self, MediaError> {
        Self::with_protection(now, neg, Protection::Srtp(srtp), stages)
    }

    fn with_protection(
        now: Instant,
        neg: NegotiatedSession,
        protection: Protection,
        stages: VoiceProcessing,
    ) -> Result<Self, MediaError> {
        let codec = neg.codec.codec;
        let mut pts = vec![neg.codec.pt.0];
        pts.extend(neg.telephone_event.map(|(pt, _)| pt.0));
        let rtp = RtpSession::new(
            now,
            (neg.remote_rtp, neg.remote_rtcp),
            protection,
            codec.clock_rate(),
            pts,
        );
        let frame = Duration::from_millis(u64::from(neg.codec.ptime_ms));
        let resampler = |a, b| Resampler::new(a, b).expect("codec rates divide 48 kHz");
        Ok(Self {
            encoder: AudioEncoder::new(&neg.codec)?,
            decoder: AudioDecoder::new(codec)?,
            jitter: JitterBuffer::new(codec.clock_rate(), frame),
            dtmf_rx: DtmfReceiver::default(),
            dtmf_tx: VecDeque::new(),
            dtmf_ts: 0,
            to_codec: resampler(DEVICE_RATE, codec.sample_rate()),
            to_device: resampler(codec.sample_rate(), DEVICE_RATE),
            dsp: VoiceProcessor::new(stages),
            muted: false,
            send_ts: 0,
            marker_next: true,
            noise: 0x1234_5678,
            outputs: VecDeque::new(),
            quality: QualityMonitor::new(codec),
            next_quality: now + Duration::from_secs(1),
            last_counts: (0, 0),
            started: now,
            rtp,
            dtls: None,
            neg,
        })
    }

    /// Samples per frame period on the device side (48 kHz mono).
    pub fn frame_samples(&self) -> usize {
        (DEVICE_RATE * self.neg.codec.ptime_ms / 1000) as usize
    }

    /// The negotiated session in force.
    pub fn negotiated(&self) -> &NegotiatedSession {
        &self.neg
    }

    /// Applies a re-negotiation (hold, resume, new address, new SDES keys) without
    /// restarting the streams. DTLS sessions keep their handshake keys.
    pub fn renegotiate(&mut self, neg: NegotiatedSession) {
        if let (Security::Sdes { suite, local, remote }, true) =
            (&neg.security, neg.security != self.neg.security)
        {
            // RFC 4568 §7.1.4: a re-offer may carry new keys; they apply from now on.
            if let Ok(srtp) = SrtpSession::new(*suite, local, remote) {
                self.rtp.set_protection(Protection::Srtp(srtp));
                self.neg.security = neg.security.clone();
            }
        }
        self.rtp.set_remote((neg.remote_rtp, neg.remote_rtcp));
        if neg.direction.sends() && !self.neg.direction.sends() {
            self.marker_next = true;
        }
        if neg.direction.receives() && !self.neg.direction.receives() {
            // Resumed: the peer's timestamps moved on while we were not playing.
            self.jitter.reset();
        }
        self.neg.direction = neg.direction;
        self.neg.remote_rtp = neg.remote_rtp;
        self.neg.remote_rtcp = neg.remote_rtcp;
    }

    /// Feeds one input.
    pub fn handle_input(&mut self, now: Instant, input: Input<'_>) {
        match input {
            Input::Datagram { from, data } => self.receive_datagram(now, from, data),
            Input::Capture(frame) => self.send_frame(now, frame),
            Input::SendDtmf(digit) => self.queue_dtmf(digit),
            Input::SetMute(m) => self.muted = m,
            Input::Tick => self.tick(now),
        }
    }

    /// The next thing to do; `Timeout` when idle.
    pub fn poll_output(&mut self) -> Output {
        self.outputs.pop_front().unwrap_or_else(|| {
            let dtls = self.dtls.as_ref().and_then(DtlsSrtp::poll_timeout);
            let at = self.rtp.next_timeout().min(self.next_quality);
            Output::Timeout(dtls.map_or(at, |d| d.min(at)))
        })
    }

    fn tick(&mut self, now: Instant) {
        self.dtls_timeout(now);
        if let Some(t) = self.rtp.poll_rtcp(now) {
            self.outputs.push_back(Output::Transmit(t));
        }
        if now >= self.next_quality {
            self.next_quality = now + Duration::from_secs(1);
            self.sample_quality();
        }
    }
}
