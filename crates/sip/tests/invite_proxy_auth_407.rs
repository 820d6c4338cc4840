//! A proxy challenges the INVITE with 407 (as Kamailio does): the transaction ACKs the 407,
//! the call is re-sent with Proxy-Authorization and the next CSeq, and the ACK for the 2xx
//! carries that CSeq.

mod common;

use std::time::Duration;

use common::*;
use sip::Event;
use sip::auth::Credentials;
use sip_types::{HeaderName, Message};

#[test]
fn invite_is_resent_with_proxy_credentials() {
    let mut sim = Sim::new(61);
    let mut cfg = sim.config("alice");
    cfg.credentials = Some(Credentials { username: "alice".into(), password: "secret".into() });
    sim.add_ua(cfg);
    let proxy = sim.add_peer(peer::Peer::scripted(|from, msg| {
        let Message::Request(req) = msg else { return vec![] };
        match req.method.as_str() {
            "INVITE" if req.headers.get(&HeaderName::ProxyAuthorization).is_none() => {
                let challenge =
                    [("Proxy-Authenticate", "Digest realm=\"proxy\", nonce=\"abc\", qop=\"auth\"")];
                vec![(from, peer::response(req, 407, Some("px"), &challenge, b""))]
            }
            "INVITE" => {
                let contact = [("Contact", "<sip:bob@192.0.2.2:5060>")];
                vec![(from, peer::response(req, 200, Some("bob"), &contact, ANSWER))]
            }
            _ => vec![],
        }
    }));
    let uri = format!("sip:bob@{}", Sim::addr(proxy));
    sim.cmd(ALICE, |ua, now| ua.invite(now, &uri, OFFER.to_vec())).expect("invite");
    sim.run_until("answered", Duration::from_secs(5), |s| {
        has(s, ALICE, |e| matches!(e, Event::Answered { .. }))
    });
    sim.run_for(Duration::from_millis(100));

    let invites = sim.peer(proxy).requests("INVITE").into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(invites.len(), 2);
    let cseq =
        |r: &sip_types::Request| r.headers.get(&HeaderName::CSeq).unwrap_or_default().to_owned();
    assert_eq!((cseq(&invites[0]).as_str(), cseq(&invites[1]).as_str()), ("1 INVITE", "2 INVITE"));
    let auth = invites[1].headers.get(&HeaderName::ProxyAuthorization).expect("credentials");
    assert!(auth.contains("realm=\"proxy\"") && auth.contains("nc=00000001"), "{auth}");
    let acks = sim.peer(proxy).requests("ACK").into_iter().map(cseq).collect::<Vec<_>>();
    assert_eq!(acks, ["1 ACK", "2 ACK"], "the 407 and the 200 are both acknowledged");
    let call_ids: Vec<_> = invites.iter().map(|r| r.headers.get(&HeaderName::CallId)).collect();
    assert_eq!(call_ids[0], call_ids[1], "same call, same Call-ID");
}
