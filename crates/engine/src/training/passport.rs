//! Signing the training line's calls: a SHAKEN PASSporT (RFC 8225, RFC 8588) in JWS compact form,
//! ES256 with the training SP key, as the originating carrier's authentication service would add
//! it (RFC 8224 §5). The JWS is two base64url JSON objects and a P-256 signature; the signature
//! itself is the `p256` crate's.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::json;

use super::context::X5U;

/// The training SP's signing key. Training only: it signs nothing but the training line's calls,
/// and its certificate chains to the training root, which only the training context trusts.
const SP_KEY: &str = include_str!("pki/sp.key");

/// SHAKEN attestation level as written in the PASSporT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attest {
    A,
    B,
}

impl Attest {
    fn letter(self) -> &'static str {
        match self {
            Attest::A => "A",
            Attest::B => "B",
        }
    }
}

/// The originating carrier's authentication service for training calls.
pub(crate) struct Carrier {
    key: SigningKey,
}

/// The embedded key does not parse: a packaging bug, caught by the tests.
#[derive(Debug, thiserror::Error)]
#[error("the training signing key is unreadable")]
pub struct KeyError;

impl Carrier {
    /// The signer with the embedded training key.
    pub fn training() -> Result<Self, KeyError> {
        let secret = p256::SecretKey::from_sec1_pem(SP_KEY).map_err(|_| KeyError)?;
        Ok(Self { key: SigningKey::from(secret) })
    }

    /// The complete `Identity` header value for a call from `orig` to `dest` (E.164 with `+`)
    /// issued at `iat` (Unix seconds).
    pub fn identity(&self, attest: Attest, orig: &str, dest: &str, iat: i64) -> String {
        let header = json!({ "alg": "ES256", "ppt": "shaken", "typ": "passport", "x5u": X5U });
        let payload = json!({
            "attest": attest.letter(),
            "dest": { "tn": [dest.trim_start_matches('+')] },
            "iat": iat,
            "orig": { "tn": orig.trim_start_matches('+') },
            "origid": origid(),
        });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let signature: Signature = self.key.sign(input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(signature.to_bytes());
        format!("{input}.{signature};info=<{X5U}>;alg=ES256;ppt=shaken")
    }
}

/// A random UUID (version 4) naming the call's origination point.
fn origid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Adds `Identity: <value>` to a serialized request, before the blank line that ends its header
/// section; a message without one is returned as it was.
pub(crate) fn with_identity(message: &[u8], identity: &str) -> Vec<u8> {
    let Some(end) = message.windows(4).position(|w| w == b"\r\n\r\n") else {
        return message.to_vec();
    };
    let mut out = Vec::with_capacity(message.len() + identity.len() + 12);
    out.extend_from_slice(&message[..end + 2]);
    out.extend_from_slice(b"Identity: ");
    out.extend_from_slice(identity.as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&message[end + 2..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_header_lands_at_the_end_of_the_header_section() {
        let invite = b"INVITE sip:a@b SIP/2.0\r\nTo: <sip:a@b>\r\nContent-Length: 2\r\n\r\nhi";
        let out = with_identity(invite, "x.y.z;info=<https://s/c.pem>");
        let text = String::from_utf8(out).expect("text");
        assert!(
            text.ends_with("Content-Length: 2\r\nIdentity: x.y.z;info=<https://s/c.pem>\r\n\r\nhi")
        );
    }

    #[test]
    fn a_signed_identity_is_a_three_part_jws_with_its_parameters() {
        let signer = Carrier::training().expect("embedded key");
        let value = signer.identity(Attest::B, "+14155550199", "+12155550123", 1_795_000_000);
        let (jws, params) = value.split_once(';').expect("parameters");
        assert_eq!(jws.split('.').count(), 3);
        assert_eq!(params, format!("info=<{X5U}>;alg=ES256;ppt=shaken"));
        let payload = URL_SAFE_NO_PAD.decode(jws.split('.').nth(1).expect("payload")).expect("b64");
        let payload: serde_json::Value = serde_json::from_slice(&payload).expect("json");
        assert_eq!(payload["attest"], "B");
        assert_eq!(payload["orig"]["tn"], "14155550199");
        assert_eq!(payload["dest"]["tn"][0], "12155550123");
    }
}
