//! Building an offer and processing the answer to it (the offerer's side).

use std::net::SocketAddr;

use super::SdpError;
use super::codec::{Codec, PayloadType};
use super::crypto::{CryptoAttribute, SrtpKeyMaterial, SrtpSuite};
use super::media::{Attribute, Direction, Fingerprint, MediaDescription, Proto, SetupRole};
use super::negotiate::{self as n, OPUS_FMTP, TE8_PT, TE48_PT};
use super::negotiated::{NegotiatedSession, Security};
use super::parse::{Origin, SessionDescription};
use super::sdes_answer::accepted_crypto;

pub use super::answer::{answer_offer, answer_reoffer};

/// What the administrator's policy allows for media encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncryptionPolicy {
    /// SRTP or nothing (the default): plain offers and answers are refused.
    Required,
    /// Offer SDES on `RTP/AVP` (best effort); accept plain RTP and mark the call unencrypted.
    Preferred,
    /// Plain RTP only (lab setups); the call is marked unencrypted.
    Disabled,
}

/// How we key SRTP when we make the offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keying {
    /// `a=crypto` lines (RFC 4568).
    Sdes,
    /// DTLS-SRTP with our certificate's fingerprint (RFC 5763).
    Dtls,
}

/// Our side of the audio session: what we can do and where we listen.
#[derive(Debug, Clone)]
pub struct LocalMedia {
    /// Where we receive RTP (and RTCP, with rtcp-mux).
    pub rtp_addr: SocketAddr,
    /// Codecs in preference order.
    pub codecs: Vec<Codec>,
    /// Packet time we send and ask for, in milliseconds.
    pub ptime_ms: u32,
    /// Encryption policy.
    pub policy: EncryptionPolicy,
    /// Keying used when we offer.
    pub keying: Keying,
    /// Our DTLS certificate fingerprint; without it DTLS-SRTP offers cannot be answered.
    pub dtls_fingerprint: Option<Fingerprint>,
    /// Direction we want (`SendOnly` to hold).
    pub direction: Direction,
    /// `o=` session id and version (bump the version for every new offer in a dialog).
    pub session_id: u64,
    /// `o=` session version.
    pub session_version: u64,
}

/// An offer we sent, waiting for its answer; holds the keys we offered.
#[derive(Debug)]
pub struct PendingOffer {
    local: LocalMedia,
    proto: Proto,
    offered_crypto: Vec<CryptoAttribute>,
}

impl PendingOffer {
    /// Builds an offer for `local`. Returns the pending state and the SDP to send.
    pub fn new(local: LocalMedia) -> Result<(Self, SessionDescription), SdpError> {
        Self::build(local, None)
    }

    /// Builds a re-offer (hold, resume) in a dialog whose media is protected as `current`:
    /// the SDES key in force is offered again for its suite. RFC 4568 §7.1.4 allows new keys
    /// in every offer, but many phones (baresip among them) keep decrypting with the old ones,
    /// so a needless re-key silences the call.
    pub fn renew(
        local: LocalMedia,
        current: &Security,
    ) -> Result<(Self, SessionDescription), SdpError> {
        Self::build(local, Some(current))
    }

    fn build(
        local: LocalMedia,
        current: Option<&Security>,
    ) -> Result<(Self, SessionDescription), SdpError> {
        let proto = match (&local.keying, local.policy) {
            (_, EncryptionPolicy::Disabled) | (Keying::Sdes, EncryptionPolicy::Preferred) => {
                Proto::RtpAvp
            }
            (Keying::Sdes, EncryptionPolicy::Required) => Proto::RtpSavp,
            (Keying::Dtls, _) => Proto::UdpTlsRtpSavp,
        };
        let offered_crypto =
            if local.policy != EncryptionPolicy::Disabled && local.keying == Keying::Sdes {
                sdes_offer(current)?
            } else {
                Vec::new()
            };
        let mut m = media_section(&local, proto.clone(), &offer_formats(&local.codecs));
        offered_crypto
            .iter()
            .for_each(|c| m.attributes.push(Attribute::value("crypto", c.to_value())));
        if proto.is_dtls() {
            let fp = local.dtls_fingerprint.as_ref().ok_or(SdpError::MissingFingerprint)?;
            m.attributes.push(Attribute::value("fingerprint", fp.to_value()));
            m.attributes.push(Attribute::value("setup", SetupRole::ActPass.as_str()));
        }
        let sd = session(&local, m);
        Ok((Self { local, proto, offered_crypto }, sd))
    }

    /// Processes the peer's answer into the negotiated session.
    pub fn process_answer(
        self,
        answer: &SessionDescription,
    ) -> Result<NegotiatedSession, SdpError> {
        let m = n::audio(answer)?;
        let (codec, pt) = n::pick_codec(m, &self.local.codecs).ok_or(SdpError::NoCommonCodec)?;
        let offered: Vec<PayloadType> = offer_formats(&self.local.codecs);
        if !offered.contains(&pt) {
            return Err(SdpError::NotOffered);
        }
        let security = self.answer_security(answer, m)?;
        let mux = m.has_attribute("rtcp-mux");
        let (remote_rtp, remote_rtcp) = n::remote_addrs(answer, m, mux)?;
        Ok(NegotiatedSession {
            remote_rtp,
            remote_rtcp,
            rtcp_mux: mux,
            codec: n::negotiated_codec(m, codec, pt, self.local.ptime_ms),
            telephone_event: n::pick_telephone_event(m, codec.clock_rate()),
            direction: m.direction().unwrap_or_default().reversed(),
            security,
        })
    }

    fn answer_security(
        &self,
        sd: &SessionDescription,
        m: &MediaDescription,
    ) -> Result<Security, SdpError> {
        if self.proto.is_dtls() {
            if !m.proto.is_dtls() {
                return Err(SdpError::ProfileMismatch);
            }
            let fp = n::remote_fingerprint(sd, m)?;
            // They answered active: we are the DTLS server; passive or absent: we are client.
            let client = n::remote_setup(sd, m) != Some("active");
            return Ok(Security::Dtls { client, remote_fingerprint: fp });
        }
        if self.proto.is_savp() && !m.proto.is_savp() {
            return Err(SdpError::ProfileMismatch);
        }
        let Some(accepted) = accepted_crypto(&self.offered_crypto, m.crypto())? else {
            return match self.local.policy {
                EncryptionPolicy::Required => Err(SdpError::EncryptionRequired),
                _ => Ok(Security::Unencrypted),
            };
        };
        Ok(Security::Sdes { suite: accepted.suite, local: accepted.local, remote: accepted.remote })
    }
}

fn sdes_offer(current: Option<&Security>) -> Result<Vec<CryptoAttribute>, SdpError> {
    SrtpSuite::PREFERENCE
        .into_iter()
        .zip(1u32..)
        .map(|(suite, tag)| Ok(CryptoAttribute { tag, suite, keys: sdes_key(suite, current)? }))
        .collect()
}

/// Our key for `suite`: the one in force if `current` uses that suite, else a fresh one.
pub(super) fn sdes_key(
    suite: SrtpSuite,
    current: Option<&Security>,
) -> Result<SrtpKeyMaterial, SdpError> {
    match current {
        Some(Security::Sdes { suite: s, local, .. }) if *s == suite => Ok(local.clone()),
        _ => SrtpKeyMaterial::random(suite),
    }
}

fn offer_formats(codecs: &[Codec]) -> Vec<PayloadType> {
    let mut pts: Vec<PayloadType> = codecs.iter().map(|c| n::offer_pt(*c)).collect();
    if codecs.contains(&Codec::Opus) {
        pts.push(TE48_PT);
    }
    pts.push(TE8_PT);
    pts
}

/// An audio `m=` section listing `pts` with their rtpmaps, ptime, rtcp-mux and direction.
pub(super) fn media_section(
    local: &LocalMedia,
    proto: Proto,
    pts: &[PayloadType],
) -> MediaDescription {
    let mut attributes = Vec::new();
    for &pt in pts {
        let codec = local.codecs.iter().copied().find(|c| n::offer_pt(*c) == pt);
        let (rtpmap, fmtp) = match (codec, pt) {
            (Some(Codec::Opus), _) => (Codec::Opus.rtpmap(pt), Some(OPUS_FMTP.to_owned())),
            (Some(c), _) => (c.rtpmap(pt), None),
            (None, TE48_PT) => (format!("{pt} telephone-event/48000"), Some("0-16".to_owned())),
            (None, _) => (format!("{pt} telephone-event/8000"), Some("0-16".to_owned())),
        };
        attributes.push(Attribute::value("rtpmap", rtpmap));
        if let Some(f) = fmtp {
            attributes.push(Attribute::value("fmtp", format!("{pt} {f}")));
        }
    }
    attributes.push(Attribute::value("ptime", local.ptime_ms.to_string()));
    attributes.push(Attribute::flag("rtcp-mux"));
    attributes.push(Attribute::flag(local.direction.as_str()));
    MediaDescription {
        kind: "audio".into(),
        port: local.rtp_addr.port(),
        port_count: None,
        proto,
        formats: pts.iter().map(ToString::to_string).collect(),
        other_lines: Vec::new(),
        connection: None,
        bandwidth: Vec::new(),
        attributes,
    }
}

/// A session description around one audio section.
pub(super) fn session(local: &LocalMedia, m: MediaDescription) -> SessionDescription {
    let ip = local.rtp_addr.ip();
    SessionDescription {
        origin: Origin {
            username: "-".into(),
            session_id: local.session_id,
            session_version: local.session_version,
            address: ip.to_string(),
        },
        session_name: "-".into(),
        other_lines: Vec::new(),
        connection: Some(ip),
        bandwidth: Vec::new(),
        timing: vec![('t', "0 0".into())],
        attributes: Vec::new(),
        media: vec![m],
    }
}
