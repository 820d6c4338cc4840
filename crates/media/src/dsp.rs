//! Echo cancellation, noise suppression and automatic gain control on the device side.
//!
//! Uses `sonora`, a maintained pure-Rust port of WebRTC's audio processing module (AEC3,
//! NS, AGC2: the same algorithms browsers ship). Chosen over the `webrtc-audio-processing`
//! bindings because those need the 2.x C++ library (Debian 12 ships 0.3, and the bundled
//! build needs meson), and over `aec3` because that covers echo cancellation only.
//!
//! The module runs at 16 kHz, not at the device rate. AEC3 cancels echo on the band below
//! 8 kHz only (higher bands merely get its suppression gain), and fed 48 kHz the module spends
//! most of its time on its own 48 <-> 32 kHz resampling and band splitting: 14 ms of CPU per
//! call-second at 48 kHz against 6 at 16 kHz, measured on the same audio. Our integer-ratio
//! resamplers cost far less and add about 1 ms. The price is speech limited to wideband
//! (7 kHz) while voice processing is on, i.e. on a loudspeaker; headsets turn it off.

use sonora::config::{EchoCanceller, GainController2, HighPassFilter, NoiseSuppression};
use sonora::{AudioProcessing, Config, StreamConfig};

use crate::resample::Resampler;

/// Device-side sample rate of the whole pipeline.
pub const DEVICE_RATE: u32 = 48_000;
/// Rate the processing module runs at (see the module docs).
const PROCESSING_RATE: u32 = 16_000;
/// The processing module works on 10 ms chunks.
const CHUNK: usize = (PROCESSING_RATE / 100) as usize;

/// Which voice processing stages run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoiceProcessing {
    /// Acoustic echo cancellation (AEC3).
    pub echo_cancellation: bool,
    /// Noise suppression.
    pub noise_suppression: bool,
    /// Automatic gain control (AGC2, adaptive digital).
    pub gain_control: bool,
}

impl Default for VoiceProcessing {
    fn default() -> Self {
        Self { echo_cancellation: true, noise_suppression: true, gain_control: true }
    }
}

/// The processor: feed what the speaker plays (`render`) and what the microphone hears
/// (`capture`), both mono at 48 kHz in multiples of 10 ms.
pub struct VoiceProcessor {
    apm: Option<Apm>,
}

/// The module with the resamplers between the device rate and its own.
struct Apm {
    module: AudioProcessing,
    render_down: Resampler,
    capture_down: Resampler,
    capture_up: Resampler,
    scratch: Vec<i16>,
}

impl std::fmt::Debug for VoiceProcessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoiceProcessor").field("enabled", &self.apm.is_some()).finish()
    }
}

impl VoiceProcessor {
    /// A processor with the chosen stages (none at all skips processing entirely).
    pub fn new(stages: VoiceProcessing) -> Self {
        let any = stages.echo_cancellation || stages.noise_suppression || stages.gain_control;
        let config = Config {
            high_pass_filter: any.then(HighPassFilter::default),
            echo_canceller: stages.echo_cancellation.then(EchoCanceller::default),
            noise_suppression: stages.noise_suppression.then(NoiseSuppression::default),
            gain_controller2: stages.gain_control.then(GainController2::default),
            ..Config::default()
        };
        let resampler = |a, b| Resampler::new(a, b).expect("16 kHz divides 48 kHz");
        let apm = any.then(|| Apm {
            module: AudioProcessing::builder()
                .config(config)
                .capture_config(StreamConfig::new(PROCESSING_RATE, 1))
                .render_config(StreamConfig::new(PROCESSING_RATE, 1))
                .build(),
            render_down: resampler(DEVICE_RATE, PROCESSING_RATE),
            capture_down: resampler(DEVICE_RATE, PROCESSING_RATE),
            capture_up: resampler(PROCESSING_RATE, DEVICE_RATE),
            scratch: vec![0; CHUNK],
        });
        Self { apm }
    }

    /// Analyses audio about to be played (the echo reference); the audio is not changed.
    pub fn render(&mut self, frame: &mut [i16]) {
        let Some(apm) = &mut self.apm else { return };
        let low = apm.render_down.process(frame);
        for chunk in low.chunks_exact(CHUNK) {
            // A format error skips the chunk: playback never stops for DSP.
            let _ = apm.module.process_render_i16(chunk, &mut apm.scratch);
        }
    }

    /// Cleans captured audio in place.
    pub fn capture(&mut self, frame: &mut [i16]) {
        let Some(apm) = &mut self.apm else { return };
        let mut low = apm.capture_down.process(frame);
        for chunk in low.chunks_exact_mut(CHUNK) {
            apm.scratch.copy_from_slice(chunk);
            let _ = apm.module.process_capture_i16(&apm.scratch, chunk);
        }
        let full = apm.capture_up.process(&low);
        let n = full.len().min(frame.len());
        frame[..n].copy_from_slice(&full[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A far-end signal broadband enough for the canceller's delay estimator: noise bursts
    /// (syllables, about 4 per second) over a low tone.
    fn far_end(i: usize, noise: &mut u32) -> i16 {
        *noise = noise.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let t = i as f32 / DEVICE_RATE as f32;
        let syllable = if (i / (DEVICE_RATE as usize / 8)) % 2 == 0 { 1.0 } else { 0.2 };
        let white = f32::from((*noise >> 16) as u16 as i16) / 32768.0;
        ((white * syllable + 0.2 * (t * 2.0 * std::f32::consts::PI * 220.0).sin()) * 8000.0) as i16
    }

    fn energy(frame: &[i16]) -> f64 {
        frame.iter().map(|s| f64::from(*s).powi(2)).sum()
    }

    #[test]
    fn the_echo_of_what_is_played_is_cancelled_from_the_microphone() {
        // The canceller alone: gain control would lift the residual it leaves.
        let mut dsp = VoiceProcessor::new(VoiceProcessing {
            echo_cancellation: true,
            noise_suppression: false,
            gain_control: false,
        });
        let frame = (DEVICE_RATE / 50) as usize;
        // The microphone hears the speaker 30 ms later at a quarter of its level.
        let delay = (DEVICE_RATE / 1000 * 30) as usize;
        let mut noise = 7;
        let far: Vec<i16> = (0..frame * 400).map(|i| far_end(i, &mut noise)).collect();
        let (mut before, mut after) = (0.0, 0.0);
        for k in 0..400 {
            let mut out = far[k * frame..(k + 1) * frame].to_vec();
            dsp.render(&mut out);
            let mut mic: Vec<i16> = (k * frame..(k + 1) * frame)
                .map(|i| i.checked_sub(delay).map_or(0, |j| far[j] / 4))
                .collect();
            let heard = energy(&mic);
            dsp.capture(&mut mic);
            if k >= 300 {
                // The last two seconds, once the canceller has converged.
                before += heard;
                after += energy(&mic);
            }
        }
        let erle_db = 10.0 * (before / after.max(1.0)).log10();
        assert!(erle_db > 20.0, "echo reduced by only {erle_db:.1} dB");
    }

    #[test]
    fn processing_keeps_the_frame_length_and_no_stages_leaves_audio_untouched() {
        let mut off = VoiceProcessor::new(VoiceProcessing {
            echo_cancellation: false,
            noise_suppression: false,
            gain_control: false,
        });
        let mut frame: Vec<i16> = (0..960).map(|i| (i % 100) as i16).collect();
        let copy = frame.clone();
        off.capture(&mut frame);
        assert_eq!(frame, copy);
        let mut on = VoiceProcessor::new(VoiceProcessing::default());
        on.capture(&mut frame);
        assert_eq!(frame.len(), 960);
    }
}
