//! Parsing a complete message (one datagram, or one frame cut by the stream framer).
//!
//! One pass over the header section: memchr finds line ends, each header line is classified by
//! name and copied (unfolded) into the shared header buffer, and the headers every UA needs are
//! validated on the way. Typed values are built later, on demand.

use memchr::memchr;

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
    let section = head_end(input, limits)?;
    let head = check_head(input.get(..section.head).unwrap_or_default())?;
    let mut lines = Lines::new(head);
    let (start, _) = lines.next_line().ok_or(ParseError::new(K::Empty))?;
    let start = parse_start_line(start)?;
    let mut headers = Headers::with_capacity(head.len(), 24);
    let mut checks = Checks::default();
    while let Some((line_no, offset, raw)) = lines.next_header()? {
        let at = |kind| ParseError::at(kind, line_no, offset + skip);
        if headers.len() >= limits.max_headers {
            return Err(at(K::TooManyHeaders { limit: limits.max_headers }));
        }
        if raw.len() > limits.max_header_line {
            return Err(at(K::HeaderLineTooLong { limit: limits.max_header_line }));
        }
        let (name, value) = split_header(raw).ok_or_else(|| at(K::BadHeaderLine))?;
        headers.push_unfolded(HeaderName::parse(name), value);
        let (name, value) = headers.last().unwrap_or((&HeaderName::Via, ""));
        checks.check(name, value).map_err(at)?;
    }
    let body_area = input.get(section.body..).unwrap_or_default();
    let body_len = checks.finish(start.method(), body_area.len())?;
    let body = body_area.get(..body_len).unwrap_or_default().to_vec();
    Ok(start.into_message(headers, body))
}

/// Where the header section ends and the body starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section {
    /// End of the header section: just after the line end of its last line.
    pub head: usize,
    /// Start of the body: just after the empty line.
    pub body: usize,
}

/// Finds the empty line that ends the header section. Lines end in CRLF; a bare LF is accepted
/// too (RFC 3261 7.5 asks for robust framing, and HTTP/1.1 19.3, whose syntax SIP borrows,
/// recommends reading a lone LF as a line end). A bare CR is rejected later by `check_head`.
pub(crate) fn head_end(input: &[u8], limits: &Limits) -> Result<Section, ParseError> {
    let window = &input[..input.len().min(limits.max_header_bytes + 4)];
    for lf in memchr::memchr_iter(b'\n', window) {
        let after = |n: usize| window.get(lf + n).copied();
        match (after(1), after(2)) {
            (Some(b'\n'), _) => return Ok(Section { head: lf + 1, body: lf + 2 }),
            (Some(b'\r'), Some(b'\n')) => return Ok(Section { head: lf + 1, body: lf + 3 }),
            _ => {}
        }
    }
    if input.len() > limits.max_header_bytes {
        Err(ParseError::new(K::MessageTooLarge { limit: limits.max_header_bytes }))
    } else {
        Err(ParseError::new(K::UnterminatedHeaders))
    }
}

/// Checks bytes of the header section: UTF-8, every CR followed by LF, no bare control
/// characters.
fn check_head(head: &[u8]) -> Result<&str, ParseError> {
    let text = std::str::from_utf8(head).map_err(|e| {
        let line = line_of(head, e.valid_up_to());
        ParseError::at(K::NonUtf8, line, e.valid_up_to())
    })?;
    if let Some(cr) = memchr::memchr_iter(b'\r', head).find(|&i| head.get(i + 1) != Some(&b'\n')) {
        return Err(ParseError::at(K::BareLineEnding, line_of(head, cr), cr));
    }
    if has_control(head) {
        check_controls(head)?;
    }
    Ok(text)
}

fn is_control(b: u8) -> bool {
    control_bit(b) != 0
}

/// 1 for a control character other than HTAB, CR and LF, else 0. Comparisons combined with
/// `&`/`|` instead of `&&`/`||` so that a fold over it compiles to SIMD compares.
fn control_bit(b: u8) -> u8 {
    let low = u8::from(b < 0x20);
    let allowed = u8::from(b == b'\t') | u8::from(b == b'\r') | u8::from(b == b'\n');
    (low & !allowed) | u8::from(b == 0x7f)
}

/// Whether any control character other than HTAB, CR and LF occurs. Written over fixed-size
/// chunks with a branch-free fold so the compiler vectorises it: it runs over every header byte.
fn has_control(head: &[u8]) -> bool {
    let mut chunks = head.chunks_exact(32);
    let any = chunks.by_ref().any(|c| c.iter().fold(0, |acc, &b| acc | control_bit(b)) != 0);
    any || chunks.remainder().iter().any(|&b| is_control(b))
}

/// Control characters are allowed only as quoted-pairs (`\` followed by the byte, RFC 3261 25.1).
fn check_controls(head: &[u8]) -> Result<(), ParseError> {
    let mut escaped = false;
    for (i, &b) in head.iter().enumerate() {
        if is_control(b) && !escaped {
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
    let name = raw.get(..colon)?.as_bytes();
    let name_len = name.len() - name.iter().rev().take_while(|b| is_ws(**b)).count();
    let name = raw.get(..name_len)?;
    if name.is_empty() || !name.bytes().all(is_token) {
        return None;
    }
    Some((name, trim_lws(raw.get(colon + 1..)?)))
}

/// Trims SP, HTAB, CR and LF at both ends (a folded value may start with a line fold).
fn trim_lws(s: &str) -> &str {
    let lws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let b = s.as_bytes();
    let start = b.iter().take_while(|b| lws(b)).count();
    let end = b.len() - b.iter().rev().take_while(|b| lws(b)).count();
    s.get(start..end.max(start)).unwrap_or_default()
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

    /// The next physical line without its line end (CRLF or LF), and its offset.
    fn next_line(&mut self) -> Option<(&'a str, usize)> {
        let rest = self.head.get(self.pos..)?;
        let nl = memchr(b'\n', rest.as_bytes())?;
        let start = self.pos;
        self.pos += nl + 1;
        self.line_no += 1;
        let end = if nl > 0 && rest.as_bytes().get(nl - 1) == Some(&b'\r') { nl - 1 } else { nl };
        Some((rest.get(..end)?, start))
    }

    /// The next logical header (folded lines joined, line ends kept inside, the final one
    /// dropped), with line number and offset.
    fn next_header(&mut self) -> Result<Option<(u32, usize, &'a str)>, ParseError> {
        let Some((first, start)) = self.next_line() else {
            return Ok(None);
        };
        let line_no = self.line_no;
        if self.head.as_bytes().get(start).copied().is_some_and(is_ws) {
            return Err(ParseError::at(K::BadHeaderLine, line_no, start));
        }
        let mut end = start + first.len();
        while self.head.as_bytes().get(self.pos).copied().is_some_and(is_ws) {
            if let Some((cont, at)) = self.next_line() {
                end = at + cont.len();
            }
        }
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
