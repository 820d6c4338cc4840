//! Added one-way latency of a Callwarden call, capture to playout, on the real device path.
//!
//! Two `callwarden-cli` processes (release builds) call each other over 127.0.0.1 with SDES-SRTP
//! and Opus, so there is no network delay. Both use a private PulseAudio through cpal/ALSA, the
//! way a desktop does. Its stereo null sink carries two mono lanes: this program injects a
//! short 1 kHz burst every second on the left lane, Alice's microphone is the left lane of the
//! sink's monitor, and Bob's speaker writes the right lane. One recording of the monitor holds
//! both lanes on the same clock, so the gap between a burst's onset on the left and on the
//! right is exactly what the call adds: device buffers on both sides, framing, codec
//! look-ahead, jitter buffer and playout queues. Bob's microphone is a silent file and
//! Alice's speaker a file, so nothing loops back.
//!
//! `--baseline` replaces the call by `parec | pacat` (10 ms latency each) between the same
//! lanes: what PulseAudio and the measurement themselves take, to subtract.
//!
//! ```text
//! cargo build --release -p callwarden-cli
//! cargo run --release -p interop --example call_latency_loopback -- target/release/callwarden-cli [SECONDS] [--no-voice-processing] [--baseline]
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::UdpSocket;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use interop::pulse::{NULL_SINK, PulseAudio};

const RATE: usize = 48_000;
/// One burst per period; the burst is short so that each onset is unambiguous.
const PERIOD: usize = RATE;
const BURST: usize = RATE / 25;
/// Onset threshold: a quarter of the burst's amplitude, far above comfort noise.
const AMPLITUDE: f64 = 16_000.0;
const THRESHOLD: i16 = 4_000;
/// Call set-up and jitter-buffer settling before the first burst.
const WARM_UP: Duration = Duration::from_secs(3);

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let cli =
        args.next().ok_or("usage: call_latency_loopback CLI [SECONDS] [--no-voice-processing]")?;
    let rest: Vec<String> = args.collect();
    let seconds: usize = rest.iter().find_map(|a| a.parse().ok()).unwrap_or(20);
    let no_vp = rest.iter().any(|a| a == "--no-voice-processing");
    let pulse = PulseAudio::start()?;
    lanes(&pulse)?;
    if rest.iter().any(|a| a == "--baseline") {
        let _pipe = pulse_pipe(&pulse)?;
        std::thread::sleep(WARM_UP);
        return report(
            "PulseAudio alone: parec | pacat",
            &onset_gaps(&record_while_injecting(&pulse, seconds)?),
        );
    }
    let dir = tempfile::tempdir()?;
    let (a_port, b_port) = (free_port()?, free_port()?);
    let account = |user: &str, own: u16, peer: u16| -> Result<std::path::PathBuf, Error> {
        let path = dir.path().join(format!("{user}.toml"));
        std::fs::write(
            &path,
            format!(
                "aor = \"sip:{user}@127.0.0.1\"\ntransport = \"udp\"\n\
                 local_addr = \"127.0.0.1:{own}\"\ntrusted_peers = [\"127.0.0.1:{peer}\"]\n\
                 system_roots = false\nsrtp = \"required\"\n"
            ),
        )?;
        Ok(path)
    };
    let silence = dir.path().join("silence.wav");
    write_silence(&silence)?;
    let duration = (WARM_UP.as_secs() as usize + seconds + 3).to_string();
    let mut bob = Command::new(&cli);
    bob.args(["answer", "--timeout", "600", "--account"])
        .arg(account("bob", b_port, a_port)?)
        .arg("--play")
        .arg(&silence);
    let mut alice = Command::new(&cli);
    alice
        .args(["call", "--timeout", "600", "--duration", &duration, "--account"])
        .arg(account("alice", a_port, b_port)?)
        .arg("--record")
        .arg(dir.path().join("alice.wav"))
        .arg(format!("sip:bob@127.0.0.1:{b_port}"));
    for command in [&mut bob, &mut alice] {
        command.env("PULSE_SERVER", pulse.server()).stdout(Stdio::piped()).stderr(Stdio::null());
        if no_vp {
            command.arg("--no-voice-processing");
        }
    }
    let mut bob = Stopper(bob.env("PULSE_SINK", "speaker").spawn()?);
    wait_line(&mut bob.0, "\"ready\"")?;
    let mut alice = Stopper(alice.env("PULSE_SOURCE", "mic").spawn()?);
    wait_line(&mut alice.0, "\"answered\"")?;
    // The settling time of the call is not what is measured: a sleep is the point here.
    std::thread::sleep(WARM_UP);
    let recording = record_while_injecting(&pulse, seconds)?;
    let gaps = onset_gaps(&recording);
    let label = if no_vp { "call without voice processing" } else { "call with voice processing" };
    report(label, &gaps)
}

/// `parec` from Alice's microphone lane piped into `pacat` on Bob's speaker lane.
fn pulse_pipe(pulse: &PulseAudio) -> Result<(Stopper, Stopper), Error> {
    let pa = |tool: &str, device: &str| {
        let mut c = Command::new(tool);
        c.arg(format!("--server={}", pulse.server()))
            .args(["--format=s16le", "--rate=48000", "--channels=1", "--raw", "--latency-msec=10"])
            .arg(format!("--device={device}"));
        c
    };
    let mut rec = Stopper(pa("parec", "mic").stdout(Stdio::piped()).spawn()?);
    let out = rec.0.stdout.take().ok_or("no parec stdout")?;
    let play = Stopper(pa("pacat", "speaker").arg("--playback").stdin(out).spawn()?);
    Ok((rec, play))
}

/// Mono sinks and a mono source on the lanes of the stereo null sink.
fn lanes(pulse: &PulseAudio) -> Result<(), Error> {
    let remap = |kind: &str, name: &str, master: &str, lane: &str| {
        pulse.pactl(&[
            "load-module",
            &format!("module-remap-{kind}"),
            &format!("{kind}_name={name}"),
            &format!("master={master}"),
            "channels=1",
            "channel_map=mono",
            &format!("master_channel_map={lane}"),
            "remix=no",
        ])
    };
    remap("sink", "inject", NULL_SINK, "front-left")?;
    remap("sink", "speaker", NULL_SINK, "front-right")?;
    remap("source", "mic", &format!("{NULL_SINK}.monitor"), "front-left")?;
    Ok(())
}

/// Records the monitor (both lanes) while a burst plays on the left lane every second.
fn record_while_injecting(pulse: &PulseAudio, seconds: usize) -> Result<Vec<i16>, Error> {
    let pa = |tool: &str| {
        let mut c = Command::new(tool);
        c.arg(format!("--server={}", pulse.server())).args([
            "--format=s16le",
            "--rate=48000",
            "--raw",
            "--latency-msec=10",
        ]);
        c
    };
    let mut recorder = Stopper(
        pa("parec")
            .args([&format!("--device={NULL_SINK}.monitor"), "--channels=2"])
            .stdout(Stdio::piped())
            .spawn()?,
    );
    let mut stdout = recorder.0.stdout.take().ok_or("no parec stdout")?;
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let mut injector = pa("pacat")
        .args(["--playback", "--device=inject", "--channels=1"])
        .stdin(Stdio::piped())
        .spawn()?;
    let mut stdin = injector.stdin.take().ok_or("no pacat stdin")?;
    // pacat plays at the sink's pace: writing ahead is fine.
    stdin.write_all(&bursts(seconds))?;
    drop(stdin);
    injector.wait()?;
    std::thread::sleep(Duration::from_secs(1));
    recorder.stop();
    let bytes = reader.join().map_err(|_| "reader panicked")??;
    Ok(bytes.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect())
}

/// `seconds` periods, each a 1 kHz burst then silence, as s16le mono.
fn bursts(seconds: usize) -> Vec<u8> {
    (0..seconds * PERIOD)
        .map(|i| {
            let t = i % PERIOD;
            if t < BURST {
                let phase = 2.0 * std::f64::consts::PI * 1000.0 * t as f64 / RATE as f64;
                (AMPLITUDE * phase.sin()) as i16
            } else {
                0
            }
        })
        .flat_map(i16::to_le_bytes)
        .collect()
}

/// For each burst onset on the left lane, samples until the next onset on the right lane.
fn onset_gaps(stereo: &[i16]) -> Vec<f64> {
    let lane = |c: usize| stereo.iter().skip(c).step_by(2).copied().collect::<Vec<i16>>();
    let (left, right) = (onsets(&lane(0)), onsets(&lane(1)));
    left.iter()
        .filter_map(|l| right.iter().find(|r| **r >= *l && **r - *l < PERIOD / 2).map(|r| r - l))
        .map(|samples| samples as f64 * 1000.0 / RATE as f64)
        .collect()
}

/// Sample indices where the signal first exceeds the threshold after a quiet half period.
fn onsets(signal: &[i16]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut quiet_since = 0;
    for (i, s) in signal.iter().enumerate() {
        if s.unsigned_abs() < THRESHOLD.unsigned_abs() {
            continue;
        }
        if i - quiet_since >= PERIOD / 2 {
            found.push(i);
        }
        quiet_since = i;
    }
    found
}

fn report(label: &str, gaps: &[f64]) -> Result<(), Error> {
    if gaps.len() < 3 {
        return Err(format!("only {} bursts arrived", gaps.len()).into());
    }
    let mut sorted = gaps.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    println!(
        "one-way latency capture -> playout ({label}), {} bursts: \
         median {median:.1} ms, min {:.1}, max {:.1}",
        sorted.len(),
        sorted[0],
        sorted[sorted.len() - 1]
    );
    Ok(())
}

fn write_silence(path: &Path) -> Result<(), Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::create(path, spec)?;
    (0..960).try_for_each(|_| wav.write_sample(0i16))?;
    Ok(wav.finalize()?)
}

fn free_port() -> Result<u16, Error> {
    Ok(UdpSocket::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Reads a child's JSON event lines until one contains `marker`; drains the rest.
fn wait_line(child: &mut Child, marker: &str) -> Result<(), Error> {
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let seen = lines.by_ref().map_while(Result::ok).any(|l| l.contains(marker));
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    if seen { Ok(()) } else { Err(format!("never saw {marker}").into()) }
}

/// A child process stopped by its PID when dropped.
struct Stopper(Child);

impl Stopper {
    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Stopper {
    fn drop(&mut self) {
        self.stop();
    }
}
