//! Cutting a byte stream (TCP, TLS) into messages: Content-Length framing (RFC 3261 18.3) and
//! CRLF keep-alives (RFC 5626 4.4.1).

use crate::error::{ParseError, ParseErrorKind as K};
use crate::head::head_end;
use crate::limits::Limits;
use crate::message::Message;
use crate::scan::parse_decimal;

/// What the framer found at the front of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A complete, parsed message.
    Message(Message),
    /// A CRLFCRLF keep-alive ping: answer with a single CRLF.
    Ping,
    /// A single CRLF keep-alive pong.
    Pong,
}

/// Accumulates stream bytes and yields complete frames.
///
/// Memory is bounded by [`Limits`]: a header section or body over the limit is an error (the
/// caller closes the connection); a peer that stalls mid-message simply never completes.
#[derive(Debug, Clone, Default)]
pub struct StreamFramer {
    buf: Vec<u8>,
    limits: Limits,
}

impl StreamFramer {
    /// A framer with `limits`.
    pub fn new(limits: Limits) -> StreamFramer {
        StreamFramer { buf: Vec::new(), limits }
    }

    /// Appends received bytes.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    /// Bytes buffered and not yet framed.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The next complete frame, `Ok(None)` if more bytes are needed. After an error the stream
    /// cannot be resynchronised: close the connection.
    pub fn poll(&mut self) -> Result<Option<Frame>, ParseError> {
        if self.buf.starts_with(b"\r\n\r\n") {
            self.buf.drain(..4);
            return Ok(Some(Frame::Ping));
        }
        if self.buf == b"\r\n" {
            self.buf.clear();
            return Ok(Some(Frame::Pong));
        }
        if self.buf.starts_with(b"\r\n") && self.buf.len() >= 4 {
            self.buf.drain(..2);
            return Ok(Some(Frame::Pong));
        }
        if self.buf.is_empty() || (self.buf.len() < 4 && b"\r\n\r\n".starts_with(&self.buf)) {
            // Possibly the start of a keep-alive: wait for at most 3 more bytes.
            return Ok(None);
        }
        let section = match head_end(&self.buf, &self.limits) {
            Ok(section) => section,
            Err(e) if e.kind == K::UnterminatedHeaders => return Ok(None),
            Err(e) => return Err(e),
        };
        let body_len = content_length(self.buf.get(..section.head).unwrap_or_default())?;
        let total = section.body + body_len;
        if total > self.limits.max_message_bytes {
            return Err(ParseError::new(K::MessageTooLarge {
                limit: self.limits.max_message_bytes,
            }));
        }
        if self.buf.len() < total {
            return Ok(None);
        }
        let frame: Vec<u8> = self.buf.drain(..total).collect();
        Message::parse_with(&frame, &self.limits).map(|m| Some(Frame::Message(m)))
    }
}

/// Finds Content-Length (or `l`) in a header section; mandatory on streams.
fn content_length(head: &[u8]) -> Result<usize, ParseError> {
    let mut found: Option<u64> = None;
    for line in head.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let name = line[..colon].trim_ascii_end();
        if !(name.eq_ignore_ascii_case(b"content-length") || name.eq_ignore_ascii_case(b"l")) {
            continue;
        }
        let value = std::str::from_utf8(&line[colon + 1..]).unwrap_or("x").trim();
        let n = parse_decimal(value, u64::from(u32::MAX)).map_err(|reason| {
            ParseError::new(K::InvalidHeader { name: crate::HeaderName::ContentLength, reason })
        })?;
        match found {
            Some(prev) if prev != n => return Err(ParseError::new(K::ConflictingContentLength)),
            Some(_) => return Err(ParseError::new(K::DuplicateContentLength)),
            None => found = Some(n),
        }
    }
    found.map(|n| n as usize).ok_or(ParseError::new(K::MissingContentLength))
}
