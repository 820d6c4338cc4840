//! The trust state machine the engine drives: calls and fetch results in, fetch requests and
//! verdicts out. Time is an argument; nothing here reads the clock or does IO.

mod check;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use crate::call::InboundCall;
use crate::cert::{CacheEntry, CertCache, Chain, Crl, CrlSet};
use crate::context::TrustContext;
use crate::fetch::{FetchPurpose, FetchResult, FetchUrl};
use crate::stir::StirError;
use crate::time::UnixTime;
use crate::verdict::Verdict;
use check::Check;

/// The engine's handle for one incoming call (chosen by the engine, unique while in use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CheckId(pub u64);

/// What the engine feeds in.
#[derive(Debug, Clone)]
pub enum Input {
    /// An INVITE arrived: verify it.
    Call {
        /// The engine's handle.
        id: CheckId,
        /// The call facts.
        call: InboundCall,
    },
    /// A fetch requested by [`Output::Fetch`] finished (or failed).
    Fetched {
        /// The URL from the request.
        url: FetchUrl,
        /// What happened.
        result: FetchResult,
    },
    /// The call ended before a final verdict: forget it.
    Forget(CheckId),
}

/// What the engine must do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Fetch `url` (GET), reading at most `max_bytes`; answer with [`Input::Fetched`] by `deadline`
    /// at the latest (after it, the verdict is made without the fetch).
    Fetch {
        /// What to fetch.
        url: FetchUrl,
        /// What it is for.
        purpose: FetchPurpose,
        /// Stop reading beyond this many bytes and answer `TooLarge`.
        max_bytes: usize,
        /// Hard deadline.
        deadline: UnixTime,
    },
    /// A verdict for a call: `Verifying` first when a fetch is needed, then `Final`.
    Verdict {
        /// The call.
        id: CheckId,
        /// The verdict.
        verdict: Verdict,
    },
    /// Nothing more until this time: call [`Trust::handle_timeout`] then.
    Timeout(UnixTime),
    /// Nothing pending at all.
    Idle,
}

/// The trust engine: context, caches and the calls being verified.
#[derive(Debug)]
pub struct Trust {
    ctx: Arc<TrustContext>,
    certs: CertCache,
    crls: CrlSet,
    /// Fetch answers kept for calls waiting on them, including non-cacheable ones.
    answers: HashMap<FetchUrl, FetchResult>,
    in_flight: BTreeMap<FetchUrl, UnixTime>,
    checks: BTreeMap<CheckId, Check>,
    outputs: VecDeque<Output>,
}

impl Trust {
    /// A trust engine over `ctx`.
    pub fn new(ctx: Arc<TrustContext>) -> Self {
        let crls = ctx.crls.clone();
        Trust {
            ctx,
            certs: CertCache::default(),
            crls,
            answers: HashMap::new(),
            in_flight: BTreeMap::new(),
            checks: BTreeMap::new(),
            outputs: VecDeque::new(),
        }
    }

    /// Replaces the context (new policy, feed or directory); caches are kept.
    pub fn set_context(&mut self, ctx: Arc<TrustContext>) {
        self.crls = ctx.crls.clone();
        self.ctx = ctx;
    }

    /// Feeds one input.
    pub fn handle_input(&mut self, now: UnixTime, input: Input) {
        match input {
            Input::Call { id, call } => {
                let check = Check::start(call);
                self.checks.insert(id, check);
                self.advance(id, now);
            }
            Input::Fetched { url, result } => self.on_fetched(url, result, now),
            Input::Forget(id) => {
                self.checks.remove(&id);
            }
        }
    }

    /// Passes hard deadlines: fetches still running count as timed out.
    pub fn handle_timeout(&mut self, now: UnixTime) {
        let due: Vec<FetchUrl> =
            self.in_flight.iter().filter(|(_, d)| **d <= now).map(|(u, _)| u.clone()).collect();
        for url in due {
            self.on_fetched(url, FetchResult::Timeout, now);
        }
    }

    /// The next output; drain until `Timeout` or `Idle`.
    pub fn poll_output(&mut self) -> Output {
        if let Some(out) = self.outputs.pop_front() {
            return out;
        }
        match self.in_flight.values().min() {
            Some(at) => Output::Timeout(*at),
            None => Output::Idle,
        }
    }

    fn on_fetched(&mut self, url: FetchUrl, result: FetchResult, now: UnixTime) {
        if self.in_flight.remove(&url).is_none() {
            return;
        }
        self.absorb(&url, &result, now);
        self.answers.insert(url, result);
        let waiting: Vec<CheckId> = self.checks.keys().copied().collect();
        for id in waiting {
            self.advance(id, now);
        }
        self.answers.retain(|u, _| self.checks.values().any(|c| c.waits_on(u)));
    }

    /// Caches certificates and CRLs per Cache-Control.
    fn absorb(&mut self, url: &FetchUrl, result: &FetchResult, now: UnixTime) {
        let FetchResult::Body { bytes, cache_control } = result else { return };
        if self.checks.values().any(|c| c.wants_crl(url)) {
            if let Ok(crls) = Crl::parse(bytes) {
                self.crls.extend(crls);
            }
            return;
        }
        let fetch = self.ctx.policy.fetch;
        if bytes.len() <= fetch.max_certificate_bytes
            && self.checks.values().any(|c| c.wants_cert(url))
        {
            let entry = cert_entry(bytes, &self.ctx, now);
            self.certs.store(
                url.clone(),
                entry,
                cache_control.as_deref(),
                now,
                (fetch.default_ttl_secs, fetch.max_ttl_secs),
            );
        }
    }

    fn advance(&mut self, id: CheckId, now: UnixTime) {
        let Some(mut check) = self.checks.remove(&id) else { return };
        let env = check::Env {
            ctx: &self.ctx,
            certs: &self.certs,
            crls: &self.crls,
            answers: &self.answers,
            now,
        };
        let step = check.advance(&env);
        for (url, purpose) in step.fetch {
            self.request(url, purpose, now);
        }
        if let Some(verdict) = step.verdict {
            self.outputs.push_back(Output::Verdict { id, verdict });
        }
        if !check.is_done() {
            self.checks.insert(id, check);
        }
    }

    fn request(&mut self, url: FetchUrl, purpose: FetchPurpose, now: UnixTime) {
        if self.in_flight.contains_key(&url) {
            return;
        }
        let fetch = self.ctx.policy.fetch;
        let deadline = now.plus_millis(fetch.timeout_ms);
        let max_bytes = match purpose {
            FetchPurpose::RcdResource => fetch.max_rcd_bytes,
            FetchPurpose::Certificate | FetchPurpose::Crl => fetch.max_certificate_bytes,
        };
        self.in_flight.insert(url.clone(), deadline);
        self.outputs.push_back(Output::Fetch { url, purpose, max_bytes, deadline });
    }

    /// Entries in the certificate cache (for tests and metrics).
    pub fn cached_certificates(&self) -> usize {
        self.certs.len()
    }
}

/// Parses a fetched x5u document and builds its path once.
fn cert_entry(bytes: &[u8], ctx: &TrustContext, now: UnixTime) -> CacheEntry {
    let chain = Chain::parse(bytes).map(Arc::new);
    let path = match &chain {
        Ok(c) => c.build_path(&ctx.anchors),
        Err(e) => Err(e.clone()),
    };
    CacheEntry { chain, path, expires: now }
}

/// Maps a failed fetch to the STIR reason.
pub(crate) fn fetch_error(result: &FetchResult, max_bytes: usize) -> Option<StirError> {
    match result {
        FetchResult::Body { bytes, .. } if bytes.len() > max_bytes => {
            Some(StirError::FetchTooLarge)
        }
        FetchResult::Body { .. } => None,
        FetchResult::Timeout => Some(StirError::FetchTimeout),
        FetchResult::HttpStatus(s) => Some(StirError::FetchHttpStatus(*s)),
        FetchResult::TooLarge => Some(StirError::FetchTooLarge),
        FetchResult::Unreachable => Some(StirError::FetchUnreachable),
    }
}
