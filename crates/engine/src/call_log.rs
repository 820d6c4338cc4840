//! The call log, built from the phone's own events: the UI is a function of [`PhoneEvent`]s, and
//! so is the log. A call is followed from `IncomingCall`/`OutgoingCall` through verdict updates,
//! answer and media summary to `Ended`, then written to the vault; a call refused without
//! ringing (`CallBlocked`) is written at once.
//!
//! The store's `verdict` column holds a [`LoggedCall`]: the verdict as the user saw it plus what
//! the log screen and reports need (party, end reason, training mark, media summary).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use store::{DisplayName, NewCall, PhoneNumber, QualitySummary, Timestamp};

use crate::api::{
    Attestation, CallKey, Direction, EndReason, MediaSummary, Party, PhoneEvent, RecommendedAction,
    TrustLevel, TrustVerdict,
};

/// What the engine stores about a call beside the store's own columns.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LoggedCall {
    pub party: Party,
    pub verdict: TrustVerdict,
    pub end: Option<EndReason>,
    pub training: bool,
    pub media: Option<MediaSummary>,
    /// How long it rang (incoming) or rang out (outgoing) before answer or end.
    pub ring_ms: u64,
}

/// A call that ended, ready for the vault.
#[derive(Debug)]
pub(crate) struct Finished {
    /// The live call's key (`None` for a call blocked before it had one).
    pub key: Option<CallKey>,
    pub call: NewCall,
}

/// A call being followed.
#[derive(Debug)]
struct Live {
    party: Party,
    direction: Direction,
    started: Timestamp,
    answered: Option<Timestamp>,
    verdict: TrustVerdict,
    media: Option<MediaSummary>,
}

/// Follows live calls through the event stream.
#[derive(Debug)]
pub(crate) struct Tracker {
    live: HashMap<CallKey, Live>,
    /// This phone runs on the training line: every call is marked.
    training: bool,
}

impl Tracker {
    /// A tracker for a phone on a real line, or on the training line.
    pub fn new(training: bool) -> Self {
        Self { live: HashMap::new(), training }
    }

    /// Looks at one event at `now`; a call that ended (or was blocked) comes out.
    pub fn observe(&mut self, event: &PhoneEvent, now: Timestamp) -> Option<Finished> {
        match event {
            PhoneEvent::IncomingCall { call, caller, verdict, .. } => {
                self.open(call, caller, Direction::Incoming, verdict.clone(), now)
            }
            PhoneEvent::OutgoingCall { call, callee } => {
                self.open(call, callee, Direction::Outgoing, outgoing_verdict(), now)
            }
            PhoneEvent::TrustUpdated { call, verdict } => {
                if let Some(live) = self.live.get_mut(call) {
                    live.verdict = verdict.clone();
                }
            }
            PhoneEvent::Answered { call } => {
                if let Some(live) = self.live.get_mut(call) {
                    live.answered = Some(now);
                }
            }
            PhoneEvent::MediaSummary { call, summary } => {
                if let Some(live) = self.live.get_mut(call) {
                    live.media = Some(summary.clone());
                }
            }
            PhoneEvent::Ended { call, reason } => {
                let live = self.live.remove(call)?;
                return Some(self.finish(Some(call.clone()), live, Some(reason.clone()), now));
            }
            PhoneEvent::CallBlocked { caller, verdict } => {
                let live = Live {
                    party: caller.clone(),
                    direction: Direction::Incoming,
                    started: now,
                    answered: None,
                    verdict: verdict.clone(),
                    media: None,
                };
                return Some(self.finish(None, live, None, now));
            }
            _ => {}
        }
        None
    }

    fn open(
        &mut self,
        key: &CallKey,
        party: &Party,
        direction: Direction,
        verdict: TrustVerdict,
        now: Timestamp,
    ) {
        let live = Live {
            party: party.clone(),
            direction,
            started: now,
            answered: None,
            verdict,
            media: None,
        };
        self.live.insert(key.clone(), live);
    }

    fn finish(
        &self,
        key: Option<CallKey>,
        live: Live,
        end: Option<EndReason>,
        now: Timestamp,
    ) -> Finished {
        let millis = |from: Timestamp, to: Timestamp| {
            u64::try_from(to.unix_millis() - from.unix_millis()).unwrap_or(0)
        };
        let ring_ms = millis(live.started, live.answered.unwrap_or(now));
        let duration_ms = live.answered.map_or(0, |at| millis(at, now));
        let mut actions = Vec::new();
        if live.answered.is_some() {
            actions.push(store::UserAction::Answered);
        }
        if matches!(end, Some(EndReason::Declined)) {
            actions.push(store::UserAction::Declined);
        }
        if matches!(end, Some(EndReason::CallbackVerification)) {
            actions.push(store::UserAction::CalledBack);
        }
        let quality = live.media.as_ref().and_then(quality);
        let logged = LoggedCall {
            party: live.party,
            verdict: live.verdict,
            end,
            training: self.training,
            media: live.media,
            ring_ms,
        };
        let call = NewCall {
            started_at: live.started,
            direction: store_direction(live.direction),
            number: PhoneNumber::new(logged_number(&logged.party)),
            display_name: logged.party.display_name.clone().map(DisplayName::new),
            // Serialising plain data into a JSON value cannot fail.
            verdict: serde_json::to_value(&logged).unwrap_or_default(),
            quality,
            duration_ms,
            actions,
        };
        Finished { key, call }
    }
}

/// The number column: the number when the party has one, else its URI.
fn logged_number(party: &Party) -> String {
    party.number.clone().unwrap_or_else(|| party.uri.clone())
}

fn quality(media: &MediaSummary) -> Option<QualitySummary> {
    Some(QualitySummary {
        mos: media.mean_mos?,
        loss_percent: media.mean_loss_percent,
        jitter_ms: media.max_jitter_ms,
    })
}

pub(crate) fn store_direction(direction: Direction) -> store::Direction {
    match direction {
        Direction::Incoming => store::Direction::Incoming,
        Direction::Outgoing => store::Direction::Outgoing,
    }
}

/// Outgoing calls are not screened: the log shows them neutral, without reasons.
fn outgoing_verdict() -> TrustVerdict {
    TrustVerdict {
        level: TrustLevel::Neutral,
        attestation: Attestation::None,
        brand: None,
        reasons: Vec::new(),
        action: RecommendedAction::Answer,
        callback: None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use store::{CallId, CallRecord};

    use super::*;
    use crate::api::{Attestation, TrustReason};
    use crate::logged_calls::{entry, history_record, logged_id, risk};

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(ms)
    }

    fn verdict(level: TrustLevel, code: &str) -> TrustVerdict {
        TrustVerdict {
            level,
            attestation: Attestation::None,
            brand: None,
            reasons: vec![TrustReason { code: code.into(), text: String::new() }],
            action: RecommendedAction::Answer,
            callback: None,
        }
    }

    fn caller() -> Party {
        Party {
            number: Some("+12155550142".into()),
            display_name: Some("Dana".into()),
            uri: "sip:+12155550142@example.com".into(),
        }
    }

    /// An answered incoming call whose verdict settled while it rang.
    fn answered_call(tracker: &mut Tracker) -> Finished {
        let call = CallKey("call-1".into());
        let events = [
            (
                0,
                PhoneEvent::IncomingCall {
                    call: call.clone(),
                    caller: caller(),
                    verdict: verdict(TrustLevel::Verifying, "stir.verifying"),
                    training: false,
                },
            ),
            (
                500,
                PhoneEvent::TrustUpdated {
                    call: call.clone(),
                    verdict: verdict(TrustLevel::Verified, "attest.a"),
                },
            ),
            (4_000, PhoneEvent::Answered { call: call.clone() }),
            (65_000, PhoneEvent::Ended { call: call.clone(), reason: EndReason::RemoteHangup }),
        ];
        let mut finished = None;
        for (ms, event) in events {
            finished = tracker.observe(&event, at(1_700_000_000_000 + ms));
        }
        finished.expect("the call ended")
    }

    #[test]
    fn an_ended_call_is_logged_with_its_settled_verdict_and_talk_time() {
        let finished = answered_call(&mut Tracker::new(false));
        assert_eq!(finished.key, Some(CallKey("call-1".into())));
        let record = CallRecord { id: CallId(7), call: finished.call };
        assert_eq!(record.call.duration_ms, 61_000);
        assert_eq!(record.call.actions, [store::UserAction::Answered]);
        let entry = entry(&record, &BTreeSet::from(["+12155550142".to_owned()])).expect("ours");
        assert_eq!(entry.call, CallKey("log-7".into()));
        assert_eq!(entry.verdict.level, TrustLevel::Verified, "the verdict the user saw last");
        assert_eq!(entry.duration_secs, Some(61));
        assert_eq!(entry.end, Some(EndReason::RemoteHangup));
        assert!(entry.blocked && !entry.reported && !entry.training);
        assert_eq!(logged_id(&entry.call), Some(CallId(7)));

        let past = history_record(&record, &trust::TrustContext::default()).expect("history");
        assert_eq!(
            (past.at, past.ring_secs, past.answered, past.duration_secs),
            (1_700_000_000, 4, true, 61)
        );
    }

    #[test]
    fn training_calls_are_marked_and_stay_out_of_screening_history() {
        let finished = answered_call(&mut Tracker::new(true));
        let record = CallRecord { id: CallId(1), call: finished.call };
        assert!(entry(&record, &BTreeSet::new()).expect("ours").training);
        assert!(history_record(&record, &trust::TrustContext::default()).is_none());
    }

    #[test]
    fn a_blocked_call_is_logged_at_once_without_an_end() {
        let blocked = PhoneEvent::CallBlocked {
            caller: caller(),
            verdict: verdict(TrustLevel::Blocked, "reputation.user_blocked"),
        };
        let finished = Tracker::new(false).observe(&blocked, at(5)).expect("logged");
        assert_eq!(finished.key, None);
        let entry = entry(&CallRecord { id: CallId(2), call: finished.call }, &BTreeSet::new());
        let entry = entry.expect("ours");
        assert_eq!(
            (entry.verdict.level, entry.end, entry.duration_secs),
            (TrustLevel::Blocked, None, None)
        );
        assert!(risk(TrustLevel::Blocked) > risk(TrustLevel::Danger));
    }

    #[test]
    fn a_row_the_engine_did_not_write_is_skipped() {
        let record = CallRecord {
            id: CallId(3),
            call: NewCall {
                started_at: at(0),
                direction: store::Direction::Incoming,
                number: PhoneNumber::new("+15550100"),
                display_name: None,
                verdict: serde_json::json!({ "level": "caution" }),
                quality: None,
                duration_ms: 0,
                actions: Vec::new(),
            },
        };
        assert!(entry(&record, &BTreeSet::new()).is_none());
    }
}
