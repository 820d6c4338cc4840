//! Withheld caller ID: not proof of anything, but a reason for care.

use super::{CallerId, Situation};
use crate::verdict::{Reason, Severity};

/// `detector.anonymous`: the caller withheld their number.
pub fn check(s: &Situation<'_>) -> Option<Reason> {
    (*s.caller == CallerId::Anonymous).then(|| {
        Reason::new(
            "detector.anonymous",
            Severity::Caution,
            "The caller withheld their number, so nothing about who is calling can be checked.",
        )
    })
}
