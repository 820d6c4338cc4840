//! Stored calls as the log screen, reports and screening history see them: the engine's
//! [`LoggedCall`] envelope read back from the store's rows.

use std::collections::BTreeSet;

use store::{CallId, CallRecord};

use crate::api::{CallKey, CallLogEntry, Direction, TrustLevel};
use crate::call_log::{LoggedCall, store_direction};

/// The filter's direction for the store.
pub(crate) fn direction_filter(direction: Option<Direction>) -> Option<store::Direction> {
    direction.map(store_direction)
}

/// The log's key for a stored call: stable across restarts.
pub(crate) fn log_key(id: CallId) -> CallKey {
    CallKey(format!("log-{}", id.0))
}

/// The stored call a log key names.
pub(crate) fn logged_id(key: &CallKey) -> Option<CallId> {
    key.0.strip_prefix("log-")?.parse().ok().map(CallId)
}

/// How risky a level is, for the log's `min_level` filter.
pub(crate) fn risk(level: TrustLevel) -> u8 {
    match level {
        TrustLevel::Verified => 0,
        TrustLevel::Neutral | TrustLevel::Verifying => 1,
        TrustLevel::Caution => 2,
        TrustLevel::Danger => 3,
        TrustLevel::Blocked => 4,
    }
}

/// A stored call as the log screen shows it; `None` for a row the engine did not write.
pub(crate) fn entry(record: &CallRecord, blocked: &BTreeSet<String>) -> Option<CallLogEntry> {
    let logged: LoggedCall = serde_json::from_value(record.call.verdict.clone()).ok()?;
    let call = &record.call;
    Some(CallLogEntry {
        call: log_key(record.id),
        blocked: logged.party.number.as_ref().is_some_and(|n| blocked.contains(n)),
        party: logged.party,
        direction: match call.direction {
            store::Direction::Incoming => Direction::Incoming,
            store::Direction::Outgoing => Direction::Outgoing,
        },
        started_at_ms: u64::try_from(call.started_at.unix_millis()).unwrap_or(0),
        duration_secs: call
            .actions
            .contains(&store::UserAction::Answered)
            .then(|| u32::try_from(call.duration_ms / 1000).unwrap_or(u32::MAX)),
        verdict: logged.verdict,
        end: logged.end,
        reported: call.actions.contains(&store::UserAction::Reported),
        training: logged.training,
        media: logged.media,
    })
}

/// A stored incoming call as screening history; `None` for outgoing and training calls and for
/// callers without a number.
pub(crate) fn history_record(
    record: &CallRecord,
    ctx: &trust::TrustContext,
) -> Option<trust::reputation::CallRecord> {
    let logged: LoggedCall = serde_json::from_value(record.call.verdict.clone()).ok()?;
    let call = &record.call;
    if call.direction != store::Direction::Incoming || logged.training {
        return None;
    }
    let number = crate::screening_lists::normalise(logged.party.number.as_deref()?, ctx)?;
    Some(trust::reputation::CallRecord {
        number,
        at: call.started_at.unix_millis() / 1000,
        ring_secs: u32::try_from(logged.ring_ms / 1000).unwrap_or(u32::MAX),
        answered: call.actions.contains(&store::UserAction::Answered),
        duration_secs: u32::try_from(call.duration_ms / 1000).unwrap_or(u32::MAX),
        reported: call.actions.contains(&store::UserAction::Reported),
    })
}
