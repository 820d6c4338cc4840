//! `;name=value` parameter lists, validated once while parsing and read through a view.

use crate::error::ValueError;
use crate::scan::{Cursor, Span, is_token};

/// A read-only view of a parameter list (`;a=1;b;c="x"`), as it appears in a header or URI.
/// Values are returned as written (quoted strings keep their quotes, URI values stay escaped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Params<'a>(&'a str);

impl<'a> Params<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Params(text)
    }

    /// The parameters in order, as `(name, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, Option<&'a str>)> + 'a {
        let mut c = Cursor::new(self.0);
        std::iter::from_fn(move || {
            if !c.sep(b';') {
                return None;
            }
            let name = c.take_while(is_param_char).of(c.s);
            let value = if c.sep(b'=') {
                let start = c.pos;
                if c.peek() == Some(b'"') {
                    let _ = c.quoted();
                } else {
                    c.take_while(is_param_value_char);
                }
                Some(c.s.get(start..c.pos).unwrap_or_default())
            } else {
                None
            };
            Some((name, value))
        })
    }

    /// `Some(value)` for the first parameter named `name` (case-insensitive); the inner option is
    /// `None` for a parameter without `=value`.
    pub fn get(&self, name: &str) -> Option<Option<&'a str>> {
        self.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }

    /// The value of `name`, if present with a value.
    pub fn value(&self, name: &str) -> Option<&'a str> {
        self.get(name).flatten()
    }

    /// Whether `name` is present (with or without value).
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The raw text, including the leading `;`.
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

/// Name characters: token plus the URI param extras (escapes and `[]/:&+$`).
fn is_param_char(b: u8) -> bool {
    is_token(b) || b"[]/:&+$()".contains(&b)
}

/// Unquoted value characters: token, host (incl. IPv6 with or without brackets) and URI extras.
fn is_param_value_char(b: u8) -> bool {
    is_param_char(b) || b >= 0x80
}

/// Parses `*( SWS ";" SWS name [ SWS "=" SWS value ] )` at the cursor, returning its span.
/// Header parameters allow white space around `;` and `=` (RFC 3261 25.1 SEMI/EQUAL).
pub(crate) fn parse_header_params(c: &mut Cursor<'_>) -> Result<Span, ValueError> {
    let start = c.pos;
    while c.sep(b';') {
        c.token().map_err(|_| ValueError::BadParam)?;
        if c.sep(b'=') {
            param_value(c)?;
        }
    }
    Ok(Span::new(start, c.pos))
}

/// One `gen-value`: a quoted string, or token/host characters.
pub(crate) fn param_value(c: &mut Cursor<'_>) -> Result<(), ValueError> {
    if c.peek() == Some(b'"') {
        c.quoted()?;
    } else if c.take_while(is_param_value_char).is_empty() {
        return Err(ValueError::BadParam);
    }
    Ok(())
}
