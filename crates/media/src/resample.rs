//! Integer-ratio resampling between the 48 kHz device side and 8/16/48 kHz codecs.
//!
//! Hand-written because every ratio we need is an integer (1, 3, 6) and a fixed windowed-sinc
//! FIR with state across frames is a few lines, allocation-light and adds ~0.3 ms of delay,
//! whereas general resamplers buffer whole chunks (more latency) for ratios we never use.

use std::f64::consts::PI;

/// Taps per phase of the anti-alias / anti-image filter.
const TAPS_PER_PHASE: usize = 16;

/// Low-pass FIR design: windowed sinc with cutoff at 0.45 of the low rate.
fn design(ratio: usize) -> Vec<f32> {
    let n = TAPS_PER_PHASE * ratio;
    let fc = 0.45 / ratio as f64;
    let mid = (n as f64 - 1.0) / 2.0;
    (0..n)
        .map(|i| {
            let x = i as f64 - mid;
            let sinc = if x == 0.0 { 2.0 * fc } else { (2.0 * PI * fc * x).sin() / (PI * x) };
            let w = 0.42 - 0.5 * (2.0 * PI * i as f64 / (n as f64 - 1.0)).cos()
                + 0.08 * (4.0 * PI * i as f64 / (n as f64 - 1.0)).cos();
            (sinc * w) as f32
        })
        .collect()
}

/// Converts a stream from `from` Hz to `to` Hz where one divides the other.
#[derive(Debug, Clone)]
pub struct Resampler {
    up: usize,
    down: usize,
    taps: Vec<f32>,
    /// Input history, stored twice so the newest `taps.len()` samples are always one
    /// contiguous slice starting at `pos` (newest first).
    history: Vec<f32>,
    pos: usize,
}

impl Resampler {
    /// A resampler between rates whose ratio is an integer; `None` otherwise.
    pub fn new(from: u32, to: u32) -> Option<Self> {
        let (up, down) = if to >= from {
            (usize::try_from(to / from).ok()?, 1)
        } else {
            (1, usize::try_from(from / to).ok()?)
        };
        if (to >= from && to % from != 0) || (from > to && from % to != 0) {
            return None;
        }
        let ratio = up.max(down);
        let taps = if ratio == 1 { vec![1.0] } else { design(ratio) };
        let history = vec![0.0; 2 * taps.len()];
        Some(Self { up, down, taps, history, pos: 0 })
    }

    /// Resamples one block; output length is `input.len() * up / down`.
    pub fn process(&mut self, input: &[i16]) -> Vec<i16> {
        if self.taps.len() == 1 {
            return input.to_vec();
        }
        let gain = self.up as f32;
        let mut out = Vec::with_capacity(input.len() * self.up / self.down);
        let mut phase = 0usize;
        for &s in input {
            for k in 0..self.up {
                self.push(if k == 0 { f32::from(s) } else { 0.0 });
                phase += 1;
                if phase == self.down {
                    phase = 0;
                    let n = self.taps.len();
                    let window = self.history.get(self.pos..self.pos + n).unwrap_or(&[]);
                    let acc: f32 = window.iter().zip(&self.taps).map(|(h, t)| h * t).sum();
                    out.push((acc * gain).clamp(-32768.0, 32767.0) as i16);
                }
            }
        }
        out
    }

    fn push(&mut self, x: f32) {
        let n = self.taps.len();
        self.pos = (self.pos + n - 1) % n;
        if let Some(h) = self.history.get_mut(self.pos) {
            *h = x;
        }
        if let Some(h) = self.history.get_mut(self.pos + n) {
            *h = x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Resampler;

    fn sine(freq: f64, rate: f64, n: usize) -> Vec<i16> {
        (0..n)
            .map(|i| {
                (10_000.0 * (2.0 * std::f64::consts::PI * freq * i as f64 / rate).sin()) as i16
            })
            .collect()
    }

    fn rms(x: &[i16]) -> f64 {
        (x.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
    }

    #[test]
    fn in_band_tone_keeps_its_level_through_down_and_up_sampling() {
        let mut down = Resampler::new(48_000, 8_000).expect("integer ratio");
        let mut up = Resampler::new(8_000, 48_000).expect("integer ratio");
        let x = sine(1000.0, 48_000.0, 9600);
        let y = up.process(&down.process(&x));
        assert_eq!(y.len(), x.len());
        let (a, b) = (rms(&x[2000..]), rms(&y[2000..]));
        assert!((b / a - 1.0).abs() < 0.1, "{a} vs {b}");
    }

    #[test]
    fn tone_above_the_new_nyquist_is_suppressed() {
        let mut down = Resampler::new(48_000, 8_000).expect("integer ratio");
        let y = down.process(&sine(6000.0, 48_000.0, 9600));
        assert!(
            rms(&y[400..]) < 10_000.0 / std::f64::consts::SQRT_2 * 0.05,
            "aliasing: {}",
            rms(&y[400..])
        );
    }

    #[test]
    fn non_integer_ratios_are_refused() {
        assert!(Resampler::new(44_100, 48_000).is_none());
    }
}
