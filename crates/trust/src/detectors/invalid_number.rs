//! Numbers no numbering plan allocates: a spoofer's favourite.

use super::{CallerId, Situation};
use crate::verdict::{Reason, Severity};

/// `detector.invalid_number`: not dialable, or not an allocated pattern in its country's plan.
pub fn check(s: &Situation<'_>) -> Option<Reason> {
    let invalid = match s.caller {
        CallerId::Invalid => true,
        CallerId::Number(_) => !s.plan.is_some_and(|p| p.valid) && !s.known(),
        _ => false,
    };
    invalid.then(|| {
        Reason::new(
            "detector.invalid_number",
            Severity::Caution,
            "The calling number is not a valid or allocated phone number; it is probably made up.",
        )
    })
}
