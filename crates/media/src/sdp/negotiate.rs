//! Pieces shared by the offerer and the answerer: codec choice, addresses, fmtp.

use std::net::SocketAddr;

use super::SdpError;
use super::codec::{Codec, PayloadType};
use super::media::{Fingerprint, MediaDescription};
use super::negotiated::NegotiatedCodec;
use super::parse::SessionDescription;

/// Dynamic payload type we use for Opus when offering (baresip uses the same).
pub const OPUS_PT: PayloadType = PayloadType(96);
/// Dynamic payload type for telephone-event/48000 (paired with Opus).
pub const TE48_PT: PayloadType = PayloadType(100);
/// Dynamic payload type for telephone-event/8000.
pub const TE8_PT: PayloadType = PayloadType(101);

/// The payload type we offer for `codec`.
pub fn offer_pt(codec: Codec) -> PayloadType {
    codec.static_pt().unwrap_or(OPUS_PT)
}

/// The first audio section, which must not be rejected.
pub fn audio(sd: &SessionDescription) -> Result<&MediaDescription, SdpError> {
    let (_, m) = sd.audio().ok_or(SdpError::NoAudio)?;
    if m.port == 0 {
        return Err(SdpError::AudioRejected);
    }
    Ok(m)
}

/// The remote RTP and RTCP addresses of `m`.
pub fn remote_addrs(
    sd: &SessionDescription,
    m: &MediaDescription,
    mux: bool,
) -> Result<(SocketAddr, SocketAddr), SdpError> {
    let ip = m.connection.or(sd.connection).ok_or(SdpError::NoConnectionAddress)?;
    let rtp = SocketAddr::new(ip, m.port);
    let rtcp_port = if mux { m.port } else { m.rtcp_port().unwrap_or(m.port.saturating_add(1)) };
    Ok((rtp, SocketAddr::new(ip, rtcp_port)))
}

/// The first payload type of `m`, in its order, whose codec is in `ours`.
pub fn pick_codec(m: &MediaDescription, ours: &[Codec]) -> Option<(Codec, PayloadType)> {
    m.payload_types().find_map(|pt| {
        let codec = Codec::identify(m.rtpmap(pt).as_ref(), pt)?;
        ours.contains(&codec).then_some((codec, pt))
    })
}

/// The telephone-event payload type of `m`, preferring the codec's clock rate.
pub fn pick_telephone_event(m: &MediaDescription, clock: u32) -> Option<(PayloadType, u32)> {
    let events: Vec<(PayloadType, u32)> = m
        .payload_types()
        .filter_map(|pt| {
            m.rtpmap(pt).filter(|r| r.is_telephone_event()).map(|r| (pt, r.clock_rate))
        })
        .collect();
    events.iter().find(|(_, c)| *c == clock).or(events.first()).copied()
}

/// Reads the peer's Opus fmtp and the ptime into a negotiated codec.
pub fn negotiated_codec(
    m: &MediaDescription,
    codec: Codec,
    pt: PayloadType,
    default_ptime: u32,
) -> NegotiatedCodec {
    let fmtp = m.fmtp(pt).unwrap_or("");
    let flag = |name: &str| fmtp.split(';').any(|p| p.trim() == format!("{name}=1"));
    let ptime = m.ptime().filter(|p| [10, 20, 30, 40, 60].contains(p)).unwrap_or(default_ptime);
    NegotiatedCodec {
        codec,
        pt,
        ptime_ms: ptime,
        send_fec: codec == Codec::Opus && flag("useinbandfec"),
        send_dtx: codec == Codec::Opus && flag("usedtx"),
    }
}

/// The fmtp we print for Opus: we decode FEC and accept DTX.
pub const OPUS_FMTP: &str = "useinbandfec=1;usedtx=1";

/// The peer's fingerprint, media level first, then session level.
pub fn remote_fingerprint(
    sd: &SessionDescription,
    m: &MediaDescription,
) -> Result<Fingerprint, SdpError> {
    m.attribute("fingerprint")
        .or_else(|| sd.attribute("fingerprint"))
        .and_then(Fingerprint::parse)
        .filter(|f| f.algorithm == "sha-256")
        .ok_or(SdpError::MissingFingerprint)
}

/// The peer's `a=setup`, media level first.
pub fn remote_setup<'a>(sd: &'a SessionDescription, m: &'a MediaDescription) -> Option<&'a str> {
    m.attribute("setup").or_else(|| sd.attribute("setup"))
}
