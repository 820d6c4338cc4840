//! Audio codecs as SDP names them, payload types and `a=rtpmap`.

use std::fmt;

/// An RTP payload type (0-127).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct PayloadType(pub u8);

impl fmt::Display for PayloadType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The audio codecs this softphone speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Codec {
    /// Opus (RFC 7587), always signalled as `opus/48000/2`.
    Opus,
    /// G.711 µ-law.
    Pcmu,
    /// G.711 A-law.
    Pcma,
    /// G.722 (16 kHz audio, 8000 RTP clock by historic error, RFC 3551 §4.5.2).
    G722,
}

impl Codec {
    /// Static payload type, if the codec has one.
    pub fn static_pt(self) -> Option<PayloadType> {
        match self {
            Self::Pcmu => Some(PayloadType(0)),
            Self::Pcma => Some(PayloadType(8)),
            Self::G722 => Some(PayloadType(9)),
            Self::Opus => None,
        }
    }

    /// Encoding name in `a=rtpmap`.
    pub fn encoding_name(self) -> &'static str {
        match self {
            Self::Opus => "opus",
            Self::Pcmu => "PCMU",
            Self::Pcma => "PCMA",
            Self::G722 => "G722",
        }
    }

    /// RTP clock rate (the timestamp unit).
    pub fn clock_rate(self) -> u32 {
        match self {
            Self::Opus => 48_000,
            _ => 8_000,
        }
    }

    /// Audio sample rate the codec works at.
    pub fn sample_rate(self) -> u32 {
        match self {
            Self::Opus => 48_000,
            Self::G722 => 16_000,
            Self::Pcmu | Self::Pcma => 8_000,
        }
    }

    /// True for wideband codecs (E-model G.107.1 applies).
    pub fn is_wideband(self) -> bool {
        matches!(self, Self::Opus | Self::G722)
    }

    /// The `a=rtpmap` value for this codec on `pt`.
    pub fn rtpmap(self, pt: PayloadType) -> String {
        match self {
            Self::Opus => format!("{pt} opus/48000/2"),
            _ => format!("{pt} {}/{}", self.encoding_name(), self.clock_rate()),
        }
    }

    /// Identifies a codec from an rtpmap, or from a static payload type without one.
    pub fn identify(map: Option<&RtpMap>, pt: PayloadType) -> Option<Self> {
        let Some(map) = map else {
            return [Self::Pcmu, Self::Pcma, Self::G722]
                .into_iter()
                .find(|c| c.static_pt() == Some(pt));
        };
        let name = map.encoding.to_ascii_lowercase();
        match (name.as_str(), map.clock_rate) {
            ("opus", 48_000) => Some(Self::Opus),
            ("pcmu", 8_000) => Some(Self::Pcmu),
            ("pcma", 8_000) => Some(Self::Pcma),
            ("g722", 8_000) => Some(Self::G722),
            _ => None,
        }
    }
}

/// A parsed `a=rtpmap:<pt> <name>/<clock>[/<channels>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtpMap {
    /// Payload type.
    pub pt: PayloadType,
    /// Encoding name as written.
    pub encoding: String,
    /// Clock rate.
    pub clock_rate: u32,
    /// Channel count, if given.
    pub channels: Option<u8>,
}

impl RtpMap {
    /// Parses an rtpmap attribute value.
    pub fn parse(value: &str) -> Option<Self> {
        let (pt, rest) = value.trim().split_once(' ')?;
        let pt = pt.parse::<u8>().ok().filter(|p| *p < 128)?;
        let mut parts = rest.trim().split('/');
        let encoding = parts.next()?.to_owned();
        let clock_rate = parts.next()?.parse().ok()?;
        let channels = match parts.next() {
            Some(c) => Some(c.parse().ok()?),
            None => None,
        };
        Some(Self { pt: PayloadType(pt), encoding, clock_rate, channels })
    }

    /// True for `telephone-event` (RFC 4733).
    pub fn is_telephone_event(&self) -> bool {
        self.encoding.eq_ignore_ascii_case("telephone-event")
    }
}
