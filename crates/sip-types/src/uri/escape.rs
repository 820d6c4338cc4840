//! `%HH` escapes in URIs (RFC 3261 25.1 `escaped`).

use std::borrow::Cow;

use crate::error::ValueError;
use crate::scan;

/// Checks that every `%` in `s` starts a valid `%HH` escape and every other byte satisfies `ok`.
pub(crate) fn check(s: &str, ok: impl Fn(u8) -> bool) -> Result<(), ValueError> {
    check_bytes(s.as_bytes(), ok)
}

/// [`check`] over bytes (a slice of a `str` cut at ASCII delimiters).
pub(crate) fn check_bytes(b: &[u8], ok: impl Fn(u8) -> bool) -> Result<(), ValueError> {
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Err(ValueError::BadEscape);
            }
            i += 3;
        } else if ok(c) {
            i += 1;
        } else {
            return Err(ValueError::BadUriChar(char::from(c)));
        }
    }
    Ok(())
}

/// Resolves `%HH` escapes. Bytes that do not form UTF-8 are replaced (U+FFFD).
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let decoded = (c == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match decoded {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Escapes `s` for use as a URI user part: everything outside `unreserved` and
/// `user-unreserved` becomes `%HH`.
pub fn escape_user(s: &str) -> Cow<'_, str> {
    if s.bytes().all(is_user_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        if is_user_char(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Cow::Owned(out)
}

/// Characters of `user` besides escapes.
pub(crate) fn is_user_char(b: u8) -> bool {
    scan::is(scan::USER, b)
}

/// Characters of `password` besides escapes.
pub(crate) fn is_password_char(b: u8) -> bool {
    scan::is(scan::PASSWORD, b)
}

/// Characters of a URI parameter name or value besides escapes.
pub(crate) fn is_param_char(b: u8) -> bool {
    scan::is(scan::URI_PARAM, b)
}

/// Characters of a URI header name or value besides escapes.
pub(crate) fn is_hnv_char(b: u8) -> bool {
    scan::is(scan::URI_HEADER, b)
}
