//! The verdict shown before the phone rings: level, attestation badge, RCD status, ordered
//! reasons, recommended action and the callback number (from the directory or contacts only).

mod decide;

pub use decide::decide;

use serde::{Deserialize, Serialize};

use crate::e164::E164;

/// How much to trust the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Number verified with A attestation and known to the directory/contacts, or a verified brand.
    Verified,
    /// Most legitimate calls: no proof, no risk signal.
    Neutral,
    /// A risk signal: answer carefully or verify by callback.
    Caution,
    /// Strong signs of spoofing, impersonation or fraud.
    Danger,
    /// On a block list: the call is not offered.
    Blocked,
}

/// The attestation badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attestation {
    /// SHAKEN A: the carrier vouches that the caller may use this number.
    A,
    /// SHAKEN B: the carrier knows the caller, not their right to the number.
    B,
    /// SHAKEN C: the carrier only knows where the call entered its network.
    C,
    /// No attestation (most calls).
    None,
    /// An Identity header was present and did not verify.
    Failed,
    /// A certificate fetch is still running.
    Verifying,
}

/// Rich Call Data status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum RcdStatus {
    /// No caller name, logo or reason was offered.
    None,
    /// Signed, allowed by the certificate and every `rcdi` digest matched.
    Verified {
        /// The brand name (`nam`).
        name: String,
        /// The logo URL (`icn`), if any.
        logo_url: Option<String>,
        /// The call reason (`crn`), if any.
        reason: Option<String>,
    },
    /// Offered but not provable: never show it as the caller's identity.
    Unverified {
        /// The claimed name, if any (display as "claims to be").
        claimed_name: Option<String>,
    },
}

/// A stable machine code such as `passport.iat_stale` or `detector.neighbour_spoof`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ReasonCode(pub &'static str);

/// How much a reason weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Evidence in the caller's favour (contact, directory, verified number).
    Positive,
    /// Information only.
    Info,
    /// Raises the level to caution.
    Caution,
    /// Raises the level to danger.
    Danger,
    /// Blocks the call.
    Block,
}

/// One reason: a stable code and one plain sentence. `Debug` leaves the sentence out (it may
/// name a contact).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Stable machine code.
    pub code: ReasonCode,
    /// One plain sentence for the user.
    pub message: String,
    /// How much it weighs.
    pub severity: Severity,
    /// A directory or contact number to call back instead (never a number from the call).
    #[serde(skip)]
    pub callback: Option<E164>,
}

impl Reason {
    /// A reason with no callback suggestion.
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Reason { code: ReasonCode(code), message: message.into(), severity, callback: None }
    }

    /// The same reason suggesting a callback to a directory or contact number.
    pub fn with_callback(mut self, number: E164) -> Self {
        self.callback = Some(number);
        self
    }
}

/// What the user should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Answer normally.
    Answer,
    /// Answer, but share nothing sensitive.
    AnswerWithCaution,
    /// Hang up and call the directory number.
    VerifyByCallback,
    /// Do not answer.
    Decline,
    /// The call is blocked.
    Block,
}

/// Whether the verdict can still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictState {
    /// Waiting for a certificate or resource fetch; ring as "verifying".
    Verifying,
    /// Final.
    Final,
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Final or still verifying.
    pub state: VerdictState,
    /// Trust level.
    pub level: Level,
    /// Attestation badge.
    pub attestation: Attestation,
    /// Rich Call Data status.
    pub rcd: RcdStatus,
    /// Reasons, most severe first.
    pub reasons: Vec<Reason>,
    /// Recommended action.
    pub action: Action,
    /// Number to call back, from the directory or contacts only (E.164 with `+`).
    pub callback_number: Option<E164>,
}

impl Verdict {
    /// The reason codes in order (for tests and logs; codes carry no personal data).
    pub fn codes(&self) -> Vec<&'static str> {
        self.reasons.iter().map(|r| r.code.0).collect()
    }
}

impl std::fmt::Debug for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reason")
            .field("code", &self.code.0)
            .field("severity", &self.severity)
            .finish_non_exhaustive()
    }
}
