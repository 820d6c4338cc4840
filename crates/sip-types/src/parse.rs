//! Parsing a complete message (one datagram, or one frame cut by the stream framer).
//!
//! One pass over the header section: memchr finds line ends, each header line is classified by
//! name and copied (unfolded) into the shared header buffer, and the headers every UA needs are
//! validated on the way. Typed values are built later, on demand.

use memchr::{memchr, memmem};

use crate::error::{ParseError, ParseErrorKind as K};
use crate::header_name::HeaderName;
use crate::headers::Headers;
use crate::limits::Limits;
use crate::message::{Message, Request, Response};
use crate::method::Method;
use crate::scan::{is_token, is_ws};
use crate::status::StatusCode;
use crate::uri::UriParts;
use crate::validate::Checks;

/// Parses one complete message with `limits`.
pub(crate) fn parse_message(input: &[u8], limits: &Limits) -> Result<Message, ParseError> {
    if input.len() > limits.max_message_bytes {
        return Err(ParseError::new(K::MessageTooLarge { limit: limits.max_message_bytes }));
    }
    let skip = input.iter().take_while(|b| **b == b'\r' || **b == b'\n').count();
    let input = input.get(skip..).unwrap_or_default();
    if input.is_empty() {
        return Err(ParseError::new(K::Empty));
    }
    let head_end = head_end(input, limits)?;
    let head = check_head(input.get(..head_end).unwrap_or_default())?;
    let mut lines = Lines::new(head);
    let (start, _) = lines.next_line().ok_or(ParseError::new(K::Empty))?;
    let start = parse_start_line(start)?;
    let mut headers = Headers::with_capacity(head.len(), 24);
    let mut checks = Checks::default();
    while let Some((line_no, offset, raw)) = lines.next_header()? {
        if headers.len() >= limits.max_headers {
            return Err(ParseError::at(
                K::TooManyHeaders { limit: limits.max_headers },
                line_no,
                offset + skip,
            ));
        }
        if raw.len() > limits.max_header_line {
            let kind = K::HeaderLineTooLong { limit: limits.max_header_line };
            return Err(ParseError::at(kind, line_no, offset + skip));
        }
        let (name, value) = split_header(raw)
            .ok_or_else(|| ParseError::at(K::BadHeaderLine, line_no, offset + skip))?;
        headers.push_unfolded(HeaderName::parse(name), value);
        let (name, value) = headers.last().unwrap_or((&HeaderName::Via, ""));
        checks.check(name, value).map_err(|kind| ParseError::at(kind, line_no, offset + skip))?;
    }
    let body_area = input.get(head_end + 2..).unwrap_or_default();
    let body_len = checks.finish(start.method(), body_area.len())?;
    let body = body_area.get(..body_len).unwrap_or_default().to_vec();
    Ok(start.into_message(headers, body))
}

/// Offset of the CRLF that ends the header section (the empty line starts 2 bytes later).
pub(crate) fn head_end(input: &[u8], limits: &Limits) -> Result<usize, ParseError> {
    let window = &input[..input.len().min(limits.max_header_bytes + 4)];
    match memmem::find(window, b"\r\n\r\n") {
        Some(i) => Ok(i + 2),
        None if input.len() > limits.max_header_bytes => {
            Err(ParseError::new(K::MessageTooLarge { limit: limits.max_header_bytes }))
        }
        None => Err(ParseError::new(K::UnterminatedHeaders)),
    }
}

/// Checks bytes of the header section: UTF-8, CRLF line ends, no bare control characters.
fn check_head(head: &[u8]) -> Result<&str, ParseError> {
    // Branch-free fold so the common (clean) case vectorises.
    let (bad, cr, lf) = head.iter().fold((false, 0usize, 0usize), |(bad, cr, lf), &b| {
        let ctl = (b < 0x20 && b != b'\t' && b != b'\r' && b != b'\n') || b == 0x7f;
        (bad | ctl, cr + usize::from(b == b'\r'), lf + usize::from(b == b'\n'))
    });
    let text = std::str::from_utf8(head).map_err(|e| {
        let line = line_of(head, e.valid_up_to());
        ParseError::at(K::NonUtf8, line, e.valid_up_to())
    })?;
    let lf_without_cr =
        || memchr::memchr_iter(b'\n', head).any(|i| i == 0 || head.get(i - 1) != Some(&b'\r'));
    // Equal counts and a CR before every LF means every CR is followed by LF, too.
    if cr != lf || lf_without_cr() {
        let at = head.windows(2).position(|w| (w[0] == b'\r') != (w[1] == b'\n')).unwrap_or(0);
        return Err(ParseError::at(K::BareLineEnding, line_of(head, at), at));
    }
    if bad {
        check_controls(head)?;
    }
    Ok(text)
}

/// Control characters are allowed only as quoted-pairs (`\` followed by the byte, RFC 3261 25.1).
fn check_controls(head: &[u8]) -> Result<(), ParseError> {
    let mut escaped = false;
    for (i, &b) in head.iter().enumerate() {
        let ctl = (b < 0x20 && b != b'\t' && b != b'\r' && b != b'\n') || b == 0x7f;
        if ctl && !escaped {
            return Err(ParseError::at(K::ControlCharacter(b), line_of(head, i), i));
        }
        escaped = b == b'\\' && !escaped;
    }
    Ok(())
}

fn line_of(head: &[u8], at: usize) -> u32 {
    let upto = head.get(..at).unwrap_or(head);
    1 + memchr::memchr_iter(b'\n', upto).count() as u32
}

/// Splits `name: value` (white space allowed before the colon) and trims the value.
fn split_header(raw: &str) -> Option<(&str, &str)> {
    let colon = memchr(b':', raw.as_bytes())?;
    let name = raw.get(..colon)?.trim_end_matches([' ', '\t']);
    if name.is_empty() || !name.bytes().all(is_token) {
        return None;
    }
    let value = raw.get(colon + 1..)?;
    Some((name, value.trim_matches([' ', '\t', '\r', '\n'])))
}

/// Line iterator over the header section, joining folded continuation lines.
struct Lines<'a> {
    head: &'a str,
    pos: usize,
    line_no: u32,
}

impl<'a> Lines<'a> {
    fn new(head: &'a str) -> Self {
        Lines { head, pos: 0, line_no: 0 }
    }

    /// The next physical line without its CRLF, and its offset.
    fn next_line(&mut self) -> Option<(&'a str, usize)> {
        let rest = self.head.get(self.pos..)?;
        let nl = memchr(b'\n', rest.as_bytes())?;
        let start = self.pos;
        self.pos += nl + 1;
        self.line_no += 1;
        Some((rest.get(..nl.saturating_sub(1))?, start))
    }

    /// The next logical header (folded lines joined, CRLFs kept), with line number and offset.
    fn next_header(&mut self) -> Result<Option<(u32, usize, &'a str)>, ParseError> {
        let Some((_, start)) = self.next_line() else {
            return Ok(None);
        };
        let line_no = self.line_no;
        if self.head.as_bytes().get(start).copied().is_some_and(is_ws) {
            return Err(ParseError::at(K::BadHeaderLine, line_no, start));
        }
        while self.head.as_bytes().get(self.pos).copied().is_some_and(is_ws) {
            self.next_line();
        }
        let end = self.pos.saturating_sub(2);
        Ok(Some((line_no, start, self.head.get(start..end).unwrap_or_default())))
    }
}

/// A parsed start line.
enum StartLine {
    Request(Method, crate::uri::Uri),
    Response(StatusCode, String),
}

impl StartLine {
    fn method(&self) -> Option<&Method> {
        match self {
            StartLine::Request(m, _) => Some(m),
            StartLine::Response(..) => None,
        }
    }

    fn into_message(self, headers: Headers, body: Vec<u8>) -> Message {
        match self {
            StartLine::Request(method, uri) => {
                Message::Request(Request { method, uri, headers, body })
            }
            StartLine::Response(status, reason) => {
                Message::Response(Response { status, reason, headers, body })
            }
        }
    }
}

fn start_err(kind: K) -> ParseError {
    ParseError::at(kind, 1, 0)
}

fn parse_start_line(line: &str) -> Result<StartLine, ParseError> {
    if line.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("SIP/")) {
        return parse_status_line(line);
    }
    let mut parts = line.split(' ');
    let (Some(method), Some(uri), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(start_err(K::BadStartLine(
            "request line must be METHOD SP Request-URI SP SIP-Version",
        )));
    };
    let method = Method::parse(method).ok_or(start_err(K::InvalidMethod))?;
    check_version(version)?;
    let parts = UriParts::parse(uri).map_err(|e| start_err(K::InvalidUri(e)))?;
    if parts.has_headers() {
        return Err(start_err(K::RequestUriWithHeaders));
    }
    Ok(StartLine::Request(method, parts.into_uri(uri)))
}

fn check_version(v: &str) -> Result<(), ParseError> {
    if v.eq_ignore_ascii_case("SIP/2.0") {
        return Ok(());
    }
    let number = v.get(..4).filter(|p| p.eq_ignore_ascii_case("SIP/")).and_then(|_| v.get(4..));
    let well_formed = number.and_then(|n| n.split_once('.')).is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    });
    if well_formed {
        Err(start_err(K::UnsupportedVersion(v.to_owned())))
    } else {
        Err(start_err(K::BadStartLine("malformed SIP-Version")))
    }
}

fn parse_status_line(line: &str) -> Result<StartLine, ParseError> {
    let (version, rest) =
        line.split_once(' ').ok_or(start_err(K::BadStartLine("status line has no status code")))?;
    check_version(version)?;
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    let status = (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| code.parse::<u16>().ok())
        .flatten()
        .and_then(StatusCode::new)
        .ok_or(start_err(K::InvalidStatusCode))?;
    Ok(StartLine::Response(status, reason.to_owned()))
}
