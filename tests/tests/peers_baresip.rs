//! baresip self-tests: two phones call each other with SDES-SRTP (directly and through Kamailio)
//! and DTLS-SRTP, and each hears the other's tone in at least 95 % of 20 ms frames; hold, resume
//! and DTMF reach the other phone; playback can go to a private PulseAudio.

use std::time::Duration;

use interop::baresip::{AudioPlayer, AudioSource, Codec, EventKind, MediaEnc};
use interop::pulse::PulseAudio;
use interop::tone::{analyse_wav, write_tone_wav};
use interop::{Baresip, Kamailio, Transport};

const SETUP: Duration = Duration::from_secs(10);
/// How much audio each side must have received before hangup.
const TALK: Duration = Duration::from_secs(3);
/// Start of the recording ignored by the tone check (jitter buffer fill, first packets).
const SKIP: Duration = Duration::from_millis(300);
const CALLER_HZ: f64 = 440.0;
const CALLEE_HZ: f64 = 1000.0;

/// Waits for the caller's media-encryption event and checks it names an SDES-SRTP suite.
fn assert_sdes_srtp(caller: &mut Baresip) {
    let menc = caller.wait_for_event(EventKind::CallMenc, SETUP).unwrap();
    assert!(menc.param.contains("AES_CM_128"), "caller media not SRTP: {menc:?}");
}

/// Talks until both sides received [`TALK`] of audio, hangs up from `caller`, waits for both sides to close the call and
/// checks each side's recording for the other's tone.
fn talk_and_check_tones(caller: &mut Baresip, callee: &mut Baresip) {
    caller.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    callee.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    caller.wait_received_audio(TALK, SETUP).unwrap();
    callee.wait_received_audio(TALK, SETUP).unwrap();
    caller.hangup().unwrap();
    caller.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
    callee.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
    for (who, phone, hz) in [("callee", &*callee, CALLER_HZ), ("caller", &*caller, CALLEE_HZ)] {
        let wav = phone.received_audio().unwrap();
        let report = analyse_wav(&wav, hz, SKIP).unwrap();
        eprintln!("{who} heard {hz} Hz: {report:?}");
        assert!(report.frames >= 100, "{who} recorded too little: {report:?}");
        assert!(report.fraction() >= 0.95, "{who} heard {hz} Hz in too few frames: {report:?}");
    }
}

#[test]
fn direct_srtp_call_carries_tones_both_ways() {
    let tone = tempfile::tempdir().unwrap();
    let wav = tone.path().join("tone1000.wav");
    write_tone_wav(&wav, 1000, Duration::from_secs(8)).unwrap();
    let mut callee = Baresip::direct("bob")
        .media_enc(MediaEnc::SrtpMand)
        .codec(Codec::Opus)
        .source(AudioSource::Wav(wav))
        .start()
        .unwrap();
    let mut caller = Baresip::direct("alice")
        .media_enc(MediaEnc::SrtpMand)
        .codec(Codec::Opus)
        .source(AudioSource::Sine(440))
        .start()
        .unwrap();
    let target = callee.uri();
    caller.dial(&target).unwrap();
    assert_sdes_srtp(&mut caller);
    talk_and_check_tones(&mut caller, &mut callee);
}

#[test]
fn srtp_call_through_kamailio_carries_tones_both_ways() {
    let kam = Kamailio::start().unwrap();
    let mut callee = Baresip::registered(kam.account("1002", Transport::Udp).unwrap())
        .media_enc(MediaEnc::SrtpMand)
        .codec(Codec::Pcmu)
        .source(AudioSource::Sine(1000))
        .start()
        .unwrap();
    let mut caller = Baresip::registered(kam.account("1001", Transport::Tcp).unwrap())
        .media_enc(MediaEnc::SrtpMand)
        .codec(Codec::Pcmu)
        .source(AudioSource::Sine(440))
        .start()
        .unwrap();
    callee.wait_registered(SETUP).unwrap();
    caller.wait_registered(SETUP).unwrap();
    caller.dial("sip:1002@127.0.0.1").unwrap();
    assert_sdes_srtp(&mut caller);
    talk_and_check_tones(&mut caller, &mut callee);
}

#[test]
fn call_plays_into_a_private_pulseaudio_null_sink() {
    let pulse = PulseAudio::start().unwrap();
    let mut callee = Baresip::direct("bob").record(false).start().unwrap();
    let mut caller = Baresip::direct("alice")
        .player(AudioPlayer::Pulse(pulse.server()))
        .record(false)
        .start()
        .unwrap();
    let target = callee.uri();
    caller.dial(&target).unwrap();
    caller.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    // baresip's playback stream shows up as a sink input of the private server.
    let playing = interop::wait::poll_until(SETUP, || {
        let inputs = pulse.pactl(&["list", "short", "sink-inputs"]).ok()?;
        (!inputs.trim().is_empty()).then_some(inputs)
    });
    assert!(playing.is_some(), "no sink input; pulse log:\n{}", pulse.log());
    caller.hangup().unwrap();
    callee.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
}

#[test]
fn hold_resume_and_dtmf_reach_the_other_phone() {
    let mut callee = Baresip::direct("bob").record(false).start().unwrap();
    let mut caller = Baresip::direct("alice").record(false).start().unwrap();
    let target = callee.uri();
    caller.dial(&target).unwrap();
    caller.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    callee.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    // The initial offer is the callee's first remote SDP; hold and resume bring one more each.
    callee.wait_for_event(EventKind::CallRemoteSdp, SETUP).unwrap();
    caller.hold().unwrap();
    assert_eq!(callee.wait_for_event(EventKind::CallRemoteSdp, SETUP).unwrap().param, "offer");
    caller.resume().unwrap();
    assert_eq!(callee.wait_for_event(EventKind::CallRemoteSdp, SETUP).unwrap().param, "offer");
    caller.send_dtmf('5').unwrap();
    let digit = callee.wait_for_event(EventKind::CallDtmfStart, SETUP).unwrap();
    assert_eq!(digit.param, "5");
    caller.hangup().unwrap();
    callee.wait_for_event(EventKind::CallClosed, SETUP).unwrap();
}

#[test]
fn direct_dtls_srtp_call_carries_tones_both_ways() {
    let enc = MediaEnc::DtlsSrtp;
    let callee = Baresip::direct("bob").media_enc(enc).source(AudioSource::Sine(1000));
    let mut callee = callee.start().unwrap();
    let mut caller = Baresip::direct("alice").media_enc(enc).start().unwrap();
    let target = callee.uri();
    caller.dial(&target).unwrap();
    caller.wait_for_event(EventKind::CallMenc, SETUP).unwrap();
    assert!(caller.log().contains("DTLS-SRTP complete (audio/RTP)"), "{}", caller.log());
    talk_and_check_tones(&mut caller, &mut callee);
}
