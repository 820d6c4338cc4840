//! Policy: the organisation's settings for verification, detectors and the outbound guard.

use serde::{Deserialize, Serialize};

use crate::reputation::DirectoryEntry;

/// Organisation policy. Every field has a safe default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Lab only: accept `http:` x5u URLs (production requires https).
    pub allow_http_x5u: bool,
    /// ISO region for numbers written without a country code.
    pub default_region: String,
    /// Allowed PASSporT `iat` distance from now, both directions.
    pub max_iat_skew_secs: i64,
    /// High-risk international ranges (`+882*`, `+2322*`), used by the one-ring detector.
    pub high_risk_ranges: Vec<String>,
    /// Also treat Caribbean NANP area codes that look domestic (809, 876, 473, ...) as high risk.
    pub caribbean_lookalikes: bool,
    /// Premium-rate ranges (`+1900*`, `+44909*`), in addition to libphonenumber's.
    pub premium_ranges: Vec<String>,
    /// The organisation's own DID ranges (`+1215555*`): internal numbers.
    pub internal_ranges: Vec<String>,
    /// Digit strings up to this length are internal extensions, not phone numbers.
    pub max_extension_digits: usize,
    /// The bank named in policy (impersonation target; its numbers are the callback numbers).
    pub bank: Option<DirectoryEntry>,
    /// The pinned ed25519 key of the organisation feed (base64 or hex, 32 bytes).
    pub feed_public_key: Option<String>,
    /// Fetch limits.
    pub fetch: FetchPolicy,
    /// One-ring (Wangiri) detector.
    pub one_ring: OneRingPolicy,
    /// Rotating-number burst detector.
    pub burst: BurstPolicy,
    /// Outbound toll-fraud guard.
    pub toll_fraud: TollFraudPolicy,
}

/// Limits on certificate, CRL and RCD fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchPolicy {
    /// Hard deadline of a fetch, milliseconds.
    pub timeout_ms: i64,
    /// Largest certificate or CRL document accepted.
    pub max_certificate_bytes: usize,
    /// Largest logo or jCard accepted.
    pub max_rcd_bytes: usize,
    /// Cache lifetime when the response has no Cache-Control.
    pub default_ttl_secs: i64,
    /// Longest cache lifetime whatever Cache-Control says.
    pub max_ttl_secs: i64,
}

/// One-ring (Wangiri) detector settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OneRingPolicy {
    /// An unanswered ring this short (seconds) counts as a "one ring".
    pub short_ring_secs: u32,
}

/// Rotating-number burst detector settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BurstPolicy {
    /// Look-back window, seconds.
    pub window_secs: i64,
    /// Numbers sharing this many leading digits are "one range".
    pub prefix_digits: usize,
    /// Distinct numbers from one range within the window (this call included) that make a burst.
    pub min_numbers: usize,
}

/// Outbound toll-fraud guard settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TollFraudPolicy {
    /// Country calling codes that may be dialled (empty: all not blocked).
    pub allowed_country_codes: Vec<u16>,
    /// Country calling codes that may never be dialled.
    pub blocked_country_codes: Vec<u16>,
    /// International calls allowed per rolling hour.
    pub international_per_hour: u32,
    /// Numbers exempt from every outbound rule (approved by the organisation).
    pub override_numbers: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            allow_http_x5u: false,
            default_region: "US".into(),
            max_iat_skew_secs: 60,
            high_risk_ranges: Vec::new(),
            caribbean_lookalikes: true,
            premium_ranges: Vec::new(),
            internal_ranges: Vec::new(),
            max_extension_digits: 6,
            bank: None,
            feed_public_key: None,
            fetch: FetchPolicy::default(),
            one_ring: OneRingPolicy::default(),
            burst: BurstPolicy::default(),
            toll_fraud: TollFraudPolicy::default(),
        }
    }
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            timeout_ms: 2000,
            max_certificate_bytes: 32 * 1024,
            max_rcd_bytes: 256 * 1024,
            default_ttl_secs: 3600,
            max_ttl_secs: 86_400,
        }
    }
}

impl Default for OneRingPolicy {
    fn default() -> Self {
        OneRingPolicy { short_ring_secs: 5 }
    }
}

impl Default for BurstPolicy {
    fn default() -> Self {
        BurstPolicy { window_secs: 900, prefix_digits: 8, min_numbers: 3 }
    }
}

impl Default for TollFraudPolicy {
    fn default() -> Self {
        TollFraudPolicy {
            allowed_country_codes: Vec::new(),
            blocked_country_codes: Vec::new(),
            international_per_hour: 10,
            override_numbers: Vec::new(),
        }
    }
}
