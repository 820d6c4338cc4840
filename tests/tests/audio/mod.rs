//! What the call-audio tests share: a phone whose microphone is a tone file and whose speaker
//! is a recording, and the check that a recording carries a tone.

#![allow(dead_code)] // Each test file uses a different part of this module.

use std::path::{Path, PathBuf};
use std::time::Duration;

use engine::AudioSetup;
use engine::api::{CallKey, MediaSecurity, MediaSummary, PhoneEvent};
use interop::tone::{ToneReport, analyse_samples, write_tone_wav};
use tempfile::TempDir;

use crate::common::TestPhone;

/// The tone Callwarden sends.
pub const OUR_HZ: u32 = 1000;
/// The tone baresip sends (its `ausine` source).
pub const BARESIP_HZ: u32 = 440;
/// Audio each call carries before hang-up.
pub const TALK: Duration = Duration::from_secs(3);
/// Call setup and jitter-buffer fill at the start of a recording, left out of the analysis.
pub const SETUP: Duration = Duration::from_millis(400);
/// The end of a recording, left out: the last packets before the BYE.
pub const TAIL: Duration = Duration::from_millis(200);
/// The acceptance bar: the tone is heard in at least this share of 20 ms frames.
pub const BAR: f64 = 0.95;

/// Our side's audio files.
pub struct Files {
    dir: TempDir,
}

impl Files {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("cw-audio-").tempdir().expect("temp dir");
        let files = Self { dir };
        write_tone_wav(&files.tone(), OUR_HZ, TALK * 4).expect("sox writes the tone");
        files
    }

    pub fn tone(&self) -> PathBuf {
        self.dir.path().join("tone.wav")
    }

    pub fn recording(&self) -> PathBuf {
        self.dir.path().join("heard.wav")
    }

    /// The tone as microphone, the recording as speaker.
    pub fn setup(&self) -> AudioSetup {
        AudioSetup::files(Some(self.tone()), Some(self.recording()))
    }
}

/// How much of the recording at `path` carries `hz`, between [`SETUP`] and [`TAIL`].
pub fn heard(path: &Path, hz: u32) -> ToneReport {
    let reader = hound::WavReader::open(path).expect("a readable recording");
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let samples: Vec<f64> = reader
        .into_samples::<i16>()
        .step_by(channels)
        .map(|s| f64::from(s.expect("16-bit samples")) / 32768.0)
        .collect();
    let rate = f64::from(spec.sample_rate);
    let skip = (SETUP.as_secs_f64() * rate) as usize;
    let tail = (TAIL.as_secs_f64() * rate) as usize;
    let end = samples.len().saturating_sub(tail).max(skip);
    analyse_samples(samples.get(skip..end).unwrap_or_default(), rate, f64::from(hz))
}

/// Asserts the tone is heard in enough frames of at least two seconds of audio.
pub fn assert_heard(path: &Path, hz: u32, who: &str) {
    let report = heard(path, hz);
    assert!(report.frames >= 100, "{who}: only {} frames recorded", report.frames);
    assert!(
        report.fraction() >= BAR,
        "{who} heard {hz} Hz in {}/{} frames ({:.1} %)",
        report.matching,
        report.frames,
        report.fraction() * 100.0
    );
    eprintln!(
        "{who} heard {hz} Hz in {}/{} frames ({:.1} %)",
        report.matching,
        report.frames,
        report.fraction() * 100.0
    );
}

impl TestPhone {
    pub async fn media_secured(&mut self, call: &CallKey) -> MediaSecurity {
        self.wait_for("media security", |e| match e {
            PhoneEvent::MediaSecured { call: c, security } if c == call => Some(security.clone()),
            _ => None,
        })
        .await
    }

    pub async fn media_summary(&mut self, call: &CallKey) -> MediaSummary {
        self.wait_for("the media summary", |e| match e {
            PhoneEvent::MediaSummary { call: c, summary } if c == call => Some(summary.clone()),
            _ => None,
        })
        .await
    }
}

/// Audio written so far to a WAV file that is still being recorded (from its size and the
/// byte rate in its header).
pub fn recorded(path: &Path) -> Duration {
    let header = std::fs::read(path).ok().and_then(|b| b.get(28..32).map(<[u8]>::to_vec));
    let byte_rate = header.map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let len = std::fs::metadata(path).map_or(0, |m| m.len());
    if byte_rate == 0 {
        return Duration::ZERO;
    }
    Duration::from_secs_f64(len.saturating_sub(44) as f64 / f64::from(byte_rate))
}

/// The first channel of a recording as samples in -1..1, and its rate.
fn samples(path: &Path) -> (Vec<f64>, f64) {
    let reader = hound::WavReader::open(path).expect("a readable recording");
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let samples = reader
        .into_samples::<i16>()
        .step_by(channels)
        .map(|s| f64::from(s.expect("16-bit samples")) / 32768.0)
        .collect();
    (samples, f64::from(spec.sample_rate))
}

/// How much of the recording at `path` between `from` and `to` (from its start) carries `hz`.
pub fn heard_between(path: &Path, hz: u32, from: Duration, to: Duration) -> ToneReport {
    let (samples, rate) = samples(path);
    let at = |d: Duration| ((d.as_secs_f64() * rate) as usize).min(samples.len());
    let (start, end) = (at(from), at(to));
    analyse_samples(samples.get(start..end.max(start)).unwrap_or_default(), rate, f64::from(hz))
}

/// For each 20 ms frame of the recording: does `hz` dominate it?
pub fn frames_with_tone(path: &Path, hz: u32) -> Vec<bool> {
    let (samples, rate) = samples(path);
    let frame = (rate / 50.0) as usize;
    samples
        .chunks_exact(frame)
        .map(|f| analyse_samples(f, rate, f64::from(hz)).matching == 1)
        .collect()
}

/// The recording at a glance for failure messages: one character per 100 ms, `#` where the
/// tone `hz` dominates all five frames, `.` elsewhere.
pub fn timeline(path: &Path, hz: u32) -> String {
    frames_with_tone(path, hz)
        .chunks(5)
        .map(|c| if c.iter().all(|m| *m) { '#' } else { '.' })
        .collect()
}

/// How the media summary names a baresip codec.
pub fn codec_name(codec: interop::baresip::Codec) -> &'static str {
    match codec {
        interop::baresip::Codec::Opus => "opus",
        interop::baresip::Codec::Pcmu => "pcmu",
        interop::baresip::Codec::G722 => "g722",
    }
}
