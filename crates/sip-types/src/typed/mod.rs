//! Typed views of header values, parsed on demand (and validated once while parsing a message).

mod auth;
mod content_type;
mod extras;
mod ids;
mod via;

pub use auth::AuthHeader;
pub use content_type::ContentType;
pub(crate) use content_type::parse_parts as content_type_parts;
pub(crate) use extras::check_date;
pub use extras::{Identity, RAck, Replaces};
pub use ids::{Branch, CallId, Tag};
pub use via::Via;
pub(crate) use via::parse_parts as via_parts;

use std::fmt;

use crate::error::ValueError;
use crate::method::Method;
use crate::scan::{Cursor, find_byte, is_token, is_word, is_ws, parse_decimal, trim_ws};

/// CSeq: sequence number and method (RFC 3261 20.16).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CSeq {
    /// The sequence number (less than 2**31).
    pub seq: u32,
    /// The method.
    pub method: Method,
}

impl CSeq {
    /// Parses `1*DIGIT LWS Method`.
    pub fn parse(s: &str) -> Result<CSeq, ValueError> {
        let mut c = Cursor::new(s);
        c.ws();
        let digits = c.take_while(|b| b.is_ascii_digit()).of(s);
        let seq = parse_decimal(digits, (1 << 31) - 1)? as u32;
        if !c.ws() {
            return Err(c.unexpected_or(ValueError::BadMethod));
        }
        let method = c.take_while(is_token).of(s);
        c.finish()?;
        let method = Method::parse(method).ok_or(ValueError::BadMethod)?;
        Ok(CSeq { seq, method })
    }
}

impl fmt::Display for CSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.seq, self.method)
    }
}

/// A bare decimal value no larger than `max` (Content-Length, Max-Forwards, Expires, RSeq).
pub(crate) fn parse_number(s: &str, max: u64) -> Result<u64, ValueError> {
    let (_, t) = trim_ws(s);
    if t.starts_with('-') {
        return Err(ValueError::BadNumber);
    }
    parse_decimal(t, max)
}

/// Checks a Call-ID: `word [ "@" word ]`. One pass finds the first `@` and the first byte
/// that is neither a word character nor `@` (every message has a Call-ID, and a second pass
/// for the `@` cost as much as the check); the diagnosis keeps its order: empty first.
pub(crate) fn check_call_id(s: &str) -> Result<(), ValueError> {
    let b = s.as_bytes();
    let (mut at, mut bad) = (None, None);
    for (i, &c) in b.iter().enumerate() {
        if is_word(c) {
            continue;
        }
        if c != b'@' {
            bad = Some(c);
            break;
        }
        at.get_or_insert(i);
    }
    if bad.is_some() {
        // The scan stopped early: the first `@` may lie beyond the bad byte.
        at = find_byte(s, b'@');
    }
    let (before, after) = match at {
        Some(at) => (at, b.len() - at - 1),
        None => (b.len(), 1),
    };
    if before == 0 || after == 0 {
        return Err(ValueError::Empty);
    }
    match bad {
        Some(c) => Err(ValueError::Unexpected(char::from(c))),
        None => Ok(()),
    }
}

/// Splits a comma-separated list of tokens (Require, Supported, Allow, ...).
pub(crate) fn parse_tokens(s: &str) -> Result<Vec<&str>, ValueError> {
    tokens(s).collect()
}

/// Checks a comma-separated list of tokens without collecting it (while parsing a message).
pub(crate) fn check_tokens(s: &str) -> Result<(), ValueError> {
    if is_token_list(s.as_bytes()) {
        return Ok(());
    }
    tokens(s).try_for_each(|t| t.map(drop))
}

/// Whether `b` is a well-formed token list (or blank), in plain index loops: the iterator of
/// [`tokens`] carries `Option`/`Result` plumbing per element, which cost more than the bytes on
/// the Allow list of every INVITE. Accepts exactly what [`tokens`] accepts; a rejected list is
/// walked again by [`tokens`] to name what is wrong.
fn is_token_list(b: &[u8]) -> bool {
    let skip = |mut i: usize, class: fn(u8) -> bool| {
        while b.get(i).is_some_and(|&c| class(c)) {
            i += 1;
        }
        i
    };
    let mut i = skip(0, is_ws);
    if i == b.len() {
        return true;
    }
    loop {
        let end = skip(i, is_token);
        if end == i {
            return false;
        }
        i = skip(end, is_ws);
        match b.get(i) {
            None => return true,
            Some(b',') => i = skip(i + 1, is_ws),
            Some(_) => return false,
        }
    }
}

/// The elements of a token list, each checked in the loop that finds it (an iterator chain of
/// split, trim and check cost several times more per element). The first bad element ends the
/// list with the diagnosis `split_list` would give: empty, or its first non-token character.
fn tokens(s: &str) -> impl Iterator<Item = Result<&str, ValueError>> {
    let b = s.as_bytes();
    let skip_ws =
        |i: usize| i + b.get(i..).unwrap_or_default().iter().take_while(|&&c| is_ws(c)).count();
    let skip_token =
        |i: usize| i + b.get(i..).unwrap_or_default().iter().take_while(|&&c| is_token(c)).count();
    // Supported/Allow may be empty (RFC 3261 20.37, 20.5).
    let mut pos = if trim_ws(s).1.is_empty() { None } else { Some(0) };
    std::iter::from_fn(move || {
        let start = skip_ws(pos?);
        let end = skip_token(start);
        let next = skip_ws(end);
        pos = match b.get(next) {
            None => None,
            Some(b',') => Some(next + 1),
            Some(_) => {
                pos = None;
                let bad = b.get(end).copied().unwrap_or_default();
                return Some(Err(ValueError::Unexpected(char::from(bad))));
            }
        };
        if start == end {
            pos = None;
            return Some(Err(ValueError::EmptyElement));
        }
        Some(Ok(s.get(start..end).unwrap_or_default()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two-pass Call-ID check the one-pass one replaced, kept as the reference.
    fn call_id_reference(s: &str) -> Result<(), ValueError> {
        let (a, b) = match find_byte(s, b'@') {
            Some(at) => (at, s.len() - at - 1),
            None => (s.len(), 1),
        };
        if a == 0 || b == 0 {
            return Err(ValueError::Empty);
        }
        match s.bytes().find(|&b| !is_word(b) && b != b'@') {
            Some(b) => Err(ValueError::Unexpected(char::from(b))),
            None => Ok(()),
        }
    }

    #[test]
    fn one_pass_call_id_check_agrees_with_the_two_pass_one() {
        let alphabet = ["a", "@", " ", ";", "é"];
        let mut strings = vec![String::new()];
        let mut last = strings.clone();
        for _ in 0..6 {
            last =
                last.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            strings.extend(last.iter().cloned());
        }
        for s in strings {
            assert_eq!(check_call_id(&s), call_id_reference(&s), "{s:?}");
        }
    }

    /// Every string of up to 7 bytes over an alphabet with tokens, white space, commas and a
    /// stray byte: the fast check accepts exactly the lists the diagnosing walk accepts.
    #[test]
    fn fast_token_list_check_agrees_with_the_walk() {
        let alphabet = [b'a', b'B', b' ', b'\t', b',', b';'];
        let mut strings = vec![Vec::new()];
        for _ in 0..7 {
            let longer: Vec<Vec<u8>> = strings
                .iter()
                .filter(|s| s.len() == strings.last().map_or(0, Vec::len))
                .flat_map(|s| alphabet.iter().map(move |&c| [s.as_slice(), &[c]].concat()))
                .collect();
            strings.extend(longer);
        }
        for s in strings {
            let text = std::str::from_utf8(&s).expect("ASCII");
            let walk = tokens(text).all(|t| t.is_ok());
            assert_eq!(is_token_list(&s), walk, "{text:?}");
        }
    }
}
