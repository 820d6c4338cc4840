//! Quality sampling and the per-call summary.

use serde::Serialize;

use super::{CallMedia, MediaEvent, Output};
use crate::jitter::JitterStats;
use crate::quality::QualitySummary;
use crate::rtp::RtpStats;
use crate::sdp::{Codec, SrtpSuite};

/// Everything the call log keeps about a call's media.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallSummary {
    /// Codec used.
    pub codec: Codec,
    /// SRTP suite, `None` if unencrypted or DTLS-keyed.
    pub srtp_suite: Option<SrtpSuite>,
    /// Media was encrypted.
    pub encrypted: bool,
    /// Seconds of media.
    pub duration_s: f64,
    /// RTP counters and drops.
    pub rtp: RtpStats,
    /// Jitter buffer counters.
    pub jitter_buffer: JitterStats,
    /// Quality over the call.
    pub quality: QualitySummary,
}

impl CallMedia {
    pub(super) fn sample_quality(&mut self) {
        let s = self.rtp.stats();
        let (prev_expected, prev_lost) = self.last_counts;
        let expected = s.packets_expected.saturating_sub(prev_expected);
        let lost = s.packets_lost.saturating_sub(prev_lost);
        self.last_counts = (s.packets_expected, s.packets_lost);
        if expected == 0 {
            return;
        }
        let loss = lost as f64 / expected as f64;
        let one_way = s.rtt_ms.unwrap_or(0.0) / 2.0
            + self.jitter.stats().target_ms
            + f64::from(self.neg.codec.ptime_ms);
        let (sample, changes) = self.quality.update(loss, s.jitter_ms, one_way, s.rtt_ms);
        self.outputs.push_back(Output::Event(MediaEvent::Quality(sample)));
        for c in changes {
            self.outputs.push_back(Output::Event(MediaEvent::Alert(c)));
        }
    }

    /// Live RTP statistics.
    pub fn rtp_stats(&self) -> RtpStats {
        self.rtp.stats()
    }

    /// Live jitter buffer statistics.
    pub fn jitter_stats(&self) -> JitterStats {
        self.jitter.stats()
    }

    /// The summary for the call log, as of `now`.
    pub fn summary(&self, now: std::time::Instant) -> CallSummary {
        let suite = match &self.neg.security {
            crate::sdp::Security::Sdes { suite, .. } => Some(*suite),
            _ => None,
        };
        CallSummary {
            codec: self.neg.codec.codec,
            srtp_suite: suite,
            encrypted: self.neg.security.is_encrypted(),
            duration_s: now.saturating_duration_since(self.started).as_secs_f64(),
            rtp: self.rtp.stats(),
            jitter_buffer: self.jitter.stats(),
            quality: self.quality.summary().clone(),
        }
    }
}
