//! Outbound toll-fraud guard: destination rules by country and premium ranges, a rate limit
//! for international calls, and a warning when calling back a one-ring number.

use serde::Serialize;

use crate::context::TrustContext;
use crate::detectors::high_risk;
use crate::e164::E164;
use crate::time::UnixTime;
use crate::verdict::{Reason, Severity};

/// What to do with a dialled number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboundDecision {
    /// Place the call.
    Allow,
    /// Ask the user to confirm first.
    Warn,
    /// Refuse (policy).
    Block,
}

/// The guard's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboundVerdict {
    /// The decision.
    pub decision: OutboundDecision,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// Checks a dialled number. `recent_international` holds the start times (seconds) of the
/// international calls placed recently.
pub fn check_outbound(
    dialled: &str,
    ctx: &TrustContext,
    recent_international: &[i64],
    now: UnixTime,
) -> OutboundVerdict {
    let policy = &ctx.policy.toll_fraud;
    let verdict = |decision, reason| OutboundVerdict { decision, reasons: vec![reason] };
    let Ok(n) = E164::parse(dialled, ctx.region) else {
        return OutboundVerdict { decision: OutboundDecision::Allow, reasons: Vec::new() };
    };
    if policy.override_numbers.iter().any(|o| E164::parse(o, ctx.region).is_ok_and(|x| x == n)) {
        return verdict(
            OutboundDecision::Allow,
            Reason::new(
                "outbound.override",
                Severity::Info,
                "Your organisation approved this number.",
            ),
        );
    }
    let (cc, country) = match phonenumber::parse(None, n.plus()) {
        Ok(p) => (p.code().value(), p.country().id()),
        Err(_) => (0, None),
    };
    let country_ok = !policy.blocked_country_codes.contains(&cc)
        && (policy.allowed_country_codes.is_empty() || policy.allowed_country_codes.contains(&cc));
    if !country_ok {
        return verdict(
            OutboundDecision::Block,
            Reason::new(
                "outbound.country_blocked",
                Severity::Block,
                "Your organisation does not allow calls to this country.",
            ),
        );
    }
    if ctx.premium.contains(n) || n.plan().premium {
        return verdict(
            OutboundDecision::Block,
            Reason::new(
                "outbound.premium_rate",
                Severity::Block,
                "This is a premium-rate number; calls to it are blocked.",
            ),
        );
    }
    let international = is_international(ctx, country);
    let hour_ago = now.secs() - 3600;
    let placed =
        recent_international.iter().filter(|t| **t > hour_ago && **t <= now.secs()).count();
    if international
        && placed >= usize::try_from(policy.international_per_hour).unwrap_or(usize::MAX)
    {
        return verdict(
            OutboundDecision::Block,
            Reason::new(
                "outbound.rate_limited",
                Severity::Block,
                "Too many international calls in the last hour; try again later or ask IT.",
            ),
        );
    }
    let rang_before = ctx.history.stats(n).is_some_and(|s| s.short_missed > 0 && s.answered == 0);
    if high_risk(ctx, n) && rang_before {
        return verdict(
            OutboundDecision::Warn,
            Reason::new(
                "outbound.one_ring_callback",
                Severity::Danger,
                "This number rang you once and hung up: calling back may cost a lot of money (one-ring scam).",
            ),
        );
    }
    if high_risk(ctx, n) {
        return verdict(
            OutboundDecision::Warn,
            Reason::new(
                "outbound.high_risk_range",
                Severity::Caution,
                "This number is in a high-cost international range.",
            ),
        );
    }
    OutboundVerdict { decision: OutboundDecision::Allow, reasons: Vec::new() }
}

/// Whether `dialled` is an international call from the user's region (what the hourly limit of
/// [`check_outbound`] counts). Numbers that do not parse are not.
pub fn dials_abroad(dialled: &str, ctx: &TrustContext) -> bool {
    let Ok(n) = E164::parse(dialled, ctx.region) else { return false };
    let country = phonenumber::parse(None, n.plus()).ok().and_then(|p| p.country().id());
    is_international(ctx, country)
}

fn is_international(ctx: &TrustContext, country: Option<phonenumber::country::Id>) -> bool {
    country != Some(ctx.region.0)
}
