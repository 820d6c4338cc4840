//! Caller screening: the trust core's verdict for every incoming INVITE, before the phone rings.
//!
//! The core (`trust`) is sans-IO; this is its IO half. It hands each INVITE in, performs the
//! fetches the core asks for (x5u certificates, CRLs, RCD resources; answered from the context's
//! offline map first, then over HTTPS with the fetch's size limit and hard deadline), feeds
//! results and deadlines back, and returns the verdicts the core produces for the driver to act on.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::CACHE_CONTROL;
use tokio::sync::mpsc;
use trust::{
    CheckId, FetchResult, FetchUrl, InboundCall, Input, Output, Trust, TrustContext, UnixTime,
    Verdict,
};

/// A verdict the core produced for one of the calls being screened.
#[derive(Debug)]
pub(crate) struct Screened {
    pub handle: sip::CallHandle,
    pub verdict: Verdict,
}

/// A finished fetch, back from its task.
pub(crate) type Fetched = (FetchUrl, FetchResult);

/// The trust core and the fetches it is waiting on.
pub(crate) struct Screening {
    trust: Trust,
    ctx: Arc<TrustContext>,
    checks: HashMap<CheckId, sip::CallHandle>,
    next_id: u64,
    /// `None` when no TLS configuration could be built: every fetch is then unreachable.
    http: Option<reqwest::Client>,
    done_tx: mpsc::UnboundedSender<Fetched>,
    /// Finished fetches; the driver's loop receives them and calls [`Screening::fetched`].
    pub done: mpsc::UnboundedReceiver<Fetched>,
    /// When the earliest fetch deadline passes; the driver then calls [`Screening::expire`].
    pub deadline: Option<Instant>,
}

impl Screening {
    /// Screening against `ctx`, fetching over HTTPS with `tls`.
    pub fn new(ctx: Arc<TrustContext>, tls: Option<rustls::ClientConfig>) -> Self {
        let http = tls.and_then(|tls| {
            reqwest::Client::builder()
                .tls_backend_preconfigured(tls)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .inspect_err(|error| tracing::warn!(%error, "no HTTPS client for x5u fetches"))
                .ok()
        });
        let (done_tx, done) = mpsc::unbounded_channel();
        Self {
            trust: Trust::new(Arc::clone(&ctx)),
            ctx,
            checks: HashMap::new(),
            next_id: 0,
            http,
            done_tx,
            done,
            deadline: None,
        }
    }

    /// Judges calls from now on against `ctx` (the user's block list or history changed).
    pub fn set_context(&mut self, ctx: Arc<TrustContext>) {
        self.trust.set_context(Arc::clone(&ctx));
        self.ctx = ctx;
    }

    /// The context calls are judged against (directory lookups for the callback label).
    pub fn context(&self) -> &TrustContext {
        &self.ctx
    }

    /// Screens a new call from its INVITE. The first verdict for `handle` is among the results
    /// (`Verifying` while a fetch runs, else final); `None` when the INVITE's identity headers
    /// cannot be read at all.
    pub fn screen(
        &mut self,
        handle: sip::CallHandle,
        invite: &[u8],
        via_registrar_tls: bool,
    ) -> Option<Vec<Screened>> {
        let call = call_facts(invite, via_registrar_tls)?;
        self.next_id += 1;
        let id = CheckId(self.next_id);
        self.checks.insert(id, handle);
        self.trust.handle_input(unix_now(), Input::Call { id, call });
        Some(self.drain())
    }

    /// A fetch finished.
    pub fn fetched(&mut self, (url, result): Fetched) -> Vec<Screened> {
        self.trust.handle_input(unix_now(), Input::Fetched { url, result });
        self.drain()
    }

    /// The deadline passed: fetches still running count as timed out.
    pub fn expire(&mut self) -> Vec<Screened> {
        self.trust.handle_timeout(unix_now());
        self.drain()
    }

    /// The call ended: stop screening it.
    pub fn forget(&mut self, handle: sip::CallHandle) {
        let ids: Vec<CheckId> =
            self.checks.iter().filter(|(_, h)| **h == handle).map(|(id, _)| *id).collect();
        for id in ids {
            self.checks.remove(&id);
            self.trust.handle_input(unix_now(), Input::Forget(id));
        }
    }

    fn drain(&mut self) -> Vec<Screened> {
        let mut screened = Vec::new();
        self.deadline = None;
        loop {
            match self.trust.poll_output() {
                Output::Fetch { url, max_bytes, deadline, .. } => {
                    self.fetch(url, max_bytes, deadline)
                }
                Output::Verdict { id, verdict } => {
                    let handle = match verdict.state {
                        trust::VerdictState::Final => self.checks.remove(&id),
                        _ => self.checks.get(&id).copied(),
                    };
                    if let Some(handle) = handle {
                        screened.push(Screened { handle, verdict });
                    }
                }
                Output::Timeout(at) => {
                    let wait = at.millis().saturating_sub(unix_now().millis()).max(0);
                    self.deadline = Some(Instant::now() + Duration::from_millis(wait as u64));
                    break;
                }
                Output::Idle => break,
            }
        }
        screened
    }

    /// Starts one fetch: an offline answer from the context goes straight back (a simulated
    /// timeout is simply never answered), anything else becomes an HTTP GET in its own task.
    fn fetch(&mut self, url: FetchUrl, max_bytes: usize, deadline: UnixTime) {
        if let Some(answer) = self.ctx.offline_fetch(url.as_str()) {
            if answer != FetchResult::Timeout {
                let _ = self.done_tx.send((url, answer));
            }
            return;
        }
        let Some(client) = self.http.clone() else {
            let _ = self.done_tx.send((url, FetchResult::Unreachable));
            return;
        };
        let within = deadline.millis().saturating_sub(unix_now().millis()).max(0);
        let done = self.done_tx.clone();
        tokio::spawn(async move {
            let get = http_get(&client, url.as_str(), max_bytes);
            let result = tokio::time::timeout(Duration::from_millis(within as u64), get)
                .await
                .unwrap_or(FetchResult::Timeout);
            let _ = done.send((url, result));
        });
    }
}

/// The INVITE's caller facts, or `None` when it cannot be parsed again (the UA already did, so
/// this is a limit mismatch at worst).
fn call_facts(invite: &[u8], via_registrar_tls: bool) -> Option<InboundCall> {
    let sip_types::Message::Request(request) = sip_types::Message::parse(invite).ok()? else {
        return None;
    };
    // The error's text can quote the header, which names the caller: log only that it failed.
    InboundCall::from_request(&request, via_registrar_tls)
        .inspect_err(|_| tracing::info!("the INVITE's From or To cannot be read"))
        .ok()
}

/// GET `url`, reading at most `max_bytes` of the body.
async fn http_get(client: &reqwest::Client, url: &str, max_bytes: usize) -> FetchResult {
    let mut response = match client.get(url).send().await {
        Ok(response) => response,
        Err(error) => {
            tracing::info!(error = %error.without_url(), "x5u fetch failed");
            return FetchResult::Unreachable;
        }
    };
    if response.status() != reqwest::StatusCode::OK {
        return FetchResult::HttpStatus(response.status().as_u16());
    }
    let cache_control =
        response.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if response.content_length().is_some_and(|n| n > max_bytes as u64) {
        return FetchResult::TooLarge;
    }
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() > max_bytes => {
                return FetchResult::TooLarge;
            }
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) => return FetchResult::Body { bytes, cache_control },
            Err(_) => return FetchResult::Unreachable,
        }
    }
}

/// Wall-clock time for the trust core: `iat` freshness and certificate validity are about
/// calendar time, so a suspended laptop must not skew them.
pub(crate) fn unix_now() -> UnixTime {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    UnixTime(i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
}
