//! What the trust engine needs to know about an incoming call, independent of the SIP parser.

use serde::{Deserialize, Serialize};

use crate::pii::Pii;

mod from_request;

pub use from_request::CallFactsError;

/// One party of the call as the INVITE presents it (From, P-Asserted-Identity or To).
/// `Debug` redacts everything but `verstat` (numbers and names are personal data).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The URI user part or `tel:` number as presented (`+12155550101`, `1001`, `anonymous`).
    pub user: String,
    /// The URI host, when a SIP URI (`example.com`).
    #[serde(default)]
    pub host: String,
    /// The display name, if any (`"IT Helpdesk"`). Untrusted text from the caller.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The `verstat` URI parameter (3GPP TS 24.229), if present.
    #[serde(default)]
    pub verstat: Option<String>,
}

/// Where the call entered the organisation's network, when the engine can tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOrigin {
    /// Unknown: decided from the number's form (full E.164 means the external trunk).
    #[default]
    Unknown,
    /// A colleague on the same PBX (the registrar says so).
    Internal,
    /// The external trunk (PSTN or another carrier).
    ExternalTrunk,
}

/// The facts of one incoming INVITE. Built by [`InboundCall::from_request`] or by hand in tests.
/// `Debug` redacts the parties (personal data never reaches logs).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundCall {
    /// The From header.
    pub from: Party,
    /// The P-Asserted-Identity header, if any.
    #[serde(default)]
    pub pai: Option<Party>,
    /// The To header.
    pub to: Party,
    /// The user part of the request URI.
    #[serde(default)]
    pub request_uri_user: String,
    /// Every `Identity` header value, in order (full or compact form).
    #[serde(default)]
    pub identity: Vec<String>,
    /// Every `Call-Info` header value (unsigned; never shown as verified).
    #[serde(default)]
    pub call_info: Vec<String>,
    /// The `Date` header in seconds since the epoch, for compact-form PASSporTs.
    #[serde(default)]
    pub date: Option<i64>,
    /// True when the INVITE arrived over the registrar's TLS flow (then `verstat` may be trusted).
    #[serde(default)]
    pub via_registrar_tls: bool,
    /// Where the call entered, when known.
    #[serde(default)]
    pub origin: CallOrigin,
}

impl InboundCall {
    /// The network `verstat`, taken from P-Asserted-Identity first, then From.
    pub fn verstat(&self) -> Option<&str> {
        self.pai.as_ref().and_then(|p| p.verstat.as_deref()).or(self.from.verstat.as_deref())
    }

    /// The display name the caller presents (P-Asserted-Identity first, then From).
    pub fn display_name(&self) -> Option<&str> {
        self.pai
            .as_ref()
            .and_then(|p| p.display_name.as_deref())
            .or(self.from.display_name.as_deref())
            .filter(|n| !n.trim().is_empty())
    }

    /// The caller's presented user part: P-Asserted-Identity when present, else From.
    pub fn caller_user(&self) -> &str {
        self.pai.as_ref().map_or(self.from.user.as_str(), |p| p.user.as_str())
    }
}

impl std::fmt::Debug for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Party")
            .field("user", &Pii(&self.user))
            .field("host", &Pii(&self.host))
            .field("display_name", &self.display_name.as_ref().map(Pii))
            .field("verstat", &self.verstat)
            .finish()
    }
}

impl std::fmt::Debug for InboundCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundCall")
            .field("from", &self.from)
            .field("pai", &self.pai)
            .field("to", &self.to)
            .field("identity_headers", &self.identity.len())
            .field("call_info_headers", &self.call_info.len())
            .field("via_registrar_tls", &self.via_registrar_tls)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}
