//! Echo cancellation, noise suppression and automatic gain control on the device side.
//!
//! Uses `sonora`, a maintained pure-Rust port of WebRTC's audio processing module (AEC3,
//! NS, AGC2: the same algorithms browsers ship). Chosen over the `webrtc-audio-processing`
//! bindings because those need the 2.x C++ library (Debian 12 ships 0.3, and the bundled
//! build needs meson), and over `aec3` because that covers echo cancellation only.

use sonora::config::{EchoCanceller, GainController2, HighPassFilter, NoiseSuppression};
use sonora::{AudioProcessing, Config, StreamConfig};

/// Device-side sample rate of the whole pipeline.
pub const DEVICE_RATE: u32 = 48_000;
/// The processing module works on 10 ms chunks.
const CHUNK: usize = (DEVICE_RATE / 100) as usize;

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
    apm: Option<AudioProcessing>,
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
        let apm = any.then(|| {
            AudioProcessing::builder()
                .config(config)
                .capture_config(StreamConfig::new(DEVICE_RATE, 1))
                .render_config(StreamConfig::new(DEVICE_RATE, 1))
                .build()
        });
        Self { apm }
    }

    /// Analyses audio about to be played (the echo reference).
    pub fn render(&mut self, frame: &mut [i16]) {
        let Some(apm) = &mut self.apm else { return };
        for chunk in frame.chunks_exact_mut(CHUNK) {
            let src = chunk.to_vec();
            // A format error leaves the chunk untouched: playback never stops for DSP.
            let _ = apm.process_render_i16(&src, chunk);
        }
    }

    /// Cleans captured audio in place.
    pub fn capture(&mut self, frame: &mut [i16]) {
        let Some(apm) = &mut self.apm else { return };
        for chunk in frame.chunks_exact_mut(CHUNK) {
            let src = chunk.to_vec();
            let _ = apm.process_capture_i16(&src, chunk);
        }
    }
}
