//! From reasons to level, action and callback number.

use super::{Action, Attestation, Level, RcdStatus, Reason, Severity, Verdict, VerdictState};
use crate::e164::E164;

/// Orders the reasons and derives the level, action and callback number.
///
/// `verified_known` says the number is verified (A attestation) and known to the directory or
/// contacts; a verified RCD brand also earns the verified level, but only without risk signals.
pub fn decide(
    state: VerdictState,
    attestation: Attestation,
    rcd: RcdStatus,
    mut reasons: Vec<Reason>,
    verified_known: bool,
    known_callback: Option<E164>,
) -> Verdict {
    reasons.sort_by_key(|r| std::cmp::Reverse(r.severity));
    let worst = reasons.iter().map(|r| r.severity).max().unwrap_or(Severity::Info);
    let level = match worst {
        Severity::Block => Level::Blocked,
        Severity::Danger => Level::Danger,
        Severity::Caution => Level::Caution,
        _ if verified_known || matches!(rcd, RcdStatus::Verified { .. }) => Level::Verified,
        _ => Level::Neutral,
    };
    let callback_number = reasons.iter().find_map(|r| r.callback).or(known_callback);
    let suggested = reasons.iter().any(|r| r.callback.is_some());
    let action = match level {
        Level::Blocked => Action::Block,
        Level::Danger if suggested => Action::VerifyByCallback,
        Level::Danger => Action::Decline,
        Level::Caution if suggested => Action::VerifyByCallback,
        Level::Caution => Action::AnswerWithCaution,
        Level::Verified | Level::Neutral => Action::Answer,
    };
    Verdict { state, level, attestation, rcd, reasons, action, callback_number }
}
