//! Requests, responses, and printing them.

use std::fmt;

use crate::error::ParseError;
use crate::header_name::HeaderName;
use crate::headers::Headers;
use crate::limits::Limits;
use crate::method::Method;
use crate::status::StatusCode;
use crate::uri::Uri;

/// A SIP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A request.
    Request(Request),
    /// A response.
    Response(Response),
}

/// A SIP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The Request-URI.
    pub uri: Uri,
    /// The headers, in order.
    pub headers: Headers,
    /// The body (exactly Content-Length bytes when the header is present).
    pub body: Vec<u8>,
}

/// A SIP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: StatusCode,
    /// The reason phrase (may be empty).
    pub reason: String,
    /// The headers, in order.
    pub headers: Headers,
    /// The body.
    pub body: Vec<u8>,
}

impl Message {
    /// Parses one complete message (a datagram, or a frame from
    /// [`StreamFramer`](crate::framing::StreamFramer)) with the default [`Limits`].
    pub fn parse(input: &[u8]) -> Result<Message, ParseError> {
        crate::parse::parse_message(input, &Limits::default())
    }

    /// Parses one complete message with explicit limits.
    pub fn parse_with(input: &[u8], limits: &Limits) -> Result<Message, ParseError> {
        crate::parse::parse_message(input, limits)
    }

    /// The headers.
    pub fn headers(&self) -> &Headers {
        match self {
            Message::Request(r) => &r.headers,
            Message::Response(r) => &r.headers,
        }
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        match self {
            Message::Request(r) => &r.body,
            Message::Response(r) => &r.body,
        }
    }

    /// Appends the wire form to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            Message::Request(r) => r.write_to(out),
            Message::Response(r) => r.write_to(out),
        }
    }

    /// The wire form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        self.write_to(&mut out);
        out
    }
}

impl Request {
    /// A request with no headers and no body.
    pub fn new(method: Method, uri: Uri) -> Request {
        Request { method, uri, headers: Headers::new(), body: Vec::new() }
    }

    /// Sets the body with its Content-Type (or none) and a matching Content-Length.
    pub fn set_body(&mut self, content_type: Option<&str>, body: Vec<u8>) {
        set_body(&mut self.headers, &mut self.body, content_type, body);
    }

    /// Appends the wire form to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.method.as_str().as_bytes());
        out.push(b' ');
        out.extend_from_slice(self.uri.as_str().as_bytes());
        out.extend_from_slice(b" SIP/2.0\r\n");
        self.headers.write_to(out);
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
    }

    /// The wire form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        self.write_to(&mut out);
        out
    }
}

impl Response {
    /// A response with the default reason phrase, no headers and no body.
    pub fn new(status: StatusCode) -> Response {
        Response {
            status,
            reason: status.default_reason().to_owned(),
            headers: Headers::new(),
            body: Vec::new(),
        }
    }

    /// A response to `request` carrying its Via, From, To, Call-ID and CSeq (RFC 3261 8.2.6.2),
    /// and `Content-Length: 0`. The UA adds a To tag where needed.
    pub fn to_request(request: &Request, status: StatusCode) -> Response {
        let mut r = Response::new(status);
        for (name, value) in request.headers.iter() {
            let copied = matches!(
                name,
                HeaderName::Via
                    | HeaderName::From
                    | HeaderName::To
                    | HeaderName::CallId
                    | HeaderName::CSeq
            );
            if copied {
                r.headers.push(name.clone(), value);
            }
        }
        r.headers.push(HeaderName::ContentLength, "0");
        r
    }

    /// Sets the body with its Content-Type (or none) and a matching Content-Length.
    pub fn set_body(&mut self, content_type: Option<&str>, body: Vec<u8>) {
        set_body(&mut self.headers, &mut self.body, content_type, body);
    }

    /// Appends the wire form to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"SIP/2.0 ");
        out.extend_from_slice(self.status.to_string().as_bytes());
        out.push(b' ');
        let reason = self.reason.replace(['\r', '\n'], " ");
        out.extend_from_slice(reason.as_bytes());
        out.extend_from_slice(b"\r\n");
        self.headers.write_to(out);
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
    }

    /// The wire form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        self.write_to(&mut out);
        out
    }
}

fn set_body(headers: &mut Headers, slot: &mut Vec<u8>, ct: Option<&str>, body: Vec<u8>) {
    match ct {
        Some(ct) => headers.set(HeaderName::ContentType, ct),
        None => {
            headers.remove(&HeaderName::ContentType);
        }
    }
    headers.set(HeaderName::ContentLength, body.len().to_string());
    *slot = body;
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}
