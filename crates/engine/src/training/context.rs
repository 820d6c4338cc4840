//! The training line's trust context: the user's number, a small company directory, a contact, a
//! bank, a block list, one-ring history and the training STI-CA. It is what an administrator
//! would push for a real account (`docs/trust-context.md`), built in so that a new user sees every
//! trust state without a SIP server.
//!
//! The STI root here is a trust anchor for this context only: real accounts never trust it.

use serde_json::json;
use trust::{ContextFile, TrustContext, UnixTime};

use super::scenarios::{BANK, BLOCKED, CEO, COLLEAGUE, CONTACT, HELPDESK, ONE_RING, OWN_NUMBER};

/// The training STI root CA (10 years from 2026-11-25; `pki/make.sh`).
const ROOT_CA: &str = include_str!("pki/ca.pem");
/// The x5u document: the training SP certificate (TNAuthList SPC 1234) and the root.
const SP_CHAIN: &str = include_str!("pki/sp-chain.pem");
/// Where the training PASSporTs say their certificate is; answered offline from [`SP_CHAIN`].
pub(crate) const X5U: &str = "https://sti.training.callwarden.invalid/sp.pem";

/// Why the built-in context does not build: a bug in this file, caught by the tests.
#[derive(Debug, thiserror::Error)]
#[error("the training trust context is invalid: {0}")]
pub struct ContextError(String);

/// The training context as of `now` (the one-ring history is "yesterday").
pub(crate) fn training_context(now: UnixTime) -> Result<TrustContext, ContextError> {
    let yesterday = now.secs() - 86_400;
    let file = json!({
        "own_numbers": [OWN_NUMBER],
        "directory": [
            { "name": "IT Helpdesk", "aliases": ["Helpdesk", "Service Desk", "IT Support"],
              "numbers": [HELPDESK], "extension": "1000" },
            { "name": "Jane Doe", "aliases": ["CEO"], "numbers": [CEO], "extension": "1011" },
            { "name": "Dana Reyes", "aliases": ["Finance"], "numbers": [COLLEAGUE], "extension": "1042" }
        ],
        "contacts": [{ "name": "Bob Builder", "numbers": [CONTACT] }],
        "history": [
            { "number": ONE_RING, "at": yesterday, "ring_secs": 1, "answered": false },
            { "number": COLLEAGUE, "at": yesterday, "ring_secs": 4, "answered": true, "duration_secs": 240 }
        ],
        "block": [BLOCKED],
        "trust_anchors": [{ "pem": ROOT_CA }],
        "x5u": { X5U: { "path": "sp-chain.pem", "cache_control": "max-age=86400" } },
        "policy": {
            "default_region": "US",
            "high_risk_ranges": ["+882*", "+883*"],
            "caribbean_lookalikes": true,
            "premium_ranges": ["+1900*"],
            "internal_ranges": ["+121555501*"],
            "bank": { "name": "First Example Bank", "aliases": ["Example Bank"], "numbers": [BANK] },
            "toll_fraud": { "blocked_country_codes": [882, 883] }
        }
    });
    let parsed = ContextFile::from_json(file.to_string().as_bytes())
        .map_err(|e| ContextError(e.to_string()))?;
    let read = |name: &str| match name {
        "sp-chain.pem" => Ok(SP_CHAIN.as_bytes().to_vec()),
        _ => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
    };
    parsed.build(&read).map_err(|e| ContextError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_context_builds_and_knows_the_directory() {
        let ctx = training_context(UnixTime::from_secs(1_795_000_000)).expect("builds");
        let helpdesk = trust::E164::parse(HELPDESK, ctx.region).expect("number");
        let entry = ctx.directory.entry_for_number(helpdesk).expect("in the directory");
        assert_eq!(entry.name, "IT Helpdesk");
        assert!(ctx.offline_fetch(X5U).is_some(), "the x5u is answered offline");
    }
}
