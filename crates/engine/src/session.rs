//! One call's offer/answer state: what we offered, what the peer offered, what was agreed. The
//! SDP rules live in `media::sdp`; this only keeps the state between SIP events.

use std::net::SocketAddr;

use media::dtls::DtlsIdentity;
use media::ice::IceParameters;
use media::sdp::{
    Codec, Direction, EncryptionPolicy, Keying, LocalMedia, NegotiatedSession, PendingOffer,
    SdpError, SessionDescription, answer_offer, answer_reoffer,
};

use crate::config::{SrtpKeying, SrtpPolicy};

/// The SDP side of one call.
#[derive(Debug)]
pub struct Session {
    local: LocalMedia,
    pending: Option<PendingOffer>,
    remote_offer: Option<SessionDescription>,
    negotiated: Option<NegotiatedSession>,
    /// Our DTLS certificate for this call (DTLS-SRTP offers and answers); `None` if the
    /// crypto provider could not make one, and then only SDES or plain RTP work.
    identity: Option<DtlsIdentity>,
    /// Our ICE credentials and candidates, when the call uses ICE.
    local_ice: Option<IceParameters>,
    /// The peer's, from its last offer or answer.
    remote_ice: Option<IceParameters>,
    /// We made the first offer, so our ICE agent controls (RFC 8445 §6.1.1).
    offerer: bool,
}

/// Why an SDP exchange failed; the call answers 488 or ends.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The peer's SDP is malformed or not acceptable.
    #[error("SDP: {0}")]
    Sdp(#[from] SdpError),
    /// The peer's SDP is not UTF-8 text.
    #[error("SDP is not text")]
    NotText,
    /// An answer arrived with no offer outstanding.
    #[error("no offer outstanding")]
    NoOffer,
}

impl Session {
    /// A session receiving media on `rtp_addr`, with the account's encryption policy.
    pub fn new(
        rtp_addr: SocketAddr,
        policy: SrtpPolicy,
        keying: SrtpKeying,
        session_id: u64,
    ) -> Self {
        let policy = match policy {
            SrtpPolicy::Required => EncryptionPolicy::Required,
            SrtpPolicy::Optional => EncryptionPolicy::Preferred,
            SrtpPolicy::Off => EncryptionPolicy::Disabled,
        };
        let identity = DtlsIdentity::generate()
            .inspect_err(|error| tracing::warn!(%error, "no DTLS certificate for this call"))
            .ok();
        let keying = match keying {
            SrtpKeying::Dtls if identity.is_some() => Keying::Dtls,
            _ => Keying::Sdes,
        };
        let local = LocalMedia {
            rtp_addr,
            codecs: vec![Codec::Opus, Codec::G722, Codec::Pcmu, Codec::Pcma],
            ptime_ms: 20,
            policy,
            keying,
            dtls_fingerprint: identity.as_ref().map(|i| i.fingerprint().clone()),
            direction: Direction::SendRecv,
            session_id,
            session_version: 1,
        };
        Self {
            local,
            pending: None,
            remote_offer: None,
            negotiated: None,
            identity,
            local_ice: None,
            remote_ice: None,
            offerer: false,
        }
    }

    /// Offers and answers carry these ICE parameters from now on.
    pub fn set_ice(&mut self, ice: IceParameters) {
        self.local_ice = Some(ice);
    }

    /// The peer's ICE parameters, if it does ICE.
    pub fn remote_ice(&self) -> Option<&IceParameters> {
        self.remote_ice.as_ref()
    }

    /// True if our ICE agent controls: we made the first offer.
    pub fn ice_controlling(&self) -> bool {
        self.offerer
    }

    /// Adds our ICE attributes to the audio section of `sd`.
    fn with_ice(&self, mut sd: SessionDescription) -> Vec<u8> {
        if let (Some(ice), Some(m)) =
            (&self.local_ice, sd.media.iter_mut().find(|m| m.kind == "audio"))
        {
            if !m.has_attribute("rtcp") {
                // RFC 5761 §5.1.3: RTCP on the RTP port, also for a peer that does not mux.
                m.attributes.push(media::sdp::Attribute::value("rtcp", m.port.to_string()));
            }
            m.attributes.extend(ice.attributes());
        }
        sd.to_string().into_bytes()
    }

    /// Notes the peer's ICE parameters from its SDP.
    fn note_remote_ice(&mut self, sd: &SessionDescription) {
        if let Some((_, m)) = sd.audio() {
            self.remote_ice = IceParameters::from_sdp(sd, m);
        }
    }

    /// A new offer (initial INVITE, hold, resume). Bumps the session version.
    pub fn offer(&mut self, direction: Direction) -> Result<Vec<u8>, SessionError> {
        self.local.direction = direction;
        self.local.session_version += 1;
        // A re-offer keeps the keys in force: peers that ignore re-keying would go silent.
        let (pending, sdp) = match &self.negotiated {
            Some(current) => PendingOffer::renew(self.local.clone(), &current.security)?,
            None => {
                self.offerer = true;
                PendingOffer::new(self.local.clone())?
            }
        };
        self.pending = Some(pending);
        Ok(self.with_ice(sdp))
    }

    /// Takes the peer's answer to our offer.
    pub fn answer_received(&mut self, sdp: &[u8]) -> Result<&NegotiatedSession, SessionError> {
        let answer = parse(sdp)?;
        let pending = self.pending.take().ok_or(SessionError::NoOffer)?;
        let negotiated = pending.process_answer(&answer)?;
        self.note_remote_ice(&answer);
        Ok(self.negotiated.insert(negotiated))
    }

    /// Keeps the peer's offer until the user answers (initial INVITE).
    pub fn offer_received(&mut self, sdp: &[u8]) -> Result<(), SessionError> {
        self.remote_offer = Some(parse(sdp)?);
        Ok(())
    }

    /// Answers the kept offer (or a new one, for re-INVITE/UPDATE) with our direction.
    pub fn answer(
        &mut self,
        offer: Option<&[u8]>,
        direction: Direction,
    ) -> Result<Vec<u8>, SessionError> {
        if let Some(sdp) = offer {
            self.remote_offer = Some(parse(sdp)?);
        }
        let offer = self.remote_offer.take().ok_or(SessionError::NoOffer)?;
        self.local.direction = direction;
        self.local.session_version += 1;
        let (sdp, negotiated) = match &self.negotiated {
            Some(current) => answer_reoffer(&self.local, &offer, &current.security)?,
            None => answer_offer(&self.local, &offer)?,
        };
        self.negotiated = Some(negotiated);
        self.note_remote_ice(&offer);
        Ok(self.with_ice(sdp))
    }

    /// What was agreed last, if anything.
    pub fn negotiated(&self) -> Option<&NegotiatedSession> {
        self.negotiated.as_ref()
    }

    /// Our DTLS certificate, if we have one.
    pub fn identity(&self) -> Option<&DtlsIdentity> {
        self.identity.as_ref()
    }

    /// Where we receive media.
    pub fn local_addr(&self) -> SocketAddr {
        self.local.rtp_addr
    }
}

fn parse(sdp: &[u8]) -> Result<SessionDescription, SessionError> {
    let text = std::str::from_utf8(sdp).map_err(|_| SessionError::NotText)?;
    Ok(SessionDescription::parse(text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    #[test]
    fn offer_and_answer_agree_on_srtp_by_default() {
        let mut caller = Session::new(addr(4000), SrtpPolicy::Required, SrtpKeying::Sdes, 1);
        let mut callee = Session::new(addr(5000), SrtpPolicy::Required, SrtpKeying::Sdes, 2);
        let offer = caller.offer(Direction::SendRecv).unwrap();
        assert!(String::from_utf8_lossy(&offer).contains("RTP/SAVP"));
        let answer = callee.answer(Some(&offer), Direction::SendRecv).unwrap();
        let agreed = caller.answer_received(&answer).unwrap();
        assert_eq!(agreed.remote_rtp, addr(5000));
        assert!(
            matches!(agreed.security, media::sdp::Security::Sdes { .. }),
            "{:?}",
            agreed.security
        );
        assert_eq!(callee.negotiated().map(|n| n.remote_rtp), Some(addr(4000)));
    }

    #[test]
    fn hold_offer_is_sendonly_and_answered_recvonly() {
        let mut a = Session::new(addr(4000), SrtpPolicy::Off, SrtpKeying::Sdes, 1);
        let mut b = Session::new(addr(5000), SrtpPolicy::Off, SrtpKeying::Sdes, 2);
        let hold = a.offer(Direction::SendOnly).unwrap();
        assert!(String::from_utf8_lossy(&hold).contains("a=sendonly"));
        let answer = b.answer(Some(&hold), Direction::SendRecv).unwrap();
        assert!(String::from_utf8_lossy(&answer).contains("a=recvonly"));
    }

    #[test]
    fn dtls_keying_offers_a_fingerprint_and_agrees_on_dtls() {
        let mut caller = Session::new(addr(4000), SrtpPolicy::Required, SrtpKeying::Dtls, 1);
        let mut callee = Session::new(addr(5000), SrtpPolicy::Required, SrtpKeying::Sdes, 2);
        let offer = caller.offer(Direction::SendRecv).unwrap();
        let text = String::from_utf8_lossy(&offer).into_owned();
        assert!(text.contains("UDP/TLS/RTP/SAVP") && text.contains("a=fingerprint:"), "{text}");
        let answer = callee.answer(Some(&offer), Direction::SendRecv).unwrap();
        let agreed = caller.answer_received(&answer).unwrap();
        assert!(matches!(agreed.security, media::sdp::Security::Dtls { .. }));
    }

    #[test]
    fn hold_and_resume_keep_the_sdes_keys_in_force() {
        let mut a = Session::new(addr(4000), SrtpPolicy::Required, SrtpKeying::Sdes, 1);
        let mut b = Session::new(addr(5000), SrtpPolicy::Required, SrtpKeying::Sdes, 2);
        let offer = a.offer(Direction::SendRecv).unwrap();
        let answer = b.answer(Some(&offer), Direction::SendRecv).unwrap();
        let first = a.answer_received(&answer).unwrap().security.clone();
        // We hold (our re-offer), then the peer resumes us (its re-offer).
        let hold = a.offer(Direction::SendOnly).unwrap();
        let answer = b.answer(Some(&hold), Direction::SendRecv).unwrap();
        assert_eq!(a.answer_received(&answer).unwrap().security, first);
        let resume = b.offer(Direction::SendRecv).unwrap();
        a.answer(Some(&resume), Direction::SendRecv).unwrap();
        assert_eq!(a.negotiated().unwrap().security, first);
    }

    #[test]
    fn a_plain_offer_is_refused_when_srtp_is_required() {
        let mut plain = Session::new(addr(4000), SrtpPolicy::Off, SrtpKeying::Sdes, 1);
        let mut strict = Session::new(addr(5000), SrtpPolicy::Required, SrtpKeying::Sdes, 2);
        let offer = plain.offer(Direction::SendRecv).unwrap();
        assert!(strict.answer(Some(&offer), Direction::SendRecv).is_err());
    }

    #[test]
    fn ice_parameters_cross_in_offer_and_answer_and_the_offerer_controls() {
        let mut a = Session::new(addr(4000), SrtpPolicy::Required, SrtpKeying::Sdes, 1);
        let mut b = Session::new(addr(5000), SrtpPolicy::Required, SrtpKeying::Sdes, 2);
        let ice = |ufrag: &str, port: u16| IceParameters {
            ufrag: ufrag.into(),
            pwd: "p".repeat(22),
            candidates: vec![format!("1 1 udp 16777215 127.0.0.1 {port} typ relay")],
        };
        a.set_ice(ice("aaaa", 50000));
        b.set_ice(ice("bbbb", 50001));
        let offer = a.offer(Direction::SendRecv).unwrap();
        let text = String::from_utf8_lossy(&offer).into_owned();
        assert!(
            text.contains("a=ice-ufrag:aaaa") && text.contains("a=end-of-candidates"),
            "{text}"
        );
        let answer = b.answer(Some(&offer), Direction::SendRecv).unwrap();
        a.answer_received(&answer).unwrap();
        assert_eq!(a.remote_ice().map(|i| i.ufrag.as_str()), Some("bbbb"));
        // The relay candidate for RTP, and again for RTCP in case the answerer does not mux
        // (RFC 5761 §5.1.3).
        let remote = b.remote_ice().expect("the offer's ICE parameters");
        let components: Vec<_> =
            remote.candidates.iter().map(|c| c.split(' ').nth(1).unwrap_or_default()).collect();
        assert_eq!(components, ["1", "2"], "{:?}", remote.candidates);
        assert!(a.ice_controlling() && !b.ice_controlling());
    }

    #[test]
    fn an_answer_without_an_offer_is_an_error() {
        let mut s = Session::new(addr(4000), SrtpPolicy::Off, SrtpKeying::Sdes, 1);
        assert!(matches!(
            s.answer_received(b"v=0\r\n"),
            Err(SessionError::Sdp(_) | SessionError::NoOffer)
        ));
        assert!(matches!(s.answer(None, Direction::SendRecv), Err(SessionError::NoOffer)));
    }
}
