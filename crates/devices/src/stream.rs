//! cpal streams: 48 kHz, any channel count, i16 or f32, downmixed/upmixed to mono i16.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};

use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{
    BufferSize, FromSample, SampleFormat, SampleRate, SizedSample, StreamConfig,
    SupportedBufferSize, SupportedStreamConfig,
};
use ringbuf::traits::{Consumer, Producer};
use ringbuf::{HeapCons, HeapProd};

use crate::{DeviceError, Direction, RATE};

/// State the real-time callbacks share with the owner, through atomics only.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// Peak input level of the last callback, as `f32` bits (0.0-1.0).
    pub level: AtomicU32,
    /// Set by the error callback when the device failed (unplugged).
    pub failed: AtomicBool,
    /// Captured samples lost because the ring was full.
    pub overruns: AtomicU64,
    /// Playback samples missing because the ring was empty.
    pub underruns: AtomicU64,
    /// Mono samples the device moved in its latest callback (its period).
    pub period: AtomicUsize,
}

/// Samples a callback downmixes or upmixes at a time, on its stack.
const BLOCK: usize = 256;

fn pick_config(
    device: &cpal::Device,
    direction: Direction,
) -> Result<SupportedStreamConfig, DeviceError> {
    let ranges: Vec<_> = match direction {
        Direction::Input => device.supported_input_configs().map(Iterator::collect),
        Direction::Output => device.supported_output_configs().map(Iterator::collect),
    }
    .map_err(|e| DeviceError::Stream(e.to_string()))?;
    let usable = |f: SampleFormat| matches!(f, SampleFormat::I16 | SampleFormat::F32);
    ranges
        .into_iter()
        .filter(|r| {
            usable(r.sample_format())
                && r.min_sample_rate().0 <= RATE
                && RATE <= r.max_sample_rate().0
        })
        .min_by_key(|r| (r.channels(), r.sample_format() != SampleFormat::I16))
        .map(|r| r.with_sample_rate(SampleRate(RATE)))
        .ok_or(DeviceError::UnsupportedConfig)
}

/// Device buffers we ask for, in frames. cpal's ALSA backend splits a buffer into four
/// periods, wakes once per period, and keeps a playback buffer full: the playback buffer is
/// its output latency, a capture period its input latency. cpal's default (100 ms of 25 ms
/// periods both ways) added over 100 ms to a call's one-way delay. Every period costs a
/// wake-up of cpal's thread and of the sound server client's, so periods stay as long as
/// latency allows: 10 ms on playback (40 ms buffer), one 20 ms call frame on capture.
const PLAYBACK_BUFFER: u32 = RATE / 25;
const CAPTURE_BUFFER: u32 = RATE / 25 * 2;

/// The stream configuration with our buffer size, within what the device allows.
fn with_buffer(config: &SupportedStreamConfig, frames: u32) -> StreamConfig {
    let mut stream = config.config();
    if let SupportedBufferSize::Range { min, max } = *config.buffer_size() {
        stream.buffer_size = BufferSize::Fixed(frames.clamp(min, max.max(min)));
    }
    stream
}

fn on_error(shared: &Arc<Shared>) -> impl FnMut(cpal::StreamError) + Send + 'static {
    let shared = Arc::clone(shared);
    move |_| shared.failed.store(true, Ordering::Release)
}

/// Opens and starts a capture stream that pushes mono samples into `ring`.
pub(crate) fn open_capture(
    device: &cpal::Device,
    ring: HeapProd<i16>,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream, DeviceError> {
    let config = pick_config(device, Direction::Input)?;
    let stream = match config.sample_format() {
        SampleFormat::F32 => build_capture::<f32>(device, &config, ring, shared),
        _ => build_capture::<i16>(device, &config, ring, shared),
    }?;
    stream.play().map_err(|e| DeviceError::Stream(e.to_string()))?;
    Ok(stream)
}

fn build_capture<T>(
    device: &cpal::Device,
    config: &SupportedStreamConfig,
    mut ring: HeapProd<i16>,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream, DeviceError>
where
    T: SizedSample,
    i16: FromSample<T>,
{
    let channels = usize::from(config.channels()).max(1);
    let meter = Arc::clone(shared);
    let data = move |data: &[T], _: &cpal::InputCallbackInfo| {
        let mut peak = 0i32;
        // Downmixed through a stack block so the ring's indices move once per block, not
        // once per sample (the callback runs on a real-time thread: no allocation).
        let mut mono = [0i16; BLOCK];
        for block in data.chunks(channels * BLOCK) {
            let n = block.len() / channels;
            for (out, frame) in mono.iter_mut().zip(block.chunks_exact(channels)) {
                let sum: i32 = frame.iter().map(|s| i32::from(s.to_sample::<i16>())).sum();
                *out = (sum / channels as i32) as i16;
                peak = peak.max(i32::from(*out).abs());
            }
            let lost = n - ring.push_slice(&mono[..n]);
            meter.overruns.fetch_add(lost as u64, Ordering::Relaxed);
        }
        meter.period.store(data.len() / channels, Ordering::Relaxed);
        meter.level.store((peak as f32 / 32768.0).to_bits(), Ordering::Relaxed);
    };
    device
        .build_input_stream(&with_buffer(config, CAPTURE_BUFFER), data, on_error(shared), None)
        .map_err(|e| DeviceError::Stream(e.to_string()))
}

/// Opens and starts a playback stream that pulls mono samples from `ring`.
pub(crate) fn open_playback(
    device: &cpal::Device,
    ring: HeapCons<i16>,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream, DeviceError> {
    let config = pick_config(device, Direction::Output)?;
    let stream = match config.sample_format() {
        SampleFormat::F32 => build_playback::<f32>(device, &config, ring, shared),
        _ => build_playback::<i16>(device, &config, ring, shared),
    }?;
    stream.play().map_err(|e| DeviceError::Stream(e.to_string()))?;
    Ok(stream)
}

fn build_playback<T>(
    device: &cpal::Device,
    config: &SupportedStreamConfig,
    mut ring: HeapCons<i16>,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream, DeviceError>
where
    T: SizedSample + FromSample<i16>,
{
    let channels = usize::from(config.channels()).max(1);
    let counters = Arc::clone(shared);
    let data = move |data: &mut [T], _: &cpal::OutputCallbackInfo| {
        let mut mono = [0i16; BLOCK];
        for block in data.chunks_mut(channels * BLOCK) {
            let n = block.len() / channels;
            let got = ring.pop_slice(&mut mono[..n]);
            mono[got..n].fill(0);
            counters.underruns.fetch_add((n - got) as u64, Ordering::Relaxed);
            for (frame, s) in block.chunks_exact_mut(channels).zip(&mono) {
                frame.iter_mut().for_each(|out| *out = T::from_sample(*s));
            }
        }
        counters.period.store(data.len() / channels, Ordering::Relaxed);
    };
    device
        .build_output_stream(&with_buffer(config, PLAYBACK_BUFFER), data, on_error(shared), None)
        .map_err(|e| DeviceError::Stream(e.to_string()))
}
