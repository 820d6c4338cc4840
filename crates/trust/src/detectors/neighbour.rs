//! Neighbour spoofing: the caller shows the user's own number, or one sharing its first six
//! national digits (area code and exchange), to look local and familiar.

use super::Situation;
use crate::verdict::{Reason, Severity};

/// `detector.neighbour_spoof`: own number (danger) or same first six digits (caution), unless
/// the number is verified with A attestation or known.
pub fn check(s: &Situation<'_>) -> Option<Reason> {
    let n = s.caller.number()?;
    if s.verified_a || s.known() {
        return None;
    }
    if s.ctx.own_numbers.contains(&n) {
        return Some(Reason::new(
            "detector.neighbour_spoof",
            Severity::Danger,
            "The call shows your own number as the caller: your number is being spoofed.",
        ));
    }
    s.ctx.neighbour_prefixes.iter().any(|p| n.has_prefix(p)).then(|| {
        Reason::new(
            "detector.neighbour_spoof",
            Severity::Caution,
            "The calling number looks like your own (same first six digits), a common trick to seem local.",
        )
    })
}
