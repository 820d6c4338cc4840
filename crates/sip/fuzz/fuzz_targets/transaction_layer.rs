//! Feeds a user agent with calls in progress arbitrary messages: raw bytes, mutated echoes
//! of what it sent, well-formed responses and in-dialog requests built from its own traffic,
//! app commands and timer advances. It must never panic and its tables must stay bounded.
#![no_main]

use std::time::{Duration, Instant};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sip::{CallHandle, Config, Event, FlowId, Input, Limits, Output, Transport, UserAgent};

const LIMITS: Limits = Limits { max_transactions: 32, max_calls: 4 };

#[derive(Arbitrary, Debug)]
enum Op {
    Raw { bytes: Vec<u8>, trusted: bool },
    Mutate { pick: u8, pos: u16, byte: u8 },
    Respond { pick: u8, status: u16, tag: u8, extras: u8 },
    Request { pick: u8, method: u8, cseq: u16, branch: u8, same_tags: bool },
    Advance { millis: u16 },
    Command { which: u8, call: u8 },
}

struct Harness {
    ua: UserAgent,
    now: Instant,
    sent: Vec<Vec<u8>>,
    calls: Vec<CallHandle>,
}

impl Harness {
    fn drain(&mut self) {
        for _ in 0..10_000 {
            match self.ua.poll_output() {
                Some(Output::Transmit(t)) => {
                    if self.sent.len() >= 64 {
                        self.sent.remove(0);
                    }
                    self.sent.push(t.bytes);
                }
                Some(Output::Event(Event::IncomingCall { call, .. })) => self.calls.push(call),
                Some(Output::Event(_)) => {}
                Some(Output::Timeout(at)) => {
                    assert!(at > self.now, "a timer due now was left unrun: the engine would spin");
                    break;
                }
                None => break,
            }
        }
        assert!(self.ua.transaction_count() <= LIMITS.max_transactions + 8, "transactions unbounded");
        assert!(self.ua.call_count() <= LIMITS.max_calls, "calls unbounded");
        self.calls.truncate(16);
    }

    fn feed(&mut self, bytes: Vec<u8>, trusted: bool) {
        self.ua.handle_input(self.now, Input::Received { flow: FlowId(1), trusted, bytes });
        self.drain();
    }

    fn pick(&self, i: u8) -> Option<sip_types::Message> {
        let n = self.sent.len();
        (n > 0).then(|| sip_types::Message::parse(&self.sent[usize::from(i) % n]).ok()).flatten()
    }
}

fn header(m: &sip_types::Message, name: sip_types::HeaderName) -> String {
    m.headers().get(&name).unwrap_or_default().to_owned()
}

fn response(m: &sip_types::Message, status: u16, tag: u8, extras: u8) -> Option<Vec<u8>> {
    use sip_types::HeaderName as N;
    let sip_types::Message::Request(_) = m else { return None };
    let mut s = format!("SIP/2.0 {} X\r\n", 100 + status % 600);
    for v in m.headers().get_all(&N::Via) {
        s.push_str(&format!("Via: {v}\r\n"));
    }
    let to = header(m, N::To);
    let to = if tag % 4 == 0 || to.contains("tag=") { to } else { format!("{to};tag=t{}", tag % 3) };
    s.push_str(&format!("From: {}\r\nTo: {to}\r\nCall-ID: {}\r\nCSeq: {}\r\n", header(m, N::From), header(m, N::CallId), header(m, N::CSeq)));
    s.push_str(&format!("Contact: <sip:peer{}@192.0.2.9:5060>\r\n", tag % 3));
    if extras & 1 != 0 {
        s.push_str("Record-Route: <sip:proxy@192.0.2.8;lr>, <sip:strict@192.0.2.7>\r\n");
    }
    if extras & 2 != 0 {
        s.push_str(&format!("Require: 100rel\r\nRSeq: {}\r\n", extras >> 4));
    }
    if extras & 4 != 0 {
        let stale = if extras & 8 != 0 { ", stale=true" } else { "" };
        s.push_str(&format!("WWW-Authenticate: Digest realm=\"r\", nonce=\"n{extras}\", qop=\"auth\", algorithm=SHA-256{stale}\r\n"));
        s.push_str(&format!("Proxy-Authenticate: Digest realm=\"p\", nonce=\"m{extras}\"\r\n"));
    }
    if extras & 32 != 0 {
        s.push_str(&format!("Expires: {}\r\n", extras >> 6));
    }
    let body = if extras & 64 != 0 { "v=0\r\n" } else { "" };
    s.push_str(&format!("Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{body}", body.len()));
    Some(s.into_bytes())
}

fn request(m: &sip_types::Message, method: u8, cseq: u16, branch: u8, same_tags: bool) -> Vec<u8> {
    use sip_types::HeaderName as N;
    const METHODS: [&str; 10] = ["ACK", "BYE", "INVITE", "UPDATE", "PRACK", "REFER", "NOTIFY", "CANCEL", "OPTIONS", "INFO"];
    let method = METHODS[usize::from(method) % METHODS.len()];
    let (from, to) = match (m, same_tags) {
        (sip_types::Message::Request(_), false) => (header(m, N::To) + ";tag=peer", header(m, N::From)),
        _ => (header(m, N::From), header(m, N::To)),
    };
    let via = m.headers().get(&N::Via).unwrap_or_default().to_owned();
    let via = if branch % 2 == 0 { via } else { format!("SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK{branch}") };
    format!(
        "{method} sip:alice@192.0.2.1 SIP/2.0\r\nVia: {via}\r\nFrom: {from}\r\nTo: {to}\r\nCall-ID: {}\r\nCSeq: {cseq} {method}\r\nContact: <sip:peer@192.0.2.9>\r\nRAck: 1 1 INVITE\r\nRefer-To: <sip:carol@192.0.2.3?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>\r\nEvent: refer\r\nContent-Type: message/sipfrag\r\nContent-Length: 15\r\n\r\nSIP/2.0 200 OK\r\n",
        header(m, N::CallId)
    )
    .into_bytes()
}

fn command(h: &mut Harness, which: u8, call: u8) {
    let now = h.now;
    let Some(&c) = h.calls.get(usize::from(call) % h.calls.len().max(1)) else { return };
    let sdp = b"v=0\r\n".to_vec();
    let _ = match which % 12 {
        0 => h.ua.answer(now, c, sdp).map(drop),
        1 => h.ua.ringing(now, c, Some(sdp)).map(drop),
        2 => h.ua.reject(now, c, 486, "Busy").map(drop),
        3 => h.ua.hangup(now, c).map(drop),
        4 => h.ua.cancel(now, c).map(drop),
        5 => h.ua.reinvite(now, c, sdp).map(drop),
        6 => h.ua.update(now, c, sdp).map(drop),
        7 => h.ua.answer_offer(now, c, sdp).map(drop),
        8 => h.ua.refer(now, c, "sip:carol@192.0.2.3").map(drop),
        9 => h.ua.accept_transfer(now, c, sdp).map(|n| h.calls.push(n)),
        10 => h.ua.invite(now, "sip:bob@192.0.2.2", sdp).map(|n| h.calls.push(n)),
        _ => h.ua.register(now).map(drop),
    };
    h.drain();
}

fuzz_target!(|ops: Vec<Op>| {
    let mut cfg = Config::new("sip:alice@192.0.2.1", "192.0.2.1:5060", Transport::Udp);
    cfg.registrar = Some("sip:192.0.2.2".into());
    cfg.credentials = Some(sip::auth::Credentials { username: "alice".into(), password: "pw".into() });
    cfg.limits = LIMITS;
    let now = Instant::now();
    let mut h = Harness { ua: UserAgent::new(cfg), now, sent: Vec::new(), calls: Vec::new() };
    let _ = h.ua.register(now);
    if let Ok(c) = h.ua.invite(now, "sip:bob@192.0.2.2", b"v=0\r\n".to_vec()) {
        h.calls.push(c);
    }
    h.drain();
    for op in ops.into_iter().take(256) {
        match op {
            Op::Raw { bytes, trusted } => h.feed(bytes, trusted),
            Op::Mutate { pick, pos, byte } => {
                let n = h.sent.len();
                if n > 0 {
                    let mut m = h.sent[usize::from(pick) % n].clone();
                    let len = m.len();
                    if len > 0 {
                        m[usize::from(pos) % len] = byte;
                    }
                    h.feed(m, true);
                }
            }
            Op::Respond { pick, status, tag, extras } => {
                if let Some(r) = h.pick(pick).and_then(|m| response(&m, status, tag, extras)) {
                    h.feed(r, true);
                }
            }
            Op::Request { pick, method, cseq, branch, same_tags } => {
                if let Some(m) = h.pick(pick) {
                    h.feed(request(&m, method, cseq, branch, same_tags), true);
                }
            }
            Op::Advance { millis } => {
                h.now += Duration::from_millis(u64::from(millis) * 10);
                h.ua.handle_input(h.now, Input::Timeout);
                h.drain();
            }
            Op::Command { which, call } => command(&mut h, which, call),
        }
    }
});
