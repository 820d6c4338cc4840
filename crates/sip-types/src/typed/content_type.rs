//! Content-Type (RFC 3261 20.15): `type/subtype *(;param)`.

use std::fmt;

use crate::error::ValueError;
use crate::params::{Params, parse_header_params};
use crate::scan::{Cursor, Span, unquote};

/// A media type with parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    text: Box<str>,
    kind: Span,
    subtype: Span,
    params: Span,
}

impl ContentType {
    /// Parses a Content-Type value.
    pub fn parse(s: &str) -> Result<ContentType, ValueError> {
        let (kind, subtype, params) = parse_parts(s)?;
        Ok(ContentType { text: s.into(), kind, subtype, params })
    }

    /// The top-level type (`application`), as written.
    pub fn media_type(&self) -> &str {
        self.kind.of(&self.text)
    }

    /// The subtype (`sdp`), as written.
    pub fn subtype(&self) -> &str {
        self.subtype.of(&self.text)
    }

    /// Whether this is `type/subtype`, compared case-insensitively.
    pub fn is(&self, media_type: &str, subtype: &str) -> bool {
        self.media_type().eq_ignore_ascii_case(media_type)
            && self.subtype().eq_ignore_ascii_case(subtype)
    }

    /// The parameters.
    pub fn params(&self) -> Params<'_> {
        Params::new(self.params.of(&self.text))
    }

    /// The multipart `boundary` parameter, unquoted.
    pub fn boundary(&self) -> Option<String> {
        let b = self.params().value("boundary")?;
        Some(if b.starts_with('"') { unquote(b) } else { b.to_owned() })
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

pub(crate) fn parse_parts(s: &str) -> Result<(Span, Span, Span), ValueError> {
    let mut c = Cursor::new(s);
    c.ws();
    let kind = c.token()?;
    if !c.sep(b'/') {
        return Err(c.unexpected_or(ValueError::Expected('/')));
    }
    let subtype = c.token()?;
    let params = parse_header_params(&mut c)?;
    c.finish()?;
    Ok((kind, subtype, params))
}
