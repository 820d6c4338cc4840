//! URIs: `sip:`/`sips:` (RFC 3261), `tel:` (RFC 3966) and any other absolute URI.

mod escape;
mod host;
mod sip;

use std::fmt;

pub use escape::{escape_user, unescape};
pub use host::Host;
pub(crate) use host::{HostKind, parse_hostport_until, parse_port as host_port};
pub use sip::SipUri;

use crate::error::ValueError;
use crate::params::Params;
use crate::scan::{Span, find_byte};
use sip::SipUriParts;

/// A URI as found in a Request-URI or name-addr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uri {
    /// `sip:` or `sips:`.
    Sip(SipUri),
    /// `tel:`.
    Tel(TelUri),
    /// Any other absolute URI (kept opaque; the UA answers 416 where it needs SIP).
    Other(AbsoluteUri),
}

/// Where the parts of a URI sit in its text (no allocation; used to validate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UriParts {
    Sip(SipUriParts),
    Tel(Span),
    Other,
}

impl UriParts {
    /// Parses the parts of the URI filling all of `s`.
    #[inline(always)]
    pub fn parse(s: &str) -> Result<UriParts, ValueError> {
        let colon = find_byte(s, b':').ok_or(ValueError::BadScheme)?;
        let scheme = s.get(..colon).unwrap_or_default();
        if scheme.eq_ignore_ascii_case("sip") || scheme.eq_ignore_ascii_case("sips") {
            return sip::parse_after_scheme(s, colon, scheme.len() == 4).map(UriParts::Sip);
        }
        if scheme.eq_ignore_ascii_case("tel") {
            return parse_tel(s).map(UriParts::Tel);
        }
        check_absolute(s, colon).map(|()| UriParts::Other)
    }

    pub fn has_headers(&self) -> bool {
        matches!(self, UriParts::Sip(p) if p.has_headers())
    }

    pub fn into_uri(self, text: &str) -> Uri {
        match self {
            UriParts::Sip(p) => Uri::Sip(SipUri::from_parts(text, p)),
            UriParts::Tel(number) => Uri::Tel(TelUri { text: text.into(), number }),
            UriParts::Other => Uri::Other(AbsoluteUri { text: text.into() }),
        }
    }
}

impl Uri {
    /// Parses a URI.
    pub fn parse(s: &str) -> Result<Uri, ValueError> {
        UriParts::parse(s).map(|p| p.into_uri(s))
    }

    /// The SIP URI, if this is one.
    pub fn as_sip(&self) -> Option<&SipUri> {
        match self {
            Uri::Sip(u) => Some(u),
            _ => None,
        }
    }

    /// The scheme, lower-case for the known ones, as written otherwise.
    pub fn scheme(&self) -> &str {
        match self {
            Uri::Sip(u) => u.scheme(),
            Uri::Tel(_) => "tel",
            Uri::Other(u) => u.scheme(),
        }
    }

    /// The URI as text.
    pub fn as_str(&self) -> &str {
        match self {
            Uri::Sip(u) => u.as_str(),
            Uri::Tel(u) => &u.text,
            Uri::Other(u) => &u.text,
        }
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<SipUri> for Uri {
    fn from(u: SipUri) -> Uri {
        Uri::Sip(u)
    }
}

/// A `tel:` URI (RFC 3966).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelUri {
    text: Box<str>,
    number: Span,
}

impl TelUri {
    /// The telephone number as written (`+1-212-555-0101` or a local number).
    pub fn number(&self) -> &str {
        self.number.of(&self.text)
    }

    /// Whether the number is global (`+...`).
    pub fn is_global(&self) -> bool {
        self.number().starts_with('+')
    }

    /// The parameters (`;phone-context=...`).
    pub fn params(&self) -> Params<'_> {
        Params::new(self.text.get(self.number.end as usize..).unwrap_or_default())
    }
}

fn parse_tel(s: &str) -> Result<Span, ValueError> {
    let start = 4;
    let rest = s.get(start..).unwrap_or_default();
    let len = find_byte(rest, b';').unwrap_or(rest.len());
    let number = &rest[..len];
    let digits = number.strip_prefix('+').unwrap_or(number);
    let ok = |b: u8| b.is_ascii_hexdigit() || b"*#-.()pPwW".contains(&b);
    if digits.is_empty() || !digits.bytes().all(ok) {
        return Err(ValueError::BadUriChar(
            digits.chars().find(|c| !c.is_ascii() || !ok(*c as u8)).unwrap_or('?'),
        ));
    }
    sip::check_uri_params(&rest[len..])?;
    Ok(Span::new(start, start + len))
}

/// Any other absolute URI (RFC 3986 `scheme ":" ...`), kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsoluteUri {
    text: Box<str>,
}

impl AbsoluteUri {
    /// The scheme as written.
    pub fn scheme(&self) -> &str {
        self.text.split(':').next().unwrap_or_default()
    }

    /// The URI as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

fn check_absolute(s: &str, colon: usize) -> Result<(), ValueError> {
    let scheme = s.get(..colon).unwrap_or_default();
    let mut sb = scheme.bytes();
    let scheme_ok = sb.next().is_some_and(|b| b.is_ascii_alphabetic())
        && sb.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    if !scheme_ok {
        return Err(ValueError::BadScheme);
    }
    let rest = s.get(colon + 1..).unwrap_or_default();
    if rest.is_empty() {
        return Err(ValueError::Empty);
    }
    // uric: reserved / unreserved / escaped; never white space, quotes, <, > or controls.
    match rest.bytes().find(|&b| b <= b' ' || b >= 0x7f || b"<>\"{}|\\^`".contains(&b)) {
        Some(b) => Err(ValueError::BadUriChar(char::from(b))),
        None => Ok(()),
    }
}
