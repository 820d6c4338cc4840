//! STI certificates: parsing, chain validation to configured trust anchors, CRLs, TNAuthList,
//! JWT claim constraints and the x5u cache.

mod anchors;
mod cache;
mod chain;
mod claim_constraints;
mod crl;
mod der_lite;
mod parsed;
mod tn_auth_list;

pub use anchors::Anchors;
pub use cache::{CacheEntry, CertCache};
pub use chain::{Chain, ValidPath};
pub use claim_constraints::ClaimConstraints;
pub use crl::{Crl, CrlSet};
pub use parsed::ParsedCert;
pub use tn_auth_list::{TnAuthList, TnEntry};

/// Why a certificate or chain was refused. Each variant maps to one reason code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    /// The document is not PEM/DER X.509, or holds no certificate.
    #[error("certificate is malformed: {0}")]
    Malformed(&'static str),
    /// The key is not ECDSA P-256 or the signature algorithm is not ecdsa-with-SHA256.
    #[error("certificate key or signature algorithm is not ES256")]
    UnsupportedAlgorithm,
    /// No path from the leaf to a configured STI-CA trust anchor.
    #[error("certificate does not chain to a trusted STI-CA")]
    UntrustedRoot,
    /// A certificate signature in the path does not verify.
    #[error("a certificate signature in the chain is invalid")]
    ChainSignatureInvalid,
    /// A certificate in the path has expired at `now`.
    #[error("certificate expired")]
    Expired,
    /// A certificate in the path is not valid yet at `now`.
    #[error("certificate not yet valid")]
    NotYetValid,
    /// An issuer lacks CA:TRUE or keyCertSign, or the leaf lacks digitalSignature or is a CA.
    #[error("certificate basicConstraints/keyUsage do not allow this use")]
    UsageNotAllowed,
    /// A critical extension this verifier does not understand.
    #[error("unknown critical extension")]
    UnknownCriticalExtension,
    /// The certificate is listed on its issuer's CRL.
    #[error("certificate revoked")]
    Revoked,
    /// The leaf has no TNAuthList extension (RFC 8226).
    #[error("certificate has no TNAuthList")]
    TnAuthListMissing,
    /// The TNAuthList does not decode.
    #[error("TNAuthList is malformed")]
    TnAuthListMalformed,
    /// The TNAuthList covers neither the originating number nor an SPC.
    #[error("TNAuthList does not cover the calling number")]
    NumberNotCovered,
}

impl CertError {
    /// The stable reason code.
    pub fn code(&self) -> &'static str {
        match self {
            CertError::Malformed(_) => "cert.malformed",
            CertError::UnsupportedAlgorithm => "cert.algorithm_unsupported",
            CertError::UntrustedRoot => "cert.untrusted_root",
            CertError::ChainSignatureInvalid => "cert.chain_signature_invalid",
            CertError::Expired => "cert.expired",
            CertError::NotYetValid => "cert.not_yet_valid",
            CertError::UsageNotAllowed => "cert.usage_not_allowed",
            CertError::UnknownCriticalExtension => "cert.unknown_critical_extension",
            CertError::Revoked => "cert.revoked",
            CertError::TnAuthListMissing => "cert.tnauthlist_missing",
            CertError::TnAuthListMalformed => "cert.tnauthlist_malformed",
            CertError::NumberNotCovered => "cert.number_not_covered",
        }
    }
}

/// Splits a PEM bundle (or a single DER certificate) into DER blobs with the given PEM label.
pub fn pem_blocks(bytes: &[u8], label: &str) -> Result<Vec<Vec<u8>>, CertError> {
    if bytes.first() == Some(&0x30) {
        return Ok(vec![bytes.to_vec()]);
    }
    let mut out = Vec::new();
    for pem in x509_parser::pem::Pem::iter_from_buffer(bytes) {
        let pem = pem.map_err(|_| CertError::Malformed("PEM does not decode"))?;
        if pem.label == label {
            out.push(pem.contents);
        }
    }
    if out.is_empty() {
        return Err(CertError::Malformed("no PEM block of the expected kind"));
    }
    Ok(out)
}
