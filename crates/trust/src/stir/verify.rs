//! The verification pipeline in two stages: [`precheck`] (no certificate needed: header, JSON,
//! alg, x5u policy, freshness, orig/dest) and [`finish`] (chain, signature, TNAuthList).

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::{Attest, Claims, IdentityHeader, Jws, StirError};
use crate::call::InboundCall;
use crate::cert::{Anchors, CertError, Chain, ClaimConstraints, CrlSet, ValidPath};
use crate::e164::{E164, Region};
use crate::fetch::FetchUrl;
use crate::time::UnixTime;

/// Verifier settings taken from policy.
#[derive(Debug, Clone, Copy)]
pub struct StirPolicy {
    /// Lab only: accept `http:` x5u.
    pub allow_http_x5u: bool,
    /// Region for numbers without a country code.
    pub region: Region,
    /// Allowed `iat` distance from `now`, both directions (RFC 8224: 60 s).
    pub max_iat_skew_secs: i64,
}

/// A PASSporT that passed every check that needs no certificate.
#[derive(Debug, Clone)]
pub struct Unverified {
    /// The decoded JWS.
    pub jws: Jws,
    /// The typed claims.
    pub claims: Claims,
    /// The checked `x5u`.
    pub x5u: FetchUrl,
}

/// The outcome of [`precheck`]: the main PASSporT and any `div` PASSporTs.
#[derive(Debug, Clone)]
pub struct Prechecked {
    /// The SHAKEN (or base/rcd) PASSporT.
    pub main: Unverified,
    /// Diversion PASSporTs (RFC 8946).
    pub divs: Vec<Unverified>,
}

/// A PASSporT that verified end to end. Only [`finish`] builds one.
#[derive(Debug, Clone)]
pub struct Verified {
    /// SHAKEN attestation (None for a base or rcd PASSporT).
    pub attest: Option<Attest>,
    /// The verified originating number.
    pub orig: E164,
    /// The whole main payload (RCD claims live here).
    pub payload: Map<String, Value>,
    /// The leaf's JWT claim constraints, if any (`Some(None)` when malformed).
    pub claim_constraints: Option<Option<ClaimConstraints>>,
    /// True when the call was diverted and the div PASSporTs verified.
    pub diverted: bool,
}

impl Prechecked {
    /// Every certificate URL [`finish`] needs.
    pub fn urls(&self) -> Vec<FetchUrl> {
        let mut urls: Vec<FetchUrl> =
            std::iter::once(&self.main).chain(&self.divs).map(|p| p.x5u.clone()).collect();
        urls.sort();
        urls.dedup();
        urls
    }
}

/// A parsed x5u chain with its (time-independent) path to a trust anchor.
#[derive(Debug, Clone)]
pub struct AnchoredChain {
    /// The chain, leaf first.
    pub chain: Arc<Chain>,
    /// Its path to an anchor.
    pub path: ValidPath,
}

/// Stage 1. `Ok(None)` when the call carries no Identity header.
pub fn precheck(
    call: &InboundCall,
    policy: &StirPolicy,
    now: UnixTime,
) -> Result<Option<Prechecked>, StirError> {
    if call.identity.is_empty() {
        return Ok(None);
    }
    let mut seen = Vec::new();
    let (mut main, mut divs) = (None, Vec::new());
    for raw in &call.identity {
        if seen.contains(&raw.trim()) {
            return Err(StirError::DuplicateIdentity);
        }
        seen.push(raw.trim());
        let p = decode_one(call, raw, policy, now)?;
        if p.jws.header.ppt.as_deref() == Some("div") {
            divs.push(p);
        } else if main.replace(p).is_some() {
            return Err(StirError::DuplicateIdentity);
        }
    }
    let main = main.ok_or(StirError::ClaimInvalid("only div PASSporTs"))?;
    check_numbers(call, &main, &divs, policy.region)?;
    Ok(Some(Prechecked { main, divs }))
}

fn decode_one(
    call: &InboundCall,
    raw: &str,
    policy: &StirPolicy,
    now: UnixTime,
) -> Result<Unverified, StirError> {
    let header = IdentityHeader::parse(raw)?;
    if let Some(alg) = header.alg.as_deref().filter(|a| *a != "ES256") {
        return Err(StirError::AlgorithmNotAllowed(alg.to_owned()));
    }
    let rebuilt = if header.is_compact() {
        Some(compact_payload(call, header.ppt.as_deref(), policy.region)?)
    } else {
        None
    };
    let jws = Jws::decode(&header.token, rebuilt.as_deref())?;
    let ppt = jws.header.ppt.as_deref();
    if header.is_compact() && ppt == Some("shaken") {
        return Err(StirError::CompactFormUnsupported);
    }
    if header.ppt.is_some() && header.ppt.as_deref() != ppt {
        return Err(StirError::IdentityMalformed("ppt parameter differs from the PASSporT"));
    }
    if header.info.as_deref().is_some_and(|info| info != jws.header.x5u) {
        return Err(StirError::InfoMismatch);
    }
    let x5u = FetchUrl::parse(&jws.header.x5u, policy.allow_http_x5u).map_err(StirError::X5u)?;
    let claims = Claims::from_payload(&jws.payload, ppt)?;
    let skew = claims.iat.saturating_sub(now.secs());
    if skew > policy.max_iat_skew_secs {
        return Err(StirError::IatFuture);
    }
    if -skew > policy.max_iat_skew_secs {
        return Err(StirError::IatStale);
    }
    Ok(Unverified { jws, claims, x5u })
}

/// RFC 8224 §7.1.1: rebuild the payload of a compact-form PASSporT from the SIP request, in the
/// canonical form of RFC 8225 §9 (keys sorted, no whitespace).
fn compact_payload(
    call: &InboundCall,
    ppt: Option<&str>,
    region: Region,
) -> Result<String, StirError> {
    if ppt == Some("shaken") {
        return Err(StirError::CompactFormUnsupported);
    }
    let iat = call.date.ok_or(StirError::ClaimInvalid("compact form needs a Date header"))?;
    let orig = E164::parse(call.caller_user(), region).map_err(|_| StirError::OrigMismatch)?;
    let dest = E164::parse(&call.to.user, region).map_err(|_| StirError::DestMismatch)?;
    let json = format!(
        r#"{{"dest":{{"tn":["{}"]}},"iat":{iat},"orig":{{"tn":"{}"}}}}"#,
        dest.digits(),
        orig.digits()
    );
    Ok(URL_SAFE_NO_PAD.encode(json))
}

fn check_numbers(
    call: &InboundCall,
    main: &Unverified,
    divs: &[Unverified],
    region: Region,
) -> Result<(), StirError> {
    let orig = E164::from_tn(&main.claims.orig_tn).map_err(|_| StirError::OrigMismatch)?;
    let callers = [Some(&call.from), call.pai.as_ref()];
    let caller_ok =
        callers.iter().flatten().any(|p| E164::parse(&p.user, region).is_ok_and(|n| n == orig));
    if !caller_ok {
        return Err(StirError::OrigMismatch);
    }
    let called: Vec<E164> = [&call.to.user, &call.request_uri_user]
        .iter()
        .filter_map(|u| E164::parse(u, region).ok())
        .collect();
    let hits = |tns: &[String], targets: &[E164]| {
        tns.iter().filter_map(|t| E164::from_tn(t).ok()).any(|n| targets.contains(&n))
    };
    if divs.is_empty() {
        return if hits(&main.claims.dest_tns, &called) {
            Ok(())
        } else {
            Err(StirError::DestMismatch)
        };
    }
    let div_from: Vec<E164> = divs
        .iter()
        .filter_map(|d| d.claims.div_tn.as_deref())
        .filter_map(|t| E164::from_tn(t).ok())
        .collect();
    let same_orig = divs.iter().all(|d| E164::from_tn(&d.claims.orig_tn).is_ok_and(|n| n == orig));
    let reaches_us = divs.iter().any(|d| hits(&d.claims.dest_tns, &called));
    if same_orig && reaches_us && hits(&main.claims.dest_tns, &div_from) {
        Ok(())
    } else {
        Err(StirError::DivMismatch)
    }
}

/// Stage 2: chain validity and revocation at `now`, ES256 signature, TNAuthList coverage.
/// `certs` answers, per x5u, the cached chain and its path, or why there is none.
pub fn finish(
    pre: &Prechecked,
    certs: &dyn Fn(&FetchUrl) -> Option<Result<AnchoredChain, StirError>>,
    anchors: &Anchors,
    crls: &CrlSet,
    now: UnixTime,
) -> Result<Verified, StirError> {
    let orig = E164::from_tn(&pre.main.claims.orig_tn).map_err(|_| StirError::OrigMismatch)?;
    let mut main_constraints = None;
    for (i, p) in std::iter::once(&pre.main).chain(&pre.divs).enumerate() {
        let AnchoredChain { chain, path } = certs(&p.x5u).ok_or(StirError::FetchUnreachable)??;
        path.check(&chain, anchors, crls, now.secs()).map_err(StirError::Cert)?;
        let leaf = chain.leaf();
        p.jws.verify(&leaf.key)?;
        let list = match &leaf.tn_auth_list {
            None => return Err(StirError::Cert(CertError::TnAuthListMissing)),
            Some(Err(e)) => return Err(StirError::Cert(e.clone())),
            Some(Ok(list)) => list,
        };
        // The main PASSporT's signer must hold the calling number; a div signer the diverting one.
        let tn = match (i, p.claims.div_tn.as_deref()) {
            (0, _) | (_, None) => orig,
            (_, Some(div)) => E164::from_tn(div).map_err(|_| StirError::DivMismatch)?,
        };
        if !list.covers(tn) {
            return Err(StirError::Cert(CertError::NumberNotCovered));
        }
        if i == 0 {
            main_constraints = Some(leaf.claim_constraints.clone());
        }
    }
    Ok(Verified {
        attest: pre.main.claims.attest,
        orig,
        payload: pre.main.claims.payload.clone(),
        claim_constraints: main_constraints.flatten(),
        diverted: !pre.divs.is_empty(),
    })
}
