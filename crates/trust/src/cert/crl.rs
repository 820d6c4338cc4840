//! Certificate revocation lists (ATIS-1000080: the STI-PA CRL). CRLs come from the context file
//! or from fetches of the CRL distribution point that the engine performs.

use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::{CertError, ParsedCert, pem_blocks};

/// One parsed CRL, reduced to what revocation checks need.
#[derive(Debug, Clone)]
pub struct Crl {
    issuer: Vec<u8>,
    revoked: Vec<Vec<u8>>,
    next_update: Option<i64>,
    tbs: Vec<u8>,
    signature: Vec<u8>,
}

impl Crl {
    /// Parses PEM (`X509 CRL`) or DER.
    pub fn parse(bytes: &[u8]) -> Result<Vec<Self>, CertError> {
        pem_blocks(bytes, "X509 CRL")?.iter().map(|der| Self::from_der(der)).collect()
    }

    fn from_der(der: &[u8]) -> Result<Self, CertError> {
        let (_, crl) = CertificateRevocationList::from_der(der)
            .map_err(|_| CertError::Malformed("CRL does not decode"))?;
        Ok(Crl {
            issuer: crl.issuer().as_raw().to_vec(),
            revoked: crl.iter_revoked_certificates().map(|r| r.raw_serial().to_vec()).collect(),
            next_update: crl.next_update().map(|t| t.timestamp()),
            tbs: crl.tbs_cert_list.as_ref().to_vec(),
            signature: crl.signature_value.data.to_vec(),
        })
    }

    fn signed_by(&self, issuer: &ParsedCert) -> bool {
        use p256::ecdsa::DerSignature;
        use p256::ecdsa::signature::Verifier;
        DerSignature::from_bytes(&self.signature)
            .is_ok_and(|sig| issuer.key.verify(&self.tbs, &sig).is_ok())
    }
}

/// The CRLs known right now.
#[derive(Debug, Clone, Default)]
pub struct CrlSet(Vec<Crl>);

impl CrlSet {
    /// Adds parsed CRLs.
    pub fn extend(&mut self, crls: impl IntoIterator<Item = Crl>) {
        self.0.extend(crls);
    }

    /// True when a current CRL signed by `issuer` lists `cert`'s serial.
    pub fn is_revoked(&self, cert: &ParsedCert, issuer: &ParsedCert, now_secs: i64) -> bool {
        self.0.iter().any(|crl| {
            crl.issuer == cert.issuer
                && crl.next_update.is_none_or(|t| t >= now_secs)
                && crl.signed_by(issuer)
                && crl.revoked.contains(&cert.serial)
        })
    }

    /// True when some CRL from `cert`'s issuer is present (to decide whether to fetch one).
    pub fn has_issuer(&self, cert: &ParsedCert) -> bool {
        self.0.iter().any(|crl| crl.issuer == cert.issuer)
    }
}
