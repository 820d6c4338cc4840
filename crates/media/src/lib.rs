//! Sans-IO call media: SDP offer/answer, RTP/RTCP, SRTP, DTLS, codecs, jitter buffer.
//!
//! Nothing here reads the clock, opens a socket or spawns a task: time comes in as `now`
//! and datagrams go out as outputs that the engine performs.

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
pub mod jitter;
pub mod quality;
pub mod resample;
