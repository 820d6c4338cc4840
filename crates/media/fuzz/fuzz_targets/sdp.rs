//! SDP parsing, printing and answering.
#![no_main]

use libfuzzer_sys::fuzz_target;
use media::sdp::{
    Codec, Direction, EncryptionPolicy, Keying, LocalMedia, SessionDescription, answer_offer,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(sd) = SessionDescription::parse(text) else { return };
    let printed = sd.to_string();
    let _ = SessionDescription::parse(&printed);
    let local = LocalMedia {
        rtp_addr: "127.0.0.1:4000".parse().expect("literal address"),
        codecs: vec![Codec::Opus, Codec::G722, Codec::Pcmu, Codec::Pcma],
        ptime_ms: 20,
        policy: EncryptionPolicy::Preferred,
        keying: Keying::Sdes,
        dtls_fingerprint: None,
        direction: Direction::SendRecv,
        session_id: 1,
        session_version: 1,
    };
    let _ = answer_offer(&local, &sd);
});
