//! Messages the user agent builds, kept structured so they can be re-sent with a new branch,
//! CSeq or credentials, and printed in one pass.

use std::fmt::Write as _;

/// A request the user agent sends.
#[derive(Debug, Clone)]
pub(crate) struct OutRequest {
    pub method: &'static str,
    pub uri: String,
    pub via_transport: &'static str,
    pub via_sent_by: String,
    pub branch: String,
    pub routes: Vec<String>,
    /// Full `From` value including `;tag=`.
    pub from: String,
    /// Full `To` value (with a tag inside a dialog).
    pub to: String,
    pub call_id: String,
    pub cseq: u32,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Body>,
}

/// A message body with its content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Body {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Body {
    pub(crate) fn sdp(bytes: Vec<u8>) -> Option<Self> {
        (!bytes.is_empty()).then_some(Self { content_type: "application/sdp", bytes })
    }
}

impl OutRequest {
    /// Prints the request with `Max-Forwards` and `Content-Length` filled in.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        self.print(self.method)
    }

    /// Prints with another CSeq method (the CANCEL/ACK of this INVITE keeps the branch).
    fn print(&self, cseq_method: &str) -> Vec<u8> {
        let mut s = String::with_capacity(512);
        let _ = write!(s, "{} {} SIP/2.0\r\n", self.method, self.uri);
        let _ = write!(
            s,
            "Via: SIP/2.0/{} {};branch={};rport\r\n",
            self.via_transport, self.via_sent_by, self.branch
        );
        s.push_str("Max-Forwards: 70\r\n");
        for route in &self.routes {
            let _ = write!(s, "Route: {route}\r\n");
        }
        let _ = write!(s, "From: {}\r\nTo: {}\r\n", self.from, self.to);
        let _ = write!(s, "Call-ID: {}\r\nCSeq: {} {cseq_method}\r\n", self.call_id, self.cseq);
        for (name, value) in &self.headers {
            let _ = write!(s, "{name}: {value}\r\n");
        }
        finish(s, self.body.as_ref())
    }

    /// The CANCEL for this request (RFC 3261 §9.1): same branch, routes, From/To, CSeq number.
    pub(crate) fn cancel(&self) -> OutRequest {
        OutRequest { method: "CANCEL", headers: Vec::new(), body: None, ..self.clone() }
    }

    /// The ACK for a non-2xx final to this INVITE (§17.1.1.3): To from the response.
    pub(crate) fn ack_for_failure(&self, response_to: &str) -> OutRequest {
        OutRequest {
            method: "ACK",
            to: response_to.to_owned(),
            headers: Vec::new(),
            body: None,
            ..self.clone()
        }
    }
}

/// A response the user agent sends.
#[derive(Debug, Clone)]
pub(crate) struct OutResponse {
    pub status: u16,
    pub reason: String,
    /// Headers copied from the request (`Via`s, `From`, `To`, `Call-ID`, `CSeq`, ...) followed
    /// by the response's own, in order.
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Body>,
}

impl OutResponse {
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut s = String::with_capacity(512);
        let _ = write!(s, "SIP/2.0 {} {}\r\n", self.status, self.reason);
        for (name, value) in &self.headers {
            let _ = write!(s, "{name}: {value}\r\n");
        }
        finish(s, self.body.as_ref())
    }
}

fn finish(mut s: String, body: Option<&Body>) -> Vec<u8> {
    match body {
        Some(b) => {
            let _ = write!(
                s,
                "Content-Type: {}\r\nContent-Length: {}\r\n\r\n",
                b.content_type,
                b.bytes.len()
            );
            let mut out = s.into_bytes();
            out.extend_from_slice(&b.bytes);
            out
        }
        None => {
            s.push_str("Content-Length: 0\r\n\r\n");
            s.into_bytes()
        }
    }
}

/// The default reason phrase for statuses the user agent sends.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Trying",
        180 => "Ringing",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        405 => "Method Not Allowed",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        603 => "Decline",
        _ => "Unknown",
    }
}
