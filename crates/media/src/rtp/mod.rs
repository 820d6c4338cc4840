//! The RTP/RTCP session: packetizing, SRTP, demultiplexing, statistics and reports.

mod counters;
mod rtcp;
mod session;
mod source;

pub use counters::DropCounters;
pub use session::{Protection, ReceivedRtp, RtpSession, RtpStats, Transmit};
pub use source::{SeqVerdict, SourceStats};

/// A synchronisation source identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Ssrc(pub u32);
