//! Ghost-call protection under load: a sipp INVITE flood (500 calls/s for 10 s) at the phone's
//! SIP port from a source that is not the registrar. Nothing rings, memory stays bounded, and a
//! legitimate call through the registrar still rings during the flood.

mod common;

use std::time::Duration;

use common::{TestPhone, account_for};
use engine::SrtpPolicy;
use engine::api::PhoneEvent;
use interop::baresip::{EventKind, MediaEnc};
use interop::net::{free_udp_port, loopback};
use interop::{Baresip, Kamailio, Scenario, Sipp, Transport};

const T: Duration = Duration::from_secs(15);

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("VmRSS")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_flood_from_a_stranger_never_rings_and_a_real_call_still_does() {
    let kamailio = Kamailio::start().expect("kamailio");
    let theirs = kamailio.account("1002", Transport::Udp).expect("1002");
    let mut bob =
        Baresip::registered(theirs).media_enc(MediaEnc::SrtpMand).start().expect("baresip");
    bob.wait_registered(T).expect("baresip registered");

    let port = free_udp_port().expect("port");
    let mut account =
        account_for(&kamailio.account("1001", Transport::Udp).expect("1001"), SrtpPolicy::Required);
    account.file.local_addr = Some(loopback(port));
    let mut phone = TestPhone::start(account).await;
    phone.registered().await;
    let rss_before = rss_kib();

    let flood = Sipp::uac(Scenario::InviteFlood, loopback(port))
        .service("1001")
        .rate(500)
        .calls(5000)
        .timeout(Duration::from_secs(14))
        .spawn()
        .expect("sipp flood");

    // The scenario: the real call is placed three seconds into the flood (a schedule, not a wait
    // for some condition).
    tokio::time::sleep(Duration::from_secs(3)).await;
    bob.dial("sip:1001@127.0.0.1").expect("baresip dials");
    let (call, caller) = phone.incoming().await;
    assert_eq!(caller.number.as_deref(), Some("1002"));
    phone.phone.decline(call.clone()).await.expect("decline");
    bob.wait_for_event(EventKind::CallClosed, T).expect("baresip saw the decline");

    let outcome = flood.wait().expect("sipp finishes");
    assert!(outcome.created >= 1000, "the flood really ran: {outcome:?}");
    assert_eq!(outcome.successful, 0, "no flood call may be answered: {outcome:?}");
    let rings = phone.seen.iter().filter(|e| matches!(e, PhoneEvent::IncomingCall { .. })).count();
    assert_eq!(rings, 1, "only the real call rang");
    let growth = rss_kib().saturating_sub(rss_before);
    assert!(growth < 32 * 1024, "memory grew by {growth} KiB under the flood");
}
