//! Reputation reasons: block/allow lists, the organisation feed, history, contacts, directory.

use crate::detectors::Situation;
use crate::e164::E164;
use crate::reputation::FeedClass;
use crate::verdict::{Reason, Severity};

/// What reputation contributes.
pub(super) struct ReputationView {
    pub reasons: Vec<Reason>,
    pub allowlisted: bool,
    pub known_callback: Option<E164>,
}

pub(super) fn evaluate(s: &Situation<'_>) -> ReputationView {
    let mut view = ReputationView { reasons: Vec::new(), allowlisted: false, known_callback: None };
    let Some(n) = s.caller.number() else { return view };
    let ctx = s.ctx;
    if ctx.block.contains(n) {
        view.reasons.push(Reason::new(
            "reputation.user_blocked",
            Severity::Block,
            "You blocked this number.",
        ));
    }
    if ctx.allow.contains(n) {
        view.allowlisted = true;
        view.reasons.push(Reason::new(
            "reputation.user_allowed",
            Severity::Positive,
            "You marked this number as allowed.",
        ));
    }
    if let Some(label) = ctx.feed.as_ref().and_then(|f| f.lookup(n)) {
        view.reasons.push(feed_reason(FeedClass::of(label), view.allowlisted));
    }
    if let Some(entry) = ctx.directory.entry_for_number(n) {
        view.known_callback = entry.numbers.first().copied();
        view.reasons.push(Reason::new(
            "reputation.directory",
            Severity::Positive,
            format!("The number belongs to {} in the company directory.", entry.name),
        ));
    } else if let Some(contact) = ctx.directory.contact_for_number(n) {
        view.known_callback = contact.numbers.first().copied();
        view.reasons.push(Reason::new(
            "reputation.contact",
            Severity::Positive,
            format!("The number belongs to your contact {}.", contact.name),
        ));
    }
    view.reasons.extend(history(s, n));
    view
}

fn feed_reason(class: FeedClass, allowlisted: bool) -> Reason {
    match class {
        FeedClass::Block => Reason::new(
            "reputation.feed_block",
            Severity::Block,
            "Your organisation blocks this number.",
        ),
        FeedClass::Scam => Reason::new(
            "reputation.feed_scam",
            Severity::Danger,
            "Your organisation lists this number as used by scammers.",
        ),
        FeedClass::Spam if allowlisted => Reason::new(
            "reputation.feed_spam",
            Severity::Info,
            "Your organisation lists this number as unwanted, but you allowed it.",
        ),
        FeedClass::Spam => Reason::new(
            "reputation.feed_spam",
            Severity::Caution,
            "Your organisation lists this number as unwanted calls.",
        ),
        FeedClass::Trusted => Reason::new(
            "reputation.feed_trusted",
            Severity::Positive,
            "Your organisation lists this number as a known partner.",
        ),
    }
}

fn history(s: &Situation<'_>, n: E164) -> Option<Reason> {
    let Some(stats) = s.ctx.history.stats(n) else {
        return Some(Reason::new(
            "reputation.first_call",
            Severity::Info,
            "This number has not called you before.",
        ));
    };
    if stats.reports > 0 {
        return Some(Reason::new(
            "reputation.reported",
            Severity::Caution,
            "You reported a call from this number as suspicious before.",
        ));
    }
    (stats.answered >= 2 && stats.talk_secs >= 60).then(|| {
        Reason::new(
            "reputation.familiar",
            Severity::Info,
            format!("You have talked with this number {} times before.", stats.answered),
        )
    })
}
