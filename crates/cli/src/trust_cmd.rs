//! `callwarden-cli trust ...`: the caller-trust verdict for one INVITE, offline and
//! deterministic. Fetches the trust core asks for are answered from the context file's `x5u`
//! and `rcd_resources` maps; an unmapped URL is unreachable (no network).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Subcommand;
use sip_types::Message;
use trust::context::ContextFile;
use trust::{
    CheckId, FetchResult, InboundCall, Input, Output, Trust, TrustContext, UnixTime, Verdict,
};

/// Trust subcommands.
#[derive(Subcommand)]
pub enum TrustCommand {
    /// Print the verdict for an INVITE as JSON.
    Check {
        /// The INVITE (a SIP request; LF line endings are accepted).
        #[arg(long)]
        invite: PathBuf,
        /// The context file (JSON, see docs/trust-context.md).
        #[arg(long)]
        context: PathBuf,
        /// The time of the check, RFC 3339 (default: now).
        #[arg(long)]
        now: Option<String>,
    },
}

/// Runs a trust subcommand.
pub fn run(cmd: TrustCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TrustCommand::Check { invite, context, now } => check(&invite, &context, now.as_deref()),
    }
}

fn check(invite: &Path, context: &Path, now: Option<&str>) -> anyhow::Result<ExitCode> {
    let now = match now {
        Some(text) => humantime::parse_rfc3339_weak(text)
            .with_context(|| format!("--now {text:?} is not RFC 3339"))?,
        None => std::time::SystemTime::now(),
    };
    let since_epoch = now.duration_since(std::time::UNIX_EPOCH).context("--now before 1970")?;
    let now = UnixTime(i64::try_from(since_epoch.as_millis()).context("--now out of range")?);
    let file = ContextFile::from_json(
        &std::fs::read(context).with_context(|| format!("reading {}", context.display()))?,
    )?;
    let arrival = file.arrival;
    let base = context.parent().unwrap_or(Path::new(".")).to_owned();
    let ctx = Arc::new(file.build(&|p| std::fs::read(base.join(p)))?);
    let mut call = parse_invite(
        &std::fs::read(invite).with_context(|| format!("reading {}", invite.display()))?,
        arrival.via_registrar_tls,
    )?;
    call.origin = arrival.origin;
    let verdict = verdict(ctx, call, now);
    println!("{}", serde_json::to_string_pretty(&verdict)?);
    Ok(ExitCode::SUCCESS)
}

fn parse_invite(bytes: &[u8], via_registrar_tls: bool) -> anyhow::Result<InboundCall> {
    let normalised = crlf_headers(bytes);
    let message =
        Message::parse(&normalised).map_err(|e| anyhow::anyhow!("INVITE does not parse: {e}"))?;
    let Message::Request(request) = message else {
        bail!("the file holds a response, not an INVITE")
    };
    Ok(InboundCall::from_request(&request, via_registrar_tls)?)
}

/// Files written by hand often use LF: give the header block CRLF line endings.
fn crlf_headers(bytes: &[u8]) -> Vec<u8> {
    if bytes.windows(2).any(|w| w == b"\r\n") {
        return bytes.to_vec();
    }
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    format!("{}\r\n\r\n{body}", head.trim_end().replace('\n', "\r\n")).into_bytes()
}

/// Drives the sans-IO core to its final verdict, answering fetches from the context.
fn verdict(ctx: Arc<TrustContext>, call: InboundCall, mut now: UnixTime) -> Verdict {
    let mut trust = Trust::new(ctx.clone());
    let mut last = None;
    trust.handle_input(now, Input::Call { id: CheckId(1), call });
    loop {
        match trust.poll_output() {
            Output::Fetch { url, .. } => {
                match ctx.offline_fetch(url.as_str()).unwrap_or(FetchResult::Unreachable) {
                    FetchResult::Timeout => {}
                    result => trust.handle_input(now, Input::Fetched { url, result }),
                }
            }
            Output::Verdict { verdict, .. } => last = Some(verdict),
            Output::Timeout(at) => {
                now = at;
                trust.handle_timeout(now);
            }
            Output::Idle => break,
        }
    }
    last.expect("the trust core always emits a final verdict for a call")
}
