//! A scripted SIP peer: records what it receives and answers through a closure, so tests can
//! play a forking proxy, a registrar or a misbehaving phone.

use sip_types::{HeaderName, Message, Request};

/// What a script returns: messages to send, each to a node.
pub type Replies = Vec<(usize, Vec<u8>)>;

type Script = Box<dyn FnMut(usize, &Message) -> Replies>;

pub struct Peer {
    pub received: Vec<(usize, Message)>,
    script: Option<Script>,
}

impl Peer {
    /// A peer that only records.
    pub fn silent() -> Self {
        Self { received: Vec::new(), script: None }
    }

    /// A peer that answers with `script`.
    pub fn scripted(script: impl FnMut(usize, &Message) -> Replies + 'static) -> Self {
        Self { received: Vec::new(), script: Some(Box::new(script)) }
    }

    pub fn on_message(&mut self, from: usize, bytes: &[u8]) -> Replies {
        let Ok(msg) = Message::parse(bytes) else { return Vec::new() };
        let replies = self.script.as_mut().map(|s| s(from, &msg)).unwrap_or_default();
        self.received.push((from, msg));
        replies
    }

    /// Received requests with `method`.
    pub fn requests(&self, method: &str) -> Vec<&Request> {
        self.received
            .iter()
            .filter_map(|(_, m)| match m {
                Message::Request(r) if r.method.as_str() == method => Some(r),
                _ => None,
            })
            .collect()
    }

    /// Received responses with `status`.
    pub fn responses(&self, status: u16) -> usize {
        self.received
            .iter()
            .filter(|(_, m)| matches!(m, Message::Response(r) if r.status.code() == status))
            .count()
    }
}

/// A response to `req` with `status`, an optional To-tag, extra headers and an optional SDP
/// body, built as text the way a peer would write it.
pub fn response(
    req: &Request,
    status: u16,
    to_tag: Option<&str>,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut s = format!("SIP/2.0 {status} {}\r\n", reason(status));
    for v in req.headers.get_all(&HeaderName::Via) {
        s.push_str(&format!("Via: {v}\r\n"));
    }
    let h = &req.headers;
    s.push_str(&format!("From: {}\r\n", h.get(&HeaderName::From).unwrap_or_default()));
    let to = h.get(&HeaderName::To).unwrap_or_default();
    match to_tag {
        Some(tag) if !to.contains(";tag=") => s.push_str(&format!("To: {to};tag={tag}\r\n")),
        _ => s.push_str(&format!("To: {to}\r\n")),
    }
    s.push_str(&format!("Call-ID: {}\r\n", h.get(&HeaderName::CallId).unwrap_or_default()));
    s.push_str(&format!("CSeq: {}\r\n", h.get(&HeaderName::CSeq).unwrap_or_default()));
    for (name, value) in extra {
        s.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        s.push_str("Content-Type: application/sdp\r\n");
    }
    s.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = s.into_bytes();
    out.extend_from_slice(body);
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Trying",
        180 => "Ringing",
        200 => "OK",
        401 => "Unauthorized",
        _ => "Whatever",
    }
}

/// A request from a peer at `from_addr` to `uri`, with the given headers after the basics.
pub fn request(
    method: &str,
    uri: &str,
    from_addr: &str,
    branch: &str,
    extra: &[(&str, &str)],
) -> Vec<u8> {
    let mut s = format!("{method} {uri} SIP/2.0\r\n");
    s.push_str(&format!("Via: SIP/2.0/UDP {from_addr};branch=z9hG4bK{branch}\r\n"));
    s.push_str("Max-Forwards: 70\r\n");
    s.push_str(&format!("From: <sip:peer@{from_addr}>;tag=p{branch}\r\n"));
    s.push_str(&format!("To: <{uri}>\r\nCall-ID: c{branch}@peer\r\nCSeq: 1 {method}\r\n"));
    s.push_str(&format!("Contact: <sip:peer@{from_addr}>\r\n"));
    for (name, value) in extra {
        s.push_str(&format!("{name}: {value}\r\n"));
    }
    s.push_str("Content-Length: 0\r\n\r\n");
    s.into_bytes()
}
