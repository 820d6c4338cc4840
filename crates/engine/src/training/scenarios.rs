//! The training line's scripted calls: who calls, how the call is signed, how the caller behaves,
//! and what the user should notice. The numbers belong to the training context
//! ([`super::context`]): a made-up company in the 555-01xx range that never reaches a real phone.

use crate::api::TrainingScenario;

/// The user's own number on the training line.
pub(crate) const OWN_NUMBER: &str = "+12155550123";
/// The helpdesk's directory number: callbacks to it are answered by the line.
pub(crate) const HELPDESK: &str = "+12155550100";
/// The CEO's directory number.
pub(crate) const CEO: &str = "+12155550111";
/// A colleague in the directory.
pub(crate) const COLLEAGUE: &str = "+12155550142";
/// A personal contact.
pub(crate) const CONTACT: &str = "+14155550142";
/// The bank named in the training policy.
pub(crate) const BANK: &str = "+18005550199";
/// A Caribbean number that already rang once, briefly, yesterday.
pub(crate) const ONE_RING: &str = "+18765550198";
/// A number the user blocked.
pub(crate) const BLOCKED: &str = "+13055550147";

/// How the simulated line signs a call (STIR/SHAKEN attestation), if at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signed {
    /// Full attestation: the carrier vouches for the number.
    A,
    /// Partial attestation: the carrier knows the customer, not their right to the number.
    B,
    /// No Identity header.
    Unsigned,
}

/// What the simulated caller does once the phone rings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Behaviour {
    /// Rings until answered or declined (gives up after a while).
    Rings,
    /// Rings once and hangs up, hoping for a costly callback.
    OneRing,
}

/// One scripted call.
#[derive(Debug)]
pub(crate) struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// The presented number (`From` user part).
    pub number: &'static str,
    /// The presented display name.
    pub name: Option<&'static str>,
    pub signed: Signed,
    pub behaviour: Behaviour,
    pub lesson: &'static [&'static str],
}

impl Scenario {
    /// The view the UI lists.
    pub fn view(&self) -> TrainingScenario {
        TrainingScenario {
            id: self.id.to_owned(),
            title: self.title.to_owned(),
            lesson: self.lesson.iter().map(|line| (*line).to_owned()).collect(),
        }
    }
}

/// The scenario with this id.
pub(crate) fn find(id: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.id == id)
}

/// Every scripted call, in the order the training screen lists them.
pub(crate) const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "verified-colleague",
        title: "A colleague calls from their directory number",
        number: COLLEAGUE,
        name: Some("Dana Reyes"),
        signed: Signed::A,
        behaviour: Behaviour::Rings,
        lesson: &[
            "“Verified number” means the carrier vouches for the number, not that every request is safe.",
            "Even a verified colleague who asks for a password, a code or an urgent payment is a reason to check.",
        ],
    },
    Scenario {
        id: "fake-helpdesk",
        title: "“IT Helpdesk” calls from an unknown number",
        number: "+14155550199",
        name: Some("IT Helpdesk"),
        signed: Signed::B,
        behaviour: Behaviour::Rings,
        lesson: &[
            "The name on the screen is typed by the caller: it proves nothing.",
            "Attestation B: the carrier knows its customer, but not that they may use this number.",
            "Real IT staff never ask for your password or one-time codes. “Verify by callback” hangs up and dials the helpdesk's directory number.",
        ],
    },
    Scenario {
        id: "neighbour-spoof",
        title: "A number that looks like your own",
        number: "+12155550987",
        name: None,
        signed: Signed::Unsigned,
        behaviour: Behaviour::Rings,
        lesson: &[
            "Scammers show a number with your area code and exchange so that you pick up.",
            "A familiar-looking number is no reason to trust a call.",
        ],
    },
    Scenario {
        id: "one-ring",
        title: "One ring from a Caribbean number",
        number: ONE_RING,
        name: None,
        signed: Signed::Unsigned,
        behaviour: Behaviour::OneRing,
        lesson: &[
            "Area code 876 looks domestic but is Jamaica: calling back costs money by the minute.",
            "A call that rings once and stops wants you to call back. Don't.",
        ],
    },
    Scenario {
        id: "blocked-number",
        title: "A number you blocked calls again",
        number: BLOCKED,
        name: None,
        signed: Signed::Unsigned,
        behaviour: Behaviour::Rings,
        lesson: &[
            "Callwarden refused the call without ringing: you blocked this number.",
            "Blocked calls still show in the call log, so you can report them.",
        ],
    },
    Scenario {
        id: "unknown-unsigned",
        title: "An unknown caller without verification",
        number: "+16175550188",
        name: Some("Alex Kim"),
        signed: Signed::Unsigned,
        behaviour: Behaviour::Rings,
        lesson: &[
            "Most legitimate calls are not verified yet: unverified does not mean fraud.",
            "Judge what the caller asks for: codes, passwords and urgent payments are red flags from anyone.",
        ],
    },
    Scenario {
        id: "bank-unproven",
        title: "Your bank's number, without proof",
        number: BANK,
        name: Some("First Example Bank"),
        signed: Signed::Unsigned,
        behaviour: Behaviour::Rings,
        lesson: &[
            "A caller can show any number, including your bank's real one.",
            "If they ask for anything sensitive, use “Verify by callback”: it dials the bank's number from your policy, not the number that called.",
        ],
    },
];
