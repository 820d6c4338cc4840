//! SDP (RFC 8866) and the offer/answer model for classic SIP (RFC 3264).
//!
//! Hand-written rather than `rtc-sdp`: that crate models JSEP (WebRTC) sessions and its
//! peer connection refuses classic SIP offers (`RTP/SAVP` with `a=crypto`, no ICE, no
//! `a=mid`). A SIP softphone must accept whatever a desk phone or baresip prints, so the
//! parser here keeps every line generically (nothing is lost on a round trip) and reads the
//! attributes offer/answer needs through typed accessors.

mod answer;
mod codec;
mod crypto;
mod media;
mod negotiate;
mod negotiated;
mod offer;
mod parse;
mod print;
mod sdes_answer;

pub use codec::{Codec, PayloadType, RtpMap};
pub use crypto::{CryptoAttribute, SrtpKeyMaterial, SrtpSuite};
pub use media::{Attribute, Direction, Fingerprint, MediaDescription, Proto, SetupRole};
pub use negotiated::{NegotiatedCodec, NegotiatedSession, Security};
pub use offer::{EncryptionPolicy, Keying, LocalMedia, PendingOffer, answer_offer, answer_reoffer};
pub use parse::{Origin, SessionDescription};

use thiserror::Error;

/// Why an SDP body could not be parsed or negotiated.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SdpError {
    /// A line is not of the form `<type>=<value>` or its value is malformed.
    #[error("malformed SDP line {line}: {reason}")]
    MalformedLine {
        /// 1-based line number.
        line: usize,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// A mandatory line (`v=`, `o=`, `s=`, `m=` field) is missing.
    #[error("SDP lacks a mandatory {0} line")]
    MissingLine(&'static str),
    /// No `m=audio` section was offered or answered.
    #[error("no audio media section")]
    NoAudio,
    /// The audio section has no connection address (neither media nor session `c=`).
    #[error("audio section has no connection address")]
    NoConnectionAddress,
    /// The peer rejected the audio stream (port 0).
    #[error("audio stream rejected by the peer (port 0)")]
    AudioRejected,
    /// No codec is supported by both sides.
    #[error("no common audio codec")]
    NoCommonCodec,
    /// Policy requires SRTP and the peer offered or answered plain RTP.
    #[error("policy requires SRTP but the peer uses plain RTP")]
    EncryptionRequired,
    /// SDES was used but no `a=crypto` line names a suite both sides support.
    #[error("no acceptable a=crypto suite")]
    NoAcceptableCrypto,
    /// An `a=crypto` key is not valid base64 or has the wrong length for its suite.
    #[error("a=crypto key is malformed")]
    BadCryptoKey,
    /// DTLS-SRTP without a usable `a=fingerprint`.
    #[error("DTLS-SRTP without a usable a=fingerprint")]
    MissingFingerprint,
    /// The answer uses a transport profile the offer did not propose.
    #[error("answer profile does not match the offer")]
    ProfileMismatch,
    /// The answer picks a payload type the offer never offered.
    #[error("answer selects something that was not offered")]
    NotOffered,
    /// The answer's `a=crypto` line pairs a tag and a suite that none of our offered lines
    /// pairs (RFC 4568 §5.1.3: the offerer must then fail the stream).
    #[error("the answer's a=crypto tag {tag} with suite {suite} matches no offered line")]
    CryptoNotOffered {
        /// The tag the answer echoed.
        tag: u32,
        /// The suite the answer named with it.
        suite: &'static str,
    },
    /// The local random source failed while generating keys.
    #[error("random source failed")]
    Random,
}
