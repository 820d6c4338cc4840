//! Neighbour spoofing: the caller shows the user's own number, or one sharing its first six
//! national digits (area code and exchange), to look local and familiar.

use super::Situation;
use crate::e164::E164;
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
    s.ctx.own_numbers.iter().any(|own| same_first_six(*own, n)).then(|| {
        Reason::new(
            "detector.neighbour_spoof",
            Severity::Caution,
            "The calling number looks like your own (same first six digits), a common trick to seem local.",
        )
    })
}

fn same_first_six(own: E164, other: E164) -> bool {
    let cc_len = country_code_len(own);
    let (a, b) = (own.digits(), other.digits());
    let end = cc_len + 6;
    a.len() >= end && b.len() >= end && a.get(..end) == b.get(..end)
}

fn country_code_len(n: E164) -> usize {
    phonenumber::parse(None, n.plus()).map_or(1, |p| p.code().value().to_string().len())
}
