//! Header checks run while parsing a message: single-valued headers appear once, the headers
//! every UA reads are well-formed, framing headers agree with the body.

use crate::error::{ParseError, ParseErrorKind as K, ValueError};
use crate::header_name::HeaderName as H;
use crate::method::Method;
use crate::name_addr;
use crate::scan::split_list;
use crate::typed::{self, CSeq};

/// State collected across the header lines of one message.
#[derive(Debug, Default)]
pub(crate) struct Checks {
    content_length: Option<u64>,
    cseq: Option<CSeq>,
    seen: u16,
}

/// Headers that must appear at most once, with their bit in `Checks::seen`.
fn single_bit(name: &H) -> Option<u16> {
    Some(match name {
        H::CallId => 1,
        H::From => 1 << 1,
        H::To => 1 << 2,
        H::CSeq => 1 << 3,
        H::MaxForwards => 1 << 4,
        H::ContentType => 1 << 5,
        H::Expires => 1 << 6,
        H::Via => 1 << 7,
        _ => return None,
    })
}

const REQUIRED: [(u16, H); 5] =
    [(1 << 7, H::Via), (1 << 1, H::From), (1 << 2, H::To), (1, H::CallId), (1 << 3, H::CSeq)];

impl Checks {
    /// Checks one header (value already unfolded and trimmed).
    pub fn check(&mut self, name: &H, value: &str) -> Result<(), K> {
        if let Some(bit) = single_bit(name) {
            if self.seen & bit != 0 && *name != H::Via {
                return Err(K::DuplicateHeader(name.clone()));
            }
            self.seen |= bit;
        }
        let invalid = |reason| K::InvalidHeader { name: name.clone(), reason };
        match name {
            H::ContentLength => return self.content_length(value),
            H::CSeq => self.cseq = Some(CSeq::parse(value).map_err(invalid)?),
            _ => check_value(name, value).map_err(invalid)?,
        }
        Ok(())
    }

    fn content_length(&mut self, value: &str) -> Result<(), K> {
        let n = typed::parse_number(value, u64::from(u32::MAX))
            .map_err(|reason| K::InvalidHeader { name: H::ContentLength, reason })?;
        match self.content_length {
            Some(prev) if prev == n => Err(K::DuplicateContentLength),
            Some(_) => Err(K::ConflictingContentLength),
            None => {
                self.content_length = Some(n);
                Ok(())
            }
        }
    }

    /// Final checks; returns the body length to take from the `available` bytes.
    pub fn finish(&self, available: usize) -> Result<usize, ParseError> {
        for (bit, name) in REQUIRED {
            if self.seen & bit == 0 {
                return Err(ParseError::new(K::MissingHeader(name)));
            }
        }
        match self.content_length {
            Some(n) if n > available as u64 => {
                Err(ParseError::new(K::BodyTooShort { declared: n as usize, available }))
            }
            Some(n) => Ok(n as usize),
            None => Ok(available),
        }
    }

    /// The diagnosis when a request's CSeq names another method than its request line.
    pub fn cseq_mismatch(&self, method: &Method) -> Option<K> {
        let cseq = self.cseq.as_ref()?;
        (*method != cseq.method).then(|| K::CseqMethodMismatch {
            request: method.to_string(),
            cseq: cseq.method.to_string(),
        })
    }
}

/// Grammar checks for the headers with a defined syntax that the UA relies on.
fn check_value(name: &H, value: &str) -> Result<(), ValueError> {
    match name {
        H::Via => each(value, |v| typed::via_parts(v).map(drop)),
        H::From | H::To | H::ReferTo | H::ReplyTo => name_addr::parse_parts(value).map(drop),
        H::Contact => each(value, check_contact),
        H::Route | H::RecordRoute | H::Path | H::ServiceRoute | H::PAssertedIdentity => {
            each(value, |v| name_addr::parse_parts(v).map(drop))
        }
        H::CallId => typed::check_call_id(value),
        H::MaxForwards => typed::parse_number(value, 255).map(drop),
        H::Expires | H::MinExpires | H::RSeq => {
            typed::parse_number(value, u64::from(u32::MAX)).map(drop)
        }
        H::ContentType => typed::content_type_parts(value).map(drop),
        H::Date => typed::check_date(value),
        H::Require | H::ProxyRequire | H::Supported | H::Unsupported | H::Allow => {
            typed::check_tokens(value)
        }
        H::RAck => typed::RAck::parse(value).map(drop),
        _ => Ok(()),
    }
}

fn each(value: &str, f: impl Fn(&str) -> Result<(), ValueError>) -> Result<(), ValueError> {
    for elem in split_list(value) {
        f(elem?.1)?;
    }
    Ok(())
}

/// A Contact element: `*`, or a name-addr whose `expires` and `q` parameters are in range.
fn check_contact(v: &str) -> Result<(), ValueError> {
    if v == "*" {
        return Ok(());
    }
    let parts = name_addr::parse_parts(v)?;
    if let Some(e) = parts.params(v).value("expires") {
        typed::parse_number(e, u64::from(u32::MAX))?;
    }
    Ok(())
}
