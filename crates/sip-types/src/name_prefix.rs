//! Recognising the common header names at the start of a header line, before any scan.
//!
//! Nearly every received line starts with one of a few names spelled as RFC 3261 spells them.
//! Comparing the line's first bytes with the candidates for its first letter settles both the
//! name and where it ends, where the generic path walks the name byte by byte (a loop whose
//! exit mispredicts on every line, since name lengths vary) and then looks the name up.

use crate::header_name::HeaderName as H;
use crate::scan::is_token;

/// The canonically spelled known name that `line` starts with, and its length; `None` sends
/// the line down the generic path (compact forms, other spellings, extension headers).
#[inline(always)]
pub(crate) fn known_name_prefix(line: &[u8]) -> Option<(H, usize)> {
    // Plain `if let` returns rather than `Option::or_else` chains: the closures were not
    // inlined, and the calls cost more than the comparisons.
    macro_rules! first_hit {
        ($($text:literal => $name:expr),+) => {{
            $(if let Some(found) = hit(line, $text, $name) {
                return Some(found);
            })+
            None
        }};
    }
    match line.first()? {
        b'V' => first_hit!(b"Via" => H::Via),
        b'F' => first_hit!(b"From" => H::From),
        b'T' => first_hit!(b"To" => H::To),
        b'C' => first_hit!(
            b"Call-ID" => H::CallId,
            b"CSeq" => H::CSeq,
            b"Contact" => H::Contact,
            b"Content-Type" => H::ContentType,
            b"Content-Length" => H::ContentLength
        ),
        b'M' => first_hit!(b"Max-Forwards" => H::MaxForwards),
        b'A' => first_hit!(b"Allow" => H::Allow),
        b'S' => first_hit!(b"Supported" => H::Supported, b"Server" => H::Server),
        b'U' => first_hit!(b"User-Agent" => H::UserAgent),
        b'R' => first_hit!(
            b"Route" => H::Route,
            b"Record-Route" => H::RecordRoute,
            b"Require" => H::Require
        ),
        b'E' => first_hit!(b"Expires" => H::Expires),
        _ => None,
    }
}

/// `name` and its length when `line` starts with its canonical spelling followed by a byte
/// that cannot continue a name (so `Toto:` is not `To`).
#[inline(always)]
fn hit(line: &[u8], text: &[u8], name: H) -> Option<(H, usize)> {
    let len = text.len();
    let found = line.starts_with(text) && !line.get(len).copied().is_some_and(is_token);
    found.then_some((name, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_a_name_only_when_the_name_ends_there() {
        assert_eq!(known_name_prefix(b"To: <sip:a@b>"), Some((H::To, 2)));
        assert_eq!(known_name_prefix(b"To :x"), Some((H::To, 2)));
        assert_eq!(known_name_prefix(b"Content-Length: 0"), Some((H::ContentLength, 14)));
        assert_eq!(known_name_prefix(b"Contact"), Some((H::Contact, 7)));
        assert_eq!(known_name_prefix(b"Toto: x"), None);
        assert_eq!(known_name_prefix(b"Content-Lengthy: 0"), None);
        assert_eq!(known_name_prefix(b"via: x"), None);
        assert_eq!(known_name_prefix(b""), None);
    }

    /// Every name the prefix path knows maps to what `HeaderName::parse` makes of it.
    #[test]
    fn the_prefix_path_agrees_with_the_name_lookup() {
        for name in ["Via", "From", "To", "Call-ID", "CSeq", "Contact", "Content-Type"]
            .into_iter()
            .chain(["Content-Length", "Max-Forwards", "Allow", "Supported", "Server"])
            .chain(["User-Agent", "Route", "Record-Route", "Require", "Expires"])
        {
            let line = format!("{name}: x");
            let (h, len) = known_name_prefix(line.as_bytes()).expect(name);
            assert_eq!((h, len), (H::parse(name), name.len()));
        }
    }
}
