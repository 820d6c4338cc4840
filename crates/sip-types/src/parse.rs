//! Parsing a complete message (one datagram, or one frame cut by the stream framer).
//!
//! One pass over the header section: the section is copied once into the header buffer, each
//! header line is classified by name and kept as a span of it (folded values are copied
//! unfolded), and the headers every UA needs are validated on the way. Typed values are built
//! later, on demand.

use crate::error::{ParseError, ParseErrorKind as K};
use crate::head::{Lines, check_head, head_end, split_header};
use crate::header_name::HeaderName;
use crate::headers::Headers;
use crate::limits::Limits;
use crate::message::{Message, Request, Response};
use crate::method::Method;
use crate::scan::find_byte;
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
    let head = check_head(input.get(..section.head).unwrap_or_default(), &section)?;
    let mut lines = Lines::new(head, &section);
    let (start, _) = lines.next_line().ok_or(ParseError::new(K::Empty))?;
    let start = parse_start_line(start)?;
    let mut headers = Headers::from_head(head, 24);
    let mut checks = Checks::default();
    while let Some(line) = lines.next_header()? {
        let at = |kind| ParseError::at(kind, line.line_no, line.offset + skip);
        if headers.len() >= limits.max_headers {
            return Err(at(K::TooManyHeaders { limit: limits.max_headers }));
        }
        if line.text.len() > limits.max_header_line {
            return Err(at(K::HeaderLineTooLong { limit: limits.max_header_line }));
        }
        let (name, value) = split_header(line.text).ok_or_else(|| at(K::BadHeaderLine))?;
        let value = line.offset + value.start..line.offset + value.end;
        if line.folded {
            headers.push_unfolded(name, head.get(value).unwrap_or_default());
            let (name, value) = headers.last().unwrap_or((&HeaderName::Via, ""));
            checks.check(name, value).map_err(at)?;
        } else {
            checks.check(&name, head.get(value.clone()).unwrap_or_default()).map_err(at)?;
            headers.push_span(name, value);
        }
    }
    let body_area = input.get(section.body..).unwrap_or_default();
    let body_len = checks.finish(body_area.len())?;
    let body = body_area.get(..body_len).unwrap_or_default().to_vec();
    match start.into_message(headers, body) {
        Message::Request(request) => match checks.cseq_mismatch(&request.method) {
            // Well-formed but inconsistent: the UA answers it 400 (RFC 4475 3.1.2.17).
            Some(kind) => Err(ParseError::answerable(kind, request)),
            None => Ok(Message::Request(request)),
        },
        response => Ok(response),
    }
}

/// A parsed start line.
enum StartLine {
    Request(Method, crate::uri::Uri),
    Response(StatusCode, String),
}

impl StartLine {
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
    let Some((method, uri, version)) = three_parts(line) else {
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

/// `a SP b SP c` with exactly two single spaces.
fn three_parts(line: &str) -> Option<(&str, &str, &str)> {
    let first = find_byte(line, b' ')?;
    let rest = line.get(first + 1..)?;
    let second = find_byte(rest, b' ')?;
    let last = rest.get(second + 1..)?;
    if find_byte(last, b' ').is_some() {
        return None;
    }
    Some((line.get(..first)?, rest.get(..second)?, last))
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

fn split_at_space(s: &str) -> Option<(&str, &str)> {
    let sp = find_byte(s, b' ')?;
    Some((s.get(..sp)?, s.get(sp + 1..)?))
}

fn parse_status_line(line: &str) -> Result<StartLine, ParseError> {
    let (version, rest) =
        split_at_space(line).ok_or(start_err(K::BadStartLine("status line has no status code")))?;
    check_version(version)?;
    let (code, reason) = split_at_space(rest).unwrap_or((rest, ""));
    let status = (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| code.parse::<u16>().ok())
        .flatten()
        .and_then(StatusCode::new)
        .ok_or(start_err(K::InvalidStatusCode))?;
    Ok(StartLine::Response(status, reason.to_owned()))
}
