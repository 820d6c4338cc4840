//! Kamailio self-tests: phones register over UDP, TCP, TLS, WS and WSS (and unregister when they
//! quit); an authenticated INVITE leaves Kamailio signed (STIR/SHAKEN) with the attestation asked
//! for; a foreign caller's Identity passes untouched; the x5u server serves what tests add.

use std::io::{Read, Write};
use std::time::Duration;

use interop::baresip::EventKind;
use interop::pki::PassportClaims;
use interop::{Attestation, Baresip, Kamailio, Scenario, Sipp, Transport};

const SETUP: Duration = Duration::from_secs(10);

#[test]
fn baresip_registers_over_udp_tcp_and_tls() {
    let mut kam = Kamailio::start().unwrap();
    let plan = [("1001", Transport::Udp), ("1002", Transport::Tcp), ("1003", Transport::Tls)];
    assert!(!kam.is_registered("1001").unwrap());
    let mut phones: Vec<Baresip> = plan
        .iter()
        .map(|(user, t)| Baresip::registered(kam.account(user, *t).unwrap()).record(false))
        .map(|builder| builder.start().unwrap())
        .collect();
    for phone in &mut phones {
        phone.wait_registered(SETUP).unwrap();
    }
    let log = kam.log();
    for (user, transport) in plan {
        kam.wait_registered(user, SETUP).unwrap();
        // The REGISTER really arrived over the transport asked for.
        let via = format!("from sip:{user}@127.0.0.1 via {transport}:");
        assert!(log.lines().any(|l| l.contains("REQ REGISTER") && l.contains(&via)), "{via}");
    }
    // A phone that quits unregisters.
    drop(phones.remove(0));
    kam.wait_unregistered("1001", SETUP).unwrap();
    assert!(kam.is_registered("1002").unwrap());
}

/// Checks the Identity header's signature with `secsipidx` against `cert`.
fn assert_signed_by(identity: &str, cert: &std::path::Path) {
    let check = std::process::Command::new("secsipidx")
        .args(["-c", "-expire", "999999", "-identity", identity, "-p"])
        .arg(cert)
        .output()
        .unwrap();
    assert!(check.status.success(), "secsipidx: {}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn authenticated_invite_is_signed_with_the_overridden_attestation() {
    let mut kam = Kamailio::start().unwrap();
    let mut bob = Baresip::registered(kam.account("1002", Transport::Udp).unwrap())
        .record(false)
        .start()
        .unwrap();
    bob.wait_registered(SETUP).unwrap();
    let outcome = Sipp::uac(Scenario::UacAuthIdentity, kam.addr(Transport::Udp))
        .service("1002")
        .auth("1001", "pw1001")
        .key("caller", "1001")
        .key("attest", "B")
        .pause(Duration::from_millis(300))
        .run()
        .unwrap();
    assert!(outcome.all_succeeded(), "{outcome:?}");
    bob.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();

    let invites = kam.wait_forwarded_invites(1, SETUP).unwrap();
    assert_eq!(invites[0].destination, bob.sip_addr().to_string());
    let identity = invites[0].identity().expect("forwarded INVITE carries Identity");
    assert!(identity.contains(&format!("info=<{}>", kam.x5u_url())), "{identity}");
    let claims = invites[0].passport_claims().unwrap();
    assert_eq!(claims["attest"], "B", "X-Attest overrides 1001's default A: {claims}");
    assert_eq!(claims["orig"]["tn"], "1001");
    assert_eq!(claims["dest"]["tn"][0], "1002");
    assert!(invites[0].header("X-Attest").is_none(), "the override header is not forwarded");

    // The signature verifies against the SP certificate, and Kamailio's own check fetched x5u.
    assert_signed_by(identity, &kam.stir().sp_cert);
    assert!(kam.log().contains("STIR: verify via x5u rc=1"), "x5u self-check failed");
    assert!(kam.x5u_requests() >= 1);
}

#[test]
fn registers_over_websocket_and_secure_websocket() {
    let mut kam = Kamailio::start().unwrap();
    let ws = kam.register_over_websocket("1001", false).unwrap();
    assert!(ws.contains("101 Switching Protocols") && ws.contains("200 OK"), "{ws}");
    let wss = kam.register_over_websocket("1002", true).unwrap();
    assert!(wss.contains("200 OK"), "{wss}");
    kam.wait_registered("1001", SETUP).unwrap();
    kam.wait_registered("1002", SETUP).unwrap();
    assert!(!kam.is_registered("1003").unwrap());
}

#[test]
fn foreign_signed_invite_reaches_the_callee_with_its_identity_untouched() {
    let mut kam = Kamailio::start().unwrap();
    let mut bob = Baresip::registered(kam.account("1002", Transport::Udp).unwrap())
        .record(false)
        .start()
        .unwrap();
    bob.wait_registered(SETUP).unwrap();
    let claims = PassportClaims {
        orig_tn: "12155550101".to_owned(),
        dest_tn: "1002".to_owned(),
        attestation: Attestation::C,
        x5u: kam.x5u_url().to_owned(),
        iat: None,
    };
    let identity = kam.stir().sign_identity(&claims).unwrap();
    let outcome = Sipp::uac(Scenario::UacIdentity, kam.addr(Transport::Udp))
        .service("1002")
        .key("caller", "12155550101")
        .key("identity", &identity)
        .pause(Duration::from_millis(300))
        .run()
        .unwrap();
    assert!(outcome.all_succeeded(), "{outcome:?}");
    bob.wait_for_event(EventKind::CallEstablished, SETUP).unwrap();
    let invites = kam.wait_forwarded_invites(1, SETUP).unwrap();
    assert_eq!(invites[0].identity(), Some(identity.as_str()));
    assert_eq!(invites[0].passport_claims().unwrap()["attest"], "C");
}

/// GETs `url` (`http://127.0.0.1:PORT/NAME`) and returns the whole response text.
fn http_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn x5u_server_serves_the_chain_and_files_a_test_adds() {
    let kam = Kamailio::start().unwrap();
    let chain = http_get(kam.x5u_url());
    assert!(chain.starts_with("HTTP/1.0 200"), "{chain}");
    assert_eq!(chain.matches("BEGIN CERTIFICATE").count(), 2, "leaf then root");
    std::fs::write(kam.stir().www.join("rogue.pem"), "not a certificate").unwrap();
    assert!(http_get(&kam.x5u_url_for("rogue.pem")).ends_with("not a certificate"));
    assert!(http_get(&kam.x5u_url_for("missing.pem")).starts_with("HTTP/1.0 404"));
}
