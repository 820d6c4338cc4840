//! Vishing detectors. Each lives in its own file, looks at one [`Situation`] and returns at most
//! one [`Reason`] with its own stable code.

mod anonymous;
mod burst;
mod impersonation;
mod internal_spoof;
mod invalid_number;
mod neighbour;
mod one_ring;
mod premium;

use crate::call::{CallOrigin, InboundCall};
use crate::context::TrustContext;
use crate::e164::{E164, PlanFacts};
use crate::time::UnixTime;
use crate::verdict::Reason;

/// Who the caller claims to be, number-wise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerId {
    /// A phone number.
    Number(E164),
    /// A short internal extension.
    Extension(String),
    /// Withheld (`anonymous`, `restricted`, empty).
    Anonymous,
    /// Something that is no dialable number.
    Invalid,
}

impl CallerId {
    /// Classifies the presented caller (P-Asserted-Identity first, then From).
    pub fn classify(call: &InboundCall, ctx: &TrustContext) -> Self {
        let user = call.caller_user().trim();
        let lower = user.to_ascii_lowercase();
        let host = call.from.host.to_ascii_lowercase();
        let withheld = ["", "anonymous", "restricted", "private", "unknown", "unavailable"];
        if withheld.contains(&lower.as_str()) || host == "anonymous.invalid" {
            return CallerId::Anonymous;
        }
        let digits_only = user.bytes().all(|b| b.is_ascii_digit());
        if digits_only && user.len() <= ctx.policy.max_extension_digits {
            return CallerId::Extension(user.to_owned());
        }
        match E164::parse(user, ctx.region) {
            Ok(n) => CallerId::Number(n),
            Err(_) => CallerId::Invalid,
        }
    }

    /// The number, when there is one.
    pub fn number(&self) -> Option<E164> {
        match self {
            CallerId::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// Everything a detector may look at.
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    /// The call.
    pub call: &'a InboundCall,
    /// The context.
    pub ctx: &'a TrustContext,
    /// The classified caller.
    pub caller: &'a CallerId,
    /// The number is verified with A attestation (on the device, or a trusted network verstat).
    pub verified_a: bool,
    /// Numbering-plan facts of the caller's number (computed once per call).
    pub plan: Option<PlanFacts>,
    /// Now.
    pub now: UnixTime,
}

impl Situation<'_> {
    /// True when the call came from outside the organisation (trunk), as far as we can tell.
    pub fn external(&self) -> bool {
        match self.call.origin {
            CallOrigin::Internal => false,
            CallOrigin::ExternalTrunk => true,
            CallOrigin::Unknown => !matches!(self.caller, CallerId::Extension(_)),
        }
    }

    /// True when the caller's number is a contact or directory number (known people).
    pub fn known(&self) -> bool {
        self.caller.number().is_some_and(|n| {
            self.ctx.directory.contact_for_number(n).is_some()
                || self.ctx.directory.entry_for_number(n).is_some()
        })
    }
}

/// Runs every detector. `soft` detectors (range and history heuristics) are skipped for
/// numbers on the user's allow list.
pub fn run_all(s: &Situation<'_>, allowlisted: bool) -> Vec<Reason> {
    let hard = [impersonation::check, internal_spoof::check, anonymous::check];
    let soft =
        [neighbour::check, one_ring::check, burst::check, premium::check, invalid_number::check];
    let mut out: Vec<Reason> = hard.iter().filter_map(|d| d(s)).collect();
    if !allowlisted {
        out.extend(soft.iter().filter_map(|d| d(s)));
    }
    out
}

/// Caribbean NANP area codes that look like domestic US numbers (the classic one-ring ranges).
pub const CARIBBEAN_LOOKALIKES: [u16; 21] = [
    242, 246, 264, 268, 284, 345, 441, 473, 649, 658, 664, 721, 758, 767, 784, 809, 829, 849, 868,
    869, 876,
];

/// True when `n` is in a policy high-risk range or a Caribbean look-alike area code.
pub fn high_risk(ctx: &TrustContext, n: E164) -> bool {
    ctx.high_risk.contains(n)
        || (ctx.policy.caribbean_lookalikes
            && n.nanp_area_code().is_some_and(|a| CARIBBEAN_LOOKALIKES.contains(&a)))
}
