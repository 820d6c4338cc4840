//! Bursts of rotating numbers from one range: a robocaller cycling caller IDs.

use std::collections::BTreeSet;

use super::Situation;
use crate::verdict::{Reason, Severity};

/// `detector.rotating_burst`: with this call, `min_numbers` distinct numbers sharing the first
/// `prefix_digits` digits called within `window_secs`.
pub fn check(s: &Situation<'_>) -> Option<Reason> {
    let n = s.caller.number()?;
    if s.known() || s.verified_a {
        return None;
    }
    let policy = s.ctx.policy.burst;
    let digits = n.digits();
    let prefix = digits.get(..policy.prefix_digits)?;
    let since = s.now.secs().saturating_sub(policy.window_secs);
    let mut distinct: BTreeSet<u64> = s
        .ctx
        .history
        .since(since)
        .iter()
        .filter(|r| r.at <= s.now.secs() && r.number.digits().starts_with(prefix))
        .map(|r| r.number.value())
        .collect();
    distinct.insert(n.value());
    (distinct.len() >= policy.min_numbers).then(|| {
        Reason::new(
            "detector.rotating_burst",
            Severity::Caution,
            format!(
                "{} different numbers from the same range called within {} minutes: likely a robocaller rotating caller IDs.",
                distinct.len(),
                policy.window_secs / 60
            ),
        )
    })
}
