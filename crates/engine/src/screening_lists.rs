//! The user's block list and call history in the running trust context.
//!
//! The account's trust context (the organisation's file) is the base; the vault adds the user's
//! blocked numbers and the incoming calls of the last [`HISTORY_DAYS`] days. Whenever either
//! changes, the engine builds a fresh context and hands it to the driver, which swaps it into
//! screening (and declines a ringing call from a number just blocked).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use trust::reputation::{CallRecord, History};
use trust::{E164, TrustContext};

use crate::calls::Phase;
use crate::driver::Driver;

/// How far back the call history that screening sees reaches.
pub(crate) const HISTORY_DAYS: u32 = 90;

/// What the vault adds to the organisation's context.
#[derive(Debug, Default)]
pub(crate) struct UserLists {
    /// Blocked numbers, `+` and digits.
    pub blocked: BTreeSet<String>,
    /// Past incoming calls (training calls excluded), oldest first.
    pub history: Vec<CallRecord>,
}

/// `base` with the user's lists added. `TrustContext` is not `Clone`; every field is, and a
/// field added to it later fails this build instead of being dropped silently.
pub(crate) fn with_user_lists(base: &TrustContext, lists: &UserLists) -> TrustContext {
    let mut block = base.block.clone();
    lists.blocked.iter().for_each(|number| block.insert(number));
    let mut records = base.history.since(i64::MIN).to_vec();
    records.extend(lists.history.iter().cloned());
    let history = History::new(records, base.policy.one_ring.short_ring_secs);
    TrustContext {
        own_numbers: base.own_numbers.clone(),
        neighbour_prefixes: base.neighbour_prefixes.clone(),
        directory: base.directory.clone(),
        history,
        block,
        allow: base.allow.clone(),
        feed: base.feed.clone(),
        anchors: base.anchors.clone(),
        crls: base.crls.clone(),
        offline: base.offline.clone(),
        high_risk: base.high_risk.clone(),
        premium: base.premium.clone(),
        internal: base.internal.clone(),
        region: base.region,
        policy: base.policy.clone(),
    }
}

/// A number as the user typed or the log shows it, in E.164 (national forms in the context's
/// region); `None` when it is not a phone number.
pub(crate) fn normalise(number: &str, ctx: &TrustContext) -> Option<E164> {
    E164::parse(number, ctx.region).or_else(|_| E164::from_digits(number.trim())).ok()
}

impl Driver {
    /// Screens calls against `trust` from now on; a ringing call from `decline` is refused (the
    /// user blocked its number while it rang).
    pub(crate) fn rescreen(&mut self, trust: Arc<TrustContext>, decline: Option<E164>) {
        self.account.trust = Arc::clone(&trust);
        self.screening.set_context(Arc::clone(&trust));
        let Some(number) = decline else { return };
        let ringing: Vec<sip::CallHandle> = self
            .calls
            .iter()
            .filter(|call| call.phase == Phase::Ringing)
            .filter(|call| {
                call.party.number.as_deref().and_then(|n| normalise(n, &trust)) == Some(number)
            })
            .map(|call| call.handle)
            .collect();
        for handle in ringing {
            let _ = self.ua.reject(Instant::now(), handle, 603, "Decline");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(digits: &str) -> E164 {
        E164::from_digits(digits).expect("a valid number")
    }

    #[test]
    fn the_users_block_list_and_history_join_the_organisations_context() {
        let base = TrustContext {
            block: trust::reputation::NumberSet::from_entries(["+15550001"]),
            ..TrustContext::default()
        };
        let past = CallRecord {
            number: number("+15550002"),
            at: 1_700_000_000,
            ring_secs: 3,
            answered: false,
            duration_secs: 0,
            reported: true,
        };
        let lists =
            UserLists { blocked: BTreeSet::from(["+15550003".to_owned()]), history: vec![past] };
        let ctx = with_user_lists(&base, &lists);
        assert!(ctx.block.contains(number("+15550001")), "the organisation's list stays");
        assert!(ctx.block.contains(number("+15550003")), "the user's list joins it");
        assert!(!ctx.block.contains(number("+15550002")));
        let stats = ctx.history.stats(number("+15550002")).expect("the call is history");
        assert_eq!((stats.calls, stats.reports), (1, 1));
        assert!(
            with_user_lists(&base, &UserLists::default())
                .history
                .stats(number("+15550002"))
                .is_none()
        );
    }

    #[test]
    fn numbers_normalise_in_the_contexts_region() {
        let ctx = TrustContext::default();
        assert_eq!(normalise("+1 (215) 555-0142", &ctx), Some(number("+12155550142")));
        assert_eq!(normalise("not a number", &ctx), None);
    }
}
