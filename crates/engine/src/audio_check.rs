//! The audio test of onboarding and settings: the microphone is played back on the speaker half
//! a second later, so users hear themselves as the other party would, and both levels go to
//! the meters (`PhoneEvent::AudioLevels`, five times a second).
//!
//! It runs on its own thread for the same reason as a call's media: device streams are not
//! `Send`. It never runs beside a call (the devices are the call's): it refuses to start while
//! a call exists and stops when one starts ringing or is dialled.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use media::dsp::DEVICE_RATE;
use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiError, ErrorCode, PhoneEvent};
use crate::audio::{AudioSetup, AudioSink, AudioSource, DeviceChoice};
use crate::audio_io::AudioPort;
use crate::driver::Driver;

/// One frame: 20 ms at the device rate.
const FRAME: usize = (DEVICE_RATE / 50) as usize;
const FRAME_PERIOD: Duration = Duration::from_millis(20);
/// How long the user waits to hear themselves: long enough not to blur with what they say.
const ECHO_DELAY_FRAMES: usize = 25;
/// Meter updates: every fifth frame (100 ms) is as fast as a meter is read.
const LEVEL_EVERY_FRAMES: u32 = 5;
const DEVICE_CHECK_EVERY_FRAMES: u32 = 50;
/// The quietest level a meter shows above zero: -60 dBFS.
const METER_FLOOR_DB: f32 = -60.0;

/// The running test; dropping it stops it: its thread closes the devices within a frame.
///
/// Dropping does not wait for the thread: the driver drops it from async code (a call opening),
/// where closing sound devices (100 ms and more on some ALSA devices) must not hold up SIP.
#[derive(Debug)]
pub(crate) struct AudioCheck {
    stop: Arc<AtomicBool>,
}

impl AudioCheck {
    fn start(setup: AudioSetup, events: UnboundedSender<PhoneEvent>) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        // Detached: the thread ends by itself once `stop` is set.
        std::thread::Builder::new()
            .name("audio-check".into())
            .spawn(move || run(&setup, &flag, &events))?;
        Ok(Self { stop })
    }
}

impl Drop for AudioCheck {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Driver {
    /// Starts or stops the audio test.
    pub(crate) fn audio_test(&mut self, on: bool) -> Result<(), ApiError> {
        if !on {
            self.calls.audio_check = None;
            return Ok(());
        }
        if self.calls.iter().next().is_some() {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "The audio test cannot run during a call.",
            ));
        }
        if self.calls.audio_check.is_none() {
            let setup = device_setup(&self.calls.audio);
            let check = AudioCheck::start(setup, self.events.clone()).map_err(|_| {
                ApiError::new(ErrorCode::InvalidState, "The audio test could not start.")
            })?;
            self.calls.audio_check = Some(check);
        }
        Ok(())
    }
}

impl Driver {
    /// Chooses the devices for calls from now on; a running audio test moves to them at once.
    pub(crate) fn choose_devices(&mut self, input: DeviceChoice, output: DeviceChoice) {
        self.calls.audio.use_devices(input, output);
        if self.calls.audio_check.take().is_some() {
            // Only fails when the thread cannot be spawned; the user sees the test stopped.
            let _ = self.audio_test(true);
        }
    }
}

/// The devices calls use; the system defaults where calls use files or silence.
fn device_setup(calls: &AudioSetup) -> AudioSetup {
    let input = match &calls.source {
        AudioSource::Device(choice) => choice.clone(),
        _ => DeviceChoice::Default,
    };
    let output = match &calls.sink {
        AudioSink::Device(choice) => choice.clone(),
        _ => DeviceChoice::Default,
    };
    AudioSetup {
        source: AudioSource::Device(input),
        sink: AudioSink::Device(output),
        voice_processing: false,
    }
}

fn run(setup: &AudioSetup, stop: &AtomicBool, events: &UnboundedSender<PhoneEvent>) {
    let mut port = AudioPort::open(setup);
    let mut echo: VecDeque<[i16; FRAME]> = VecDeque::with_capacity(ECHO_DELAY_FRAMES + 1);
    let (mut input, mut output) = (0.0_f32, 0.0_f32);
    let mut next = Instant::now();
    for n in 1_u32.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let mut frame = [0_i16; FRAME];
        port.capture(&mut frame);
        input = input.max(meter_level(&frame));
        echo.push_back(frame);
        let played = if echo.len() > ECHO_DELAY_FRAMES { echo.pop_front() } else { None };
        let played = played.unwrap_or([0; FRAME]);
        port.play(&played);
        output = output.max(meter_level(&played));
        if n % LEVEL_EVERY_FRAMES == 0 {
            let _ = events.send(PhoneEvent::AudioLevels { input, output });
            (input, output) = (0.0, 0.0);
        }
        if n % DEVICE_CHECK_EVERY_FRAMES == 0 {
            port.check_devices();
        }
        while let Some(text) = port.poll_problem() {
            let _ = events.send(PhoneEvent::DeviceFailed { text });
        }
        next += FRAME_PERIOD;
        // Paced like a call's frame clock; a machine that fell behind catches up at once.
        next = next.max(Instant::now() - FRAME_PERIOD);
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    // The test has no recording to complete; closing the devices cannot fail the user.
    let _ = port.finish();
    let _ = events.send(PhoneEvent::AudioLevels { input: 0.0, output: 0.0 });
}

/// A frame's loudness for a meter, 0.0-1.0: its RMS on a decibel scale from -60 dBFS to full
/// scale, which is how a level reads to the ear (a linear scale hides speech near zero).
pub(crate) fn meter_level(frame: &[i16]) -> f32 {
    if frame.is_empty() {
        return 0.0;
    }
    let energy: f64 = frame.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    let rms = (energy / frame.len() as f64).sqrt() / 32768.0;
    if rms <= 0.0 {
        return 0.0;
    }
    let db = 20.0 * rms.log10() as f32;
    ((db - METER_FLOOR_DB) / -METER_FLOOR_DB).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_reads_zero_and_full_scale_reads_one() {
        assert_eq!(meter_level(&[0; FRAME]), 0.0);
        assert_eq!(meter_level(&[]), 0.0);
        let square: Vec<i16> =
            (0..FRAME).map(|i| if i % 2 == 0 { i16::MAX } else { -i16::MAX }).collect();
        assert!(meter_level(&square) > 0.99);
    }

    #[test]
    fn the_meter_is_logarithmic() {
        // -20 dBFS (a tenth of full scale) sits two thirds up a -60..0 dB meter.
        let tenth: Vec<i16> = (0..FRAME).map(|i| if i % 2 == 0 { 3277 } else { -3277 }).collect();
        let level = meter_level(&tenth);
        assert!((level - 2.0 / 3.0).abs() < 0.01, "level {level}");
        // Below -60 dBFS the meter stays at zero.
        assert_eq!(meter_level(&[16; FRAME]), 0.0);
    }

    #[test]
    fn the_test_uses_the_call_devices_or_the_defaults() {
        let named = DeviceChoice::Named(crate::audio::DeviceName("Headset".into()));
        let calls = AudioSetup {
            source: AudioSource::Device(named.clone()),
            sink: AudioSink::Discard,
            voice_processing: true,
        };
        let setup = device_setup(&calls);
        assert_eq!(setup.source, AudioSource::Device(named));
        assert_eq!(setup.sink, AudioSink::Device(DeviceChoice::Default));
        assert!(!setup.voice_processing, "the user must hear the raw microphone");
    }
}
