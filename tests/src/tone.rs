//! Tones: WAV files made with `sox`, and a checker that a recording carries a tone.
//!
//! The acceptance criterion for audio is "the tone arrives at the right frequency in ≥ 95 % of
//! 20 ms frames". Each frame's energy at the expected frequency is measured with the Goertzel
//! algorithm (hand-written: a dozen lines, no crate needed for one DFT bin) and compared with the
//! frame's total energy.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::command::run;
use crate::error::PeerError;

/// Frame length of the analysis.
pub const FRAME: Duration = Duration::from_millis(20);
/// Share of a frame's energy that must sit at the expected frequency for the frame to match.
const DOMINANCE: f64 = 0.5;
/// Frames quieter than this RMS (of full scale 1.0, about -40 dBFS) count as not matching.
const MIN_RMS: f64 = 0.01;

/// Writes a 48 kHz stereo 16-bit sine of `hz` lasting `duration` (baresip's `aufile` format).
pub fn write_tone_wav(path: &Path, hz: u32, duration: Duration) -> Result<(), PeerError> {
    run(Command::new("sox")
        .args(["-n", "-r", "48000", "-c", "2", "-b", "16"])
        .arg(path)
        .args(["synth", &format!("{:.3}", duration.as_secs_f64()), "sine", &hz.to_string()])
        .args(["vol", "0.5"]))
    .map(drop)
}

/// How much of a recording carries the expected tone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToneReport {
    /// Frames analysed (after the skipped start).
    pub frames: usize,
    /// Frames where the expected frequency dominates.
    pub matching: usize,
}

impl ToneReport {
    /// `matching / frames`, 0 for an empty recording.
    pub fn fraction(&self) -> f64 {
        if self.frames == 0 { 0.0 } else { self.matching as f64 / self.frames as f64 }
    }
}

/// Analyses the first channel of the WAV at `path` for a tone of `hz`, ignoring the first
/// `skip` (call setup, jitter buffer fill).
pub fn analyse_wav(path: &Path, hz: f64, skip: Duration) -> Result<ToneReport, PeerError> {
    let wav_error =
        |e: hound::Error| PeerError::Wav { path: path.to_owned(), reason: e.to_string() };
    let reader = hound::WavReader::open(path).map_err(wav_error)?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let scale = f64::from(1u32 << spec.bits_per_sample.saturating_sub(1).min(31));
    let samples: Vec<f64> = reader
        .into_samples::<i32>()
        .step_by(channels)
        .map(|s| s.map(|v| f64::from(v) / scale))
        .collect::<Result<_, _>>()
        .map_err(wav_error)?;
    let rate = f64::from(spec.sample_rate);
    let skipped = (skip.as_secs_f64() * rate) as usize;
    Ok(analyse_samples(samples.get(skipped..).unwrap_or_default(), rate, hz))
}

/// Analyses mono `samples` at `rate` Hz for a tone of `hz`, per [`FRAME`].
pub fn analyse_samples(samples: &[f64], rate: f64, hz: f64) -> ToneReport {
    let frame_len = ((FRAME.as_secs_f64() * rate) as usize).max(1);
    let frames = samples.chunks_exact(frame_len);
    let total = frames.len();
    let matching = frames.filter(|f| dominates(f, rate, hz)).count();
    ToneReport { frames: total, matching }
}

/// True when at least [`DOMINANCE`] of the frame's energy is at `hz` and the frame is not silent.
fn dominates(frame: &[f64], rate: f64, hz: f64) -> bool {
    let n = frame.len() as f64;
    let energy: f64 = frame.iter().map(|x| x * x).sum();
    if (energy / n).sqrt() < MIN_RMS {
        return false;
    }
    // For a pure sine of amplitude A: |X|² ≈ (A·n/2)² and energy ≈ A²·n/2, so the ratio is ≈ 1.
    goertzel_power(frame, rate, hz) / (energy * n / 2.0) >= DOMINANCE
}

/// |X(hz)|² of `frame` by the Goertzel recurrence.
fn goertzel_power(frame: &[f64], rate: f64, hz: f64) -> f64 {
    let coeff = 2.0 * (2.0 * std::f64::consts::PI * hz / rate).cos();
    let (mut s1, mut s2) = (0.0, 0.0);
    for x in frame {
        let s0 = x + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    s1 * s1 + s2 * s2 - coeff * s1 * s2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(hz: f64, rate: f64, secs: f64) -> Vec<f64> {
        let n = (rate * secs) as usize;
        (0..n).map(|i| 0.5 * (2.0 * std::f64::consts::PI * hz * i as f64 / rate).sin()).collect()
    }

    #[test]
    fn a_pure_tone_matches_every_frame() {
        let report = analyse_samples(&sine(440.0, 48_000.0, 1.0), 48_000.0, 440.0);
        assert_eq!(report.frames, 50);
        assert_eq!(report.matching, 50);
    }

    #[test]
    fn another_frequency_or_silence_does_not_match() {
        assert_eq!(analyse_samples(&sine(1000.0, 8000.0, 1.0), 8000.0, 440.0).matching, 0);
        assert_eq!(analyse_samples(&[0.0; 48_000], 48_000.0, 440.0).matching, 0);
    }
}
