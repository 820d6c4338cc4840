//! Every call that ends lands in the vault's call log with its verdict, locked or not, and a
//! report queues the call's evidence in the outbox: a training call through the real engine,
//! the OS keyring on a private D-Bus and the software passkey.

mod support;

use engine::api::{CallLogFilter, Direction, EndReason, Report, ReportTag, TrustLevel};
use engine::{ErrorCode, KeyringEntry};
use store::Timestamp;
use support::{Trainee, in_private_keyring, storage};
use vault::{Opened, SoftAuthenticator, Vault};

fn everything() -> CallLogFilter {
    CallLogFilter { direction: None, min_level: None, limit: 50 }
}

#[test]
fn a_declined_call_is_logged_with_its_verdict_even_while_locked() {
    in_private_keyring(
        "a_declined_call_is_logged_with_its_verdict_even_while_locked",
        |dir| async move {
            let (mut t, _) = Trainee::start(storage(&dir, "token.cbor")).await;
            t.phone.enrol_passkey("Soft key".into()).await.expect("enrolled");
            t.phone.lock().await.expect("locked");

            let (call, caller, verdict) = t.ring("neighbour-spoof").await;
            t.phone.decline(call.clone()).await.expect("declining works while locked");
            assert_eq!(t.ended(&call).await, EndReason::Declined);

            t.phone.unlock().await.expect("unlocked");
            let log = t.phone.call_log(everything()).await.expect("the log");
            assert_eq!(log.len(), 1, "{log:#?}");
            let entry = &log[0];
            assert_eq!(entry.party, caller);
            assert_eq!(entry.direction, Direction::Incoming);
            assert_eq!(entry.verdict, verdict, "the verdict the user saw");
            assert_eq!(entry.verdict.level, TrustLevel::Caution);
            assert_eq!(entry.end, Some(EndReason::Declined));
            assert_eq!(entry.duration_secs, None, "never answered");
            assert!(entry.training && !entry.reported && !entry.blocked, "{entry:?}");

            let dangerous = CallLogFilter { min_level: Some(TrustLevel::Danger), ..everything() };
            assert!(t.phone.call_log(dangerous).await.unwrap().is_empty());
            let outgoing = CallLogFilter { direction: Some(Direction::Outgoing), ..everything() };
            assert!(t.phone.call_log(outgoing).await.unwrap().is_empty());
            t.stop().await;
        },
    );
}

#[test]
fn a_report_queues_the_calls_evidence_in_the_outbox() {
    in_private_keyring("a_report_queues_the_calls_evidence_in_the_outbox", |dir| async move {
        let (mut t, _) = Trainee::start(storage(&dir, "token.cbor")).await;
        t.phone.enrol_passkey("Soft key".into()).await.expect("enrolled");
        let (call, caller, verdict) = t.ring("fake-helpdesk").await;
        t.phone.decline(call.clone()).await.expect("decline");
        t.ended(&call).await;

        // Right after `Ended`, the live call's key already names the logged call.
        let report = Report {
            tags: vec![ReportTag::ClaimedToBeIt, ReportTag::AskedForCode],
            note: Some("Wanted my MFA code".into()),
        };
        let id = t.phone.report(call.clone(), report).await.expect("reported");
        let log = t.phone.call_log(everything()).await.unwrap();
        assert!(log[0].reported, "{:?}", log[0]);
        let again = t.phone.report(log[0].call.clone(), Report::default()).await.unwrap();
        assert_ne!(again, id);
        let unknown = t.phone.report(engine::api::CallKey("log-999".into()), Report::default());
        assert_eq!(unknown.await.unwrap_err().code, ErrorCode::NoSuchCall);
        t.stop().await;

        // The outbox, read straight from the vault with the same passkey.
        let storage = storage(&dir, "token.cbor");
        let keyring = KeyringEntry::new("engine-test");
        let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
        let now = Timestamp::from_unix_millis(i64::try_from(since.as_millis()).unwrap());
        let Opened::Locked(vault) = Vault::open(&storage.dir, &keyring, now).unwrap() else {
            panic!("the vault is enrolled");
        };
        let token = storage.authenticator.trim_start_matches("soft:").to_owned();
        let mut token = SoftAuthenticator::open_or_create(std::path::Path::new(&token)).unwrap();
        let (challenge, assertion) = vault.start_unlock().unwrap();
        let response = token.authenticate(challenge).unwrap();
        let mut vault = vault.finish_unlock(assertion, &response, now).unwrap();
        let pending = vault.store(now).unwrap().outbox().pending(10).unwrap();
        assert_eq!(pending.len(), 2);
        let payload = &pending[0].payload;
        assert_eq!(payload["tags"], serde_json::json!(["claimedToBeIt", "askedForCode"]));
        assert_eq!(payload["note"], "Wanted my MFA code");
        assert_eq!(payload["call"]["party"]["number"], caller.number.unwrap().as_str());
        assert_eq!(payload["call"]["verdict"]["level"], "danger");
        assert_eq!(
            payload["call"]["verdict"]["reasons"][0]["code"],
            verdict.reasons[0].code.as_str()
        );
        assert!(pending[0].call_id.is_some(), "linked to the logged call");
    });
}

#[test]
fn a_callback_is_logged_as_an_outgoing_call_with_its_media() {
    in_private_keyring(
        "a_callback_is_logged_as_an_outgoing_call_with_its_media",
        |dir| async move {
            let (mut t, _) = Trainee::start(storage(&dir, "token.cbor")).await;
            t.phone.enrol_passkey("Soft key".into()).await.expect("enrolled");
            let (call, _, _) = t.ring("fake-helpdesk").await;
            let outgoing = t.phone.callback_verify(call.clone()).await.expect("callback placed");
            assert_eq!(t.ended(&call).await, EndReason::CallbackVerification);
            t.wait_for("media on the callback", |e| match e {
                engine::api::PhoneEvent::MediaSecured { call: c, .. } if *c == outgoing => Some(()),
                _ => None,
            })
            .await;
            t.phone.hangup(outgoing.clone()).await.expect("hang up");
            assert_eq!(t.ended(&outgoing).await, EndReason::LocalHangup);

            let log = t.phone.call_log(everything()).await.unwrap();
            assert_eq!(log.len(), 2, "{log:#?}");
            let (callback, helpdesk) = (&log[0], &log[1]);
            assert_eq!(callback.direction, Direction::Outgoing);
            assert!(callback.party.uri.starts_with("sip:+12155550100@"), "{:?}", callback.party);
            assert_eq!(callback.end, Some(EndReason::LocalHangup));
            assert!(callback.duration_secs.is_some(), "answered by the line");
            let media = callback.media.as_ref().expect("the media summary");
            assert!(media.encrypted, "{media:?}");
            assert_eq!(helpdesk.end, Some(EndReason::CallbackVerification));
            let outgoing_only =
                CallLogFilter { direction: Some(Direction::Outgoing), ..everything() };
            assert_eq!(t.phone.call_log(outgoing_only).await.unwrap(), vec![callback.clone()]);
            t.stop().await;
        },
    );
}
