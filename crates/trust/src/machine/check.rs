//! One call being verified: Identity pre-checks, waiting for certificates and CRLs, verifying,
//! waiting for RCD resources, then the final verdict.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{cert_entry, fetch_error};
use crate::assess::{StirOutcome, assess};
use crate::call::InboundCall;
use crate::cert::{CertCache, Chain, CrlSet, ValidPath};
use crate::context::TrustContext;
use crate::fetch::{FetchPurpose, FetchResult, FetchUrl};
use crate::rcd;
use crate::stir::{AnchoredChain, Prechecked, StirError, Verified, finish, precheck};
use crate::time::UnixTime;
use crate::verdict::{RcdStatus, Reason, Severity, Verdict};

/// What a check may read from the machine.
pub(super) struct Env<'a> {
    pub ctx: &'a TrustContext,
    pub certs: &'a CertCache,
    pub crls: &'a CrlSet,
    pub answers: &'a HashMap<FetchUrl, FetchResult>,
    pub now: UnixTime,
}

/// What one step asks of the machine.
#[derive(Default)]
pub(super) struct Step {
    pub fetch: Vec<(FetchUrl, FetchPurpose)>,
    pub verdict: Option<Verdict>,
}

enum Stage {
    Start,
    Certs(Box<Prechecked>),
    Rcd(Box<Verified>),
    Done,
}

/// The per-call state.
pub(super) struct Check {
    call: InboundCall,
    stage: Stage,
    announced: bool,
    certs: BTreeSet<FetchUrl>,
    crls: BTreeSet<FetchUrl>,
    resources: BTreeSet<FetchUrl>,
    notes: Vec<Reason>,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("announced", &self.announced).finish_non_exhaustive()
    }
}

impl Check {
    pub fn start(call: InboundCall) -> Self {
        Check {
            call,
            stage: Stage::Start,
            announced: false,
            certs: BTreeSet::new(),
            crls: BTreeSet::new(),
            resources: BTreeSet::new(),
            notes: Vec::new(),
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done)
    }

    pub fn waits_on(&self, url: &FetchUrl) -> bool {
        !self.is_done()
            && (self.certs.contains(url) || self.crls.contains(url) || self.resources.contains(url))
    }

    pub fn wants_cert(&self, url: &FetchUrl) -> bool {
        !self.is_done() && self.certs.contains(url)
    }

    pub fn wants_crl(&self, url: &FetchUrl) -> bool {
        !self.is_done() && self.crls.contains(url)
    }

    /// Moves as far as the available answers allow.
    pub fn advance(&mut self, env: &Env<'_>) -> Step {
        let mut step = Step::default();
        loop {
            let stage = std::mem::replace(&mut self.stage, Stage::Done);
            let next = match stage {
                Stage::Start => match precheck(&self.call, &env.ctx.stir_policy(), env.now) {
                    Ok(None) => return self.conclude(env, StirOutcome::Absent, step),
                    Ok(Some(pre)) => Stage::Certs(Box::new(pre)),
                    Err(e) => return self.conclude(env, StirOutcome::Failed(e), step),
                },
                Stage::Certs(pre) => match self.certs_step(env, &pre, &mut step) {
                    None => return self.wait(env, Stage::Certs(pre), step),
                    Some(Ok(v)) => Stage::Rcd(Box::new(v)),
                    Some(Err(e)) => return self.conclude(env, StirOutcome::Failed(e), step),
                },
                Stage::Rcd(v) => {
                    if self.resources_missing(env, &v, &mut step) {
                        return self.wait(env, Stage::Rcd(v), step);
                    }
                    return self.conclude(env, StirOutcome::Verified(v), step);
                }
                Stage::Done => return step,
            };
            self.stage = next;
        }
    }

    /// `None` while waiting; else the verification result.
    fn certs_step(
        &mut self,
        env: &Env<'_>,
        pre: &Prechecked,
        step: &mut Step,
    ) -> Option<Result<Verified, StirError>> {
        let mut chains = Vec::new();
        for url in pre.urls() {
            match cert_status(env, &url) {
                None => {
                    self.certs.insert(url.clone());
                    step.fetch.push((url, FetchPurpose::Certificate));
                }
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok(found)) => chains.push(found.chain),
            }
        }
        if !step.fetch.is_empty() || self.crls_missing(env, &chains, step) {
            return None;
        }
        Some(finish(pre, &|u| cert_status(env, u), &env.ctx.anchors, env.crls, env.now))
    }

    /// Requests CRLs for certificates whose issuer has none yet (ATIS-1000080). A CRL that
    /// cannot be fetched is noted and verification goes on (soft fail).
    fn crls_missing(&mut self, env: &Env<'_>, chains: &[Arc<Chain>], step: &mut Step) -> bool {
        let mut waiting = false;
        for cert in chains.iter().flat_map(|c| c.certs()).filter(|c| !env.crls.has_issuer(c)) {
            for raw in &cert.crl_urls {
                let Ok(url) = FetchUrl::parse(raw, env.ctx.policy.allow_http_x5u) else { continue };
                if self.crls.insert(url.clone()) {
                    step.fetch.push((url, FetchPurpose::Crl));
                    waiting = true;
                } else if let Some(answer) = env.answers.get(&url) {
                    if !matches!(answer, FetchResult::Body { .. })
                        && !self.notes.iter().any(|n| n.code.0 == "cert.crl_unavailable")
                    {
                        self.notes.push(Reason::new("cert.crl_unavailable", Severity::Info, "The certificate revocation list could not be loaded; revocation was not checked."));
                    }
                } else {
                    waiting = true;
                }
            }
        }
        waiting
    }

    fn resources_missing(&mut self, env: &Env<'_>, v: &Verified, step: &mut Step) -> bool {
        let mut waiting = false;
        for url in rcd::needed_urls(v, env.ctx.policy.allow_http_x5u) {
            if env.answers.contains_key(&url) {
                continue;
            }
            waiting = true;
            if self.resources.insert(url.clone()) {
                step.fetch.push((url, FetchPurpose::RcdResource));
            }
        }
        waiting
    }

    fn wait(&mut self, env: &Env<'_>, stage: Stage, mut step: Step) -> Step {
        self.stage = stage;
        if !self.announced {
            self.announced = true;
            let none = (RcdStatus::None, Vec::new());
            step.verdict = Some(assess(&self.call, env.ctx, &StirOutcome::Pending, none, env.now));
        }
        step
    }

    fn conclude(&mut self, env: &Env<'_>, stir: StirOutcome, mut step: Step) -> Step {
        self.stage = Stage::Done;
        let verified = match &stir {
            StirOutcome::Verified(v) => Some(v.as_ref()),
            _ => None,
        };
        let fetched = |u: &FetchUrl| {
            let max = env.ctx.policy.fetch.max_rcd_bytes;
            env.answers.get(u).filter(|a| fetch_error(a, max).is_none()).cloned()
        };
        let (status, mut reasons) =
            rcd::evaluate(&self.call, verified, &fetched, env.ctx.policy.allow_http_x5u);
        reasons.append(&mut self.notes);
        step.verdict = Some(assess(&self.call, env.ctx, &stir, (status, reasons), env.now));
        step
    }
}

/// The cached (or just fetched) chain for `url`, or why there is none; `None` if unknown yet.
fn cert_status(env: &Env<'_>, url: &FetchUrl) -> Option<Result<AnchoredChain, StirError>> {
    let max = env.ctx.policy.fetch.max_certificate_bytes;
    if let Some(entry) = env.certs.lookup(url, env.now) {
        return Some(entry_result(entry.chain.clone(), entry.path.clone()));
    }
    let answer = env.answers.get(url)?;
    if let Some(err) = fetch_error(answer, max) {
        return Some(Err(err));
    }
    let FetchResult::Body { bytes, .. } = answer else {
        return Some(Err(StirError::FetchUnreachable));
    };
    let entry = cert_entry(bytes, env.ctx, env.now);
    Some(entry_result(entry.chain, entry.path))
}

fn entry_result(
    chain: Result<Arc<Chain>, crate::cert::CertError>,
    path: Result<ValidPath, crate::cert::CertError>,
) -> Result<AnchoredChain, StirError> {
    Ok(AnchoredChain {
        chain: chain.map_err(StirError::Cert)?,
        path: path.map_err(StirError::Cert)?,
    })
}
