//! Two-way audio with a real baresip, directly: a tone sent each way must be heard at the
//! right frequency in at least 95 % of 20 ms frames, for each keying (SDES-SRTP, DTLS-SRTP,
//! plain RTP where policy allows it), codec (Opus, PCMU, G.722) and call direction.

mod audio;
mod common;

use std::time::Duration;

use audio::{BARESIP_HZ, Files, OUR_HZ, TALK, assert_heard, codec_name};
use common::{TestPhone, direct_account};
use engine::api::{MediaSecurity, PhoneEvent};
use engine::{SrtpKeying, SrtpPolicy};
use interop::Baresip;
use interop::baresip::{AudioSource, Codec, EventKind, MediaEnc};
use interop::net::{free_udp_port, loopback};

const T: Duration = Duration::from_secs(15);

/// One call's set-up.
struct Case {
    enc: MediaEnc,
    codec: Codec,
    policy: SrtpPolicy,
    keying: SrtpKeying,
}

/// We call baresip; each side sends its tone for [`TALK`]; we hang up; both recordings are
/// checked. Returns how our side reported the media's protection.
async fn we_call(case: Case) -> MediaSecurity {
    let files = Files::new();
    let mut bob = Baresip::direct("bob")
        .media_enc(case.enc)
        .codec(case.codec)
        .source(AudioSource::Sine(BARESIP_HZ))
        .start()
        .expect("baresip");
    let mut account = direct_account("alice", &[], case.policy);
    account.file.srtp_keying = case.keying;
    let mut phone = TestPhone::start(account).await;
    phone.phone.set_audio(files.setup()).await.expect("audio setup");

    let call = phone.phone.dial(bob.uri()).await.expect("dial");
    phone.answered(&call).await;
    let security = phone.media_secured(&call).await;
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");
    bob.wait_received_audio(TALK, T).expect("baresip hears us");

    phone.phone.hangup(call.clone()).await.expect("hang up");
    let summary = phone.media_summary(&call).await;
    phone.ended(&call).await;
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip saw our BYE");
    assert_eq!(summary.encrypted, case.policy != SrtpPolicy::Off, "{summary:?}");
    assert!(summary.packets_received >= 100, "{summary:?}");
    assert_eq!(summary.codec, codec_name(case.codec), "{summary:?}");
    assert!(summary.mean_mos.is_some(), "{summary:?}");
    let samples = phone
        .seen
        .iter()
        .filter(|e| matches!(e, PhoneEvent::QualityUpdated { quality, .. } if quality.mos >= 1.0))
        .count();
    assert!(samples >= 2, "a live quality sample each second: {samples}");

    assert_heard(&bob.received_audio().expect("baresip recording"), OUR_HZ, "baresip");
    assert_heard(&files.recording(), BARESIP_HZ, "callwarden");
    security
}

/// baresip calls us; we answer; tones both ways; baresip hangs up.
async fn baresip_calls(case: Case) -> MediaSecurity {
    let files = Files::new();
    let port = free_udp_port().expect("port");
    let mut bob = Baresip::direct("bob")
        .media_enc(case.enc)
        .codec(case.codec)
        .source(AudioSource::Sine(BARESIP_HZ))
        .start()
        .expect("baresip");
    let mut account = direct_account("alice", &[bob.sip_addr()], case.policy);
    account.file.local_addr = Some(loopback(port));
    account.file.srtp_keying = case.keying;
    let mut phone = TestPhone::start(account).await;
    phone.phone.set_audio(files.setup()).await.expect("audio setup");

    bob.dial(&format!("sip:alice@{}", loopback(port))).expect("baresip dials");
    let (call, _) = phone.incoming().await;
    phone.phone.answer(call.clone()).await.expect("answer");
    phone.answered(&call).await;
    let security = phone.media_secured(&call).await;
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");
    bob.wait_received_audio(TALK, T).expect("baresip hears us");

    bob.hangup().expect("baresip hangs up");
    let summary = phone.media_summary(&call).await;
    phone.ended(&call).await;
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip closed the call");
    assert!(summary.packets_received >= 100, "{summary:?}");
    assert_eq!(summary.codec, codec_name(case.codec), "{summary:?}");

    assert_heard(&bob.received_audio().expect("baresip recording"), OUR_HZ, "baresip");
    assert_heard(&files.recording(), BARESIP_HZ, "callwarden");
    security
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdes_opus_we_call_baresip_and_tones_cross_both_ways() {
    let security = we_call(Case {
        enc: MediaEnc::SrtpMand,
        codec: Codec::Opus,
        policy: SrtpPolicy::Required,
        keying: SrtpKeying::Sdes,
    })
    .await;
    assert!(matches!(security, MediaSecurity::Sdes { .. }), "{security:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdes_opus_baresip_calls_us_and_tones_cross_both_ways() {
    let security = baresip_calls(Case {
        enc: MediaEnc::SrtpMand,
        codec: Codec::Opus,
        policy: SrtpPolicy::Required,
        keying: SrtpKeying::Sdes,
    })
    .await;
    assert!(matches!(security, MediaSecurity::Sdes { .. }), "{security:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dtls_srtp_pcmu_we_call_baresip_and_tones_cross_both_ways() {
    let security = we_call(Case {
        enc: MediaEnc::DtlsSrtp,
        codec: Codec::Pcmu,
        policy: SrtpPolicy::Required,
        keying: SrtpKeying::Dtls,
    })
    .await;
    assert!(matches!(security, MediaSecurity::DtlsSrtp { .. }), "{security:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dtls_srtp_g722_baresip_calls_us_and_tones_cross_both_ways() {
    let security = baresip_calls(Case {
        enc: MediaEnc::DtlsSrtp,
        codec: Codec::G722,
        policy: SrtpPolicy::Required,
        keying: SrtpKeying::Sdes,
    })
    .await;
    assert!(matches!(security, MediaSecurity::DtlsSrtp { .. }), "{security:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_rtp_g722_we_call_baresip_where_policy_allows_and_the_call_is_unencrypted() {
    let security = we_call(Case {
        enc: MediaEnc::None,
        codec: Codec::G722,
        policy: SrtpPolicy::Off,
        keying: SrtpKeying::Sdes,
    })
    .await;
    assert_eq!(security, MediaSecurity::Unencrypted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_rtp_pcmu_baresip_calls_us_where_policy_allows_and_the_call_is_unencrypted() {
    let security = baresip_calls(Case {
        enc: MediaEnc::None,
        codec: Codec::Pcmu,
        policy: SrtpPolicy::Optional,
        keying: SrtpKeying::Sdes,
    })
    .await;
    assert_eq!(security, MediaSecurity::Unencrypted);
}
