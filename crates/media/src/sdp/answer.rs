//! Answering a peer's offer (the answerer's side, RFC 3264 §6).

use super::SdpError;
use super::codec::PayloadType;
use super::crypto::{CryptoAttribute, SrtpSuite};
use super::media::{Attribute, Direction, MediaDescription, Proto, SetupRole};
use super::negotiate as n;
use super::negotiated::{NegotiatedSession, Security};
use super::offer::{EncryptionPolicy, LocalMedia, media_section, sdes_key, session};
use super::parse::SessionDescription;

/// Answers `offer` with what `local` supports: returns the answer SDP and the negotiated
/// session. An error means the offer must be refused (SIP 488 Not Acceptable Here).
pub fn answer_offer(
    local: &LocalMedia,
    offer: &SessionDescription,
) -> Result<(SessionDescription, NegotiatedSession), SdpError> {
    answer(local, offer, None)
}

/// Answers a re-offer (hold, resume) in a dialog whose media is protected as `current`,
/// keeping our SDES key when the suite stays (see [`super::PendingOffer::renew`]).
pub fn answer_reoffer(
    local: &LocalMedia,
    offer: &SessionDescription,
    current: &Security,
) -> Result<(SessionDescription, NegotiatedSession), SdpError> {
    answer(local, offer, Some(current))
}

fn answer(
    local: &LocalMedia,
    offer: &SessionDescription,
    current: Option<&Security>,
) -> Result<(SessionDescription, NegotiatedSession), SdpError> {
    let m = n::audio(offer)?;
    let (codec, pt) = n::pick_codec(m, &local.codecs).ok_or(SdpError::NoCommonCodec)?;
    let te = n::pick_telephone_event(m, codec.clock_rate());
    let (security, extra) = answer_security(local, offer, m, current)?;
    let mux = m.has_attribute("rtcp-mux");
    let (remote_rtp, remote_rtcp) = n::remote_addrs(offer, m, mux)?;
    let direction = Direction::answer_to(m.direction().unwrap_or_default(), local.direction);
    let negotiated = NegotiatedSession {
        remote_rtp,
        remote_rtcp,
        rtcp_mux: mux,
        codec: n::negotiated_codec(m, codec, pt, local.ptime_ms),
        telephone_event: te,
        direction,
        security,
    };
    let sd = answer_sdp(local, m, &negotiated, extra);
    Ok((sd, negotiated))
}

fn answer_sdp(
    local: &LocalMedia,
    offered: &MediaDescription,
    neg: &NegotiatedSession,
    extra: Vec<Attribute>,
) -> SessionDescription {
    let mut pts: Vec<PayloadType> = vec![neg.codec.pt];
    pts.extend(neg.telephone_event.map(|(pt, _)| pt));
    let mut answer_local = local.clone();
    answer_local.direction = neg.direction;
    answer_local.ptime_ms = neg.codec.ptime_ms;
    let mut m = media_section(&answer_local, offered.proto.clone(), &[]);
    m.formats = pts.iter().map(ToString::to_string).collect();
    let mut attrs = vec![Attribute::value("rtpmap", neg.codec.codec.rtpmap(neg.codec.pt))];
    if neg.codec.codec == super::Codec::Opus {
        attrs.push(Attribute::value("fmtp", format!("{} {}", neg.codec.pt, n::OPUS_FMTP)));
    }
    if let Some((pt, clock)) = neg.telephone_event {
        attrs.push(Attribute::value("rtpmap", format!("{pt} telephone-event/{clock}")));
        attrs.push(Attribute::value("fmtp", format!("{pt} 0-16")));
    }
    m.attributes.retain(|a| a.name != "rtcp-mux" || neg.rtcp_mux);
    attrs.append(&mut m.attributes);
    attrs.extend(extra);
    m.attributes = attrs;
    session(&answer_local, m)
}

/// Chooses protection for the offered profile; returns it and the attributes to answer with.
fn answer_security(
    local: &LocalMedia,
    sd: &SessionDescription,
    m: &MediaDescription,
    current: Option<&Security>,
) -> Result<(Security, Vec<Attribute>), SdpError> {
    if m.proto.is_dtls() {
        return answer_dtls(local, sd, m);
    }
    let offered_sdes = m.proto.is_savp()
        || (m.proto == Proto::RtpAvp && local.policy != EncryptionPolicy::Disabled);
    let chosen = offered_sdes.then(|| pick_crypto(m)).flatten();
    match chosen {
        Some(theirs) => {
            let keys = sdes_key(theirs.suite, current)?;
            let ours = CryptoAttribute { tag: theirs.tag, suite: theirs.suite, keys: keys.clone() };
            let security = Security::Sdes { suite: theirs.suite, local: keys, remote: theirs.keys };
            Ok((security, vec![Attribute::value("crypto", ours.to_value())]))
        }
        None if m.proto.is_savp() => Err(SdpError::NoAcceptableCrypto),
        None if local.policy == EncryptionPolicy::Required => Err(SdpError::EncryptionRequired),
        None => Ok((Security::Unencrypted, Vec::new())),
    }
}

/// The offered crypto line with the suite we prefer most.
fn pick_crypto(m: &MediaDescription) -> Option<CryptoAttribute> {
    let offered: Vec<CryptoAttribute> = m.crypto().collect();
    SrtpSuite::PREFERENCE.iter().find_map(|s| offered.iter().find(|c| c.suite == *s).cloned())
}

fn answer_dtls(
    local: &LocalMedia,
    sd: &SessionDescription,
    m: &MediaDescription,
) -> Result<(Security, Vec<Attribute>), SdpError> {
    let ours = local.dtls_fingerprint.as_ref().ok_or(SdpError::NoAcceptableCrypto)?;
    let remote_fingerprint = n::remote_fingerprint(sd, m)?;
    // RFC 5763 §5: the answerer to actpass SHOULD be active (the DTLS client).
    let role = match n::remote_setup(sd, m).and_then(SetupRole::parse) {
        Some(SetupRole::Active) => SetupRole::Passive,
        _ => SetupRole::Active,
    };
    let attrs = vec![
        Attribute::value("fingerprint", ours.to_value()),
        Attribute::value("setup", role.as_str()),
    ];
    Ok((Security::Dtls { client: role == SetupRole::Active, remote_fingerprint }, attrs))
}
