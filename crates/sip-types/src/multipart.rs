//! multipart/* bodies (RFC 2046 5.1), e.g. SDP next to an ISUP or resource-lists part.

use memchr::memmem;

use crate::error::{ParseError, ParseErrorKind as K};
use crate::header_name::HeaderName;
use crate::headers::Headers;

/// One body part: its MIME headers and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Part headers (Content-Type, Content-ID, ...).
    pub headers: Headers,
    /// Part content.
    pub body: Vec<u8>,
}

/// Splits a multipart body at `boundary` (from the Content-Type `boundary` parameter).
pub fn parse_multipart(body: &[u8], boundary: &str) -> Result<Vec<Part>, ParseError> {
    if boundary.is_empty() || boundary.len() > 70 {
        return Err(ParseError::new(K::InvalidMultipart("bad boundary")));
    }
    let delim = format!("--{boundary}");
    let delim = delim.as_bytes();
    let first = if body.starts_with(delim) {
        0
    } else {
        let crlf_delim = [b"\r\n", delim].concat();
        memmem::find(body, &crlf_delim)
            .map(|i| i + 2)
            .ok_or(ParseError::new(K::InvalidMultipart("no boundary")))?
    };
    let mut parts = Vec::new();
    let mut pos = first + delim.len();
    let finder = memmem::Finder::new(&[b"\r\n", delim].concat()).into_owned();
    loop {
        let rest = body.get(pos..).unwrap_or_default();
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        let line_end = memmem::find(rest, b"\r\n")
            .ok_or(ParseError::new(K::InvalidMultipart("boundary line not terminated")))?;
        let part_start = pos + line_end + 2;
        let part_area = body.get(part_start..).unwrap_or_default();
        let len = finder
            .find(part_area)
            .ok_or(ParseError::new(K::InvalidMultipart("missing closing boundary")))?;
        parts.push(parse_part(part_area.get(..len).unwrap_or_default())?);
        pos = part_start + len + 2 + delim.len();
    }
}

fn parse_part(part: &[u8]) -> Result<Part, ParseError> {
    let (head, body) = if part.starts_with(b"\r\n") {
        (&b""[..], part.get(2..).unwrap_or_default())
    } else {
        let end = memmem::find(part, b"\r\n\r\n")
            .ok_or(ParseError::new(K::InvalidMultipart("part headers not terminated")))?;
        (&part[..end], part.get(end + 4..).unwrap_or_default())
    };
    let head = std::str::from_utf8(head).map_err(|_| ParseError::new(K::NonUtf8))?;
    let mut headers = Headers::new();
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        if line.starts_with([' ', '\t']) {
            return Err(ParseError::new(K::InvalidMultipart("folded part header")));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or(ParseError::new(K::InvalidMultipart("part header without colon")))?;
        headers.push(HeaderName::parse(name.trim()), value.trim());
    }
    Ok(Part { headers, body: body.to_vec() })
}
