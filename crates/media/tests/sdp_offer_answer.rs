//! SDP offer/answer against real baresip 1.0.0 offers (captured with SIP trace) and
//! between two of our own endpoints.

use std::net::SocketAddr;

use media::sdp::{
    Codec, CryptoAttribute, Direction, EncryptionPolicy, Fingerprint, Keying, LocalMedia,
    PayloadType, PendingOffer, SdpError, Security, SessionDescription, SrtpSuite, answer_offer,
};

const SRTP_MAND: &str = include_str!("fixtures/baresip-1.0.0-srtp-mand-offer.sdp");
const SRTP_BEST_EFFORT: &str = include_str!("fixtures/baresip-1.0.0-srtp-offer.sdp");
const PLAIN: &str = include_str!("fixtures/baresip-1.0.0-none-offer.sdp");
const DTLS: &str = include_str!("fixtures/baresip-1.0.0-dtls_srtp-offer.sdp");

fn local(addr: &str, policy: EncryptionPolicy) -> LocalMedia {
    LocalMedia {
        rtp_addr: addr.parse().expect("test address"),
        codecs: vec![Codec::Opus, Codec::G722, Codec::Pcmu, Codec::Pcma],
        ptime_ms: 20,
        policy,
        keying: Keying::Sdes,
        dtls_fingerprint: None,
        direction: Direction::SendRecv,
        session_id: 42,
        session_version: 1,
    }
}

fn fingerprint() -> Fingerprint {
    Fingerprint { algorithm: "sha-256".into(), digest: (0u8..32).collect() }
}

#[test]
fn baresip_offers_round_trip_through_parse_and_print() {
    for text in [SRTP_MAND, SRTP_BEST_EFFORT, PLAIN, DTLS] {
        let sd = SessionDescription::parse(text).expect("baresip offer parses");
        let printed = sd.to_string();
        assert_eq!(SessionDescription::parse(&printed).expect("reparse"), sd);
        assert_eq!(printed, text, "printing keeps baresip's lines byte for byte");
    }
}

#[test]
fn mandatory_sdes_offer_is_answered_with_opus_and_its_crypto_tag() {
    let offer = SessionDescription::parse(SRTP_MAND).expect("parses");
    let (answer, neg) =
        answer_offer(&local("127.0.0.1:4000", EncryptionPolicy::Required), &offer).expect("answer");
    assert_eq!(neg.codec.codec, Codec::Opus);
    assert_eq!(neg.codec.pt, PayloadType(96));
    assert_eq!(neg.telephone_event, Some((PayloadType(101), 8000)));
    assert_eq!(neg.remote_rtp, "127.0.0.1:20440".parse::<SocketAddr>().expect("addr"));
    assert!(neg.rtcp_mux);
    let Security::Sdes { suite, remote, .. } = &neg.security else { panic!("expected SDES") };
    assert_eq!(*suite, SrtpSuite::Aes128CmHmacSha1_80);
    assert_eq!(remote.key.len(), 16);
    let text = answer.to_string();
    assert!(text.contains("m=audio 4000 RTP/SAVP 96 101\r\n"), "{text}");
    assert!(text.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"), "{text}");
    assert!(text.contains("a=rtcp-mux\r\n") && text.contains("a=sendrecv\r\n"), "{text}");
}

#[test]
fn plain_offer_is_refused_when_policy_requires_srtp_and_marked_when_allowed() {
    let offer = SessionDescription::parse(PLAIN).expect("parses");
    let refused = answer_offer(&local("127.0.0.1:4000", EncryptionPolicy::Required), &offer);
    assert_eq!(refused.err(), Some(SdpError::EncryptionRequired));
    let (answer, neg) = answer_offer(&local("127.0.0.1:4000", EncryptionPolicy::Preferred), &offer)
        .expect("answer");
    assert_eq!(neg.security, Security::Unencrypted);
    assert!(!neg.security.is_encrypted());
    assert!(answer.to_string().contains("RTP/AVP"));
}

#[test]
fn best_effort_sdes_on_rtp_avp_is_taken_as_encrypted() {
    let offer = SessionDescription::parse(SRTP_BEST_EFFORT).expect("parses");
    let (_, neg) =
        answer_offer(&local("127.0.0.1:4000", EncryptionPolicy::Required), &offer).expect("answer");
    assert!(matches!(neg.security, Security::Sdes { suite: SrtpSuite::Aes128CmHmacSha1_80, .. }));
}

#[test]
fn dtls_offer_is_answered_active_with_our_fingerprint() {
    let offer = SessionDescription::parse(DTLS).expect("parses");
    let without = answer_offer(&local("127.0.0.1:4000", EncryptionPolicy::Required), &offer);
    assert_eq!(without.err(), Some(SdpError::NoAcceptableCrypto));
    let mut me = local("127.0.0.1:4000", EncryptionPolicy::Required);
    me.dtls_fingerprint = Some(fingerprint());
    let (answer, neg) = answer_offer(&me, &offer).expect("answer");
    let Security::Dtls { client, remote_fingerprint } = &neg.security else {
        panic!("expected DTLS")
    };
    assert!(*client);
    assert_eq!(remote_fingerprint.digest.first(), Some(&0xFE));
    let text = answer.to_string();
    assert!(text.contains("UDP/TLS/RTP/SAVPF") && text.contains("a=setup:active"), "{text}");
    assert!(text.contains("a=fingerprint:SHA-256 00:01:02"), "{text}");
}

#[test]
fn our_sdes_offer_prefers_256_bit_and_keys_cross_over() {
    let (pending, offer) =
        PendingOffer::new(local("127.0.0.1:4000", EncryptionPolicy::Required)).expect("offer");
    let text = offer.to_string();
    assert!(text.contains("m=audio 4000 RTP/SAVP 96 9 0 8 100 101\r\n"), "{text}");
    assert_eq!(offer.media[0].crypto().count(), 5);
    let reparsed = SessionDescription::parse(&text).expect("our offer parses");
    let (answer, b) = answer_offer(&local("127.0.0.1:5000", EncryptionPolicy::Required), &reparsed)
        .expect("answer");
    let a = pending
        .process_answer(&SessionDescription::parse(&answer.to_string()).expect("reparse"))
        .expect("a");
    let (
        Security::Sdes { suite, local: al, remote: ar },
        Security::Sdes { local: bl, remote: br, .. },
    ) = (&a.security, &b.security)
    else {
        panic!("expected SDES on both sides")
    };
    assert_eq!(*suite, SrtpSuite::AeadAes256Gcm);
    assert_eq!((al, ar), (br, bl));
    assert_eq!(a.remote_rtp.port(), 5000);
    assert_eq!(b.remote_rtp.port(), 4000);
    assert_eq!(a.codec.codec, Codec::Opus);
    assert!(a.codec.send_fec && a.codec.send_dtx);
    assert_eq!(a.telephone_event, Some((PayloadType(100), 48000)));
}

#[test]
fn hold_offer_sendonly_is_answered_recvonly() {
    let mut holder = local("127.0.0.1:4000", EncryptionPolicy::Required);
    holder.direction = Direction::SendOnly;
    let (pending, offer) = PendingOffer::new(holder).expect("offer");
    let (answer, b) =
        answer_offer(&local("127.0.0.1:5000", EncryptionPolicy::Required), &offer).expect("answer");
    assert_eq!(b.direction, Direction::RecvOnly);
    assert!(answer.to_string().contains("a=recvonly"));
    assert_eq!(pending.process_answer(&answer).expect("a").direction, Direction::SendOnly);
}

#[test]
fn rejected_audio_and_plain_answer_to_savp_are_errors() {
    let (pending, offer) =
        PendingOffer::new(local("127.0.0.1:4000", EncryptionPolicy::Required)).expect("offer");
    let (mut answer, _) =
        answer_offer(&local("127.0.0.1:5000", EncryptionPolicy::Required), &offer).expect("answer");
    answer.media[0].port = 0;
    assert_eq!(pending.process_answer(&answer).err(), Some(SdpError::AudioRejected));
    let (pending, offer) =
        PendingOffer::new(local("127.0.0.1:4000", EncryptionPolicy::Required)).expect("offer");
    let (mut answer, _) =
        answer_offer(&local("127.0.0.1:5000", EncryptionPolicy::Required), &offer).expect("answer");
    answer.media[0].attributes.retain(|a| a.name != "crypto");
    assert_eq!(pending.process_answer(&answer).err(), Some(SdpError::EncryptionRequired));
}

#[test]
fn crypto_lines_with_mki_or_bad_keys_are_skipped() {
    let key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
    assert!(
        CryptoAttribute::parse(&format!("1 AES_CM_128_HMAC_SHA1_80 inline:{key}|2^20")).is_some()
    );
    assert!(
        CryptoAttribute::parse(&format!("1 AES_CM_128_HMAC_SHA1_80 inline:{key}|2^20|1:4"))
            .is_none()
    );
    assert!(CryptoAttribute::parse(&format!("1 AES_256_CM_HMAC_SHA1_80 inline:{key}")).is_none());
    assert!(CryptoAttribute::parse("1 AES_CM_128_HMAC_SHA1_80 inline:!!!").is_none());
    assert!(CryptoAttribute::parse(&format!("1 F8_128_HMAC_SHA1_80 inline:{key}")).is_none());
}

#[test]
fn malformed_bodies_are_errors_not_panics() {
    for text in [
        "",
        "v=1\r\n",
        "v=0\r\no=x\r\n",
        "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio x RTP/AVP 0\r\n",
        "v=0\r\n\u{e9}=x\r\n",
    ] {
        assert!(SessionDescription::parse(text).is_err(), "{text:?}");
    }
}

#[test]
fn debug_output_carries_no_addresses_or_keys() {
    let offer = SessionDescription::parse(SRTP_MAND).expect("parses");
    let (_, neg) =
        answer_offer(&local("127.0.0.1:4000", EncryptionPolicy::Required), &offer).expect("answer");
    let text = format!("{neg:?}");
    assert!(!text.contains("127.0.0.1") && !text.contains("20440"), "{text}");
    let Security::Sdes { remote, .. } = &neg.security else { panic!("expected SDES") };
    assert!(!text.contains(&format!("{:?}", remote.key)), "{text}");
}
