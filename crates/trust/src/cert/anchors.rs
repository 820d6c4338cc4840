//! The configured STI-CA trust anchors.

use super::{CertError, ParsedCert, pem_blocks};

/// Trusted root certificates (ES256 only).
#[derive(Debug, Clone, Default)]
pub struct Anchors(Vec<ParsedCert>);

impl Anchors {
    /// Adds every certificate of a PEM bundle (or one DER certificate).
    pub fn add_pem(&mut self, bytes: &[u8]) -> Result<(), CertError> {
        for der in pem_blocks(bytes, "CERTIFICATE")? {
            self.0.push(ParsedCert::from_der(&der)?);
        }
        Ok(())
    }

    /// Anchors whose subject is `cert`'s issuer.
    pub fn issuers_of<'a>(
        &'a self,
        cert: &'a ParsedCert,
    ) -> impl Iterator<Item = (usize, &'a ParsedCert)> + 'a {
        self.0.iter().enumerate().filter(move |(_, a)| a.subject == cert.issuer)
    }

    /// The anchor at `index`.
    pub fn at(&self, index: usize) -> Option<&ParsedCert> {
        self.0.get(index)
    }

    /// True when no anchor is configured.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
