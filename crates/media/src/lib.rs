//! Sans-IO call media: SDP offer/answer, RTP/RTCP, SRTP, DTLS, codecs, jitter buffer.
//!
//! Nothing here reads the clock, opens a socket or spawns a task: time comes in as `now`
//! and datagrams go out as outputs that the engine performs.
//!
//! # Running a call's media (what the engine does)
//!
//! 1. Bind one UDP socket for the call (RTP and RTCP are muxed) and describe it in a
//!    [`sdp::LocalMedia`] (codecs, ptime, [`sdp::EncryptionPolicy`], SDES or DTLS keying with
//!    [`dtls::DtlsIdentity::fingerprint`]).
//! 2. Offer with [`sdp::PendingOffer::new`] and finish with
//!    [`sdp::PendingOffer::process_answer`], or answer with [`sdp::answer_offer`]. Either
//!    yields a [`sdp::NegotiatedSession`]; an error means SIP 488.
//! 3. Start [`call::CallMedia::new`] (SDES or plain) or [`call::CallMedia::new_dtls`].
//! 4. Drive it: every datagram from the socket goes in as `Input::Datagram`; every 20 ms
//!    the device thread hands `Input::Capture` (48 kHz mono, `frame_samples()` samples) and
//!    pulls `playout(now)` for the speaker; on `Output::Timeout(at)` feed `Input::Tick`.
//!    After each input drain `poll_output()`: `Transmit` goes to the socket, `Event` to the
//!    UI (DTMF, quality, alerts, secured), until `Timeout`.
//! 5. Hold/resume: re-negotiate and call [`call::CallMedia::renegotiate`]. At hang-up keep
//!    [`call::CallMedia::summary`] (serde) in the call log.

#![forbid(unsafe_code)]

pub mod rtp;
pub mod sdp;
pub mod srtp;

/// Four random words from the crypto provider's CSPRNG (SSRC, initial sequence, timestamp
/// offset and CNAME must be unpredictable, RFC 3550 §5.1 and RFC 3711 §9.1).
pub(crate) fn random_u32s() -> [u32; 4] {
    let mut buf = [0u8; 16];
    if let Ok(p) = rtc_srtp::crypto::default_provider() {
        // A failing CSPRNG leaves zeros: still a working (if predictable) session.
        let _ = p.random().fill(&mut buf);
    }
    let word = |i: usize| u32::from_be_bytes([buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]);
    [word(0), word(4), word(8), word(12)]
}
pub mod call;
pub mod codec;
pub mod demux;
pub mod dsp;
pub mod dtls;
pub mod dtmf;
pub mod ice;
pub mod jitter;
pub mod quality;
pub mod resample;
