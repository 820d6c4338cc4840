//! Reception statistics for one remote source (RFC 3550 Appendix A.1, A.3, A.8).

use std::time::{Duration, Instant};

/// Largest forward jump still taken as loss rather than a restart (RFC 3550 A.1).
const MAX_DROPOUT: u16 = 3000;
/// Largest backward step taken as reordering (RFC 3550 A.1).
const MAX_MISORDER: u16 = 100;

/// What sequence tracking decided about a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqVerdict {
    /// In order or a tolerable gap: use it.
    Accept,
    /// Late but within the reorder window: use it (the jitter buffer places it).
    Reordered,
    /// A large jump, dropped until the next packet confirms the new sequence.
    Jump,
    /// The jump was confirmed: statistics restarted, use it.
    Resynced,
}

/// Statistics for one SSRC.
#[derive(Debug, Clone)]
pub struct SourceStats {
    ssrc: u32,
    clock_rate: u32,
    epoch: Instant,
    max_seq: u16,
    cycles: u32,
    base_seq: u32,
    bad_seq: Option<u16>,
    received: u64,
    expected_prior: u64,
    received_prior: u64,
    transit: Option<i64>,
    jitter: f64,
    /// Middle 32 bits of the last SR's NTP time and when it arrived.
    pub last_sr: Option<(u32, Instant)>,
}

impl SourceStats {
    /// Starts tracking `ssrc` at its first packet `seq`.
    pub fn new(ssrc: u32, seq: u16, clock_rate: u32, epoch: Instant) -> Self {
        Self {
            ssrc,
            clock_rate,
            epoch,
            max_seq: seq.wrapping_sub(1),
            cycles: 0,
            base_seq: u32::from(seq),
            bad_seq: None,
            received: 0,
            expected_prior: 0,
            received_prior: 0,
            transit: None,
            jitter: 0.0,
            last_sr: None,
        }
    }

    /// The SSRC.
    pub fn ssrc(&self) -> u32 {
        self.ssrc
    }

    /// Updates sequence state for `seq` (RFC 3550 A.1 `update_seq`).
    pub fn update_seq(&mut self, seq: u16) -> SeqVerdict {
        let delta = seq.wrapping_sub(self.max_seq);
        if delta != 0 && delta < MAX_DROPOUT {
            if seq < self.max_seq {
                self.cycles += 1 << 16;
            }
            self.max_seq = seq;
        } else if delta == 0 || delta > u16::MAX - MAX_MISORDER {
            self.received += 1;
            return SeqVerdict::Reordered;
        } else if self.bad_seq == Some(seq) {
            *self = Self::new(self.ssrc, seq, self.clock_rate, self.epoch);
            self.max_seq = seq;
            self.received = 1;
            return SeqVerdict::Resynced;
        } else {
            self.bad_seq = Some(seq.wrapping_add(1));
            return SeqVerdict::Jump;
        }
        self.bad_seq = None;
        self.received += 1;
        SeqVerdict::Accept
    }

    /// Updates interarrival jitter (RFC 3550 A.8) with a packet's RTP timestamp.
    pub fn update_jitter(&mut self, now: Instant, rtp_ts: u32) {
        let arrival = (now.saturating_duration_since(self.epoch).as_secs_f64()
            * f64::from(self.clock_rate)) as i64;
        let transit = arrival - i64::from(rtp_ts);
        if let Some(prev) = self.transit {
            // Wrap-safe difference of 32-bit timestamps.
            let d = (transit - prev) as i32;
            self.jitter += (f64::from(d.unsigned_abs()) - self.jitter) / 16.0;
        }
        self.transit = Some(transit);
    }

    /// Extended highest sequence number received.
    pub fn extended_max(&self) -> u32 {
        self.cycles.wrapping_add(u32::from(self.max_seq))
    }

    /// Packets expected so far.
    pub fn expected(&self) -> u64 {
        u64::from(self.extended_max().wrapping_sub(self.base_seq)).wrapping_add(1)
    }

    /// Packets received so far (including duplicates and reordered ones).
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Cumulative packets lost (may be negative with duplicates; clamped to 0).
    pub fn lost(&self) -> u64 {
        self.expected().saturating_sub(self.received)
    }

    /// Interarrival jitter in timestamp units.
    pub fn jitter_units(&self) -> u32 {
        self.jitter as u32
    }

    /// Interarrival jitter as a duration.
    pub fn jitter(&self) -> Duration {
        Duration::from_secs_f64(self.jitter / f64::from(self.clock_rate.max(1)))
    }

    /// Fraction lost since the previous call, as the 8-bit fixed point of RFC 3550 A.3.
    pub fn take_fraction_lost(&mut self) -> u8 {
        let expected = self.expected();
        let expected_interval = expected.saturating_sub(self.expected_prior);
        let received_interval = self.received.saturating_sub(self.received_prior);
        self.expected_prior = expected;
        self.received_prior = self.received;
        let lost = expected_interval.saturating_sub(received_interval);
        if expected_interval == 0 || lost == 0 {
            0
        } else {
            ((lost << 8) / expected_interval).min(255) as u8
        }
    }
}
