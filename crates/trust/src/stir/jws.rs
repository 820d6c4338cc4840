//! The PASSporT as a JWS (RFC 7515 compact serialisation, RFC 8225 §8): header checks and ES256.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::Value;

use super::{StirError, strict_json};

/// Claims listed in `crit` that this verifier understands (RFC 8225 §8.1 requires refusing others).
const UNDERSTOOD_CRIT: [&str; 6] = ["attest", "origid", "div", "rcd", "rcdi", "crn"];

/// The protected JWS header of a PASSporT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwsHeader {
    /// Always `ES256` once parsed: any other value is refused.
    pub alg: String,
    /// `ppt` (`shaken`, `div`, `rcd`) or `None` for a base PASSporT.
    pub ppt: Option<String>,
    /// Where the signing certificate lives.
    pub x5u: String,
}

/// A decoded, not yet verified, JWS: header, payload JSON and the ES256 signature.
#[derive(Debug, Clone)]
pub struct Jws {
    /// The checked header.
    pub header: JwsHeader,
    /// The payload object.
    pub payload: Value,
    signing_input: String,
    signature: Signature,
}

impl Jws {
    /// Decodes `header_b64.payload_b64.signature_b64`. `payload_b64` may be supplied by the
    /// caller for the compact form, where the token carries an empty payload.
    pub fn decode(token: &str, rebuilt_payload_b64: Option<&str>) -> Result<Self, StirError> {
        let mut parts = token.split('.');
        let (Some(h64), Some(p64), Some(s64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(StirError::JwsMalformed("not three parts"));
        };
        let p64 = match (p64.is_empty(), rebuilt_payload_b64) {
            (true, Some(rebuilt)) => rebuilt,
            (true, None) => return Err(StirError::JwsMalformed("empty payload")),
            (false, _) => p64,
        };
        let header = parse_header(&b64(h64, "header")?)?;
        let payload = strict_json::parse(&b64(p64, "payload")?).map_err(StirError::Json)?;
        if !payload.is_object() {
            return Err(StirError::JwsMalformed("payload is not an object"));
        }
        let sig_bytes = b64(s64, "signature")?;
        let signature = Signature::from_slice(&sig_bytes)
            .map_err(|_| StirError::JwsMalformed("signature is not 64 bytes r||s"))?;
        Ok(Jws { header, payload, signing_input: format!("{h64}.{p64}"), signature })
    }

    /// Verifies the ES256 signature with the certificate's key.
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), StirError> {
        key.verify(self.signing_input.as_bytes(), &self.signature)
            .map_err(|_| StirError::SignatureInvalid)
    }
}

fn b64(part: &str, what: &'static str) -> Result<Vec<u8>, StirError> {
    URL_SAFE_NO_PAD.decode(part).map_err(|_| {
        StirError::JwsMalformed(match what {
            "header" => "header is not base64url",
            "payload" => "payload is not base64url",
            _ => "signature is not base64url",
        })
    })
}

fn parse_header(bytes: &[u8]) -> Result<JwsHeader, StirError> {
    let v = strict_json::parse(bytes).map_err(StirError::Json)?;
    let obj = v.as_object().ok_or(StirError::JwsMalformed("header is not an object"))?;
    let alg = match obj.get("alg") {
        Some(Value::String(a)) => a.clone(),
        _ => return Err(StirError::JwsMalformed("header has no alg")),
    };
    if alg != "ES256" {
        return Err(StirError::AlgorithmNotAllowed(alg));
    }
    match obj.get("typ") {
        None => {}
        Some(Value::String(t)) if t.eq_ignore_ascii_case("passport") => {}
        Some(_) => return Err(StirError::TypNotPassport),
    }
    if let Some(crit) = obj.get("crit") {
        check_crit(crit)?;
    }
    let ppt = match obj.get("ppt") {
        None => None,
        Some(Value::String(p)) => Some(p.clone()),
        Some(_) => return Err(StirError::JwsMalformed("ppt is not a string")),
    };
    let x5u = match obj.get("x5u") {
        Some(Value::String(u)) => u.clone(),
        _ => return Err(StirError::X5uMissing),
    };
    Ok(JwsHeader { alg, ppt, x5u })
}

fn check_crit(crit: &Value) -> Result<(), StirError> {
    let list = crit
        .as_array()
        .filter(|l| !l.is_empty())
        .ok_or(StirError::JwsMalformed("crit is not a list"))?;
    for item in list {
        let name = item.as_str().ok_or(StirError::JwsMalformed("crit entry is not a string"))?;
        if !UNDERSTOOD_CRIT.contains(&name) {
            return Err(StirError::CritUnknown(name.to_owned()));
        }
    }
    Ok(())
}
