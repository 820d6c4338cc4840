//! Blocking a number through the phone: it goes on the vault's block list and into the running
//! trust context, so the next call from it is refused without ringing (603, `CallBlocked`),
//! even after a restart while the vault is locked; a ringing call from it is declined at once;
//! unblocking lets it ring again.

mod support;

use engine::ErrorCode;
use engine::api::{CallLogFilter, EndReason, PhoneEvent, TrustLevel};
use support::{Trainee, in_private_keyring, storage};

/// Places a scenario's call and waits for the phone to refuse it; fails if it rings.
async fn refused(t: &mut Trainee, scenario: &str) -> engine::api::TrustVerdict {
    t.phone.training_call(scenario).await.expect("the line places the call");
    t.wait_for("the call to be blocked", |e| match e {
        PhoneEvent::IncomingCall { .. } => panic!("a blocked number must not ring"),
        PhoneEvent::CallBlocked { verdict, .. } => Some(verdict.clone()),
        _ => None,
    })
    .await
}

#[test]
fn a_blocked_number_never_rings_again_until_unblocked() {
    in_private_keyring("a_blocked_number_never_rings_again_until_unblocked", |dir| async move {
        let (mut t, _) = Trainee::start(storage(&dir, "token.cbor")).await;
        t.phone.enrol_passkey("Soft key".into()).await.expect("enrolled");
        let (call, caller, _) = t.ring("unknown-unsigned").await;
        t.phone.decline(call.clone()).await.unwrap();
        t.ended(&call).await;
        let number = caller.number.clone().expect("a number");
        let bad = t.phone.block("not a number".into()).await.expect_err("refused");
        assert_eq!(bad.code, ErrorCode::InvalidTarget);
        t.phone.block(number.clone()).await.expect("blocked");

        let verdict = refused(&mut t, "unknown-unsigned").await;
        assert_eq!(verdict.level, TrustLevel::Blocked);
        assert_eq!(verdict.reasons[0].code, "reputation.user_blocked", "{verdict:#?}");
        let log = t.phone.call_log(CallLogFilter { direction: None, min_level: None, limit: 5 });
        let log = log.await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!((log[0].verdict.level, &log[0].end), (TrustLevel::Blocked, &None));
        assert!(log.iter().all(|e| e.blocked), "the number is on the block list: {log:#?}");
        t.stop().await;

        // After a restart the list is in force before anyone unlocks.
        let (mut t, state) = Trainee::start(storage(&dir, "token.cbor")).await;
        assert!(state.locked);
        refused(&mut t, "unknown-unsigned").await;
        let locked = t.phone.unblock(number.clone()).await.expect_err("locked");
        assert_eq!(locked.code, ErrorCode::Locked);
        t.phone.unlock().await.expect("unlocked");
        t.phone.unblock(number).await.expect("unblocked");
        let (call, _, verdict) = t.ring("unknown-unsigned").await;
        assert_ne!(verdict.level, TrustLevel::Blocked);
        t.phone.decline(call.clone()).await.unwrap();
        t.ended(&call).await;
        t.stop().await;
    });
}

#[test]
fn blocking_the_number_of_a_ringing_call_declines_it() {
    in_private_keyring("blocking_the_number_of_a_ringing_call_declines_it", |dir| async move {
        let (mut t, _) = Trainee::start(storage(&dir, "token.cbor")).await;
        t.phone.enrol_passkey("Soft key".into()).await.expect("enrolled");
        let (call, caller, _) = t.ring("neighbour-spoof").await;
        t.phone.block(caller.number.expect("a number")).await.expect("blocked");
        assert_eq!(t.ended(&call).await, EndReason::Declined, "declined without a click");
        t.stop().await;
    });
}
