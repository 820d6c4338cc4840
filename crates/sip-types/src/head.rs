//! The header section: where it ends, which bytes it may hold, and its lines (folded lines
//! joined). Everything here runs over every header byte of every message, so it is written to
//! touch each byte few times.

use std::ops::Range;

use memchr::memchr;

use crate::error::{ParseError, ParseErrorKind as K};
use crate::header_name::HeaderName;
use crate::limits::Limits;
use crate::name_prefix::known_name_prefix;
use crate::scan::{is_token, is_ws};

/// How many line ends [`head_end`] remembers for [`Lines`]; a longer header section is split
/// further with memchr.
const REMEMBERED_LINES: usize = 48;

/// Where the header section ends and the body starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section {
    /// End of the header section: just after the line end of its last line.
    pub head: usize,
    /// Start of the body: just after the empty line.
    pub body: usize,
    /// How many lines of the header section end in CRLF (the others end in a bare LF).
    pub crlf_lines: usize,
    /// Offsets of the first LFs of the header section, found on the way.
    line_ends: [u32; REMEMBERED_LINES],
    /// How many of `line_ends` are filled.
    remembered: usize,
}

/// Finds the empty line that ends the header section. Lines end in CRLF; a bare LF is accepted
/// too (RFC 3261 7.5 asks for robust framing, and HTTP/1.1 19.3, whose syntax SIP borrows,
/// recommends reading a lone LF as a line end). A bare CR is rejected by `check_head`.
pub(crate) fn head_end(input: &[u8], limits: &Limits) -> Result<Section, ParseError> {
    let window = &input[..input.len().min(limits.max_header_bytes + 4)];
    let mut s = Section {
        head: 0,
        body: 0,
        crlf_lines: 0,
        line_ends: [0; REMEMBERED_LINES],
        remembered: 0,
    };
    for lf in memchr::memchr_iter(b'\n', window) {
        let at = |n: usize| window.get(n).copied();
        s.crlf_lines += usize::from(lf > 0 && at(lf - 1) == Some(b'\r'));
        if let Some(slot) = s.line_ends.get_mut(s.remembered) {
            // Local invariant: the window is far below u32::MAX bytes (Limits).
            *slot = lf as u32;
            s.remembered += 1;
        }
        let empty_line = match (at(lf + 1), at(lf + 2)) {
            (Some(b'\n'), _) => 1,
            (Some(b'\r'), Some(b'\n')) => 2,
            _ => continue,
        };
        (s.head, s.body) = (lf + 1, lf + 1 + empty_line);
        return Ok(s);
    }
    if input.len() > limits.max_header_bytes {
        Err(ParseError::new(K::MessageTooLarge { limit: limits.max_header_bytes }))
    } else {
        Err(ParseError::new(K::UnterminatedHeaders))
    }
}

/// Checks the bytes of the header section found by [`head_end`]: UTF-8, no CR but those of
/// its CRLF line ends, no control characters outside quoted-pairs.
pub(crate) fn check_head<'a>(head: &'a [u8], section: &Section) -> Result<&'a str, ParseError> {
    let text = std::str::from_utf8(head).map_err(|e| {
        let line = line_of(head, e.valid_up_to());
        ParseError::at(K::NonUtf8, line, e.valid_up_to())
    })?;
    let bytes = ByteCounts::of(head);
    if bytes.cr != section.crlf_lines {
        let bare = memchr::memchr_iter(b'\r', head).find(|&i| head.get(i + 1) != Some(&b'\n'));
        let at = bare.unwrap_or_default();
        return Err(ParseError::at(K::BareLineEnding, line_of(head, at), at));
    }
    if bytes.control {
        check_controls(head)?;
    }
    Ok(text)
}

fn is_control(b: u8) -> bool {
    control_bit(b) != 0
}

/// 1 for a control character other than HTAB, CR and LF, else 0. Comparisons combined with
/// `&`/`|` instead of `&&`/`||` so that a fold over it compiles to SIMD compares.
fn control_bit(b: u8) -> u8 {
    let low = u8::from(b < 0x20);
    let allowed = u8::from(b == b'\t') | u8::from(b == b'\r') | u8::from(b == b'\n');
    (low & !allowed) | u8::from(b == 0x7f)
}

/// What one pass over the header section counts.
struct ByteCounts {
    /// Whether a control character other than HTAB, CR and LF occurs.
    control: bool,
    /// Number of CRs.
    cr: usize,
}

impl ByteCounts {
    /// Folds fixed-size chunks without branches so the compiler vectorises it: this runs over
    /// every header byte of every message.
    fn of(head: &[u8]) -> ByteCounts {
        let (mut control, mut cr) = (0u8, 0usize);
        let mut chunks = head.chunks_exact(32);
        for chunk in chunks.by_ref() {
            let (c, r) = chunk
                .iter()
                .fold((0u8, 0u8), |(c, r), &b| (c | control_bit(b), r + u8::from(b == b'\r')));
            control |= c;
            cr += usize::from(r);
        }
        for &b in chunks.remainder() {
            control |= control_bit(b);
            cr += usize::from(b == b'\r');
        }
        ByteCounts { control: control != 0, cr }
    }
}

/// Control characters are allowed only as quoted-pairs (`\` followed by the byte, RFC 3261 25.1).
fn check_controls(head: &[u8]) -> Result<(), ParseError> {
    let mut escaped = false;
    for (i, &b) in head.iter().enumerate() {
        if is_control(b) && !escaped {
            return Err(ParseError::at(K::ControlCharacter(b), line_of(head, i), i));
        }
        escaped = b == b'\\' && !escaped;
    }
    Ok(())
}

fn line_of(head: &[u8], at: usize) -> u32 {
    let upto = head.get(..at).unwrap_or(head);
    1 + memchr::memchr_iter(b'\n', upto).count() as u32
}

/// Splits `name: value` (white space allowed before the colon); returns the name and where the
/// trimmed value sits in `raw`. Index loops rather than iterator adaptors: this runs once per
/// header line, and the adaptor chain (take_while, count, rev) cost twice the instructions.
#[inline(always)]
pub(crate) fn split_header(raw: &str) -> Option<(HeaderName, Range<usize>)> {
    let b = raw.as_bytes();
    let skip = |mut i: usize, class: fn(u8) -> bool| {
        while b.get(i).is_some_and(|&c| class(c)) {
            i += 1;
        }
        i
    };
    let (name, name_len) = match known_name_prefix(b) {
        Some(known) => known,
        None => {
            let len = skip(0, is_token);
            (HeaderName::parse(raw.get(..len)?), len)
        }
    };
    let colon = skip(name_len, is_ws);
    if name_len == 0 || b.get(colon) != Some(&b':') {
        return None;
    }
    let start = skip(colon + 1, is_lws);
    let mut end = b.len();
    while end > start && b.get(end - 1).copied().is_some_and(is_lws) {
        end -= 1;
    }
    Some((name, start..end))
}

/// White space of a folded value: SP, HTAB and the line ends kept inside it.
fn is_lws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// One logical header line.
pub(crate) struct HeaderLine<'a> {
    /// 1-based line number of its first physical line.
    pub line_no: u32,
    /// Offset of its first byte in the header section.
    pub offset: usize,
    /// The text, folded lines joined with their line ends kept inside, the final one dropped.
    pub text: &'a str,
    /// Whether continuation lines were joined.
    pub folded: bool,
}

/// Line iterator over the header section, joining folded continuation lines.
pub(crate) struct Lines<'a> {
    head: &'a str,
    /// The line ends [`head_end`] found, used before searching again.
    known_ends: &'a [u32],
    pos: usize,
    line_no: u32,
}

impl<'a> Lines<'a> {
    pub fn new(head: &'a str, section: &'a Section) -> Self {
        let known_ends = section.line_ends.get(..section.remembered).unwrap_or_default();
        Lines { head, known_ends, pos: 0, line_no: 0 }
    }

    /// The next physical line without its line end (CRLF or LF), and its offset.
    #[inline(always)]
    pub fn next_line(&mut self) -> Option<(&'a str, usize)> {
        let rest = self.head.get(self.pos..)?;
        let nl = match self.known_ends.split_first() {
            Some((&lf, others)) => {
                self.known_ends = others;
                (lf as usize).checked_sub(self.pos)?
            }
            None => memchr(b'\n', rest.as_bytes())?,
        };
        let start = self.pos;
        self.pos += nl + 1;
        self.line_no += 1;
        let end = if nl > 0 && rest.as_bytes().get(nl - 1) == Some(&b'\r') { nl - 1 } else { nl };
        Some((rest.get(..end)?, start))
    }

    /// The next logical header line.
    #[inline(always)]
    pub fn next_header(&mut self) -> Result<Option<HeaderLine<'a>>, ParseError> {
        let Some((first, offset)) = self.next_line() else {
            return Ok(None);
        };
        let line_no = self.line_no;
        if self.head.as_bytes().get(offset).copied().is_some_and(is_ws) {
            return Err(ParseError::at(K::BadHeaderLine, line_no, offset));
        }
        let mut end = offset + first.len();
        let mut folded = false;
        while self.head.as_bytes().get(self.pos).copied().is_some_and(is_ws) {
            if let Some((cont, at)) = self.next_line() {
                end = at + cont.len();
                folded = true;
            }
        }
        let text = self.head.get(offset..end).unwrap_or_default();
        Ok(Some(HeaderLine { line_no, offset, text, folded }))
    }
}
