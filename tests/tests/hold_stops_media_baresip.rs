//! Hold with a real baresip: while the call is held (by us or by baresip) no audio flows
//! either way, and after resume the tones cross again.

mod audio;
mod common;

use std::time::Duration;

use audio::{BARESIP_HZ, Files, OUR_HZ, TAIL, frames_with_tone, heard_between, timeline};
use common::{TestPhone, direct_account};
use engine::SrtpPolicy;
use engine::api::{CallKey, PhoneEvent};
use interop::Baresip;
use interop::baresip::{AudioSource, Codec, EventKind, MediaEnc};
use interop::wait::poll_until;

const T: Duration = Duration::from_secs(15);
/// Packets already in flight when the hold takes effect land within this.
const SETTLE: Duration = Duration::from_millis(300);
/// How long the held call is watched for audio that must not flow.
const WATCH: Duration = Duration::from_millis(1200);

async fn connected_call(files: &Files) -> (Baresip, TestPhone, CallKey) {
    let mut bob = Baresip::direct("bob")
        .media_enc(MediaEnc::SrtpMand)
        .codec(Codec::Opus)
        .source(AudioSource::Sine(BARESIP_HZ))
        .start()
        .expect("baresip");
    let mut phone = TestPhone::start(direct_account("alice", &[], SrtpPolicy::Required)).await;
    phone.phone.set_audio(files.setup()).await.expect("audio setup");
    let call = phone.phone.dial(bob.uri()).await.expect("dial");
    phone.answered(&call).await;
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");
    bob.wait_received_audio(Duration::from_secs(1), T).expect("baresip hears us");
    (bob, phone, call)
}

/// RTP packets baresip has received from us in this call, as its `audio_debug` counts them
/// (`rcvd=` of each RTCP member). Its recording cannot tell: it stops at the first re-INVITE.
fn baresip_received(bob: &mut Baresip) -> u64 {
    let debug = bob.command("audio_debug", "").expect("audio_debug").data;
    debug
        .split("rcvd=")
        .skip(1)
        .filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse::<u64>().ok())
        .sum()
}

/// Asserts baresip receives nothing while the call stays held.
async fn baresip_hears_nothing(bob: &mut Baresip) {
    tokio::time::sleep(SETTLE).await;
    let before = baresip_received(bob);
    tokio::time::sleep(WATCH).await;
    let after = baresip_received(bob);
    assert!(before > 0, "baresip counted our packets before the hold");
    assert_eq!(after, before, "baresip received packets while held");
}

/// Waits until baresip has received two seconds of packets (100) more.
fn baresip_hears_again(bob: &mut Baresip) {
    let from = baresip_received(bob);
    let grew = poll_until(T, || (baresip_received(bob) >= from + 100).then_some(()));
    assert!(grew.is_some(), "baresip hears us again after resume");
}

/// Start and length of the longest run of frames without the tone, after the first tone.
fn longest_silence(tone: &[bool]) -> (usize, usize) {
    let first = tone.iter().position(|m| *m).unwrap_or(tone.len());
    let (mut best, mut run_start) = ((first, 0), first);
    for (i, m) in tone.iter().enumerate().skip(first) {
        if *m {
            run_start = i + 1;
        } else if i + 1 - run_start > best.1 {
            best = (run_start, i + 1 - run_start);
        }
    }
    best
}

async fn hang_up(phone: &mut TestPhone, bob: &mut Baresip, call: &CallKey) {
    phone.phone.hangup(call.clone()).await.expect("hang up");
    phone.ended(call).await;
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip saw our BYE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_hold_baresip_media_stops_both_ways_and_resume_restarts_it() {
    let files = Files::new();
    let (mut bob, mut phone, call) = connected_call(&files).await;

    phone.phone.hold(call.clone()).await.expect("hold");
    phone
        .wait_for("held", |e| matches!(e, PhoneEvent::Held { by_remote: false, .. }).then_some(()))
        .await;
    baresip_hears_nothing(&mut bob).await;

    phone.phone.resume(call.clone()).await.expect("resume");
    phone.wait_for("resumed", |e| matches!(e, PhoneEvent::Resumed { .. }).then_some(())).await;
    baresip_hears_again(&mut bob);
    hang_up(&mut phone, &mut bob, &call).await;

    // Our recording runs on the frame clock, not the wall clock (a loaded machine skips
    // frames), so the hold is found in it: the longest stretch without baresip's tone.
    let rec = files.recording();
    let tone = frames_with_tone(&rec, BARESIP_HZ);
    let seen = format!("heard {}", timeline(&rec, BARESIP_HZ));
    let (gap_start, gap_len) = longest_silence(&tone);
    let held_frames = (SETTLE + WATCH).as_millis() as usize / 20;
    assert!(gap_len >= held_frames * 9 / 10, "no tone while held for {gap_len} frames; {seen}");
    assert!(tone[..gap_start].iter().filter(|m| **m).count() >= 25, "tone before hold; {seen}");
    // After the resume: the jitter buffer refills, then the tone until the hang-up.
    let tail_frames = TAIL.as_millis() as usize / 20;
    let end = tone.len().saturating_sub(tail_frames);
    let after = tone.get((gap_start + gap_len + 10).min(end)..end).unwrap_or_default();
    let heard = after.iter().filter(|m| **m).count();
    assert!(after.len() >= 40 && heard * 100 >= after.len() * 95, "after resume; {seen}");
    // baresip records only until the first re-INVITE: our tone before the hold.
    let matching: usize = bob
        .recordings()
        .expect("recordings")
        .iter()
        .map(|p| heard_between(p, OUR_HZ, Duration::ZERO, Duration::from_secs(60)).matching)
        .sum();
    assert!(matching >= 25, "baresip heard our tone before the hold: {matching} frames");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_holds_us_we_stop_sending_until_it_resumes() {
    let files = Files::new();
    let (mut bob, mut phone, call) = connected_call(&files).await;

    bob.hold().expect("baresip holds");
    phone
        .wait_for("held by baresip", |e| {
            matches!(e, PhoneEvent::Held { by_remote: true, .. }).then_some(())
        })
        .await;
    baresip_hears_nothing(&mut bob).await;

    bob.resume().expect("baresip resumes");
    phone.wait_for("resumed", |e| matches!(e, PhoneEvent::Resumed { .. }).then_some(())).await;
    baresip_hears_again(&mut bob);
    hang_up(&mut phone, &mut bob, &call).await;
}
