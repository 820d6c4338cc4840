//! `callwarden-cli call --play/--record` and `answer --play/--record`: two CLIs call each other
//! through a real Kamailio over TLS with SRTP, each sends a tone from a WAV file, and each
//! recording carries the other's tone.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use interop::tone::{ToneReport, analyse_samples, write_tone_wav};
use interop::{Kamailio, SipAccount, Transport};

const CLI: &str = env!("CARGO_BIN_EXE_callwarden-cli");

fn account_file(dir: &Path, sip: &SipAccount) -> PathBuf {
    sip.write_account_file(dir).expect("write account file")
}

#[test]
fn call_and_answer_play_and_record_wav_files() {
    let kamailio = Kamailio::start().expect("kamailio");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let callee = account_file(d, &kamailio.account("1002", Transport::Tls).expect("1002"));
    let caller = account_file(d, &kamailio.account("1001", Transport::Tls).expect("1001"));
    write_tone_wav(&d.join("caller.wav"), 1000, Duration::from_secs(6)).expect("tone");
    write_tone_wav(&d.join("callee.wav"), 440, Duration::from_secs(6)).expect("tone");

    let mut answer = Command::new(CLI)
        .args(["answer", "--calls", "1", "--account"])
        .arg(&callee)
        .arg("--play")
        .arg(d.join("callee.wav"))
        .arg("--record")
        .arg(d.join("callee-heard.wav"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("answer starts");
    let mut lines = BufReader::new(answer.stdout.take().expect("stdout")).lines();
    let ready = lines.by_ref().map_while(Result::ok).any(|l| l.contains("\"ready\""));
    assert!(ready, "the answering side registered and said ready");

    let call = Command::new(CLI)
        .args(["call", "--duration", "3", "--account"])
        .arg(&caller)
        .arg("--play")
        .arg(d.join("caller.wav"))
        .arg("--record")
        .arg(d.join("caller-heard.wav"))
        .arg("1002")
        .output()
        .expect("call");
    assert!(call.status.success(), "call stderr: {}", String::from_utf8_lossy(&call.stderr));
    let stdout = String::from_utf8_lossy(&call.stdout);
    assert!(stdout.contains("\"mediaSummary\""), "the caller printed a media summary: {stdout}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(answer.wait().expect("answer exits").success(), "callee: {rest:?}");

    for (file, hz) in [("caller-heard.wav", 440.0), ("callee-heard.wav", 1000.0)] {
        let report = heard(&d.join(file), hz);
        assert!(report.frames >= 100, "{file}: {report:?}");
        assert!(report.fraction() >= 0.95, "{file}: {report:?}");
    }
}

/// The tone report of a 48 kHz mono recording without its first 400 ms (call set-up) and its
/// last 200 ms (the packets in flight around the BYE).
fn heard(path: &Path, hz: f64) -> ToneReport {
    let reader = hound::WavReader::open(path).expect("a recording");
    assert_eq!(reader.spec().sample_rate, 48_000);
    let samples: Vec<f64> =
        reader.into_samples::<i16>().map(|s| f64::from(s.expect("sample")) / 32768.0).collect();
    let end = samples.len().saturating_sub(9_600);
    analyse_samples(samples.get(19_200..end).unwrap_or_default(), 48_000.0, hz)
}
