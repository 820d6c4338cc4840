//! A display name or brand that names a directory identity ("IT Helpdesk", the CEO, the bank
//! named in policy) on a number that is not that identity's, or on its number without proof.

use super::{CallerId, Situation};
use crate::reputation::DirectoryEntry;
use crate::verdict::{Reason, Severity};

/// `detector.impersonation` (danger) when the number is not the identity's;
/// `detector.identity_unproven` (caution) when it is, but nothing proves the call comes from it.
pub fn check(s: &Situation<'_>) -> Option<Reason> {
    let claimed = s.call.display_name()?;
    let named = s.ctx.directory.entries_named(claimed);
    let first = *named.first()?;
    if let Some(owner) = named.iter().find(|e| owns(e, s.caller)) {
        let internal_call = !s.external() && matches!(s.caller, CallerId::Extension(_));
        if s.verified_a || internal_call {
            return None;
        }
        let reason = Reason::new(
            "detector.identity_unproven",
            Severity::Caution,
            format!(
                "The caller claims to be {} and uses their number, but nothing proves the call really comes from them. Hang up and call back on the directory number if they ask for anything sensitive.",
                owner.name
            ),
        );
        return Some(with_directory_callback(reason, owner));
    }
    let reason = Reason::new(
        "detector.impersonation",
        Severity::Danger,
        format!(
            "The caller claims to be {} but is not calling from their number. Hang up and call the directory number instead.",
            first.name
        ),
    );
    Some(with_directory_callback(reason, first))
}

fn owns(entry: &DirectoryEntry, caller: &CallerId) -> bool {
    match caller {
        CallerId::Number(n) => entry.numbers.contains(n),
        CallerId::Extension(ext) => entry.extension.as_deref() == Some(ext.as_str()),
        _ => false,
    }
}

fn with_directory_callback(reason: Reason, entry: &DirectoryEntry) -> Reason {
    match entry.numbers.first() {
        Some(n) => reason.with_callback(*n),
        None => reason,
    }
}
