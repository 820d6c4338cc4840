//! Extension headers the UA needs: RAck (RFC 3262), Replaces (RFC 3891), Identity (RFC 8224),
//! and the Date check (RFC 3261 20.17).

use std::fmt;

use super::{CallId, Tag};
use crate::error::ValueError;
use crate::method::Method;
use crate::params::{Params, param_value, parse_header_params};
use crate::scan::{Cursor, Span, is_word, parse_decimal};

/// RAck: `response-num CSeq-num Method`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RAck {
    /// The RSeq of the acknowledged provisional response.
    pub rseq: u32,
    /// The CSeq number of the request it answered.
    pub cseq: u32,
    /// The method of that request.
    pub method: Method,
}

impl RAck {
    /// Parses an RAck value.
    pub fn parse(s: &str) -> Result<RAck, ValueError> {
        let mut it = s.split_ascii_whitespace();
        let mut num = || -> Result<u32, ValueError> {
            let t = it.next().ok_or(ValueError::BadNumber)?;
            parse_decimal(t, u64::from(u32::MAX)).map(|n| n as u32)
        };
        let (rseq, cseq) = (num()?, num()?);
        let method = it.next().and_then(Method::parse).ok_or(ValueError::BadMethod)?;
        if let Some(extra) = it.next() {
            return Err(ValueError::Unexpected(extra.chars().next().unwrap_or(' ')));
        }
        Ok(RAck { rseq, cseq, method })
    }
}

impl fmt::Display for RAck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.rseq, self.cseq, self.method)
    }
}

/// Replaces: `call-id;to-tag=..;from-tag=..[;early-only]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaces {
    /// The dialog's Call-ID.
    pub call_id: CallId,
    /// The dialog's To tag.
    pub to_tag: Tag,
    /// The dialog's From tag.
    pub from_tag: Tag,
    /// Whether `early-only` is present.
    pub early_only: bool,
}

impl Replaces {
    /// Parses a Replaces value.
    pub fn parse(s: &str) -> Result<Replaces, ValueError> {
        let mut c = Cursor::new(s);
        c.ws();
        let id = c.take_while(|b| is_word(b) || b == b'@');
        if id.is_empty() {
            return Err(ValueError::Empty);
        }
        let params = parse_header_params(&mut c)?;
        c.finish()?;
        let p = Params::new(params.of(s));
        let tag = |n: &str| p.value(n).map(Tag::from).ok_or(ValueError::BadParam);
        Ok(Replaces {
            call_id: CallId::from(id.of(s)),
            to_tag: tag("to-tag")?,
            from_tag: tag("from-tag")?,
            early_only: p.contains("early-only"),
        })
    }
}

/// One Identity header value (RFC 8224): a PASSporT (compact JWS) plus `;info=<...>` etc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    text: Box<str>,
    token: Span,
    params: Span,
}

impl Identity {
    /// Parses an Identity value.
    pub fn parse(s: &str) -> Result<Identity, ValueError> {
        let mut c = Cursor::new(s);
        c.ws();
        let token = c.take_while(|b| b.is_ascii_alphanumeric() || b"-_.=+/".contains(&b));
        if token.is_empty() {
            return Err(c.unexpected_or(ValueError::Empty));
        }
        let params = identity_params(&mut c)?;
        c.finish()?;
        Ok(Identity { text: s.into(), token, params })
    }

    /// The signed identity digest (the PASSporT as compact JWS).
    pub fn token(&self) -> &str {
        self.token.of(&self.text)
    }

    /// `info`, `alg`, `ppt` and other parameters (the `info` value keeps its `<>`).
    pub fn params(&self) -> Params<'_> {
        Params::new(self.params.of(&self.text))
    }

    /// The `info` URI without its angle brackets.
    pub fn info(&self) -> Option<&str> {
        let v = self.params().value("info")?;
        Some(v.strip_prefix('<').and_then(|v| v.strip_suffix('>')).unwrap_or(v))
    }
}

/// Parameters where `info=<absoluteURI>` carries angle brackets.
fn identity_params(c: &mut Cursor<'_>) -> Result<Span, ValueError> {
    let start = c.pos;
    while c.sep(b';') {
        c.token().map_err(|_| ValueError::BadParam)?;
        if c.sep(b'=') {
            if c.peek() == Some(b'<') {
                c.take_while(|b| b != b'>');
                c.expect(b'>')?;
            } else {
                param_value(c)?;
            }
        }
    }
    Ok(Span::new(start, c.pos))
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// RFC 1123 date in GMT: `Sat, 13 Nov 2010 23:29:00 GMT` (RFC 3261 20.17).
pub(crate) fn check_date(s: &str) -> Result<(), ValueError> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut it = s.trim().split(' ');
    let mut next = || it.next().ok_or(ValueError::BadDate);
    let wkday = next()?.strip_suffix(',').ok_or(ValueError::BadDate)?;
    let (day, month, year, time, zone) = (next()?, next()?, next()?, next()?, next()?);
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    let time_ok = time.split(':').count() == 3 && time.split(':').all(|p| digits(p, 2));
    let ok = DAYS.contains(&wkday)
        && digits(day, 2)
        && MONTHS.contains(&month)
        && digits(year, 4)
        && time_ok
        && zone == "GMT";
    if ok && it.next().is_none() { Ok(()) } else { Err(ValueError::BadDate) }
}
