//! Certificate cache keyed by x5u, honouring Cache-Control (`max-age`, `no-store`, `no-cache`).
//! Entries hold the parsed chain and the result of path building, so that a warm-cache verdict
//! costs one ECDSA verification.

use std::collections::HashMap;
use std::sync::Arc;

use super::{CertError, Chain, ValidPath};
use crate::fetch::FetchUrl;
use crate::time::UnixTime;

/// Most entries kept; the entry expiring first is dropped beyond that.
const MAX_ENTRIES: usize = 4096;

/// A cached x5u document: the parsed chain and its signature path (or why it has none).
#[derive(Debug, Clone)]
pub struct CacheEntry {
    /// The chain, or why it did not parse.
    pub chain: Result<Arc<Chain>, CertError>,
    /// The path to an anchor, or why there is none (time-independent).
    pub path: Result<ValidPath, CertError>,
    /// When the entry stops being fresh.
    pub expires: UnixTime,
}

/// The cache. Time comes in as `now`; nothing here reads the clock.
#[derive(Debug, Default)]
pub struct CertCache {
    entries: HashMap<FetchUrl, CacheEntry>,
}

impl CertCache {
    /// A fresh entry for `url`, if any.
    pub fn lookup(&self, url: &FetchUrl, now: UnixTime) -> Option<&CacheEntry> {
        self.entries.get(url).filter(|e| e.expires > now)
    }

    /// Stores `entry` for `url` per `cache_control`, with `default_ttl_secs` when the header is
    /// absent and `max_ttl_secs` as a ceiling. Returns false when the response forbids storing.
    pub fn store(
        &mut self,
        url: FetchUrl,
        mut entry: CacheEntry,
        cache_control: Option<&str>,
        now: UnixTime,
        ttl: (i64, i64),
    ) -> bool {
        let (default_ttl_secs, max_ttl_secs) = ttl;
        let Some(secs) = lifetime(cache_control, default_ttl_secs) else {
            self.entries.remove(&url);
            return false;
        };
        entry.expires = now.plus_secs(secs.min(max_ttl_secs));
        if self.entries.len() >= MAX_ENTRIES && !self.entries.contains_key(&url) {
            self.evict(now);
        }
        self.entries.insert(url, entry);
        true
    }

    fn evict(&mut self, now: UnixTime) {
        self.entries.retain(|_, e| e.expires > now);
        if self.entries.len() >= MAX_ENTRIES {
            let first = self.entries.iter().min_by_key(|(_, e)| e.expires).map(|(k, _)| k.clone());
            if let Some(k) = first {
                self.entries.remove(&k);
            }
        }
    }

    /// Number of entries (fresh or not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Seconds the response may be reused, or `None` when it must not be stored.
pub(crate) fn lifetime(cache_control: Option<&str>, default_ttl_secs: i64) -> Option<i64> {
    let Some(cc) = cache_control else { return Some(default_ttl_secs) };
    let mut max_age = None;
    for directive in cc.split(',').map(|d| d.trim().to_ascii_lowercase()) {
        if directive == "no-store" || directive == "no-cache" {
            return None;
        }
        if let Some(v) = directive.strip_prefix("max-age=") {
            max_age = Some(v.trim_matches('"').parse::<i64>().ok()?);
        }
    }
    match max_age {
        Some(0) => None,
        Some(secs) => Some(secs),
        None => Some(default_ttl_secs),
    }
}

#[cfg(test)]
mod tests {
    use super::lifetime;

    #[test]
    fn cache_control_directives_set_the_lifetime() {
        assert_eq!(lifetime(None, 3600), Some(3600));
        assert_eq!(lifetime(Some("public, max-age=60"), 3600), Some(60));
        assert_eq!(lifetime(Some("no-store"), 3600), None);
        assert_eq!(lifetime(Some("max-age=0"), 3600), None);
        assert_eq!(lifetime(Some("max-age=abc"), 3600), None);
        assert_eq!(lifetime(Some("private"), 3600), Some(3600));
    }
}
