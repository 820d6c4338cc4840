//! The sending half: microphone frame -> voice processing -> codec -> RTP, and DTMF.

use std::time::Instant;

use super::{CallMedia, Output};
use crate::dtmf::{DtmfDigit, digit_packets};

/// DTMF tone length in frames (100 ms at 20 ms ptime), enough for every receiver.
const DTMF_FRAMES: u16 = 5;

impl CallMedia {
    pub(super) fn send_frame(&mut self, now: Instant, frame: &[i16]) {
        let mut pcm = frame.to_vec();
        pcm.resize(self.frame_samples(), 0);
        self.dsp.capture(&mut pcm);
        if self.muted {
            pcm.fill(0);
        }
        let codec_pcm = self.to_codec.process(&pcm);
        let frame_ts = self.neg.codec.codec.clock_rate() * self.neg.codec.ptime_ms / 1000;
        let ts = self.send_ts;
        self.send_ts = self.send_ts.wrapping_add(frame_ts);
        if !self.neg.direction.sends() {
            return;
        }
        if self.send_dtmf_frame(now, ts) {
            return;
        }
        let Ok(payload) = self.encoder.encode(&codec_pcm) else { return };
        if payload.is_empty() {
            // Opus DTX: the next real frame starts a talkspurt.
            self.marker_next = true;
            return;
        }
        let marker = std::mem::take(&mut self.marker_next);
        if let Some(t) = self.rtp.send_rtp(now, self.neg.codec.pt.0, marker, ts, &payload) {
            self.outputs.push_back(Output::Transmit(t));
        }
    }

    pub(super) fn queue_dtmf(&mut self, digit: DtmfDigit) {
        let Some((_, clock)) = self.neg.telephone_event else { return };
        let units = u16::try_from(clock * self.neg.codec.ptime_ms / 1000).unwrap_or(u16::MAX);
        self.dtmf_tx.extend(digit_packets(digit, units, DTMF_FRAMES));
    }

    /// Sends this frame's DTMF packet instead of audio; true if it did.
    fn send_dtmf_frame(&mut self, now: Instant, ts: u32) -> bool {
        let Some(pt) = self.neg.telephone_event.map(|(pt, _)| pt.0) else { return false };
        let Some((marker, payload)) = self.dtmf_tx.pop_front() else { return false };
        if marker {
            self.dtmf_ts = ts;
        }
        self.send_event(now, pt, marker, &payload);
        if is_end(&payload) {
            // The three end packets go out together (RFC 4733 §2.5.1.4).
            while self.dtmf_tx.front().is_some_and(|(m, p)| !*m && is_end(p)) {
                if let Some((m, p)) = self.dtmf_tx.pop_front() {
                    self.send_event(now, pt, m, &p);
                }
            }
        }
        self.marker_next = true;
        true
    }

    fn send_event(&mut self, now: Instant, pt: u8, marker: bool, payload: &[u8; 4]) {
        if let Some(t) = self.rtp.send_rtp(now, pt, marker, self.dtmf_ts, payload) {
            self.outputs.push_back(Output::Transmit(t));
        }
    }
}

fn is_end(payload: &[u8; 4]) -> bool {
    payload[1] & 0x80 != 0
}
