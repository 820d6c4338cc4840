//! Counters for everything dropped on the receive path (hostile or broken input).

/// Packets dropped, by reason. Nothing from the network ever panics; it lands here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DropCounters {
    /// Not parseable as RTP or RTCP.
    pub malformed: u64,
    /// SRTP/SRTCP authentication failed.
    pub auth_failures: u64,
    /// Replayed SRTP/SRTCP packets.
    pub replays: u64,
    /// Larger than any audio packet we accept.
    pub oversized: u64,
    /// From an address other than the negotiated one.
    pub unexpected_source: u64,
    /// Payload type that was not negotiated.
    pub unknown_payload_type: u64,
    /// Sequence jumps dropped until confirmed (RFC 3550 A.1).
    pub sequence_jumps: u64,
    /// Packets arriving while the direction forbids receiving (hold).
    pub while_inactive: u64,
    /// Media arriving before DTLS-SRTP produced keys.
    pub before_keys: u64,
}

impl DropCounters {
    /// Total dropped packets.
    pub fn total(&self) -> u64 {
        self.malformed
            + self.auth_failures
            + self.replays
            + self.oversized
            + self.unexpected_source
            + self.unknown_payload_type
            + self.sequence_jumps
            + self.while_inactive
            + self.before_keys
    }
}
