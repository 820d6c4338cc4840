//! One `m=` section and its attributes, with typed accessors for what offer/answer reads.

use std::net::IpAddr;

use super::codec::{PayloadType, RtpMap};
use super::crypto::CryptoAttribute;

/// An `a=` line: `a=name` or `a=name:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute name (before the first `:`).
    pub name: String,
    /// Attribute value (after the first `:`), if any.
    pub value: Option<String>,
}

impl Attribute {
    /// A flag attribute such as `a=rtcp-mux`.
    pub fn flag(name: &str) -> Self {
        Self { name: name.to_owned(), value: None }
    }

    /// A valued attribute such as `a=ptime:20`.
    pub fn value(name: &str, value: impl Into<String>) -> Self {
        Self { name: name.to_owned(), value: Some(value.into()) }
    }
}

/// The transport profile of an `m=` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proto {
    /// `RTP/AVP`: plain RTP (SDES may still be offered in best-effort mode).
    RtpAvp,
    /// `RTP/SAVP`: SRTP keyed with `a=crypto` (RFC 4568).
    RtpSavp,
    /// `RTP/SAVPF`: SRTP with RTCP feedback, keyed with `a=crypto`.
    RtpSavpf,
    /// `UDP/TLS/RTP/SAVP`: DTLS-SRTP (RFC 5763/5764).
    UdpTlsRtpSavp,
    /// `UDP/TLS/RTP/SAVPF`: DTLS-SRTP with feedback (baresip's `dtls_srtp` offers this).
    UdpTlsRtpSavpf,
    /// Anything else, kept verbatim.
    Other(String),
}

impl Proto {
    /// Parses the proto token of an `m=` line.
    pub fn parse(token: &str) -> Self {
        match token {
            "RTP/AVP" => Self::RtpAvp,
            "RTP/SAVP" => Self::RtpSavp,
            "RTP/SAVPF" => Self::RtpSavpf,
            "UDP/TLS/RTP/SAVP" => Self::UdpTlsRtpSavp,
            "UDP/TLS/RTP/SAVPF" => Self::UdpTlsRtpSavpf,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The token as printed on the `m=` line.
    pub fn as_str(&self) -> &str {
        match self {
            Self::RtpAvp => "RTP/AVP",
            Self::RtpSavp => "RTP/SAVP",
            Self::RtpSavpf => "RTP/SAVPF",
            Self::UdpTlsRtpSavp => "UDP/TLS/RTP/SAVP",
            Self::UdpTlsRtpSavpf => "UDP/TLS/RTP/SAVPF",
            Self::Other(s) => s,
        }
    }

    /// True for the DTLS-SRTP profiles.
    pub fn is_dtls(&self) -> bool {
        matches!(self, Self::UdpTlsRtpSavp | Self::UdpTlsRtpSavpf)
    }

    /// True for the SDES-keyed secure profiles.
    pub fn is_savp(&self) -> bool {
        matches!(self, Self::RtpSavp | Self::RtpSavpf)
    }
}

/// Media direction (RFC 3264 §5.1); `sendonly`/`inactive` put a call on hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Direction {
    /// Both ways (the default when absent).
    #[default]
    SendRecv,
    /// We send, the peer only receives.
    SendOnly,
    /// We only receive.
    RecvOnly,
    /// No media either way.
    Inactive,
}

impl Direction {
    /// Parses a direction attribute name.
    pub fn from_attribute(name: &str) -> Option<Self> {
        match name {
            "sendrecv" => Some(Self::SendRecv),
            "sendonly" => Some(Self::SendOnly),
            "recvonly" => Some(Self::RecvOnly),
            "inactive" => Some(Self::Inactive),
            _ => None,
        }
    }

    /// The attribute name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SendRecv => "sendrecv",
            Self::SendOnly => "sendonly",
            Self::RecvOnly => "recvonly",
            Self::Inactive => "inactive",
        }
    }

    /// The direction seen from the other side.
    pub fn reversed(self) -> Self {
        match self {
            Self::SendOnly => Self::RecvOnly,
            Self::RecvOnly => Self::SendOnly,
            other => other,
        }
    }

    /// The answer direction for an offered direction given what we want (RFC 3264 §6.1).
    pub fn answer_to(offered: Self, wanted: Self) -> Self {
        let may_send = offered.receives() && wanted.sends();
        let may_recv = offered.sends() && wanted.receives();
        Self::from_flags(may_send, may_recv)
    }

    /// True if this side sends media.
    pub fn sends(self) -> bool {
        matches!(self, Self::SendRecv | Self::SendOnly)
    }

    /// True if this side receives media.
    pub fn receives(self) -> bool {
        matches!(self, Self::SendRecv | Self::RecvOnly)
    }

    fn from_flags(send: bool, recv: bool) -> Self {
        match (send, recv) {
            (true, true) => Self::SendRecv,
            (true, false) => Self::SendOnly,
            (false, true) => Self::RecvOnly,
            (false, false) => Self::Inactive,
        }
    }
}

/// DTLS role from `a=setup` (RFC 4145/5763).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupRole {
    /// `active`: this side opens the DTLS handshake (client).
    Active,
    /// `passive`: this side waits (server).
    Passive,
    /// `actpass`: the offerer lets the answerer choose.
    ActPass,
}

impl SetupRole {
    /// Parses an `a=setup` value.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "active" => Some(Self::Active),
            "passive" => Some(Self::Passive),
            "actpass" => Some(Self::ActPass),
            _ => None,
        }
    }

    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Passive => "passive",
            Self::ActPass => "actpass",
        }
    }
}

/// A certificate fingerprint from `a=fingerprint` (RFC 8122).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Hash function name, lower-case (`sha-256`).
    pub algorithm: String,
    /// Digest bytes.
    pub digest: Vec<u8>,
}

impl Fingerprint {
    /// Parses `SHA-256 AB:CD:...`.
    pub fn parse(value: &str) -> Option<Self> {
        let (alg, hex) = value.trim().split_once(' ')?;
        let digest = hex
            .trim()
            .split(':')
            .map(|b| u8::from_str_radix(b, 16).ok().filter(|_| b.len() == 2))
            .collect::<Option<Vec<u8>>>()?;
        (!digest.is_empty()).then(|| Self { algorithm: alg.to_ascii_lowercase(), digest })
    }

    /// Prints `sha-256 AB:CD:...` in the upper-case hex form peers expect.
    pub fn to_value(&self) -> String {
        let hex: Vec<String> = self.digest.iter().map(|b| format!("{b:02X}")).collect();
        format!("{} {}", self.algorithm.to_ascii_uppercase(), hex.join(":"))
    }
}

/// One `m=` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDescription {
    /// Media type (`audio`, `video`, ...).
    pub kind: String,
    /// Transport port; 0 rejects or disables the stream.
    pub port: u16,
    /// Optional `/count` after the port.
    pub port_count: Option<u16>,
    /// Transport profile.
    pub proto: Proto,
    /// Format list (payload type numbers for RTP).
    pub formats: Vec<String>,
    /// Lines other than `c=`, `b=` and `a=` (`i=`, `k=`), kept for printing.
    pub other_lines: Vec<(char, String)>,
    /// Media-level `c=` address.
    pub connection: Option<IpAddr>,
    /// `b=` values verbatim.
    pub bandwidth: Vec<String>,
    /// `a=` lines in order.
    pub attributes: Vec<Attribute>,
}

impl MediaDescription {
    /// The first value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.name == name).and_then(|a| a.value.as_deref())
    }

    /// True if flag or valued attribute `name` is present.
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attributes.iter().any(|a| a.name == name)
    }

    /// All values of attribute `name`.
    pub fn attributes_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.attributes.iter().filter(move |a| a.name == name).filter_map(|a| a.value.as_deref())
    }

    /// The direction attribute, `sendrecv` if absent.
    pub fn direction(&self) -> Option<Direction> {
        self.attributes.iter().find_map(|a| Direction::from_attribute(&a.name))
    }

    /// Payload types listed on the `m=` line that parse as numbers.
    pub fn payload_types(&self) -> impl Iterator<Item = PayloadType> + '_ {
        self.formats
            .iter()
            .filter_map(|f| f.parse::<u8>().ok().filter(|p| *p < 128))
            .map(PayloadType)
    }

    /// The `a=rtpmap` for payload type `pt`, if any.
    pub fn rtpmap(&self, pt: PayloadType) -> Option<RtpMap> {
        self.attributes_named("rtpmap").filter_map(RtpMap::parse).find(|m| m.pt == pt)
    }

    /// The `a=fmtp` parameters for `pt`, if any.
    pub fn fmtp(&self, pt: PayloadType) -> Option<&str> {
        self.attributes_named("fmtp").find_map(|v| {
            let (p, params) = v.split_once(' ')?;
            (p.parse::<u8>().ok()? == pt.0).then_some(params.trim())
        })
    }

    /// `a=ptime` in milliseconds.
    pub fn ptime(&self) -> Option<u32> {
        self.attribute("ptime")?.trim().parse().ok()
    }

    /// The `a=crypto` lines that parse (others are ignored, RFC 4568 §7.1.1).
    pub fn crypto(&self) -> impl Iterator<Item = CryptoAttribute> + '_ {
        self.attributes_named("crypto").filter_map(CryptoAttribute::parse)
    }

    /// `a=rtcp` port (RFC 3605), if present.
    pub fn rtcp_port(&self) -> Option<u16> {
        self.attribute("rtcp")?.split_whitespace().next()?.parse().ok()
    }
}
