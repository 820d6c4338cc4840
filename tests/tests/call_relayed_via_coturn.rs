//! A call relayed through coturn when only relay candidates are allowed: two Callwarden phones,
//! both with `ice_candidates = "relay"`, call each other directly over SIP; ICE can only pair
//! their TURN allocations, so every media packet goes through coturn. A tone sent each way must
//! be heard at the right frequency in at least 95 % of 20 ms frames, and coturn must report
//! that each allocation relayed the call's packets both ways.

mod audio;
mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use audio::{
    BAR, BARESIP_HZ as BOB_HZ, Files, OUR_HZ as ALICE_HZ, SETUP, TALK, assert_heard, heard_between,
    recorded,
};
use common::{STEP, TestPhone, direct_account};
use engine::api::CallKey;
use engine::config::{IceCandidates, MediaSettings};
use engine::{Account, AudioSetup, SrtpKeying, SrtpPolicy};
use interop::baresip::{AudioSource, Codec, EventKind, MediaEnc};
use interop::coturn::PeerUsage;
use interop::net::{free_udp_port, loopback};
use interop::tone::write_tone_wav;
use interop::wait::poll_until;
use interop::{Baresip, Coturn};

/// 20 ms packets for the talk time, each way, with a margin for set-up and loss.
const MIN_RELAYED: u64 = 100;

fn relay_only(account: &mut Account, coturn: &Coturn) {
    relay_only_via(account, coturn, coturn.turn_uri(), None);
}

/// Relay-only through `turn_uri` of `coturn`, trusting `ca_file` for a `turns:` server.
fn relay_only_via(
    account: &mut Account,
    coturn: &Coturn,
    turn_uri: String,
    ca_file: Option<PathBuf>,
) {
    let (user, password) = coturn.credentials();
    account.file.media = MediaSettings {
        turn: vec![turn_uri],
        turn_username: Some(user.to_owned()),
        turn_password: Some(password.to_owned()),
        turn_ca_file: ca_file,
        ice_candidates: IceCandidates::Relay,
        ..MediaSettings::default()
    };
}

/// Waits until `path` holds the talk time after set-up.
fn wait_recorded(path: &Path, who: &str) {
    poll_until(STEP, || (recorded(path) >= SETUP + TALK).then_some(()))
        .unwrap_or_else(|| panic!("{who} recorded only {:?}", recorded(path)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_only_phones_talk_through_coturn_and_tones_cross_both_ways() {
    let coturn = Coturn::builder().verbose(true).start().expect("coturn");
    two_relay_only_phones_talk(&coturn, coturn.turn_uri(), None).await;
}

/// The same call with both phones reaching coturn over TCP (RFC 8656 §3.1): STUN and padded
/// ChannelData share one stream per phone, the relayed addresses are UDP as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_only_phones_reach_coturn_over_tcp_and_tones_cross_both_ways() {
    let coturn = Coturn::builder().verbose(true).start().expect("coturn");
    let uri = format!("turn:{}?transport=tcp", coturn.addr());
    two_relay_only_phones_talk(&coturn, uri, None).await;
    assert_sessions_came_over_stream_to(&coturn, coturn.addr());
}

/// The same call over TLS (`turns:`): the phones verify coturn's certificate against the
/// account's `turn_ca_file` (the system roots know nothing of it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_only_phones_reach_coturn_over_tls_and_tones_cross_both_ways() {
    let coturn = Coturn::builder().tls(true).verbose(true).start().expect("coturn");
    let listener = coturn.tls_addr().expect("a TLS listener");
    let uri = format!("turns:{listener}");
    let ca = coturn.tls_cert().expect("a TLS certificate").cert.clone();
    two_relay_only_phones_talk(&coturn, uri, Some(ca)).await;
    assert_sessions_came_over_stream_to(&coturn, listener);
}

/// Without the account's CA file the phone does not trust coturn's certificate: the TLS
/// handshake fails, no relay is allocated, and a relay-only call cannot start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_turns_certificate_yields_no_relay_and_no_call() {
    let coturn = Coturn::builder().tls(true).verbose(true).start().expect("coturn");
    let listener = coturn.tls_addr().expect("a TLS listener");
    let mut account = direct_account("alice", &[], SrtpPolicy::Required);
    relay_only_via(&mut account, &coturn, format!("turns:{listener}"), None);
    let alice = TestPhone::start(account).await;

    let refused = alice.phone.dial("sip:bob@127.0.0.1:9".to_owned()).await.expect_err("no relay");
    assert!(refused.message.contains("No TURN server gave this call a relay"), "{refused:?}");
    let log = coturn.log();
    assert!(!log.contains("ALLOCATE processed, success"), "coturn allocated:\n{log}");
}

/// coturn logs each stream client it accepts, and at a session's end the listener it came in
/// on: both phones' sessions must have come over a stream to `listener`.
fn assert_sessions_came_over_stream_to(coturn: &Coturn, listener: SocketAddr) {
    let log = coturn.log();
    let accepted = log.lines().filter(|l| l.contains("tcp or tls connected to")).count();
    let local = format!("local {listener}");
    let closed = log.lines().filter(|l| l.contains("closed") && l.contains(&local)).count();
    assert!(
        accepted >= 2 && closed >= 2,
        "{accepted} stream clients, {closed} on {listener}:\n{log}"
    );
    eprintln!("coturn: {accepted} stream clients, {closed} sessions ended on {listener}");
}

/// Two relay-only phones call each other through `turn_uri`; tones must cross both ways and
/// coturn must report both allocations relaying the call.
async fn two_relay_only_phones_talk(coturn: &Coturn, turn_uri: String, ca: Option<PathBuf>) {
    let (alice_port, bob_port) = (free_udp_port().expect("port"), free_udp_port().expect("port"));

    let alice_files = Files::new();
    let bob_dir = tempfile::Builder::new().prefix("cw-bob-").tempdir().expect("temp dir");
    let (bob_tone, bob_heard) = (bob_dir.path().join("tone.wav"), bob_dir.path().join("heard.wav"));
    write_tone_wav(&bob_tone, BOB_HZ, TALK * 4).expect("sox writes the tone");

    let mut alice_account = direct_account("alice", &[loopback(bob_port)], SrtpPolicy::Required);
    alice_account.file.local_addr = Some(loopback(alice_port));
    relay_only_via(&mut alice_account, coturn, turn_uri.clone(), ca.clone());
    let mut bob_account = direct_account("bob", &[loopback(alice_port)], SrtpPolicy::Required);
    bob_account.file.local_addr = Some(loopback(bob_port));
    relay_only_via(&mut bob_account, coturn, turn_uri, ca);

    let mut alice = TestPhone::start(alice_account).await;
    alice.phone.set_audio(alice_files.setup()).await.expect("audio setup");
    let mut bob = TestPhone::start(bob_account).await;
    let bob_audio = AudioSetup::files(Some(bob_tone), Some(bob_heard.clone()));
    bob.phone.set_audio(bob_audio).await.expect("audio setup");

    let call = alice.phone.dial(format!("sip:bob@{}", loopback(bob_port))).await.expect("dial");
    let (incoming, _) = bob.incoming().await;
    bob.phone.answer(incoming.clone()).await.expect("answer");
    alice.answered(&call).await;
    bob.answered(&incoming).await;

    wait_recorded(&alice_files.recording(), "alice");
    wait_recorded(&bob_heard, "bob");
    alice.phone.hangup(call.clone()).await.expect("hang up");
    let alice_summary = alice.media_summary(&call).await;
    let bob_summary = bob.media_summary(&incoming).await;
    alice.ended(&call).await;
    bob.ended(&incoming).await;

    assert!(alice_summary.encrypted && bob_summary.encrypted, "{alice_summary:?} {bob_summary:?}");
    assert!(alice_summary.packets_received >= MIN_RELAYED, "{alice_summary:?}");
    assert!(bob_summary.packets_received >= MIN_RELAYED, "{bob_summary:?}");
    assert_heard(&alice_files.recording(), BOB_HZ, "alice");
    assert_heard(&bob_heard, ALICE_HZ, "bob");

    // Both allocations were released at hang-up; coturn then reports what each relayed.
    // (Sessions without a user are the harness's own readiness probes of the TLS listener.)
    let usage: Vec<PeerUsage> = poll_until(STEP, || {
        let usage: Vec<PeerUsage> = coturn
            .peer_usage()
            .into_iter()
            .filter(|u| u.username == coturn.credentials().0)
            .collect();
        (usage.len() >= 2).then_some(usage)
    })
    .unwrap_or_else(|| panic!("coturn reported no relayed traffic:\n{}", coturn.log()));
    for u in &usage {
        assert!(u.sent_packets >= MIN_RELAYED && u.received_packets >= MIN_RELAYED, "{usage:?}");
    }
    eprintln!("coturn relayed: {usage:?}");
}

/// Our relay-only phone calls baresip, which does ICE (`medianat=ice`) with its own candidates:
/// ICE can only pair our relayed candidate with baresip's, so media still crosses coturn, keyed
/// with DTLS-SRTP through the relay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_only_phone_calls_baresip_doing_ice_and_tones_cross_through_coturn() {
    let coturn = Coturn::builder().verbose(true).start().expect("coturn");
    let mut bob = baresip_doing_ice(&coturn, MediaEnc::DtlsSrtp);
    let files = Files::new();
    let mut account = direct_account("alice", &[], SrtpPolicy::Required);
    account.file.srtp_keying = SrtpKeying::Dtls;
    relay_only(&mut account, &coturn);
    let mut alice = TestPhone::start(account).await;
    alice.phone.set_audio(files.setup()).await.expect("audio setup");

    let call = alice.phone.dial(bob.uri()).await.expect("dial");
    alice.answered(&call).await;
    talk_through_coturn(&mut alice, &call, &mut bob, &files, &coturn).await;
}

/// baresip doing ICE calls our relay-only phone with SDES-SRTP (`a=crypto`, RFC 4568): the
/// keys travel in the SDP, the media through coturn. baresip offers here because, answering
/// with ICE, baresip 1.0.0 echoes a crypto tag with a suite that was never offered under it
/// (see `media::sdp::sdes_answer`); our phone refuses such an answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_doing_ice_calls_relay_only_phone_with_sdes_and_tones_cross_through_coturn() {
    let coturn = Coturn::builder().verbose(true).start().expect("coturn");
    let mut bob = baresip_doing_ice(&coturn, MediaEnc::SrtpMand);
    let files = Files::new();
    let alice_port = free_udp_port().expect("port");
    let mut account = direct_account("alice", &[bob.sip_addr()], SrtpPolicy::Required);
    account.file.local_addr = Some(loopback(alice_port));
    relay_only(&mut account, &coturn);
    let mut alice = TestPhone::start(account).await;
    alice.phone.set_audio(files.setup()).await.expect("audio setup");

    bob.dial(&format!("sip:alice@{}", loopback(alice_port))).expect("baresip dials");
    let (incoming, _) = alice.incoming().await;
    alice.phone.answer(incoming.clone()).await.expect("answer");
    alice.answered(&incoming).await;
    talk_through_coturn(&mut alice, &incoming, &mut bob, &files, &coturn).await;
}

/// baresip doing ICE with coturn as its STUN server, sending a `BOB_HZ` tone with Opus.
fn baresip_doing_ice(coturn: &Coturn, media_enc: MediaEnc) -> Baresip {
    Baresip::direct("bob")
        .media_enc(media_enc)
        .codec(Codec::Opus)
        .source(AudioSource::Sine(BOB_HZ))
        .account_params(&format!(";medianat=ice;stunserver=\"{}\"", coturn.stun_uri()))
        .start()
        .expect("baresip")
}

/// The connected call between our relay-only phone and baresip: both hear the other's tone,
/// our media is encrypted and came through coturn, and coturn counted the relayed packets.
/// ICE (and DTLS) run before the first packet, so the talk time is judged after media flows.
async fn talk_through_coturn(
    alice: &mut TestPhone,
    call: &CallKey,
    bob: &mut Baresip,
    files: &Files,
    coturn: &Coturn,
) {
    bob.wait_for_event(EventKind::CallEstablished, STEP).expect("baresip established");
    bob.wait_received_audio(TALK, STEP).expect("baresip hears us");
    let from = recorded(&files.recording());
    poll_until(STEP, || (recorded(&files.recording()) >= from + TALK).then_some(()))
        .expect("alice keeps recording");
    alice.phone.hangup(call.clone()).await.expect("hang up");
    let summary = alice.media_summary(call).await;
    alice.ended(call).await;

    assert!(summary.encrypted && summary.packets_received >= MIN_RELAYED, "{summary:?}");
    assert_heard(&bob.received_audio().expect("baresip recording"), ALICE_HZ, "baresip");
    let heard = heard_between(&files.recording(), BOB_HZ, from, from + TALK);
    assert!(heard.frames >= 100 && heard.fraction() >= BAR, "alice heard {heard:?}");
    eprintln!("alice heard {BOB_HZ} Hz in {}/{} frames", heard.matching, heard.frames);
    let usage = poll_until(STEP, || coturn.peer_usage().into_iter().next())
        .unwrap_or_else(|| panic!("coturn reported no relayed traffic:\n{}", coturn.log()));
    assert!(
        usage.sent_packets >= MIN_RELAYED && usage.received_packets >= MIN_RELAYED,
        "{usage:?}"
    );
    eprintln!("coturn relayed: {usage:?}");
}
