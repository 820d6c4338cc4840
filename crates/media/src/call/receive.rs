//! The receiving half: datagram -> SRTP/RTP checks -> jitter buffer or DTMF; and playout:
//! jitter buffer -> decoder (or concealment) -> 48 kHz -> echo reference.

use std::net::SocketAddr;
use std::time::Instant;

use super::{CallMedia, MediaEvent, Output};
use crate::demux::{PacketKind, classify};
use crate::jitter::Playout;

/// Comfort-noise floor amplitude (about -70 dBFS): silence that does not sound dead.
const COMFORT_NOISE: u32 = 10;

impl CallMedia {
    pub(super) fn receive_datagram(&mut self, now: Instant, from: SocketAddr, data: &[u8]) {
        match classify(data) {
            PacketKind::Rtp => {}
            PacketKind::Dtls if from == self.neg.remote_rtp => return self.receive_dtls(now, data),
            // STUN (ICE consent) is answered by the engine's ICE agent, not here.
            PacketKind::Stun => return,
            _ => return self.rtp.count_malformed(),
        }
        let Some(pkt) = self.rtp.receive(now, from, data) else { return };
        if pkt.new_source {
            self.jitter.reset();
        }
        if self.neg.telephone_event.is_some_and(|(pt, _)| pt.0 == pkt.pt) {
            if let Some(digit) = self.dtmf_rx.receive(pkt.timestamp, &pkt.payload) {
                self.outputs.push_back(Output::Event(MediaEvent::Dtmf(digit)));
            }
            return;
        }
        if !self.neg.direction.receives() {
            self.rtp.count_while_inactive();
            return;
        }
        self.jitter.push(now, pkt.timestamp, pkt.payload);
    }

    /// One frame period of speaker audio: mono, 48 kHz, `frame_samples()` samples.
    /// Call it once per frame period, paced by the playback device.
    pub fn playout(&mut self, now: Instant) -> Vec<i16> {
        let codec_samples =
            (self.neg.codec.codec.sample_rate() * self.neg.codec.ptime_ms / 1000) as usize;
        let decoded = if self.neg.direction.receives() {
            match self.jitter.pop(now) {
                Playout::Packet(p) => Some(self.decoder.decode(&p, codec_samples)),
                Playout::Lost { next } => {
                    Some(self.decoder.conceal(next.as_deref(), codec_samples))
                }
                Playout::Idle => None,
            }
        } else {
            None
        };
        let mut frame = match decoded {
            Some(pcm) => self.to_device.process(&pcm),
            None => self.comfort_noise(),
        };
        frame.resize(self.frame_samples(), 0);
        self.dsp.render(&mut frame);
        frame
    }

    fn comfort_noise(&mut self) -> Vec<i16> {
        (0..self.frame_samples())
            .map(|_| {
                // Numerical Recipes LCG: audio dither, not cryptography.
                self.noise = self.noise.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((self.noise >> 16) % (2 * COMFORT_NOISE + 1)) as i16 - COMFORT_NOISE as i16
            })
            .collect()
    }
}
