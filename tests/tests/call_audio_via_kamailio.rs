//! Two-way audio through a real Kamailio (signalling only; media flows directly) with a
//! registered baresip, over UDP, TCP and TLS: a tone each way is heard in at least 95 % of
//! 20 ms frames.

mod audio;
mod common;

use std::time::Duration;

use audio::{BARESIP_HZ, Files, OUR_HZ, TALK, assert_heard, codec_name};
use common::{TestPhone, account_for};
use engine::SrtpPolicy;
use engine::api::MediaSecurity;
use interop::baresip::{AudioSource, Codec, EventKind, MediaEnc};
use interop::{Baresip, Kamailio, Transport};

const T: Duration = Duration::from_secs(15);

/// Who dials.
#[derive(PartialEq)]
enum Caller {
    Us,
    Baresip,
}

async fn tones_cross(transport: Transport, codec: Codec, caller: Caller) {
    let files = Files::new();
    let mut kamailio = Kamailio::start().expect("kamailio");
    let ours = kamailio.account("1001", transport).expect("1001");
    let theirs = kamailio.account("1002", transport).expect("1002");
    let mut bob = Baresip::registered(theirs)
        .media_enc(MediaEnc::SrtpMand)
        .codec(codec)
        .source(AudioSource::Sine(BARESIP_HZ))
        .start()
        .expect("baresip");
    bob.wait_registered(T).expect("baresip registered");
    kamailio.wait_registered("1002", T).expect("1002 bound");
    let mut phone = TestPhone::start(account_for(&ours, SrtpPolicy::Required)).await;
    phone.phone.set_audio(files.setup()).await.expect("audio setup");
    phone.registered().await;

    let call = if caller == Caller::Us {
        phone.phone.dial("1002".into()).await.expect("dial by number")
    } else {
        bob.dial(&ours.aor()).expect("baresip dials 1001");
        let (call, _) = phone.incoming().await;
        phone.phone.answer(call.clone()).await.expect("answer");
        call
    };
    phone.answered(&call).await;
    let security = phone.media_secured(&call).await;
    assert!(matches!(security, MediaSecurity::Sdes { .. }), "{security:?}");
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");
    bob.wait_received_audio(TALK, T).expect("baresip hears us");

    phone.phone.hangup(call.clone()).await.expect("hang up");
    let summary = phone.media_summary(&call).await;
    assert_eq!(summary.codec, codec_name(codec), "{summary:?}");
    phone.ended(&call).await;
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip saw BYE through the proxy");
    assert_heard(&bob.received_audio().expect("baresip recording"), OUR_HZ, "baresip");
    assert_heard(&files.recording(), BARESIP_HZ, "callwarden");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_call_through_kamailio_over_udp_and_tones_cross() {
    tones_cross(Transport::Udp, Codec::Opus, Caller::Us).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_calls_through_kamailio_over_tcp_and_tones_cross() {
    tones_cross(Transport::Tcp, Codec::G722, Caller::Baresip).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_call_through_kamailio_over_tls_and_tones_cross() {
    tones_cross(Transport::Tls, Codec::Pcmu, Caller::Us).await;
}
