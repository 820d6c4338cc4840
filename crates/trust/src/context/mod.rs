//! Everything the verdict depends on besides the call: the user's numbers, directory, contacts,
//! history, lists, feed, trust anchors, CRLs, offline fetch answers and policy.

mod file;
mod policy;

use std::collections::BTreeMap;

pub use file::{Arrival, ContextFile, FeedSource, Material, OfflineAnswer};
pub use policy::{BurstPolicy, FetchPolicy, OneRingPolicy, Policy, TollFraudPolicy};

use crate::cert::{Anchors, CertError, CrlSet};
use crate::e164::{E164, Region};
use crate::fetch::FetchResult;
use crate::reputation::{Directory, Feed, FeedError, History, NumberSet};
use crate::stir::StirPolicy;

/// Why a context could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContextError {
    /// The JSON does not match the documented format.
    #[error("context JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A referenced file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path as written in the context.
        path: String,
        /// The IO error.
        source: std::io::Error,
    },
    /// A trust anchor or CRL does not parse.
    #[error("certificate material: {0}")]
    Cert(#[from] CertError),
    /// The organisation feed was refused.
    #[error("organisation feed: {0}")]
    Feed(#[from] FeedError),
    /// A feed is configured but policy pins no key (an unsigned feed is never used).
    #[error("organisation feed given but policy.feed_public_key is missing")]
    FeedKeyMissing,
    /// `default_region` is not an ISO region code.
    #[error("policy.default_region is not an ISO region code")]
    Region,
    /// A signature or key is not valid base64/hex.
    #[error("{0} is not valid base64 or hex")]
    Encoding(&'static str),
}

/// The loaded context.
#[derive(Debug, Default)]
pub struct TrustContext {
    /// The user's own numbers (neighbour spoofing).
    pub own_numbers: Vec<E164>,
    /// For each own number, its country code and first six national digits.
    pub neighbour_prefixes: Vec<String>,
    /// Directory (bank included) and contacts.
    pub directory: Directory,
    /// Local call history.
    pub history: History,
    /// User block list.
    pub block: NumberSet,
    /// User allow list.
    pub allow: NumberSet,
    /// The verified organisation feed.
    pub feed: Option<Feed>,
    /// STI-CA trust anchors.
    pub anchors: Anchors,
    /// CRLs supplied with the context.
    pub crls: CrlSet,
    /// Offline answers for fetch URLs (x5u, CRL, RCD resources).
    pub offline: BTreeMap<String, FetchResult>,
    /// High-risk ranges.
    pub high_risk: NumberSet,
    /// Premium-rate ranges.
    pub premium: NumberSet,
    /// The organisation's internal ranges.
    pub internal: NumberSet,
    /// Region for numbers without a country code.
    pub region: Region,
    /// The policy as configured.
    pub policy: Policy,
}

impl TrustContext {
    /// The STIR verifier settings derived from policy.
    pub fn stir_policy(&self) -> StirPolicy {
        StirPolicy {
            allow_http_x5u: self.policy.allow_http_x5u,
            region: self.region,
            max_iat_skew_secs: self.policy.max_iat_skew_secs,
        }
    }

    /// The offline answer for `url`, if the context maps it.
    pub fn offline_fetch(&self, url: &str) -> Option<FetchResult> {
        self.offline.get(url).cloned()
    }
}
