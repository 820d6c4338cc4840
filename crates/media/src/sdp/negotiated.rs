//! The outcome of offer/answer: everything the RTP session needs to start.

use std::net::SocketAddr;

use super::codec::{Codec, PayloadType};
use super::crypto::{SrtpKeyMaterial, SrtpSuite};
use super::media::{Direction, Fingerprint};

/// The codec both sides agreed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NegotiatedCodec {
    /// The codec.
    pub codec: Codec,
    /// Its payload type (the offerer's number, used both ways).
    pub pt: PayloadType,
    /// Packet time in milliseconds.
    pub ptime_ms: u32,
    /// Send Opus in-band FEC (the peer asked for it with `useinbandfec=1`).
    pub send_fec: bool,
    /// Send Opus DTX (the peer accepts it with `usedtx=1`).
    pub send_dtx: bool,
}

/// How the media is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Security {
    /// SDES: keys exchanged in SDP (only as safe as the signalling, so SIP must be TLS).
    Sdes {
        /// Agreed suite.
        suite: SrtpSuite,
        /// Our sending key.
        local: SrtpKeyMaterial,
        /// The peer's sending key.
        remote: SrtpKeyMaterial,
    },
    /// DTLS-SRTP: keys come from a DTLS handshake on the media path.
    Dtls {
        /// True if we are the DTLS client (`a=setup:active`).
        client: bool,
        /// Fingerprint the peer's certificate must match.
        remote_fingerprint: Fingerprint,
    },
    /// Plain RTP, allowed by policy; the call must be shown as unencrypted.
    Unencrypted,
}

impl Security {
    /// True if media is encrypted.
    pub fn is_encrypted(&self) -> bool {
        !matches!(self, Self::Unencrypted)
    }
}

/// A negotiated audio session. `Debug` leaves out the peer's addresses (personal data).
#[derive(Clone, PartialEq, Eq)]
pub struct NegotiatedSession {
    /// Where to send RTP (and where RTP must come from).
    pub remote_rtp: SocketAddr,
    /// Where to send RTCP (equal to `remote_rtp` with rtcp-mux).
    pub remote_rtcp: SocketAddr,
    /// RTP and RTCP share one port (RFC 5761).
    pub rtcp_mux: bool,
    /// The audio codec.
    pub codec: NegotiatedCodec,
    /// `telephone-event` payload type and clock rate, if both sides support it.
    pub telephone_event: Option<(PayloadType, u32)>,
    /// Our direction (hold: `SendOnly` or `Inactive`).
    pub direction: Direction,
    /// How media is protected.
    pub security: Security,
}

impl std::fmt::Debug for NegotiatedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NegotiatedSession")
            .field("remote", &"<redacted>")
            .field("rtcp_mux", &self.rtcp_mux)
            .field("codec", &self.codec)
            .field("telephone_event", &self.telephone_event)
            .field("direction", &self.direction)
            .field("security", &self.security)
            .finish()
    }
}
