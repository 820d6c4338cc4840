//! CPU per call-second of Callwarden's call media next to baresip's, on the same call.
//!
//! `callwarden-cli call` (release build) calls a baresip over SDES-SRTP with Opus 48 kHz. Both
//! play out to a private PulseAudio null sink through ALSA (a paced device: ALSA's own `null`
//! device spins a core and is no baseline), and both capture their microphone from the sink's
//! monitor through ALSA: the same kind of source and sink on each side. `--baresip-sine` gives
//! baresip its `ausine` generator as microphone instead (no capture stream), as measured before.
//! The CPU time (user + system, from `/proc/PID/stat`) of each process over the same stretch
//! of the connected call is divided by its length. The call runs twice, with and without
//! Callwarden's voice processing (echo canceller, noise suppression, gain control), so that
//! their cost shows separately.
//!
//! ```text
//! cargo build --release -p callwarden-cli
//! cargo run --release -p interop --example call_cpu_vs_baresip -- target/release/callwarden-cli [SECONDS]
//! ```

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use interop::Baresip;
use interop::baresip::{AudioPlayer, AudioSource, Codec, EventKind, MediaEnc};
use interop::pulse::PulseAudio;

/// Call set-up and jitter-buffer settling left out of the measurement.
const WARM_UP: Duration = Duration::from_secs(2);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (flags, mut args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let sine = flags.iter().any(|f| f == "--baresip-sine");
    args.reverse();
    let usage = "usage: call_cpu_vs_baresip CLI [SECONDS] [--baresip-sine]";
    let cli = PathBuf::from(args.pop().ok_or(usage)?);
    let seconds: u64 = args.pop().map_or(Ok(60), |s| s.parse())?;
    let pulse = PulseAudio::start()?;
    let dir = tempfile::tempdir()?;
    let account = dir.path().join("alice.toml");
    std::fs::write(
        &account,
        "aor = \"sip:alice@127.0.0.1\"\ntransport = \"udp\"\nlocal_addr = \"127.0.0.1:0\"\n\
         system_roots = false\nsrtp = \"required\"\n",
    )?;
    let tick = clock_ticks()?;
    let source = if sine { AudioSource::Sine(440) } else { AudioSource::Pulse(pulse.server()) };
    let microphone = if sine { "its sine generator" } else { "the sink's monitor, like ours" };
    println!("Opus 48 kHz, SDES-SRTP, {seconds} s measured per call, PulseAudio null sink");
    println!("baresip's microphone: {microphone}");
    for voice_processing in [true, false] {
        let call = Call { cli: &cli, account: &account, pulse: &pulse, source: source.clone() };
        let (ours, theirs) = measure(&call, seconds, voice_processing, tick)?;
        let label = if voice_processing { "with" } else { "without" };
        println!(
            "callwarden ({label} echo canceller/NS/AGC): {ours:.1} ms CPU per call-second; \
             baresip, same call: {theirs:.1} ms; ratio {:.2}",
            ours / theirs
        );
    }
    Ok(())
}

/// What each measured call is made of.
struct Call<'a> {
    cli: &'a Path,
    account: &'a Path,
    pulse: &'a PulseAudio,
    /// baresip's microphone.
    source: AudioSource,
}

/// One call; returns (callwarden, baresip) CPU milliseconds per call-second.
fn measure(
    call: &Call<'_>,
    seconds: u64,
    voice_processing: bool,
    tick: f64,
) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let mut bob = Baresip::direct("bob")
        .media_enc(MediaEnc::SrtpMand)
        .codec(Codec::Opus)
        .source(call.source.clone())
        .player(AudioPlayer::Pulse(call.pulse.server()))
        .record(false)
        .start()?;
    let duration = (WARM_UP.as_secs() + seconds + 2).to_string();
    let mut command = Command::new(call.cli);
    command
        .args(["call", "--account"])
        .arg(call.account)
        .args(["--duration", &duration, "--timeout", "600"])
        .arg(bob.uri())
        .env("PULSE_SERVER", call.pulse.server())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if !voice_processing {
        command.arg("--no-voice-processing");
    }
    let mut call = command.spawn()?;
    wait_answered(&mut call)?;
    bob.wait_for_event(EventKind::CallEstablished, Duration::from_secs(10))?;
    std::thread::sleep(WARM_UP);
    // The harness runs baresip under coreutils `timeout`: measure the child.
    let baresip = child_of(bob.pid())?;
    let started = Instant::now();
    let (ours0, theirs0) = (cpu(call.id(), tick)?, cpu(baresip, tick)?);
    // Measuring CPU over a stretch of time is the one place a sleep is the point.
    std::thread::sleep(Duration::from_secs(seconds));
    let (ours1, theirs1) = (cpu(call.id(), tick)?, cpu(baresip, tick)?);
    let secs = started.elapsed().as_secs_f64();
    let status = call.wait()?;
    if !status.success() {
        return Err(format!("callwarden-cli call failed: {status}").into());
    }
    Ok(((ours1 - ours0) / secs, (theirs1 - theirs0) / secs))
}

/// Reads the CLI's JSON event lines until the call is answered.
fn wait_answered(call: &mut Child) -> Result<(), Box<dyn std::error::Error>> {
    let stdout = call.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let answered = lines.by_ref().map_while(Result::ok).any(|l| l.contains("\"answered\""));
    // Keep draining the rest so the CLI never blocks on a full pipe.
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    if answered { Ok(()) } else { Err("the call was not answered".into()) }
}

/// User + system CPU of `pid` so far, in milliseconds.
fn cpu(pid: u32, tick: f64) -> Result<f64, Box<dyn std::error::Error>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').ok_or("unexpected /proc stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| -> Result<f64, Box<dyn std::error::Error>> {
        Ok(fields.get(i).ok_or("short /proc stat")?.parse::<f64>()?)
    };
    Ok((ticks(11)? + ticks(12)?) * 1000.0 / tick)
}

/// The process whose parent is `parent`.
fn child_of(parent: u32) -> Result<u32, Box<dyn std::error::Error>> {
    for entry in std::fs::read_dir("/proc")? {
        let Some(pid) = entry?.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let ppid = stat.rsplit_once(')').and_then(|(_, r)| r.split_whitespace().nth(1));
        if ppid == Some(parent.to_string().as_str()) {
            return Ok(pid);
        }
    }
    Err(format!("no child of {parent}").into())
}

fn clock_ticks() -> Result<f64, Box<dyn std::error::Error>> {
    let out = Command::new("getconf").arg("CLK_TCK").output()?;
    Ok(String::from_utf8(out.stdout)?.trim().parse()?)
}
