//! One-ring (Wangiri) calls: short unanswered calls from high-risk international ranges or
//! Caribbean area codes that look domestic, hoping for an expensive callback.

use super::{Situation, high_risk};
use crate::verdict::{Reason, Severity};

/// `detector.one_ring` when this high-risk number already rang briefly and hung up;
/// `detector.high_risk_range` for a first call from such a range.
pub fn check(s: &Situation<'_>) -> Option<Reason> {
    let n = s.caller.number()?;
    if !high_risk(s.ctx, n) || s.known() {
        return None;
    }
    let short_missed = s.ctx.history.stats(n).map_or(0, |st| st.short_missed);
    if short_missed > 0 {
        return Some(Reason::new(
            "detector.one_ring",
            Severity::Danger,
            "This high-cost international number rang you briefly before: a one-ring scam. Do not call it back.",
        ));
    }
    Some(Reason::new(
        "detector.high_risk_range",
        Severity::Caution,
        "The number is in a high-cost international range often used for one-ring scams; do not call it back.",
    ))
}
