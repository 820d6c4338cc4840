//! An internal number or extension arriving from the external trunk without A attestation:
//! someone outside pretending to be a colleague.

use super::{CallerId, Situation};
use crate::verdict::{Reason, Severity};

/// `detector.internal_spoof`.
pub fn check(s: &Situation<'_>) -> Option<Reason> {
    if !s.external() || s.verified_a {
        return None;
    }
    let dir = &s.ctx.directory;
    let (internal, entry) = match s.caller {
        CallerId::Extension(ext) => (true, dir.entry_for_extension(ext)),
        CallerId::Number(n) => {
            let entry = dir.entry_for_number(*n).filter(|e| e.internal);
            (entry.is_some() || s.ctx.internal.contains(*n), entry)
        }
        _ => (false, None),
    };
    if !internal {
        return None;
    }
    let reason = Reason::new(
        "detector.internal_spoof",
        Severity::Danger,
        "The call shows an internal company number but came from outside the company without proof: it is likely spoofed.",
    );
    Some(match entry.and_then(|e| e.numbers.first()) {
        Some(callback) => reason.with_callback(*callback),
        None => reason,
    })
}
