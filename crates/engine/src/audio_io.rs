//! A call's audio port, on its media thread: one 20 ms frame in from the source and one out to
//! the sink per frame period, for the three kinds of [`AudioSetup`] (devices, WAV files,
//! silence). Nothing here fails the call: a device or file that cannot be used becomes a
//! problem for the user (a `DeviceFailed` event) and that side carries silence instead.

use std::collections::VecDeque;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use devices::{AudioIo, DeviceChoice, DeviceEvent};
use media::dsp::DEVICE_RATE;
use media::resample::Resampler;

use crate::audio::{AudioSetup, AudioSink, AudioSource};

/// Captured frames kept beyond the device's period: the one being read and one for a tick
/// that comes late (the loop then catches up). Older audio is dropped: it would only add
/// delay, which clock drift between sound card and system clock would otherwise build up.
const CAPTURE_BACKLOG_FRAMES: usize = 2;

enum Capture {
    Device,
    Wav { samples: Vec<i16>, pos: usize },
    Silence,
}

enum Playback {
    Device,
    Wav(hound::WavWriter<BufWriter<File>>),
    Discard,
}

/// The source and sink of one call.
pub(crate) struct AudioPort {
    io: Option<AudioIo>,
    capture: Capture,
    playback: Playback,
    problems: VecDeque<String>,
}

impl std::fmt::Debug for AudioPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioPort").field("devices", &self.io.is_some()).finish_non_exhaustive()
    }
}

impl AudioPort {
    /// Opens what `setup` names; whatever cannot be opened is replaced by silence.
    pub(crate) fn open(setup: &AudioSetup) -> Self {
        let mut port = Self {
            io: None,
            capture: Capture::Silence,
            playback: Playback::Discard,
            problems: VecDeque::new(),
        };
        if setup.uses_devices() {
            port.open_devices(setup);
        }
        port.capture = match &setup.source {
            AudioSource::Device(_) if port.io.is_some() => Capture::Device,
            AudioSource::Wav(path) => match read_wav(path) {
                Ok(samples) => Capture::Wav { samples, pos: 0 },
                Err(problem) => {
                    port.problems.push_back(format!("The audio file cannot be played: {problem}"));
                    Capture::Silence
                }
            },
            _ => Capture::Silence,
        };
        port.playback = match &setup.sink {
            AudioSink::Device(_) if port.io.is_some() => Playback::Device,
            AudioSink::Wav(path) => match hound::WavWriter::create(path, mono_spec()) {
                Ok(writer) => Playback::Wav(writer),
                Err(e) => {
                    port.problems.push_back(format!("The recording cannot be written: {e}"));
                    Playback::Discard
                }
            },
            _ => Playback::Discard,
        };
        port
    }

    fn open_devices(&mut self, setup: &AudioSetup) {
        let choice = |c: Option<&DeviceChoice>| c.cloned().unwrap_or_default();
        let input = choice(match &setup.source {
            AudioSource::Device(c) => Some(c),
            _ => None,
        });
        let output = choice(match &setup.sink {
            AudioSink::Device(c) => Some(c),
            _ => None,
        });
        match AudioIo::open(input, output) {
            Ok(io) => self.io = Some(io),
            Err(e) => self.problems.push_back(format!("The sound devices cannot be used: {e}")),
        }
    }

    /// Fills `frame` (48 kHz mono) with the next frame of the source.
    pub(crate) fn capture(&mut self, frame: &mut [i16]) {
        match &mut self.capture {
            Capture::Device => {
                let io = self.io.as_mut().expect("Capture::Device is only chosen with devices");
                let keep = CAPTURE_BACKLOG_FRAMES * frame.len() + io.capture_period();
                io.skip_capture(io.capture_available().saturating_sub(keep));
                let got = io.read_capture(frame);
                frame[got..].fill(0);
            }
            Capture::Wav { samples, pos } => {
                let rest = samples.get(*pos..).unwrap_or_default();
                let n = rest.len().min(frame.len());
                frame[..n].copy_from_slice(&rest[..n]);
                frame[n..].fill(0);
                *pos += n;
            }
            Capture::Silence => frame.fill(0),
        }
    }

    /// Sends one frame (48 kHz mono) to the sink.
    pub(crate) fn play(&mut self, frame: &[i16]) {
        match &mut self.playback {
            Playback::Device => {
                let io = self.io.as_mut().expect("Playback::Device is only chosen with devices");
                // A frame plus the device's period covers the device taking its next period
                // before our next frame; a fuller queue only grew after a late tick made the
                // loop catch up, and that delay would otherwise stay for the whole call.
                if io.playback_queued() < frame.len() + io.playback_period() {
                    io.write_playback(frame);
                }
            }
            Playback::Wav(writer) => {
                if let Err(e) = frame.iter().try_for_each(|s| writer.write_sample(*s)) {
                    self.playback = Playback::Discard;
                    self.problems.push_back(format!("The recording stopped: {e}"));
                }
            }
            Playback::Discard => {}
        }
    }

    /// Reopens unplugged devices on the default ones; call about once a second.
    pub(crate) fn check_devices(&mut self) {
        let Some(io) = &mut self.io else { return };
        io.check_devices();
        while let Some(event) = io.poll_event() {
            self.problems.push_back(match event {
                DeviceEvent::FellBackToDefault { .. } => {
                    "An audio device is missing; the default device is used instead.".to_owned()
                }
                DeviceEvent::Lost { reason, .. } => format!("An audio device failed: {reason}"),
            });
        }
    }

    /// The next problem to tell the user about.
    pub(crate) fn poll_problem(&mut self) -> Option<String> {
        self.problems.pop_front()
    }

    /// Closes the devices and completes a recording's WAV header.
    pub(crate) fn finish(self) -> Result<(), hound::Error> {
        match self.playback {
            Playback::Wav(writer) => writer.finalize(),
            _ => Ok(()),
        }
    }
}

fn mono_spec() -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate: DEVICE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

/// Reads a 16-bit PCM WAV into 48 kHz mono.
fn read_wav(path: &Path) -> Result<Vec<i16>, String> {
    let reader = hound::WavReader::open(path).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    if spec.sample_format != hound::SampleFormat::Int || spec.bits_per_sample != 16 {
        return Err("it is not 16-bit PCM".into());
    }
    let mut resampler = Resampler::new(spec.sample_rate, DEVICE_RATE)
        .ok_or("its sample rate is not 8, 16, 24 or 48 kHz")?;
    let channels = usize::from(spec.channels.max(1));
    let samples: Vec<i16> =
        reader.into_samples::<i16>().collect::<Result<_, _>>().map_err(|e| e.to_string())?;
    let mono: Vec<i16> = samples
        .chunks(channels)
        .map(|c| (c.iter().map(|s| i32::from(*s)).sum::<i32>() / c.len() as i32) as i16)
        .collect();
    Ok(resampler.process(&mono))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, spec: hound::WavSpec, samples: &[i16]) {
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        samples.iter().for_each(|s| w.write_sample(*s).unwrap());
        w.finalize().unwrap();
    }

    #[test]
    fn a_stereo_file_plays_as_mono_frames_then_silence() {
        let dir = std::env::temp_dir().join(format!("cw-audio-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("stereo.wav");
        let spec = hound::WavSpec { channels: 2, ..mono_spec() };
        write(&path, spec, &[100, 300].repeat(1000));
        let setup = AudioSetup::files(Some(path), None);
        let mut port = AudioPort::open(&setup);
        assert_eq!(port.poll_problem(), None);
        let mut frame = vec![0; 960];
        port.capture(&mut frame);
        assert!(frame.iter().all(|s| *s == 200), "downmixed: {:?}", &frame[..4]);
        port.capture(&mut frame);
        assert_eq!(&frame[..40], &[200; 40]);
        assert!(frame[40..].iter().all(|s| *s == 0), "silence after the end");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_recording_holds_every_played_frame() {
        let dir = std::env::temp_dir().join(format!("cw-rec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rec.wav");
        let setup = AudioSetup::files(None, Some(path.clone()));
        let mut port = AudioPort::open(&setup);
        port.play(&[7; 960]);
        port.play(&[-7; 960]);
        port.finish().unwrap();
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.spec().sample_rate, 48_000);
        let samples: Vec<i16> = reader.into_samples().map(Result::unwrap).collect();
        assert_eq!(samples.len(), 1920);
        assert_eq!((samples[0], samples[1919]), (7, -7));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_unreadable_file_is_a_problem_and_silence() {
        let setup = AudioSetup::files(Some("/nonexistent/x.wav".into()), None);
        let mut port = AudioPort::open(&setup);
        assert!(port.poll_problem().is_some_and(|p| p.contains("cannot be played")));
        let mut frame = vec![1; 960];
        port.capture(&mut frame);
        assert!(frame.iter().all(|s| *s == 0));
    }
}
