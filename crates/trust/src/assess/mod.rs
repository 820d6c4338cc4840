//! Puts the verdict together: STIR outcome, verstat, RCD, reputation and detectors.

mod attestation;
mod reputation;

use crate::call::InboundCall;
use crate::context::TrustContext;
use crate::detectors::{self, CallerId, Situation};
use crate::stir::{StirError, Verified};
use crate::time::UnixTime;
use crate::verdict::{RcdStatus, Reason, Verdict, VerdictState, decide};

/// Where STIR verification stands for a call.
#[derive(Debug, Clone)]
pub enum StirOutcome {
    /// No Identity header.
    Absent,
    /// A certificate fetch is running.
    Pending,
    /// Verified end to end.
    Verified(Box<Verified>),
    /// Refused, with the precise reason.
    Failed(StirError),
}

/// The verdict for `call` given what verification found. Pure: same inputs, same verdict.
pub fn assess(
    call: &InboundCall,
    ctx: &TrustContext,
    stir: &StirOutcome,
    rcd: (RcdStatus, Vec<Reason>),
    now: UnixTime,
) -> Verdict {
    let caller = CallerId::classify(call, ctx);
    let att = attestation::evaluate(call, stir);
    let plan = caller.number().map(|n| n.plan());
    let situation = Situation { call, ctx, caller: &caller, verified_a: att.verified_a, plan, now };
    let rep = reputation::evaluate(&situation);
    let mut reasons = att.reasons;
    reasons.extend(rcd.1);
    reasons.extend(detectors::run_all(&situation, rep.allowlisted));
    reasons.extend(rep.reasons);
    let state = if matches!(stir, StirOutcome::Pending) {
        VerdictState::Verifying
    } else {
        VerdictState::Final
    };
    let verified_known = att.verified_a && situation.known();
    decide(state, att.badge, rcd.0, reasons, verified_known, rep.known_callback)
}
