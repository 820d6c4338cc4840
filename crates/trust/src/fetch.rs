//! Fetches the engine performs for the trust core: x5u certificates, CRLs and RCD resources.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A URL to fetch (`http`/`https`, with a host). `Debug` shows only scheme and host.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FetchUrl(String);

/// Why a URL was refused before any fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// Not an absolute http(s) URL with a host.
    #[error("not an absolute http(s) URL")]
    Invalid,
    /// `http:` where policy requires `https:`.
    #[error("http URL where https is required")]
    HttpNotAllowed,
}

impl FetchUrl {
    /// Checks scheme and host; `http:` only when `allow_http` (lab policy).
    pub fn parse(url: &str, allow_http: bool) -> Result<Self, UrlError> {
        let lower = url.to_ascii_lowercase();
        let rest = if let Some(r) = lower.strip_prefix("https://") {
            r
        } else if let Some(r) = lower.strip_prefix("http://") {
            if !allow_http {
                return Err(UrlError::HttpNotAllowed);
            }
            r
        } else {
            return Err(UrlError::Invalid);
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let ok = !host.is_empty() && url.len() <= 2048 && url.bytes().all(|b| b.is_ascii_graphic());
        if !ok {
            return Err(UrlError::Invalid);
        }
        Ok(FetchUrl(url.to_owned()))
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for FetchUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = self.0.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_default();
        write!(f, "FetchUrl({host}/…)")
    }
}

/// What the engine found when it fetched a URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FetchResult {
    /// 200 with this body; `cache_control` is the response's Cache-Control header, if any.
    Body {
        /// The response body (at most the requested `max_bytes`).
        bytes: Vec<u8>,
        /// The Cache-Control header value.
        cache_control: Option<String>,
    },
    /// No answer before the deadline.
    Timeout,
    /// A non-200 HTTP status.
    HttpStatus(u16),
    /// The body exceeded `max_bytes` (the engine stopped reading).
    TooLarge,
    /// DNS, TCP or TLS failure, or offline.
    Unreachable,
}

/// What a fetch is for (changes limits and what happens with the body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchPurpose {
    /// A PASSporT `x5u` certificate chain.
    Certificate,
    /// A CRL distribution point.
    Crl,
    /// An RCD resource (logo `icn`, jCard `jcl`) whose digest `rcdi` pins.
    RcdResource,
}
