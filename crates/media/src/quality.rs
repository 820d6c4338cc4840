//! Call quality: the E-model (ITU-T G.107, wideband G.107.1), threshold alerts and the
//! per-call summary kept in the call log.

use serde::Serialize;

use crate::sdp::Codec;

/// Enterprise alert thresholds.
pub const LOSS_ALERT: f64 = 0.02;
/// Jitter alert threshold in milliseconds.
pub const JITTER_ALERT_MS: f64 = 30.0;
/// One-way latency alert threshold in milliseconds.
pub const LATENCY_ALERT_MS: f64 = 150.0;
/// MOS alert threshold.
pub const MOS_ALERT: f64 = 3.5;

/// Equipment impairment and packet-loss robustness per codec. G.711 values are from
/// G.113 Appendix I (with PLC); the wideband values are estimates on the G.107.1 scale
/// (G.722 from G.113 Amd. 1; Opus at 32 kbit/s from published listening-test mappings).
fn impairment(codec: Codec) -> (f64, f64) {
    match codec {
        Codec::Pcmu | Codec::Pcma => (0.0, 25.1),
        Codec::G722 => (13.0, 16.0),
        Codec::Opus => (11.0, 20.0),
    }
}

/// E-model rating on the narrowband (0-100) scale for the given conditions.
pub fn r_factor(codec: Codec, loss_ratio: f64, one_way_ms: f64) -> f64 {
    let (ie, bpl) = impairment(codec);
    let ppl = (loss_ratio * 100.0).clamp(0.0, 100.0);
    let rmax = if codec.is_wideband() { 129.0 } else { 93.2 };
    let ie_eff = ie + (rmax - ie) * ppl / (ppl + bpl);
    let ta = one_way_ms.max(0.0);
    let id = 0.024 * ta + if ta > 177.3 { 0.11 * (ta - 177.3) } else { 0.0 };
    let r = rmax - id - ie_eff;
    // G.107.1: map the wideband scale onto the narrowband one so MOS is comparable.
    if codec.is_wideband() { r / 1.29 } else { r }
}

/// MOS (conversational quality estimate) from an R factor (G.107 Annex B).
pub fn mos_from_r(r: f64) -> f64 {
    if r <= 0.0 {
        1.0
    } else if r >= 100.0 {
        4.5
    } else {
        1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7.0e-6
    }
}

/// One live measurement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QualitySample {
    /// Loss ratio over the last interval (0-1).
    pub loss_ratio: f64,
    /// Interarrival jitter in milliseconds.
    pub jitter_ms: f64,
    /// Estimated one-way latency in milliseconds (RTT/2 + buffering + packetization).
    pub one_way_ms: f64,
    /// Round-trip time, if RTCP measured one.
    pub rtt_ms: Option<f64>,
    /// MOS estimate.
    pub mos: f64,
}

/// A threshold crossed (raised once when entering, cleared once when leaving).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QualityAlert {
    /// Loss above 2 %.
    HighLoss,
    /// Jitter above 30 ms.
    HighJitter,
    /// One-way latency above 150 ms.
    HighLatency,
    /// MOS below 3.5.
    LowMos,
}

/// An alert change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AlertChange {
    /// Which alert.
    pub alert: QualityAlert,
    /// True when raised, false when cleared.
    pub active: bool,
}

/// The per-call summary for the call log.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QualitySummary {
    /// Samples taken.
    pub samples: u64,
    /// Mean and worst loss ratio.
    pub mean_loss: f64,
    /// Worst interval loss ratio.
    pub max_loss: f64,
    /// Mean jitter in ms.
    pub mean_jitter_ms: f64,
    /// Worst jitter in ms.
    pub max_jitter_ms: f64,
    /// Worst RTT in ms.
    pub max_rtt_ms: Option<f64>,
    /// Mean MOS.
    pub mean_mos: f64,
    /// Lowest MOS.
    pub min_mos: f64,
    /// Alerts raised during the call.
    pub alerts_raised: u64,
}

/// Turns measurements into MOS, alert changes and a running summary.
#[derive(Debug)]
pub struct QualityMonitor {
    codec: Codec,
    active: Vec<QualityAlert>,
    summary: QualitySummary,
}

impl QualityMonitor {
    /// A monitor for a call using `codec`.
    pub fn new(codec: Codec) -> Self {
        Self {
            codec,
            active: Vec::new(),
            summary: QualitySummary { min_mos: 5.0, ..QualitySummary::default() },
        }
    }

    /// Scores one measurement and returns the alert changes it causes.
    pub fn update(
        &mut self,
        loss_ratio: f64,
        jitter_ms: f64,
        one_way_ms: f64,
        rtt_ms: Option<f64>,
    ) -> (QualitySample, Vec<AlertChange>) {
        let mos = mos_from_r(r_factor(self.codec, loss_ratio, one_way_ms));
        let sample = QualitySample { loss_ratio, jitter_ms, one_way_ms, rtt_ms, mos };
        self.record(&sample);
        let breaches = [
            (QualityAlert::HighLoss, loss_ratio > LOSS_ALERT),
            (QualityAlert::HighJitter, jitter_ms > JITTER_ALERT_MS),
            (QualityAlert::HighLatency, one_way_ms > LATENCY_ALERT_MS),
            (QualityAlert::LowMos, mos < MOS_ALERT),
        ];
        let mut changes = Vec::new();
        for (alert, breached) in breaches {
            let was = self.active.contains(&alert);
            if breached != was {
                changes.push(AlertChange { alert, active: breached });
                if breached {
                    self.active.push(alert);
                    self.summary.alerts_raised += 1;
                } else {
                    self.active.retain(|a| *a != alert);
                }
            }
        }
        (sample, changes)
    }

    fn record(&mut self, s: &QualitySample) {
        let q = &mut self.summary;
        q.samples += 1;
        let n = q.samples as f64;
        q.mean_loss += (s.loss_ratio - q.mean_loss) / n;
        q.mean_jitter_ms += (s.jitter_ms - q.mean_jitter_ms) / n;
        q.mean_mos += (s.mos - q.mean_mos) / n;
        q.max_loss = q.max_loss.max(s.loss_ratio);
        q.max_jitter_ms = q.max_jitter_ms.max(s.jitter_ms);
        q.min_mos = q.min_mos.min(s.mos);
        if let Some(r) = s.rtt_ms {
            q.max_rtt_ms = Some(q.max_rtt_ms.map_or(r, |m: f64| m.max(r)));
        }
    }

    /// The summary so far.
    pub fn summary(&self) -> &QualitySummary {
        &self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_g711_scores_about_4_4_and_loss_degrades_it() {
        let clean = mos_from_r(r_factor(Codec::Pcmu, 0.0, 20.0));
        assert!((4.3..4.5).contains(&clean), "{clean}");
        let lossy = mos_from_r(r_factor(Codec::Pcmu, 0.05, 20.0));
        assert!(lossy < 4.0 && lossy > 3.0, "{lossy}");
        assert!(mos_from_r(r_factor(Codec::Pcmu, 0.0, 400.0)) < 3.6);
    }

    #[test]
    fn alerts_are_raised_once_and_cleared() {
        let mut m = QualityMonitor::new(Codec::Opus);
        let (_, c) = m.update(0.05, 40.0, 50.0, Some(100.0));
        assert!(c.contains(&AlertChange { alert: QualityAlert::HighLoss, active: true }));
        assert!(c.contains(&AlertChange { alert: QualityAlert::HighJitter, active: true }));
        assert!(m.update(0.05, 40.0, 50.0, None).1.is_empty());
        let (_, c) = m.update(0.0, 5.0, 50.0, None);
        assert!(c.contains(&AlertChange { alert: QualityAlert::HighLoss, active: false }));
        assert_eq!(m.summary().alerts_raised, c.len() as u64);
    }
}
