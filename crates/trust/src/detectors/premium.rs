//! Premium-rate callers: calling them back costs money.

use super::Situation;
use crate::verdict::{Reason, Severity};

/// `detector.premium_rate`: the number is in a premium-rate range (policy or libphonenumber).
pub fn check(s: &Situation<'_>) -> Option<Reason> {
    let n = s.caller.number()?;
    (s.ctx.premium.contains(n) || s.plan.is_some_and(|p| p.premium)).then(|| {
        Reason::new(
            "detector.premium_rate",
            Severity::Caution,
            "The calling number is a premium-rate number; calling it back is charged at a high rate.",
        )
    })
}
