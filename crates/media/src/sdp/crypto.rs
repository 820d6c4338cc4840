//! `a=crypto` (SDES, RFC 4568) with the suites of RFC 4568, RFC 6188 and RFC 7714.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rtc_srtp::protection_profile::ProtectionProfile;

use super::SdpError;

/// An SRTP crypto suite as SDES names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SrtpSuite {
    /// `AEAD_AES_256_GCM` (RFC 7714).
    AeadAes256Gcm,
    /// `AES_256_CM_HMAC_SHA1_80` (RFC 6188).
    Aes256CmHmacSha1_80,
    /// `AEAD_AES_128_GCM` (RFC 7714).
    AeadAes128Gcm,
    /// `AES_CM_128_HMAC_SHA1_80` (RFC 4568), what every SIP peer supports.
    Aes128CmHmacSha1_80,
    /// `AES_CM_128_HMAC_SHA1_32` (RFC 4568).
    Aes128CmHmacSha1_32,
}

impl SrtpSuite {
    /// Our preference order: 256-bit first, AEAD before HMAC at equal strength.
    pub const PREFERENCE: [Self; 5] = [
        Self::AeadAes256Gcm,
        Self::Aes256CmHmacSha1_80,
        Self::AeadAes128Gcm,
        Self::Aes128CmHmacSha1_80,
        Self::Aes128CmHmacSha1_32,
    ];

    /// The SDES suite name.
    pub fn name(self) -> &'static str {
        match self {
            Self::AeadAes256Gcm => "AEAD_AES_256_GCM",
            Self::Aes256CmHmacSha1_80 => "AES_256_CM_HMAC_SHA1_80",
            Self::AeadAes128Gcm => "AEAD_AES_128_GCM",
            Self::Aes128CmHmacSha1_80 => "AES_CM_128_HMAC_SHA1_80",
            Self::Aes128CmHmacSha1_32 => "AES_CM_128_HMAC_SHA1_32",
        }
    }

    /// Parses a suite name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::PREFERENCE.into_iter().find(|s| s.name() == name)
    }

    /// The `rtc-srtp` profile that implements this suite.
    pub fn profile(self) -> ProtectionProfile {
        match self {
            Self::AeadAes256Gcm => ProtectionProfile::AeadAes256Gcm,
            Self::Aes256CmHmacSha1_80 => ProtectionProfile::Aes256CmHmacSha1_80,
            Self::AeadAes128Gcm => ProtectionProfile::AeadAes128Gcm,
            Self::Aes128CmHmacSha1_80 => ProtectionProfile::Aes128CmHmacSha1_80,
            Self::Aes128CmHmacSha1_32 => ProtectionProfile::Aes128CmHmacSha1_32,
        }
    }

    /// Maps a DTLS-SRTP profile back to a suite.
    pub fn from_profile(profile: ProtectionProfile) -> Option<Self> {
        Self::PREFERENCE.into_iter().find(|s| s.profile() as u8 == profile as u8)
    }

    /// Master key length in bytes.
    pub fn key_len(self) -> usize {
        self.profile().key_len()
    }

    /// Master salt length in bytes.
    pub fn salt_len(self) -> usize {
        self.profile().salt_len()
    }
}

/// An SRTP master key and salt. `Debug` never prints the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct SrtpKeyMaterial {
    /// Master key.
    pub key: Vec<u8>,
    /// Master salt.
    pub salt: Vec<u8>,
}

impl fmt::Debug for SrtpKeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SrtpKeyMaterial({} key bytes, {} salt bytes)", self.key.len(), self.salt.len())
    }
}

impl SrtpKeyMaterial {
    /// Fresh random key material for `suite` from the crypto provider's CSPRNG.
    pub fn random(suite: SrtpSuite) -> Result<Self, SdpError> {
        let provider = rtc_srtp::crypto::default_provider().map_err(|_| SdpError::Random)?;
        let mut buf = vec![0u8; suite.key_len() + suite.salt_len()];
        provider.random().fill(&mut buf).map_err(|_| SdpError::Random)?;
        let salt = buf.split_off(suite.key_len());
        Ok(Self { key: buf, salt })
    }

    fn from_inline(suite: SrtpSuite, b64: &str) -> Option<Self> {
        let mut buf = STANDARD.decode(b64).ok()?;
        if buf.len() != suite.key_len() + suite.salt_len() {
            return None;
        }
        let salt = buf.split_off(suite.key_len());
        Some(Self { key: buf, salt })
    }

    fn to_inline(&self) -> String {
        let mut buf = self.key.clone();
        buf.extend_from_slice(&self.salt);
        STANDARD.encode(buf)
    }
}

/// One usable `a=crypto` line: a single inline key without MKI or session parameters.
///
/// Lines with several keys, an MKI or session parameters (`UNENCRYPTED_SRTP`, `KDR`...)
/// are not representable here and are skipped by [`CryptoAttribute::parse`]; RFC 4568
/// lets an answerer ignore crypto lines it cannot honour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoAttribute {
    /// The tag that the answer echoes.
    pub tag: u32,
    /// The suite.
    pub suite: SrtpSuite,
    /// The sender's master key and salt.
    pub keys: SrtpKeyMaterial,
}

impl CryptoAttribute {
    /// Parses an `a=crypto` value, or `None` if unsupported or malformed.
    pub fn parse(value: &str) -> Option<Self> {
        let mut fields = value.split_whitespace();
        let tag = fields.next()?.parse().ok()?;
        let suite = SrtpSuite::from_name(fields.next()?)?;
        let key_params = fields.next()?;
        if fields.next().is_some() || key_params.contains(';') {
            return None;
        }
        let inline = key_params.strip_prefix("inline:")?;
        let mut parts = inline.split('|');
        let keys = SrtpKeyMaterial::from_inline(suite, parts.next()?)?;
        // A lifetime is fine (we never rekey before it); an MKI is not supported.
        if parts.any(|p| p.contains(':')) {
            return None;
        }
        Some(Self { tag, suite, keys })
    }

    /// The attribute value (`<tag> <suite> inline:<key||salt>`).
    pub fn to_value(&self) -> String {
        format!("{} {} inline:{}", self.tag, self.suite.name(), self.keys.to_inline())
    }
}
