//! The context file (JSON, documented in `docs/trust-context.md`) and how it becomes a
//! [`TrustContext`]. Files it names are read through a caller-supplied function, so the core
//! does no IO; the CLI resolves paths relative to the context file.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::{ContextError, Policy, TrustContext};
use crate::call::CallOrigin;
use crate::cert::{Anchors, Crl, CrlSet};
use crate::e164::{E164, Region};
use crate::fetch::FetchResult;
use crate::reputation::{CallRecord, Contact, Directory, DirectoryEntry, Feed, History, NumberSet};

/// The context file as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContextFile {
    /// The user's own numbers.
    pub own_numbers: Vec<E164>,
    /// Company directory identities.
    pub directory: Vec<DirectoryEntry>,
    /// Personal contacts.
    pub contacts: Vec<Contact>,
    /// Past calls.
    pub history: Vec<CallRecord>,
    /// Block list: numbers or `+prefix*` ranges.
    pub block: Vec<String>,
    /// Allow list: numbers or `+prefix*` ranges.
    pub allow: Vec<String>,
    /// The signed organisation feed.
    pub feed: Option<FeedSource>,
    /// STI-CA trust anchors.
    pub trust_anchors: Vec<Material>,
    /// CRLs for offline use.
    pub crls: Vec<Material>,
    /// Offline answers for x5u and CRL URLs.
    pub x5u: BTreeMap<String, OfflineAnswer>,
    /// Offline answers for RCD logo and jCard URLs.
    pub rcd_resources: BTreeMap<String, OfflineAnswer>,
    /// Policy.
    pub policy: Policy,
    /// How the INVITE arrived (facts the INVITE itself cannot carry), for `trust check`.
    pub arrival: Arrival,
}

/// How the INVITE under test arrived.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Arrival {
    /// It came over the registrar's TLS flow (then a network `verstat` is believed).
    pub via_registrar_tls: bool,
    /// Where it entered: `unknown`, `internal` or `external_trunk`.
    pub origin: CallOrigin,
}

/// PEM given inline or as a path relative to the context file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Material {
    /// Inline PEM text.
    Pem(String),
    /// A file path.
    Path(String),
}

/// The organisation feed: inline text or a path, with its detached ed25519 signature.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedSource {
    /// Inline feed text.
    #[serde(default)]
    pub inline: Option<String>,
    /// Or a path to the feed file.
    #[serde(default)]
    pub path: Option<String>,
    /// The signature, base64 or hex.
    #[serde(default)]
    pub signature: Option<String>,
    /// Or a path to a file holding it (raw 64 bytes, base64 or hex).
    #[serde(default)]
    pub signature_path: Option<String>,
}

/// What fetching a URL would give, for offline and lab use.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfflineAnswer {
    /// A file whose bytes are the response body.
    pub path: Option<String>,
    /// The response's Cache-Control header.
    pub cache_control: Option<String>,
    /// Simulate an HTTP status other than 200.
    pub status: Option<u16>,
    /// Simulate a fetch that never answers (the deadline passes).
    pub timeout: bool,
}

impl ContextFile {
    /// Parses the JSON text.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ContextError> {
        Ok(serde_json::from_slice(bytes)?)
    }

    /// Builds the context; `read` returns the bytes of a path named in the file.
    pub fn build(
        self,
        read: &dyn Fn(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<TrustContext, ContextError> {
        let load = |path: &str| {
            read(path).map_err(|source| ContextError::Read { path: path.to_owned(), source })
        };
        let material = |m: &Material| match m {
            Material::Pem(text) => Ok(text.clone().into_bytes()),
            Material::Path(p) => load(p),
        };
        let mut anchors = Anchors::default();
        for m in &self.trust_anchors {
            anchors.add_pem(&material(m)?)?;
        }
        let mut crls = CrlSet::default();
        for m in &self.crls {
            crls.extend(Crl::parse(&material(m)?)?);
        }
        let mut offline = BTreeMap::new();
        for (url, answer) in self.x5u.iter().chain(&self.rcd_resources) {
            offline.insert(url.clone(), answer.to_result(&load)?);
        }
        let feed = match &self.feed {
            Some(source) => Some(source.load(&load, self.policy.feed_public_key.as_deref())?),
            None => None,
        };
        let region = Region::parse(&self.policy.default_region).ok_or(ContextError::Region)?;
        let mut entries = self.directory;
        entries.extend(self.policy.bank.clone().map(|b| DirectoryEntry { internal: false, ..b }));
        let list = |v: &[String]| NumberSet::from_entries(v.iter().map(String::as_str));
        let neighbour_prefixes =
            self.own_numbers.iter().filter_map(|n| neighbour_prefix(*n)).collect();
        Ok(TrustContext {
            neighbour_prefixes,
            own_numbers: self.own_numbers,
            directory: Directory { entries, contacts: self.contacts },
            history: History::new(self.history, self.policy.one_ring.short_ring_secs),
            block: list(&self.block),
            allow: list(&self.allow),
            feed,
            anchors,
            crls,
            offline,
            high_risk: list(&self.policy.high_risk_ranges),
            premium: list(&self.policy.premium_ranges),
            internal: list(&self.policy.internal_ranges),
            region,
            policy: self.policy,
        })
    }
}

impl OfflineAnswer {
    fn to_result(
        &self,
        load: &dyn Fn(&str) -> Result<Vec<u8>, ContextError>,
    ) -> Result<FetchResult, ContextError> {
        if self.timeout {
            return Ok(FetchResult::Timeout);
        }
        if let Some(status) = self.status.filter(|s| *s != 200) {
            return Ok(FetchResult::HttpStatus(status));
        }
        match &self.path {
            Some(p) => {
                Ok(FetchResult::Body { bytes: load(p)?, cache_control: self.cache_control.clone() })
            }
            None => Ok(FetchResult::Unreachable),
        }
    }
}

impl FeedSource {
    fn load(
        &self,
        load: &dyn Fn(&str) -> Result<Vec<u8>, ContextError>,
        key: Option<&str>,
    ) -> Result<Feed, ContextError> {
        let key = decode_bytes(key.ok_or(ContextError::FeedKeyMissing)?, "policy.feed_public_key")?;
        let key: [u8; 32] =
            key.try_into().map_err(|_| ContextError::Encoding("policy.feed_public_key"))?;
        let text = match (&self.inline, &self.path) {
            (Some(t), _) => t.clone().into_bytes(),
            (None, Some(p)) => load(p)?,
            (None, None) => Vec::new(),
        };
        let sig = match (&self.signature, &self.signature_path) {
            (Some(s), _) => decode_bytes(s, "feed.signature")?,
            (None, Some(p)) => {
                let raw = load(p)?;
                if raw.len() == 64 {
                    raw
                } else {
                    decode_bytes(&String::from_utf8_lossy(&raw), "feed.signature_path")?
                }
            }
            (None, None) => Vec::new(),
        };
        Ok(Feed::load_signed(&text, &sig, &key)?)
    }
}

/// Country code plus the first six national digits (NANP: 1 + area code + exchange).
fn neighbour_prefix(n: E164) -> Option<String> {
    let cc_len = phonenumber::parse(None, n.plus()).ok()?.code().value().to_string().len();
    n.digits().get(..cc_len + 6).map(str::to_owned)
}

fn decode_bytes(text: &str, what: &'static str) -> Result<Vec<u8>, ContextError> {
    let t = text.trim();
    let is_hex = t.len() % 2 == 0 && t.bytes().all(|b| b.is_ascii_hexdigit());
    if is_hex {
        return (0..t.len())
            .step_by(2)
            .map(|i| t.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
            .collect::<Option<Vec<u8>>>()
            .ok_or(ContextError::Encoding(what));
    }
    STANDARD.decode(t).map_err(|_| ContextError::Encoding(what))
}
