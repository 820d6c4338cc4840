//! STIR/SHAKEN verification (RFC 8224, 8225, 8588, 8946): Identity header, PASSporT, certificate.

mod claims;
mod identity_header;
mod jws;
pub mod strict_json;
mod verify;
mod verstat;

pub use claims::{Attest, Claims};
pub use identity_header::{IdentityHeader, MAX_IDENTITY_LEN};
pub use jws::{Jws, JwsHeader};
pub use verify::{AnchoredChain, Prechecked, StirPolicy, Unverified, Verified, finish, precheck};
pub use verstat::Verstat;

use crate::cert::CertError;
use crate::fetch::UrlError;
use strict_json::JsonError;

/// Why a PASSporT was not accepted. Each variant maps to one stable reason code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StirError {
    /// The Identity header value does not parse.
    #[error("Identity header malformed: {0}")]
    IdentityMalformed(&'static str),
    /// Two Identity headers of the same kind (two `shaken`, or the same value twice).
    #[error("duplicate Identity headers")]
    DuplicateIdentity,
    /// The `info` parameter names another certificate than the PASSporT's `x5u`.
    #[error("Identity info parameter differs from x5u")]
    InfoMismatch,
    /// The JWS is not three base64url parts with a 64-byte signature.
    #[error("PASSporT malformed: {0}")]
    JwsMalformed(&'static str),
    /// Header or payload JSON refused (syntax, duplicate keys, huge numbers).
    #[error("PASSporT JSON: {0}")]
    Json(JsonError),
    /// `alg` other than ES256 (none, HS256, RS256, ...).
    #[error("PASSporT alg {0:?} is not allowed (ES256 only)")]
    AlgorithmNotAllowed(String),
    /// `typ` present but not `passport`.
    #[error("PASSporT typ is not passport")]
    TypNotPassport,
    /// `crit` names a claim this verifier does not understand.
    #[error("PASSporT crit names unknown claim {0:?}")]
    CritUnknown(String),
    /// `ppt` other than shaken, div or rcd.
    #[error("PASSporT type not supported")]
    PptUnsupported,
    /// A required claim is missing or has the wrong type.
    #[error("PASSporT claim invalid: {0}")]
    ClaimInvalid(&'static str),
    /// Compact form with `ppt=shaken` (attest/origid cannot be rebuilt from SIP).
    #[error("compact-form SHAKEN PASSporT cannot be verified")]
    CompactFormUnsupported,
    /// `iat` more than 60 s in the past.
    #[error("PASSporT iat too old")]
    IatStale,
    /// `iat` more than 60 s in the future.
    #[error("PASSporT iat in the future")]
    IatFuture,
    /// `orig` matches neither From nor P-Asserted-Identity.
    #[error("PASSporT orig does not match the caller")]
    OrigMismatch,
    /// `dest` matches neither To nor the request URI.
    #[error("PASSporT dest does not match the called number")]
    DestMismatch,
    /// A `div` PASSporT does not chain the original call to this destination.
    #[error("div PASSporT does not match the diverted call")]
    DivMismatch,
    /// No `x5u` in the JWS header.
    #[error("PASSporT has no x5u")]
    X5uMissing,
    /// `x5u` is not an acceptable URL.
    #[error("x5u refused: {0}")]
    X5u(UrlError),
    /// The certificate fetch passed its hard deadline.
    #[error("certificate fetch timed out")]
    FetchTimeout,
    /// The certificate server answered with a non-200 status.
    #[error("certificate fetch returned HTTP {0}")]
    FetchHttpStatus(u16),
    /// The certificate document exceeded the size limit.
    #[error("certificate document too large")]
    FetchTooLarge,
    /// DNS/TCP/TLS failure or offline.
    #[error("certificate could not be fetched")]
    FetchUnreachable,
    /// The certificate or its chain was refused.
    #[error(transparent)]
    Cert(CertError),
    /// The ES256 signature does not verify with the certificate's key (tampering).
    #[error("PASSporT signature invalid")]
    SignatureInvalid,
}

impl StirError {
    /// The stable reason code.
    pub fn code(&self) -> &'static str {
        match self {
            StirError::IdentityMalformed(_) => "identity.malformed",
            StirError::DuplicateIdentity => "identity.duplicate",
            StirError::InfoMismatch => "identity.info_mismatch",
            StirError::JwsMalformed(_) => "passport.malformed",
            StirError::Json(JsonError::DuplicateKey) => "passport.json_duplicate_key",
            StirError::Json(_) => "passport.json_invalid",
            StirError::AlgorithmNotAllowed(_) => "passport.alg_not_allowed",
            StirError::TypNotPassport => "passport.typ_invalid",
            StirError::CritUnknown(_) => "passport.crit_unknown",
            StirError::PptUnsupported => "passport.ppt_unsupported",
            StirError::ClaimInvalid(_) => "passport.claim_invalid",
            StirError::CompactFormUnsupported => "passport.compact_form_unsupported",
            StirError::IatStale => "passport.iat_stale",
            StirError::IatFuture => "passport.iat_future",
            StirError::OrigMismatch => "passport.orig_mismatch",
            StirError::DestMismatch => "passport.dest_mismatch",
            StirError::DivMismatch => "passport.div_mismatch",
            StirError::X5uMissing => "cert.x5u_missing",
            StirError::X5u(UrlError::HttpNotAllowed) => "cert.x5u_http_not_allowed",
            StirError::X5u(_) => "cert.x5u_invalid",
            StirError::FetchTimeout => "cert.fetch_timeout",
            StirError::FetchHttpStatus(_) => "cert.fetch_http_status",
            StirError::FetchTooLarge => "cert.fetch_too_large",
            StirError::FetchUnreachable => "cert.fetch_failed",
            StirError::Cert(e) => e.code(),
            StirError::SignatureInvalid => "passport.signature_invalid",
        }
    }

    /// True for failures that point at forgery or replay rather than at infrastructure trouble
    /// (fetch failures, expired certificates): these make the call dangerous.
    pub fn is_forgery_signal(&self) -> bool {
        matches!(
            self,
            StirError::SignatureInvalid
                | StirError::AlgorithmNotAllowed(_)
                | StirError::OrigMismatch
                | StirError::IatStale
                | StirError::IatFuture
                | StirError::DuplicateIdentity
                | StirError::Json(JsonError::DuplicateKey)
                | StirError::CritUnknown(_)
                | StirError::Cert(
                    CertError::UntrustedRoot
                        | CertError::ChainSignatureInvalid
                        | CertError::Revoked
                        | CertError::TnAuthListMissing
                        | CertError::NumberNotCovered
                )
        )
    }
}
