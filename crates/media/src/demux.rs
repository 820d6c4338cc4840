//! Demultiplexing one media port (RFC 7983) and reading STUN (RFC 8489) through `rtc-stun`.

use rtc_stun::message::Message;

/// What a datagram on the media port is, by its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketKind {
    /// STUN (ICE connectivity checks, consent freshness): first byte 0-3.
    Stun,
    /// DTLS (DTLS-SRTP handshake): first byte 20-63.
    Dtls,
    /// RTP or RTCP: first byte 128-191.
    Rtp,
    /// Anything else (dropped).
    Unknown,
}

/// Classifies a datagram.
pub fn classify(data: &[u8]) -> PacketKind {
    match data.first() {
        Some(0..=3) => PacketKind::Stun,
        Some(20..=63) => PacketKind::Dtls,
        Some(128..=191) => PacketKind::Rtp,
        _ => PacketKind::Unknown,
    }
}

/// The parts of a STUN message the media path looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StunSummary {
    /// Method and class, e.g. `binding request`.
    pub kind: String,
    /// Transaction id.
    pub transaction_id: [u8; 12],
    /// Number of attributes.
    pub attributes: usize,
}

/// Parses a STUN message; `None` if malformed.
pub fn parse_stun(data: &[u8]) -> Option<StunSummary> {
    let mut m = Message::new();
    m.unmarshal_binary(data).ok()?;
    Some(StunSummary {
        kind: m.typ.to_string(),
        transaction_id: m.transaction_id.0,
        attributes: m.attributes.0.len(),
    })
}
