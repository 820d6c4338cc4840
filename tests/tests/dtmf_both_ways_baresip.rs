//! Keypad tones (RFC 4733 telephone-events) with a real baresip: digits we send arrive there in
//! order, and digits it sends arrive here as `DtmfReceived`.

mod common;

use std::time::Duration;

use common::{TestPhone, direct_account};
use engine::api::PhoneEvent;
use engine::{AudioSetup, SrtpPolicy};
use interop::Baresip;
use interop::baresip::{Codec, EventKind, MediaEnc};

const T: Duration = Duration::from_secs(15);

async fn digits_cross(codec: Codec) {
    let mut bob =
        Baresip::direct("bob").media_enc(MediaEnc::SrtpMand).codec(codec).start().expect("baresip");
    let mut phone = TestPhone::start(direct_account("alice", &[], SrtpPolicy::Required)).await;
    phone.phone.set_audio(AudioSetup::silent()).await.expect("audio setup");
    let call = phone.phone.dial(bob.uri()).await.expect("dial");
    phone.answered(&call).await;
    bob.wait_for_event(EventKind::CallEstablished, T).expect("baresip established");

    phone.phone.send_dtmf(call.clone(), "15#*".into()).await.expect("send digits");
    let mut heard = String::new();
    for _ in 0..4 {
        let event = bob.wait_for_event(EventKind::CallDtmfStart, T).expect("baresip hears a digit");
        heard.push_str(&event.param);
    }
    assert_eq!(heard, "15#*", "baresip heard our digits in order");

    for digit in ['7', 'D'] {
        bob.send_dtmf(digit).expect("baresip sends a digit");
        let got = phone
            .wait_for("a digit from baresip", |e| match e {
                PhoneEvent::DtmfReceived { call: c, digit } if *c == call => Some(digit.clone()),
                _ => None,
            })
            .await;
        assert_eq!(got, digit.to_string());
    }

    phone.phone.hangup(call.clone()).await.expect("hang up");
    phone.ended(&call).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dtmf_crosses_both_ways_on_an_opus_call() {
    digits_cross(Codec::Opus).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dtmf_crosses_both_ways_on_a_pcmu_call() {
    digits_cross(Codec::Pcmu).await;
}
