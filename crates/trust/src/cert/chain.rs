//! Chain validation from the x5u leaf to a configured trust anchor (RFC 5280 path basics as
//! ATIS-1000080 needs them: signatures, validity, basicConstraints/keyUsage, CRLs).
//!
//! The path and its signatures do not depend on time, so they are checked once when a chain
//! enters the cache ([`Chain::build_path`]); validity and revocation are checked per call.

use super::{Anchors, CertError, CrlSet, ParsedCert, pem_blocks};

/// Longest path accepted (leaf + intermediates).
const MAX_DEPTH: usize = 5;

/// The certificates of one x5u document, leaf first.
#[derive(Debug, Clone)]
pub struct Chain {
    certs: Vec<ParsedCert>,
}

/// A path whose signatures verified: indices into the chain, then the anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPath {
    path: Vec<usize>,
    anchor: usize,
}

impl Chain {
    /// Parses a PEM bundle (leaf first) or one DER certificate.
    pub fn parse(bytes: &[u8]) -> Result<Self, CertError> {
        let ders = pem_blocks(bytes, "CERTIFICATE")?;
        if ders.len() > 8 {
            return Err(CertError::Malformed("more than 8 certificates"));
        }
        let certs = ders.iter().map(|d| ParsedCert::from_der(d)).collect::<Result<Vec<_>, _>>()?;
        Ok(Chain { certs })
    }

    /// The end-entity certificate.
    pub fn leaf(&self) -> &ParsedCert {
        self.certs.first().expect("Chain::parse guarantees at least one certificate")
    }

    /// Every certificate, leaf first.
    pub fn certs(&self) -> &[ParsedCert] {
        &self.certs
    }

    /// Finds a path to an anchor and verifies its signatures and CA/key-usage flags.
    pub fn build_path(&self, anchors: &Anchors) -> Result<ValidPath, CertError> {
        let leaf = self.leaf();
        check_leaf(leaf)?;
        let mut path = vec![0];
        let mut cur = leaf;
        for _ in 0..MAX_DEPTH {
            let mut named_anchor = false;
            for (index, anchor) in anchors.issuers_of(cur) {
                named_anchor = true;
                if cur.signed_by(anchor) {
                    return Ok(ValidPath { path, anchor: index });
                }
            }
            let next = self
                .certs
                .iter()
                .enumerate()
                .find(|(i, c)| c.subject == cur.issuer && !path.contains(i));
            let Some((index, issuer)) = next else {
                return Err(CertError::UntrustedRoot);
            };
            if issuer.subject == issuer.issuer && named_anchor {
                // A self-signed root named like a trusted anchor but with another key.
                return Err(CertError::UntrustedRoot);
            }
            if !cur.signed_by(issuer) {
                return Err(CertError::ChainSignatureInvalid);
            }
            check_issuer(issuer)?;
            path.push(index);
            cur = issuer;
        }
        Err(CertError::UntrustedRoot)
    }
}

impl ValidPath {
    /// Validity of every certificate (anchor included) at `now_secs`, then revocation.
    pub fn check(
        &self,
        chain: &Chain,
        anchors: &Anchors,
        crls: &CrlSet,
        now_secs: i64,
    ) -> Result<(), CertError> {
        let anchor = anchors.at(self.anchor).ok_or(CertError::UntrustedRoot)?;
        for cert in
            self.path.iter().filter_map(|i| chain.certs.get(*i)).chain(std::iter::once(anchor))
        {
            cert.time_check(now_secs)?;
        }
        for (pos, index) in self.path.iter().enumerate() {
            let Some(cert) = chain.certs.get(*index) else { continue };
            let issuer = self.path.get(pos + 1).and_then(|i| chain.certs.get(*i)).unwrap_or(anchor);
            if crls.is_revoked(cert, issuer, now_secs) {
                return Err(CertError::Revoked);
            }
        }
        Ok(())
    }
}

fn check_leaf(leaf: &ParsedCert) -> Result<(), CertError> {
    if leaf.unknown_critical {
        return Err(CertError::UnknownCriticalExtension);
    }
    if leaf.is_ca || leaf.key_usage.is_some_and(|(digital_signature, _)| !digital_signature) {
        return Err(CertError::UsageNotAllowed);
    }
    Ok(())
}

fn check_issuer(issuer: &ParsedCert) -> Result<(), CertError> {
    if issuer.unknown_critical {
        return Err(CertError::UnknownCriticalExtension);
    }
    if !issuer.is_ca || issuer.key_usage.is_some_and(|(_, key_cert_sign)| !key_cert_sign) {
        return Err(CertError::UsageNotAllowed);
    }
    Ok(())
}
