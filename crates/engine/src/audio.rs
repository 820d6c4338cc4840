//! Where a call's audio comes from and where it goes: the sound devices (cpal), WAV files
//! (`callwarden-cli call --play/--record`, tests), or nothing.
//!
//! [`AudioSetup`] is the choice, made with [`crate::Phone::set_audio`] and used for every call
//! that connects afterwards. The runtime side lives on each call's media thread
//! (`audio_io.rs`): device streams are not `Send`, so they are opened there.

use std::path::PathBuf;

pub use devices::{DeviceChoice, DeviceName};

/// What the far end hears.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AudioSource {
    /// A microphone (falls back to the default one, with a `DeviceFailed` event).
    Device(DeviceChoice),
    /// A WAV file (16-bit PCM, mono or stereo, 8/16/24/48 kHz), played once, then silence.
    Wav(PathBuf),
    /// Digital silence.
    Silence,
}

/// Where the far end's audio goes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AudioSink {
    /// A speaker (falls back to the default one, with a `DeviceFailed` event).
    Device(DeviceChoice),
    /// A WAV file: 48 kHz mono 16-bit, one 20 ms frame per frame period.
    Wav(PathBuf),
    /// Nowhere.
    Discard,
}

/// The audio source and sink for calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AudioSetup {
    /// Microphone side.
    pub source: AudioSource,
    /// Speaker side.
    pub sink: AudioSink,
    /// Echo cancellation, noise suppression and gain control when a sound device is used
    /// (default on; a headset user may turn them off). Files and silence never need them.
    pub voice_processing: bool,
}

impl Default for AudioSetup {
    /// The system's default microphone and speaker.
    fn default() -> Self {
        Self {
            source: AudioSource::Device(DeviceChoice::Default),
            sink: AudioSink::Device(DeviceChoice::Default),
            voice_processing: true,
        }
    }
}

impl AudioSetup {
    /// Neither devices nor files: silence out, nothing played (headless tests, benchmarks).
    pub fn silent() -> Self {
        Self { source: AudioSource::Silence, sink: AudioSink::Discard, voice_processing: false }
    }

    /// WAV files as microphone and speaker (either may be absent: silence, nothing played).
    pub fn files(play: Option<PathBuf>, record: Option<PathBuf>) -> Self {
        Self {
            source: play.map_or(AudioSource::Silence, AudioSource::Wav),
            sink: record.map_or(AudioSink::Discard, AudioSink::Wav),
            voice_processing: false,
        }
    }

    /// The sound devices as source and sink (files and silence give way to them), keeping the
    /// voice processing choice.
    pub(crate) fn use_devices(&mut self, input: DeviceChoice, output: DeviceChoice) {
        self.source = AudioSource::Device(input);
        self.sink = AudioSink::Device(output);
    }

    /// True when a sound device is involved.
    pub(crate) fn uses_devices(&self) -> bool {
        matches!(self.source, AudioSource::Device(_)) || matches!(self.sink, AudioSink::Device(_))
    }

    /// Whether echo cancellation and the rest are worth their cost: only with a device, as
    /// files and silence have no acoustic path from speaker to microphone.
    pub(crate) fn processes_voice(&self) -> bool {
        self.voice_processing && self.uses_devices()
    }
}
