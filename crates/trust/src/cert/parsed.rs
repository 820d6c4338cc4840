//! One X.509 certificate reduced to the owned facts the STI checks need (parsed once per fetch).

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, VerifyingKey};
use x509_parser::extensions::{DistributionPointName, GeneralName};
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_SIG_ECDSA_WITH_SHA256, Oid,
};
use x509_parser::prelude::{FromDer, ParsedExtension, X509Certificate};

use super::{CertError, ClaimConstraints, TnAuthList};

const OID_TN_AUTH_LIST: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 26];
const OID_JWT_CLAIM_CONSTRAINTS: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 27];
const OID_ENHANCED_JWT_CLAIM_CONSTRAINTS: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 33];

/// The facts of one certificate.
#[derive(Debug, Clone)]
pub struct ParsedCert {
    /// The certificate's DER.
    pub der: Vec<u8>,
    /// Raw DER of the subject name.
    pub subject: Vec<u8>,
    /// Raw DER of the issuer name.
    pub issuer: Vec<u8>,
    /// Serial number bytes (as encoded).
    pub serial: Vec<u8>,
    /// notBefore, seconds since the epoch.
    pub not_before: i64,
    /// notAfter, seconds since the epoch.
    pub not_after: i64,
    /// The P-256 public key.
    pub key: VerifyingKey,
    /// basicConstraints CA flag.
    pub is_ca: bool,
    /// keyUsage bits (digitalSignature, keyCertSign), `None` when the extension is absent.
    pub key_usage: Option<(bool, bool)>,
    /// The TNAuthList, if present (`Err` when present but malformed).
    pub tn_auth_list: Option<Result<TnAuthList, CertError>>,
    /// JWT claim constraints, if present (`None` inside when malformed).
    pub claim_constraints: Option<Option<ClaimConstraints>>,
    /// CRL distribution point URLs.
    pub crl_urls: Vec<String>,
    /// A critical extension we do not understand is present.
    pub unknown_critical: bool,
    tbs: Vec<u8>,
    signature: Vec<u8>,
}

impl ParsedCert {
    /// Parses one DER certificate. Only ECDSA P-256 keys signed with ecdsa-with-SHA256 pass.
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        let (rest, cert) = X509Certificate::from_der(der)
            .map_err(|_| CertError::Malformed("X.509 does not decode"))?;
        if !rest.is_empty() {
            return Err(CertError::Malformed("trailing bytes after certificate"));
        }
        if cert.signature_algorithm.algorithm != OID_SIG_ECDSA_WITH_SHA256 {
            return Err(CertError::UnsupportedAlgorithm);
        }
        let key = p256_key(&cert)?;
        let mut out = ParsedCert {
            der: der.to_vec(),
            subject: cert.subject().as_raw().to_vec(),
            issuer: cert.issuer().as_raw().to_vec(),
            serial: cert.raw_serial().to_vec(),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            key,
            is_ca: false,
            key_usage: None,
            tn_auth_list: None,
            claim_constraints: None,
            crl_urls: Vec::new(),
            unknown_critical: false,
            tbs: cert.tbs_certificate.as_ref().to_vec(),
            signature: cert.signature_value.data.to_vec(),
        };
        for ext in cert.extensions() {
            out.absorb(ext);
        }
        Ok(out)
    }

    fn absorb(&mut self, ext: &x509_parser::extensions::X509Extension<'_>) {
        let oid = ext.oid.iter().map(|arcs| arcs.collect::<Vec<u64>>()).unwrap_or_default();
        if oid == OID_TN_AUTH_LIST {
            self.tn_auth_list = Some(TnAuthList::decode(ext.value));
            return;
        }
        if oid == OID_JWT_CLAIM_CONSTRAINTS || oid == OID_ENHANCED_JWT_CLAIM_CONSTRAINTS {
            self.claim_constraints = Some(ClaimConstraints::decode(ext.value));
            return;
        }
        match ext.parsed_extension() {
            ParsedExtension::BasicConstraints(bc) => self.is_ca = bc.ca,
            ParsedExtension::KeyUsage(ku) => {
                self.key_usage = Some((ku.digital_signature(), ku.key_cert_sign()))
            }
            ParsedExtension::CRLDistributionPoints(points) => {
                self.crl_urls.extend(crl_urls(points))
            }
            ParsedExtension::UnsupportedExtension { .. } | ParsedExtension::ParseError { .. } => {
                self.unknown_critical |= ext.critical;
            }
            _ => {}
        }
    }

    /// True when `issuer`'s key verifies this certificate's signature.
    pub fn signed_by(&self, issuer: &ParsedCert) -> bool {
        DerSignature::from_bytes(&self.signature)
            .is_ok_and(|sig| issuer.key.verify(&self.tbs, &sig).is_ok())
    }

    /// True when valid at `now_secs` (inclusive bounds, RFC 5280).
    pub fn time_check(&self, now_secs: i64) -> Result<(), CertError> {
        if now_secs < self.not_before {
            return Err(CertError::NotYetValid);
        }
        if now_secs > self.not_after {
            return Err(CertError::Expired);
        }
        Ok(())
    }
}

fn p256_key(cert: &X509Certificate<'_>) -> Result<VerifyingKey, CertError> {
    let spki = cert.public_key();
    let curve: Option<Oid<'_>> = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok());
    if spki.algorithm.algorithm != OID_KEY_TYPE_EC_PUBLIC_KEY
        || curve.as_ref() != Some(&OID_EC_P256)
    {
        return Err(CertError::UnsupportedAlgorithm);
    }
    VerifyingKey::from_sec1_bytes(&spki.subject_public_key.data)
        .map_err(|_| CertError::UnsupportedAlgorithm)
}

fn crl_urls(points: &x509_parser::extensions::CRLDistributionPoints<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for point in points.iter() {
        if let Some(DistributionPointName::FullName(names)) = &point.distribution_point {
            for name in names {
                if let GeneralName::URI(uri) = name {
                    out.push((*uri).to_owned());
                }
            }
        }
    }
    out
}
