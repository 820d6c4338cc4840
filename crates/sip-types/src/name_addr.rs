//! `name-addr` / `addr-spec` values with header parameters (From, To, Contact, Route, ...).

use std::borrow::Cow;
use std::fmt;

use crate::error::ValueError;
use crate::params::{Params, parse_header_params};
use crate::scan::{Cursor, Span, is_token, is_ws, unquote};
use crate::typed::Tag;
use crate::uri::{Uri, UriParts};

/// `[display-name] <uri> *(;param)` or `uri *(;param)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAddr {
    text: Box<str>,
    display: Option<Span>,
    uri: Uri,
    params: Span,
}

/// Where the parts of a name-addr sit in its text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameAddrParts {
    display: Option<Span>,
    uri: Span,
    uri_parts: UriParts,
    params: Span,
}

impl NameAddrParts {
    pub fn params<'a>(&self, s: &'a str) -> Params<'a> {
        Params::new(self.params.of(s))
    }
}

impl NameAddr {
    /// Parses one name-addr or addr-spec with parameters.
    pub fn parse(s: &str) -> Result<NameAddr, ValueError> {
        parse_parts(s).map(|p| NameAddr::from_parts(s, p))
    }

    pub(crate) fn from_parts(s: &str, p: NameAddrParts) -> NameAddr {
        NameAddr {
            text: s.into(),
            display: p.display,
            uri: p.uri_parts.into_uri(p.uri.of(s)),
            params: p.params,
        }
    }

    /// Builds `["display"] <uri>` with no parameters.
    pub fn new(display_name: Option<&str>, uri: &Uri) -> NameAddr {
        let quoted = display_name.map(quote);
        let text = match &quoted {
            Some(q) => format!("{q} <{uri}>"),
            None => format!("<{uri}>"),
        };
        NameAddr {
            display: quoted.as_ref().map(|q| Span::new(0, q.len())),
            uri: uri.clone(),
            params: Span::new(text.len(), text.len()),
            text: text.into(),
        }
    }

    /// A copy with `;name[=value]` appended to the header parameters.
    pub fn with_param(&self, name: &str, value: Option<&str>) -> Result<NameAddr, ValueError> {
        let param = match value {
            Some(v) => format!(";{name}={v}"),
            None => format!(";{name}"),
        };
        NameAddr::parse(&format!("{}{param}", self.text))
    }

    /// The display name, unquoted (quoted-pairs resolved).
    pub fn display_name(&self) -> Option<Cow<'_, str>> {
        let raw = self.display?.of(&self.text);
        Some(if raw.starts_with('"') { Cow::Owned(unquote(raw)) } else { Cow::Borrowed(raw) })
    }

    /// The URI.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The header parameters (after the URI).
    pub fn params(&self) -> Params<'_> {
        Params::new(self.params.of(&self.text))
    }

    /// The `tag` parameter (From/To).
    pub fn tag(&self) -> Option<Tag> {
        self.params().value("tag").map(Tag::from)
    }

    /// The whole value as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for NameAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Quotes a display name, escaping `"` and `\`.
fn quote(d: &str) -> String {
    let mut out = String::with_capacity(d.len() + 2);
    out.push('"');
    for c in d.chars().filter(|c| *c != '\r' && *c != '\n') {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Parses a name-addr/addr-spec with header params, filling all of `s`.
#[inline(always)]
pub(crate) fn parse_parts(s: &str) -> Result<NameAddrParts, ValueError> {
    let mut c = Cursor::new(s);
    c.ws();
    if c.at_end() {
        return Err(ValueError::Empty);
    }
    let display = display_name(&mut c)?;
    let (uri, uri_parts) = if display.is_some() || c.peek() == Some(b'<') {
        bracketed_uri(&mut c)?
    } else {
        bare_uri(&mut c)?
    };
    let params = parse_header_params(&mut c)?;
    c.finish()?;
    Ok(NameAddrParts { display, uri, uri_parts, params })
}

/// A quoted display name, or tokens followed by `<`; `None` when no display name precedes.
fn display_name(c: &mut Cursor<'_>) -> Result<Option<Span>, ValueError> {
    if c.peek() == Some(b'"') {
        let q = c.quoted()?;
        c.ws();
        if c.peek() != Some(b'<') {
            return Err(c.unexpected_or(ValueError::Expected('<')));
        }
        return Ok(Some(q));
    }
    let start = c.pos;
    let mut end = start;
    while c.peek().is_some_and(is_token) {
        c.take_while(is_token);
        end = c.pos;
        c.ws();
    }
    match c.peek() {
        Some(b'<') if end > start => Ok(Some(Span::new(start, end))),
        Some(b'<') => Ok(None),
        _ if s_has_angle(c.rest()) => Err(ValueError::BadDisplayName),
        _ => {
            c.pos = start;
            Ok(None)
        }
    }
}

/// Whether a `<` follows (so the text before it was meant as a display name).
fn s_has_angle(rest: &str) -> bool {
    rest.bytes().find(|&b| b == b'"' || b == b'<') == Some(b'<')
}

fn bracketed_uri(c: &mut Cursor<'_>) -> Result<(Span, UriParts), ValueError> {
    c.expect(b'<')?;
    let start = c.pos;
    let len = memchr::memchr(b'>', c.rest().as_bytes()).ok_or(ValueError::UnterminatedAngle)?;
    c.pos += len + 1;
    let span = Span::new(start, start + len);
    let text = span.of(c.s);
    let ws_at = |b: Option<&u8>| b.copied().is_some_and(is_ws);
    if ws_at(text.as_bytes().first()) || ws_at(text.as_bytes().last()) {
        // LAQUOT/RAQUOT allow no white space inside the brackets (RFC 4475 3.1.2.14).
        return Err(ValueError::Unexpected(' '));
    }
    let parts = UriParts::parse(text)?;
    Ok((span, parts))
}

/// An addr-spec without brackets: ends at white space or `;` (RFC 3261 20.10).
fn bare_uri(c: &mut Cursor<'_>) -> Result<(Span, UriParts), ValueError> {
    let span = c.take_while(|b| !is_ws(b) && b != b';');
    let text = span.of(c.s);
    if text.bytes().any(|b| b == b'?' || b == b',') {
        return Err(ValueError::UnbracketedUri);
    }
    let parts = UriParts::parse(text)?;
    Ok((span, parts))
}
