//! coturn self-tests: it answers STUN binding requests on its free port and relays to a
//! loopback peer for the right credentials only, over UDP and TLS.

use interop::{Coturn, Transport};

#[test]
fn coturn_answers_a_stun_binding() {
    let turn = Coturn::start().unwrap();
    let reflexive = turn.stun_binding().unwrap();
    assert!(reflexive.starts_with("127.0.0.1:"), "{reflexive}");
}

#[test]
fn coturn_relays_for_the_right_credentials_only() {
    let turn = Coturn::start().unwrap();
    let (user, password) = turn.credentials();
    let (user, password) = (user.to_owned(), password.to_owned());
    let report = turn.relay_round_trip(&user, &password, Transport::Udp, 2).unwrap();
    assert!(report.sent > 0 && report.received == report.sent, "{report:?}");
    assert!(turn.relay_round_trip(&user, "wrong", Transport::Udp, 1).is_err());
}

#[test]
fn coturn_relays_over_tls() {
    let turn = Coturn::builder().tls(true).start().unwrap();
    assert!(turn.tls_addr().is_some() && turn.tls_cert().is_some());
    let report = turn.relay_round_trip("turnuser", "turnpass", Transport::Tls, 2).unwrap();
    assert!(report.sent > 0 && report.received == report.sent, "{report:?}");
}
