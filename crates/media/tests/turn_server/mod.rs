//! A scripted TURN server for the ICE session on simulated time: its addresses, the clock's
//! origin, and the responses it sends.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use media::ice::{
    CandidatePolicy, IceConfig, IceServer, IceSession, TurnCredentials, TurnTransport,
};
use rtc_stun::attributes::{ATTR_NONCE, ATTR_REALM};
use rtc_stun::error_code::ErrorCode;
use rtc_stun::message::{
    CLASS_ERROR_RESPONSE, CLASS_SUCCESS_RESPONSE, METHOD_ALLOCATE, Message, MessageType, Method,
    Setter,
};
use rtc_stun::textattrs::TextAttribute;
use rtc_stun::xoraddr::XorMappedAddress;
use rtc_turn::proto::lifetime::Lifetime;
use rtc_turn::proto::relayaddr::RelayedAddress;

pub const BASE: &str = "127.0.0.1:40000";
pub const SERVER: &str = "127.0.0.1:3478";
pub const RELAYED: &str = "127.0.0.1:50000";

/// The simulated clock's zero. `Instant` has no constructor, so one real reading anchors it; from
/// there every time the session sees is this origin plus a chosen offset.
pub fn origin() -> Instant {
    Instant::now()
}

pub fn addr(s: &str) -> SocketAddr {
    s.parse().expect("literal")
}

pub fn respond(
    request: &Message,
    method: Method,
    class: rtc_stun::message::MessageClass,
    attrs: Vec<Box<dyn Setter>>,
) -> Vec<u8> {
    let mut setters: Vec<Box<dyn Setter>> =
        vec![Box::new(request.clone()), Box::new(MessageType::new(method, class))];
    setters.extend(attrs);
    let mut m = Message::new();
    m.build(&setters).expect("response");
    m.raw
}

pub fn text(attr: rtc_stun::attributes::AttrType, v: &str) -> Box<dyn Setter> {
    Box::new(TextAttribute::new(attr, v.to_owned()))
}

/// The server's error answer to `request`: the code, with the realm and nonce to use next
/// (401 challenges, 438 Stale Nonce, refusals).
pub fn error_answer(
    request: &Message,
    method: Method,
    code: ErrorCode,
    realm: &str,
    nonce: &str,
) -> Vec<u8> {
    let attrs: Vec<Box<dyn Setter>> =
        vec![Box::new(code), text(ATTR_REALM, realm), text(ATTR_NONCE, nonce)];
    respond(request, method, CLASS_ERROR_RESPONSE, attrs)
}

/// A relay-only session whose one TURN server (with credentials) is reached over `transport`.
pub fn relay_only_over(now: Instant, transport: TurnTransport) -> IceSession {
    let server = IceServer {
        addr: addr(SERVER),
        credentials: Some(TurnCredentials { username: "u".into(), password: "p".into() }),
        transport,
    };
    let config =
        IceConfig { base: addr(BASE), servers: vec![server], policy: CandidatePolicy::RelayOnly };
    IceSession::new(now, config).expect("session")
}

/// The server's success answer to an authenticated Allocate: relayed address, our mapped
/// address and the allocation's lifetime.
pub fn allocate_success(request: &Message, lifetime: Duration) -> Vec<u8> {
    let relayed = addr(RELAYED);
    respond(
        request,
        METHOD_ALLOCATE,
        CLASS_SUCCESS_RESPONSE,
        vec![
            Box::new(RelayedAddress { ip: relayed.ip(), port: relayed.port() }),
            Box::new(XorMappedAddress { ip: addr(BASE).ip(), port: addr(BASE).port() }),
            Box::new(Lifetime(lifetime)),
        ],
    )
}
