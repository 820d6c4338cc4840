//! Rich Call Data (RFC 9795): a brand name, logo and call reason are shown as verified only
//! when the PASSporT verified, the certificate's claim constraints allow them and every `rcdi`
//! digest matches the fetched resource. Unsigned `Call-Info` is never shown as verified.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::call::InboundCall;
use crate::fetch::{FetchResult, FetchUrl};
use crate::stir::Verified;
use crate::verdict::{RcdStatus, Reason, Severity};

/// At most this many `rcdi` resources are fetched per call.
const MAX_RESOURCES: usize = 4;

/// URLs whose digests `rcdi` pins and that must be fetched before the brand can be shown.
pub fn needed_urls(verified: &Verified, allow_http: bool) -> Vec<FetchUrl> {
    pinned(verified)
        .into_iter()
        .filter_map(|(_, url, _)| FetchUrl::parse(&url, allow_http).ok())
        .take(MAX_RESOURCES)
        .collect()
}

/// (pointer, url, digest) for every `rcdi` entry that points at a URL inside `rcd`.
fn pinned(verified: &Verified) -> Vec<(String, String, String)> {
    let (Some(rcd), Some(rcdi)) =
        (verified.payload.get("rcd"), verified.payload.get("rcdi").and_then(Value::as_object))
    else {
        return Vec::new();
    };
    rcdi.iter()
        .filter_map(|(ptr, digest)| {
            let url = rcd.pointer(ptr)?.as_str()?;
            Some((ptr.clone(), url.to_owned(), digest.as_str()?.to_owned()))
        })
        .collect()
}

/// The RCD status and its reasons. `fetched` answers for the URLs of [`needed_urls`].
pub fn evaluate(
    call: &InboundCall,
    verified: Option<&Verified>,
    fetched: &dyn Fn(&FetchUrl) -> Option<FetchResult>,
    allow_http: bool,
) -> (RcdStatus, Vec<Reason>) {
    let rcd =
        verified.and_then(|v| v.payload.get("rcd").and_then(Value::as_object).map(|r| (v, r)));
    let Some((v, rcd)) = rcd else {
        return unsigned(call);
    };
    let name = brand_name(rcd);
    let unverified = |code, sev, msg: &str| {
        (RcdStatus::Unverified { claimed_name: name.clone() }, vec![Reason::new(code, sev, msg)])
    };
    let permitted = match &v.claim_constraints {
        None => true,
        Some(None) => false,
        Some(Some(c)) => c.allow(&v.payload),
    };
    if !permitted {
        return unverified(
            "rcd.not_permitted",
            Severity::Caution,
            "The caller's certificate does not allow the business name it sent, so it is not shown.",
        );
    }
    let mut reasons = Vec::new();
    let mut logo_ok = false;
    for (ptr, url, digest) in pinned(v) {
        let body = FetchUrl::parse(&url, allow_http).ok().and_then(|u| fetched(&u));
        match body {
            Some(FetchResult::Body { bytes, .. }) if digest_matches(&bytes, &digest) => {
                logo_ok |= ptr == "/icn"
            }
            Some(FetchResult::Body { .. }) if ptr == "/icn" => {
                return unverified(
                    "rcd.logo_digest_mismatch",
                    Severity::Caution,
                    "The caller's logo does not match the signed fingerprint: the brand is not shown.",
                );
            }
            Some(FetchResult::Body { .. }) => {
                return unverified(
                    "rcd.digest_mismatch",
                    Severity::Caution,
                    "The caller's business card does not match the signed fingerprint: the brand is not shown.",
                );
            }
            _ => reasons.push(Reason::new(
                "rcd.resource_unavailable",
                Severity::Info,
                "The caller's logo could not be loaded in time.",
            )),
        }
    }
    let Some(name) = name else {
        return (RcdStatus::None, reasons);
    };
    let logo_url = rcd.get("icn").and_then(Value::as_str).filter(|_| logo_ok).map(str::to_owned);
    let reason = v.payload.get("crn").and_then(Value::as_str).map(str::to_owned);
    reasons.insert(0, Reason::new("rcd.verified_brand", Severity::Positive, format!(
        "The business name \"{name}\" is signed by the caller's carrier. This proves who is calling, not that the call is safe."
    )));
    (RcdStatus::Verified { name, logo_url, reason }, reasons)
}

fn unsigned(call: &InboundCall) -> (RcdStatus, Vec<Reason>) {
    if call.call_info.is_empty() {
        return (RcdStatus::None, Vec::new());
    }
    let claimed_name = call.display_name().map(str::to_owned);
    let reason = Reason::new(
        "rcd.unsigned_call_info",
        Severity::Info,
        "The caller sent a logo or business details without a signature; they are not shown as verified.",
    );
    (RcdStatus::Unverified { claimed_name }, vec![reason])
}

/// `nam`, else the jCard's `fn`.
fn brand_name(rcd: &Map<String, Value>) -> Option<String> {
    if let Some(n) = rcd.get("nam").and_then(Value::as_str).filter(|n| !n.trim().is_empty()) {
        return Some(n.to_owned());
    }
    let props = rcd.get("jcd")?.get(1)?.as_array()?;
    props
        .iter()
        .find(|p| p.get(0).and_then(Value::as_str) == Some("fn"))?
        .get(3)?
        .as_str()
        .map(str::to_owned)
}

/// `sha256-<base64>` (standard or url alphabet, padded or not) against the body's SHA-256.
fn digest_matches(body: &[u8], digest: &str) -> bool {
    let Some(b64) = digest.strip_prefix("sha256-") else { return false };
    let want = Sha256::digest(body);
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .any(|e| e.decode(b64).is_ok_and(|d| d[..] == want[..]))
}
