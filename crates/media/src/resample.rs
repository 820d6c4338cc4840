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
///
/// Polyphase: upsampling by L computes each output from the 16 taps of its phase against
/// real input samples, instead of the full filter against a stream that is mostly the zeros
/// put between them; downsampling by M computes only every M-th output. That is a third of
/// the multiplies either way, and the voice processor's 48 <-> 16 kHz conversions run every
/// frame.
#[derive(Debug, Clone)]
pub struct Resampler {
    down: usize,
    gain: f32,
    /// Filter taps per output phase: `phases[k][q]` weighs the input `q` samples back.
    phases: Vec<Vec<f32>>,
    /// Input history, stored twice so the newest samples are always one contiguous slice
    /// starting at `pos` (newest first).
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
        let phases = match (up, down) {
            (1, 1) => vec![vec![1.0]],
            (1, _) => vec![design(ratio)],
            _ => {
                let taps = design(ratio);
                (0..up).map(|k| taps.iter().skip(k).step_by(up).copied().collect()).collect()
            }
        };
        let history = vec![0.0; 2 * phases.first().map_or(1, Vec::len)];
        Some(Self { down, gain: up as f32, phases, history, pos: 0 })
    }

    /// Resamples one block; output length is `input.len() * up / down`.
    pub fn process(&mut self, input: &[i16]) -> Vec<i16> {
        if self.phases.len() == 1 && self.down == 1 {
            return input.to_vec();
        }
        let mut out = Vec::with_capacity(input.len() * self.phases.len() / self.down);
        let n = self.history.len() / 2;
        for (i, &s) in input.iter().enumerate() {
            self.push(f32::from(s));
            if (i + 1) % self.down != 0 {
                continue;
            }
            let window = self.history.get(self.pos..self.pos + n).unwrap_or(&[]);
            for phase in &self.phases {
                let y = dot(window, phase) * self.gain;
                out.push(y.clamp(-32768.0, 32767.0) as i16);
            }
        }
        out
    }

    fn push(&mut self, x: f32) {
        let n = self.history.len() / 2;
        self.pos = (self.pos + n - 1) % n;
        if let Some(h) = self.history.get_mut(self.pos) {
            *h = x;
        }
        if let Some(h) = self.history.get_mut(self.pos + n) {
            *h = x;
        }
    }
}

/// Dot product with eight independent sums, which the compiler turns into vector code (one
/// running sum would have to stay sequential: float addition is not associative).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for ((acc, x), y) in acc.iter_mut().zip(x).zip(y) {
            *acc += x * y;
        }
    }
    acc.iter().sum::<f32>() + tail
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

    /// The textbook form: zeros between the input samples, the whole filter on every sample
    /// of that stream, every `down`-th result kept.
    fn direct(x: &[i16], up: usize, down: usize) -> Vec<i16> {
        let taps = super::design(up.max(down));
        let stuffed: Vec<f32> = x
            .iter()
            .flat_map(|s| std::iter::once(f32::from(*s)).chain(std::iter::repeat_n(0.0, up - 1)))
            .collect();
        (0..stuffed.len())
            .filter(|n| (n + 1) % down == 0)
            .map(|n| {
                let acc: f32 = (0..taps.len().min(n + 1)).map(|j| taps[j] * stuffed[n - j]).sum();
                (acc * up as f32).clamp(-32768.0, 32767.0) as i16
            })
            .collect()
    }

    #[test]
    fn polyphase_output_matches_the_direct_filter_across_blocks() {
        let x = sine(700.0, 16_000.0, 960);
        for (from, to, up, down) in [(16_000, 48_000, 3, 1), (48_000, 16_000, 1, 3)] {
            let mut r = Resampler::new(from, to).expect("integer ratio");
            let blocks: Vec<i16> = x.chunks(96).flat_map(|b| r.process(b)).collect();
            let reference = direct(&x, up, down);
            assert_eq!(blocks.len(), reference.len());
            let worst = blocks.iter().zip(&reference).map(|(a, b)| (a - b).abs()).max();
            assert!(worst <= Some(1), "{from} -> {to}: off by {worst:?}");
        }
    }

    #[test]
    fn non_integer_ratios_are_refused() {
        assert!(Resampler::new(44_100, 48_000).is_none());
    }
}
