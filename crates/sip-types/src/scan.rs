//! Lexical building blocks of RFC 3261 section 25: a byte cursor over an unfolded value.
//!
//! Header values reach these functions already unfolded (line folding removed, so linear white
//! space is only SP and HTAB).

use crate::error::ValueError;

/// Character classes of RFC 3261 section 25, one bit each, looked up per byte (the parser tests
/// every byte of every validated value, so a table beats chains of comparisons).
pub(crate) const TOKEN: u8 = 1;
pub(crate) const WORD: u8 = 1 << 1;
pub(crate) const UNRESERVED: u8 = 1 << 2;
pub(crate) const USER: u8 = 1 << 3;
pub(crate) const PASSWORD: u8 = 1 << 4;
pub(crate) const URI_PARAM: u8 = 1 << 5;
pub(crate) const URI_HEADER: u8 = 1 << 6;
/// Bytes that matter when splitting a comma-separated list: `,` `"` `<` `>` `\`.
const LIST_SPECIAL: u8 = 1 << 7;

static CLASSES: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let alnum = c.is_ascii_alphanumeric();
        let mut bits = 0;
        if alnum || contains(b"-.!%*_+`'~", c) {
            bits |= TOKEN | WORD;
        }
        if contains(b"()<>:\\\"/[]?{}", c) {
            bits |= WORD;
        }
        if alnum || contains(b"-_.!~*'()", c) {
            bits |= UNRESERVED | USER | PASSWORD | URI_PARAM | URI_HEADER;
        }
        if contains(b"&=+$,;?/", c) {
            bits |= USER;
        }
        if contains(b"&=+$,", c) {
            bits |= PASSWORD;
        }
        if contains(b"[]/:&+$", c) {
            bits |= URI_PARAM;
        }
        if contains(b"[]/?:+$", c) {
            bits |= URI_HEADER;
        }
        if contains(b",\"<>\\", c) {
            bits |= LIST_SPECIAL;
        }
        t[b] = bits;
        b += 1;
    }
    t
}

const fn contains(set: &[u8], c: u8) -> bool {
    let mut i = 0;
    while i < set.len() {
        if set[i] == c {
            return true;
        }
        i += 1;
    }
    false
}

/// Letters and digits, looked up rather than range-compared: host labels are scanned a byte
/// at a time and the two range checks cost twice the instructions of one load.
static ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// ASCII letters and digits.
pub(crate) fn is_alnum(b: u8) -> bool {
    ALNUM[usize::from(b)]
}

/// How many bytes from `at` on satisfy `class` (0 when `at` is past the end).
pub(crate) fn run_len(b: &[u8], at: usize, class: impl Fn(u8) -> bool) -> usize {
    let rest = b.get(at..).unwrap_or_default();
    rest.iter().position(|&c| !class(c)).unwrap_or(rest.len())
}

/// Whether byte `b` belongs to every class in `class`.
pub(crate) fn is(class: u8, b: u8) -> bool {
    CLASSES[usize::from(b)] & class == class
}

/// `token` characters (RFC 3261 25.1).
pub(crate) fn is_token(b: u8) -> bool {
    is(TOKEN, b)
}

/// `word` characters (Call-ID): token plus a few separators.
pub(crate) fn is_word(b: u8) -> bool {
    is(WORD, b)
}

pub(crate) fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The position of the first byte `b` in `s`. Header values are short, so a plain loop beats
/// both `str::find` (a UTF-8 aware searcher) and a SIMD memchr call.
pub(crate) fn find_byte(s: &str, b: u8) -> Option<usize> {
    s.as_bytes().iter().position(|&c| c == b)
}

/// A half-open byte range into the text a typed value was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        // Local invariant: inputs are bounded by Limits far below u32::MAX.
        Span { start: start as u32, end: end as u32 }
    }

    pub fn of(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize).unwrap_or_default()
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn shift(self, by: usize) -> Span {
        Span::new(self.start as usize + by, self.end as usize + by)
    }
}

/// A cursor over a value.
pub(crate) struct Cursor<'a> {
    pub s: &'a str,
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(s: &'a str) -> Self {
        Cursor { s, pos: 0 }
    }

    pub fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    pub fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, b: u8) -> Result<(), ValueError> {
        if self.eat(b) { Ok(()) } else { Err(self.unexpected_or(ValueError::Expected(b as char))) }
    }

    /// `Unexpected(c)` naming the current character, or `fallback` at the end.
    pub fn unexpected_or(&self, fallback: ValueError) -> ValueError {
        match self.s.get(self.pos..).and_then(|r| r.chars().next()) {
            Some(c) => ValueError::Unexpected(c),
            None => fallback,
        }
    }

    /// Skips SP / HTAB; returns whether any were skipped.
    #[inline(always)]
    pub fn ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// Skips white space, then eats `b` and following white space (RFC 3261 SEMI, COMMA, EQUAL...).
    #[inline(always)]
    pub fn sep(&mut self, b: u8) -> bool {
        let save = self.pos;
        self.ws();
        if self.eat(b) {
            self.ws();
            true
        } else {
            self.pos = save;
            false
        }
    }

    #[inline(always)]
    pub fn take_while(&mut self, f: impl Fn(u8) -> bool) -> Span {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        Span::new(start, self.pos)
    }

    #[inline(always)]
    pub fn token(&mut self) -> Result<Span, ValueError> {
        let t = self.take_while(is_token);
        if t.is_empty() { Err(self.unexpected_or(ValueError::ExpectedToken)) } else { Ok(t) }
    }

    /// A quoted string starting at the cursor; the span includes both quotes.
    pub fn quoted(&mut self) -> Result<Span, ValueError> {
        let start = self.pos;
        self.expect(b'"')?;
        let bytes = self.s.as_bytes();
        loop {
            match bytes.get(self.pos) {
                None => return Err(ValueError::UnterminatedQuote),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Span::new(start, self.pos));
                }
                Some(b'\\') => {
                    // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                    match bytes.get(self.pos + 1) {
                        Some(&c) if c < 0x80 && c != b'\r' && c != b'\n' => self.pos += 2,
                        _ => return Err(ValueError::UnterminatedQuote),
                    }
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    pub fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or_default()
    }

    /// Fails unless only white space remains.
    pub fn finish(&mut self) -> Result<(), ValueError> {
        self.ws();
        if self.at_end() { Ok(()) } else { Err(self.unexpected_or(ValueError::Empty)) }
    }
}

/// Parses a decimal number (leading zeros allowed) no larger than `max`. One pass: a byte that
/// is not a digit is `BadNumber` wherever it sits, even after digits that already overflow.
pub(crate) fn parse_decimal(digits: &str, max: u64) -> Result<u64, ValueError> {
    if digits.is_empty() {
        return Err(ValueError::BadNumber);
    }
    let (mut n, mut overflow) = (0u64, false);
    for b in digits.bytes() {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return Err(ValueError::BadNumber);
        }
        let (times_ten, o1) = n.overflowing_mul(10);
        let (sum, o2) = times_ten.overflowing_add(u64::from(digit));
        overflow |= o1 | o2;
        n = sum;
    }
    if overflow || n > max {
        return Err(ValueError::NumberOutOfRange);
    }
    Ok(n)
}

/// Trims SP and HTAB at both ends; returns the number of bytes trimmed at the start too.
pub(crate) fn trim_ws(s: &str) -> (usize, &str) {
    let b = s.as_bytes();
    let lead = b.iter().take_while(|&&c| is_ws(c)).count();
    let end = b.len() - b.iter().rev().take_while(|&&c| is_ws(c)).count();
    (lead, s.get(lead..end.max(lead)).unwrap_or_default())
}

/// Splits a comma-separated header value into elements, honouring quoted strings and `<...>`.
/// Elements are trimmed; an empty element is reported as an error.
pub(crate) fn split_list(s: &str) -> impl Iterator<Item = Result<(usize, &str), ValueError>> {
    let mut pos = 0;
    let mut done = false;
    // Most values (a Via, a Contact) are one element: a SIMD search for a comma settles that
    // without walking every byte for quotes and brackets.
    let single = memchr::memchr(b',', s.as_bytes()).is_none();
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = pos;
        let end = if single { s.len() } else { element_end(s.as_bytes(), start) };
        done = end >= s.len();
        pos = end + 1;
        let (lead, elem) = trim_ws(s.get(start..end).unwrap_or_default());
        if elem.is_empty() {
            return Some(Err(ValueError::EmptyElement));
        }
        Some(Ok((start + lead, elem)))
    })
}

/// The position of the comma that ends the list element starting at `pos` (or the end).
fn element_end(bytes: &[u8], mut pos: usize) -> usize {
    let (mut quoted, mut angle) = (false, false);
    while let Some(&b) = bytes.get(pos) {
        if is(LIST_SPECIAL, b) {
            match b {
                b'\\' if quoted => pos += 1,
                b'"' if !angle => quoted = !quoted,
                b'<' if !quoted => angle = true,
                b'>' if !quoted => angle = false,
                b',' if !quoted && !angle => return pos,
                _ => {}
            }
        }
        pos += 1;
    }
    bytes.len()
}

/// Removes the quotes and resolves quoted-pairs of a quoted string (with quotes).
pub(crate) fn unquote(q: &str) -> String {
    let inner = q.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or(q);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_digit_is_named_before_an_overflow() {
        assert_eq!(parse_decimal("007", 255), Ok(7));
        assert_eq!(parse_decimal("", 255), Err(ValueError::BadNumber));
        assert_eq!(parse_decimal("12a", 255), Err(ValueError::BadNumber));
        assert_eq!(parse_decimal("256", 255), Err(ValueError::NumberOutOfRange));
        let huge = "9".repeat(30);
        assert_eq!(parse_decimal(&huge, u64::MAX), Err(ValueError::NumberOutOfRange));
        assert_eq!(parse_decimal(&format!("{huge}x"), u64::MAX), Err(ValueError::BadNumber));
        assert_eq!(parse_decimal("18446744073709551615", u64::MAX), Ok(u64::MAX));
        assert_eq!(
            parse_decimal("18446744073709551616", u64::MAX),
            Err(ValueError::NumberOutOfRange)
        );
    }
}
