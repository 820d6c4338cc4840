//! Registration against a real Kamailio registrar with digest auth, on every transport:
//! 401 challenge then 200, a refresh before expiry, and unregistration on shutdown.

mod common;

use std::time::Duration;

use common::{TestPhone, account_for};
use engine::SrtpPolicy;
use engine::api::{PhoneEvent, RegistrationState};
use interop::{Kamailio, Transport};

async fn register_refresh_unregister(transport: Transport) {
    let kamailio = Kamailio::start().expect("kamailio starts");
    let sip = kamailio.account("1001", transport).expect("user 1001");
    let mut account = account_for(&sip, SrtpPolicy::Required);
    // Ask for a short binding; Kamailio raises it to its minimum (60 s) and the UA refreshes
    // before that expires.
    account.file.register_expires = 20;
    let mut phone = TestPhone::start(account).await;

    let granted = phone.registered().await;
    assert!(granted > 0 && granted <= 120, "granted {granted} s");
    // Kamailio saves a binding only after pv_www_authenticate accepted our digest response to its
    // 401 challenge (a REGISTER without credentials is always challenged), so a binding proves the
    // challenge was answered.
    assert!(kamailio.is_registered("1001").expect("kamcmd"), "Kamailio holds the binding");

    // The refresh: a second Registered event before the first binding expires.
    let started = std::time::Instant::now();
    phone.registered_within(Duration::from_secs(u64::from(granted))).await;
    assert!(started.elapsed() < Duration::from_secs(u64::from(granted)), "refreshed before expiry");
    assert!(kamailio.is_registered("1001").expect("kamcmd"), "the binding survived the refresh");

    phone.phone.shutdown();
    phone
        .wait_for("unregistration", |e| {
            matches!(
                e,
                PhoneEvent::RegistrationChanged { state: RegistrationState::Unregistered, .. }
            )
            .then_some(())
        })
        .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while kamailio.is_registered("1001").expect("kamcmd") {
        assert!(std::time::Instant::now() < deadline, "Kamailio still holds the binding");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_refreshes_and_unregisters_over_udp() {
    register_refresh_unregister(Transport::Udp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_refreshes_and_unregisters_over_tcp() {
    register_refresh_unregister(Transport::Tcp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_refreshes_and_unregisters_over_tls() {
    register_refresh_unregister(Transport::Tls).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_refreshes_and_unregisters_over_wss() {
    register_refresh_unregister(Transport::Wss).await;
}
