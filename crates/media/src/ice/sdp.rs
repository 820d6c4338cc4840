//! ICE in SDP for classic SIP offer/answer (RFC 8839): `a=ice-ufrag`, `a=ice-pwd`,
//! `a=candidate` and `a=end-of-candidates`, read at media or session level.

use std::net::SocketAddr;

use rtc_ice::candidate::{Candidate, unmarshal_candidate};

use crate::sdp::{Attribute, MediaDescription, SessionDescription};

/// Most candidates read from one peer's description; more is an attack, not a phone.
const MAX_CANDIDATES: usize = 32;

/// One side's ICE parameters as carried in SDP.
#[derive(Clone, PartialEq, Eq)]
pub struct IceParameters {
    /// `a=ice-ufrag`.
    pub ufrag: String,
    /// `a=ice-pwd`.
    pub pwd: String,
    /// `a=candidate` values. Ours are component 1 (RTP and RTCP muxed); a peer's may list
    /// component 2 (RTCP) too.
    pub candidates: Vec<String>,
}

impl std::fmt::Debug for IceParameters {
    /// Leaves out the password (a credential) and the candidates (addresses: personal data).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IceParameters")
            .field("ufrag", &self.ufrag)
            .field("candidates", &self.candidates.len())
            .finish_non_exhaustive()
    }
}

impl IceParameters {
    /// The attributes to add to our `m=audio` section.
    pub fn attributes(&self) -> Vec<Attribute> {
        let mut attrs = vec![
            Attribute::value("ice-ufrag", self.ufrag.clone()),
            Attribute::value("ice-pwd", self.pwd.clone()),
        ];
        for c in &self.candidates {
            attrs.push(Attribute::value("candidate", c.clone()));
            // RFC 5761 §5.1.3: with rtcp-mux offered, the RTCP component gets candidates too,
            // in case the answerer does not mux (baresip's default): the same addresses.
            attrs.extend(rtcp_copy(c).map(|c2| Attribute::value("candidate", c2)));
        }
        attrs.push(Attribute::flag("end-of-candidates"));
        attrs
    }

    /// Reads the peer's parameters from its audio section (or the session level); `None` if
    /// the peer does not do ICE.
    pub fn from_sdp(sd: &SessionDescription, m: &MediaDescription) -> Option<Self> {
        let ufrag = m.attribute("ice-ufrag").or_else(|| sd.attribute("ice-ufrag"))?;
        let pwd = m.attribute("ice-pwd").or_else(|| sd.attribute("ice-pwd"))?;
        let candidates =
            m.attributes_named("candidate").take(MAX_CANDIDATES).map(str::to_owned).collect();
        Some(Self { ufrag: ufrag.trim().to_owned(), pwd: pwd.trim().to_owned(), candidates })
    }

    /// The component-1 (RTP) candidates that parse (others are ignored, RFC 8839 §5.1).
    pub fn parsed_candidates(&self) -> Vec<Candidate> {
        self.component(1)
    }

    /// The transport addresses of the RTP candidates.
    pub fn addresses(&self) -> Vec<SocketAddr> {
        self.parsed_candidates().iter().map(Candidate::addr).collect()
    }

    /// Addresses the peer names only for its RTCP component (it does not mux): checks and
    /// data from there are never the RTP path.
    pub fn rtcp_only_addresses(&self) -> Vec<SocketAddr> {
        let rtp = self.addresses();
        self.component(2).iter().map(Candidate::addr).filter(|a| !rtp.contains(a)).collect()
    }

    /// The component-2 (RTCP) candidates at addresses of their own (the peer does not mux).
    pub fn rtcp_only_candidates(&self) -> Vec<Candidate> {
        let rtp = self.addresses();
        self.component(2).into_iter().filter(|c| !rtp.contains(&c.addr())).collect()
    }

    fn component(&self, id: u16) -> Vec<Candidate> {
        self.candidates
            .iter()
            .filter_map(|c| unmarshal_candidate(c).ok())
            .filter(|c| c.component() == id)
            .collect()
    }
}

/// A component-1 candidate line as the component-2 (RTCP) candidate at the same address, one
/// priority step lower.
fn rtcp_copy(candidate: &str) -> Option<String> {
    let mut fields: Vec<String> = candidate.split_whitespace().map(str::to_owned).collect();
    if fields.get(1).map(String::as_str) != Some("1") {
        return None;
    }
    let priority: u32 = fields.get(3)?.parse().ok()?;
    *fields.get_mut(1)? = "2".into();
    *fields.get_mut(3)? = priority.saturating_sub(1).to_string();
    Some(fields.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFER: &str = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n\
        t=0 0\r\na=ice-ufrag:sess\r\nm=audio 4000 RTP/SAVP 0\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n\
        a=candidate:1 1 udp 2130706431 127.0.0.1 4000 typ host\r\n\
        a=candidate:1 2 udp 2130706430 127.0.0.1 4001 typ host\r\n\
        a=candidate:2 1 udp 16777215 127.0.0.1 50000 typ relay raddr 127.0.0.1 rport 4000\r\n\
        a=candidate:garbage\r\na=end-of-candidates\r\n";

    #[test]
    fn parameters_come_from_media_or_session_level_and_keep_component_one() {
        let sd = SessionDescription::parse(OFFER).unwrap();
        let (_, m) = sd.audio().unwrap();
        let p = IceParameters::from_sdp(&sd, m).unwrap();
        assert_eq!(p.ufrag, "sess");
        assert_eq!(p.pwd, "abcdefghijklmnopqrstuv");
        assert_eq!(p.candidates.len(), 4);
        assert_eq!(p.rtcp_only_addresses(), vec![SocketAddr::from(([127, 0, 0, 1], 4001))]);
        assert_eq!(
            p.addresses(),
            vec![
                SocketAddr::from(([127, 0, 0, 1], 4000)),
                SocketAddr::from(([127, 0, 0, 1], 50000))
            ]
        );
    }

    #[test]
    fn attributes_round_trip_and_end_the_candidate_list() {
        let p = IceParameters {
            ufrag: "uf".into(),
            pwd: "pw".into(),
            candidates: vec!["1 1 udp 1 127.0.0.1 9 typ host".into()],
        };
        let attrs = p.attributes();
        assert_eq!(attrs.last(), Some(&Attribute::flag("end-of-candidates")));
        assert!(attrs.contains(&Attribute::value("candidate", "1 2 udp 0 127.0.0.1 9 typ host")));
        assert!(!format!("{p:?}").contains("pw\""), "the password stays out of Debug");
    }

    #[test]
    fn a_peer_without_ice_has_no_parameters() {
        let sd = SessionDescription::parse(
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
        )
        .unwrap();
        let (_, m) = sd.audio().unwrap();
        assert!(IceParameters::from_sdp(&sd, m).is_none());
    }
}
