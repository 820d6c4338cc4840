//! Registration against a digest-protecting registrar: 401 then 200 (SHA-256 chosen over MD5),
//! refresh before expiry with the next nonce count, a stale nonce answered without asking the
//! user, unregister with Expires: 0, and a wrong password reported as failure.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use common::*;
use sha2::{Digest, Sha256};
use sip::auth::Credentials;
use sip::{Event, FlowId, Registration};
use sip_types::{HeaderName, Message, Request};

const REGISTRAR: usize = 1;

#[derive(Default)]
struct Books {
    nonce: u32,
    accepted: u32,
    nonce_counts: Vec<String>,
    expire_nonce_after: u32,
}

fn sha(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Checks the Authorization header the way a registrar does: recompute and compare.
fn verify(req: &Request, books: &Books) -> Result<(), bool> {
    let auth = req.headers.authorization().ok().and_then(|v| v.into_iter().next()).ok_or(false)?;
    let p = |n: &str| auth.param(n).unwrap_or_default().to_owned();
    if p("algorithm") != "SHA-256" || p("username") != "alice" {
        return Err(false);
    }
    let ha1 = sha("alice:test:secret");
    let ha2 = sha(&format!("REGISTER:{}", p("uri")));
    let expected = sha(&format!("{ha1}:{}:{}:{}:auth:{ha2}", p("nonce"), p("nc"), p("cnonce")));
    if p("response") != expected {
        return Err(false);
    }
    let current = format!("n{}", books.nonce);
    let expired = books.expire_nonce_after > 0 && books.accepted >= books.expire_nonce_after;
    if p("nonce") != current || expired { Err(true) } else { Ok(()) }
}

fn registrar(books: Rc<RefCell<Books>>) -> peer::Peer {
    peer::Peer::scripted(move |from, msg| {
        let Message::Request(req) = msg else { return vec![] };
        let mut b = books.borrow_mut();
        match verify(req, &b) {
            Ok(()) => {
                b.accepted += 1;
                let nc = req
                    .headers
                    .authorization()
                    .ok()
                    .and_then(|a| a.into_iter().next())
                    .and_then(|a| a.param("nc").map(str::to_owned));
                b.nonce_counts.push(nc.unwrap_or_default());
                let asked: u32 = req
                    .headers
                    .get(&HeaderName::Expires)
                    .and_then(|e| e.parse().ok())
                    .unwrap_or(60);
                let contact = req.headers.get(&HeaderName::Contact).unwrap_or_default();
                let contact = format!("{contact};expires={}", asked.min(60));
                vec![(
                    from,
                    peer::response(req, 200, Some("reg"), &[("Contact", contact.as_str())], b""),
                )]
            }
            Err(stale) => {
                b.nonce += 1;
                b.expire_nonce_after = if stale { 0 } else { b.expire_nonce_after };
                let sha = format!(
                    "Digest realm=\"test\", nonce=\"n{}\", qop=\"auth\", algorithm=SHA-256{}",
                    b.nonce,
                    if stale { ", stale=true" } else { "" }
                );
                let md5 = format!(
                    "Digest realm=\"test\", nonce=\"n{}\", qop=\"auth\", algorithm=MD5",
                    b.nonce
                );
                let headers =
                    [("WWW-Authenticate", md5.as_str()), ("WWW-Authenticate", sha.as_str())];
                vec![(from, peer::response(req, 401, Some("reg"), &headers, b""))]
            }
        }
    })
}

fn setup(seed: u64, password: &str) -> (Sim, Rc<RefCell<Books>>) {
    let mut sim = Sim::new(seed);
    let mut cfg = sim.config("alice");
    cfg.registrar = Some(format!("sip:{}", Sim::addr(REGISTRAR)));
    cfg.credentials = Some(Credentials { username: "alice".into(), password: password.into() });
    cfg.register_expires = 600;
    sim.add_ua(cfg);
    let books = Rc::new(RefCell::new(Books { expire_nonce_after: 2, ..Books::default() }));
    sim.add_peer(registrar(books.clone()));
    (sim, books)
}

fn registered(sim: &Sim) -> usize {
    sim.count(ALICE, |e| matches!(e, Event::Registration(Registration::Registered { .. })))
}

#[test]
fn register_refresh_stale_and_unregister() {
    let (mut sim, books) = setup(40, "secret");
    sim.cmd(ALICE, |ua, now| ua.register(now)).expect("register");
    sim.run_until("registered", Duration::from_secs(5), |s| registered(s) == 1);
    let granted =
        Event::Registration(Registration::Registered { expires: 60, flow: Some(FlowId(1)) });
    assert_eq!(sim.events(ALICE), &[granted], "the registrar's 60 s wins over the 600 s asked");
    assert_eq!(sim.sent(ALICE, "REGISTER "), 2, "401 then 200");

    sim.run_until("refreshed", Duration::from_secs(31), |s| registered(s) == 2);
    assert!(
        sim.elapsed() >= Duration::from_secs(30) && sim.elapsed() < Duration::from_secs(31),
        "refresh at half-time"
    );
    assert_eq!(sim.sent(ALICE, "REGISTER "), 3, "the refresh reuses the nonce with the next count");

    sim.run_until("refreshed after a stale nonce", Duration::from_secs(31), |s| registered(s) == 3);
    assert_eq!(sim.sent(ALICE, "REGISTER "), 5, "stale=true is answered without the user");
    assert_eq!(books.borrow().nonce_counts, ["00000001", "00000002", "00000001"]);

    sim.cmd(ALICE, |ua, now| ua.unregister(now)).expect("unregister");
    sim.run_until("unregistered", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| *e == Event::Registration(Registration::Unregistered))
    });
    let last = sim.wire.iter().rev().find(|w| w.from == ALICE).expect("sent");
    assert!(last.text.contains("Expires: 0\r\n"));
    let sent = sim.sent(ALICE, "REGISTER ");
    sim.run_for(Duration::from_secs(300));
    assert_eq!(sim.sent(ALICE, "REGISTER "), sent, "no refresh after unregistering");
    assert!(!has(&sim, ALICE, |e| matches!(e, Event::Registration(Registration::Failed { .. }))));
}

#[test]
fn wrong_password_fails_without_looping() {
    let (mut sim, _) = setup(41, "wrong");
    sim.cmd(ALICE, |ua, now| ua.register(now)).expect("register");
    sim.run_until("failed", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| {
            matches!(e, Event::Registration(Registration::Failed { status: 401, .. }))
        })
    });
    assert_eq!(sim.sent(ALICE, "REGISTER "), 2, "one try with credentials, then give up");
}

#[test]
fn network_change_reregisters_with_the_new_contact() {
    let (mut sim, _) = setup(42, "secret");
    sim.cmd(ALICE, |ua, now| ua.register(now)).expect("register");
    sim.run_until("registered", Duration::from_secs(5), |s| registered(s) == 1);
    let new_addr = "192.0.2.1:6000".to_owned();
    sim.cmd(ALICE, |ua, now| {
        ua.handle_input(now, sip::Input::NetworkChanged { local_addr: new_addr })
    });
    sim.run_until("registered again", Duration::from_secs(5), |s| registered(s) == 2);
    let last = sim.wire.iter().rev().find(|w| w.from == ALICE).expect("sent");
    assert!(last.text.contains("Contact: <sip:alice@192.0.2.1:6000>"), "{}", last.text);
}

#[test]
fn interval_too_brief_is_retried_and_our_binding_is_picked_among_others() {
    let mut sim = Sim::new(43);
    let mut cfg = sim.config("alice");
    cfg.registrar = Some(format!("sip:{}", Sim::addr(REGISTRAR)));
    cfg.register_expires = 30;
    sim.add_ua(cfg);
    sim.add_peer(peer::Peer::scripted(|from, msg| {
        let Message::Request(req) = msg else { return vec![] };
        if req.headers.get(&HeaderName::Expires) == Some("30") {
            return vec![(
                from,
                peer::response(req, 423, Some("r"), &[("Min-Expires", "3600")], b""),
            )];
        }
        let contacts =
            "<sip:alice@198.51.100.7:5060>;expires=10, <sip:alice@192.0.2.1:5060>;expires=3600";
        vec![(from, peer::response(req, 200, Some("r"), &[("Contact", contacts)], b""))]
    }));
    sim.cmd(ALICE, |ua, now| ua.register(now)).expect("register");
    sim.run_until("registered", Duration::from_secs(5), |s| registered(s) == 1);
    let granted =
        Event::Registration(Registration::Registered { expires: 3600, flow: Some(FlowId(1)) });
    assert_eq!(sim.events(ALICE), &[granted]);
}
