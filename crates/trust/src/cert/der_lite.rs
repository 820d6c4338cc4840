//! Minimal DER walking for the two RFC 8226 extensions no maintained crate decodes
//! (TNAuthList and JWTClaimConstraints). Built on the `der` crate's TLV reader; only the
//! structure walking is ours.

use der::asn1::AnyRef;
use der::{Decode, Reader, SliceReader, Tag, Tagged};

/// One TLV: its tag and content bytes.
pub(super) struct Tlv<'a> {
    pub tag: Tag,
    pub value: &'a [u8],
}

/// Decodes exactly one TLV filling `bytes`.
pub(super) fn one(bytes: &[u8]) -> Option<Tlv<'_>> {
    let any = AnyRef::from_der(bytes).ok()?;
    Some(Tlv { tag: any.tag(), value: any.value() })
}

/// Decodes the TLVs that fill `bytes` back to back (the content of a SEQUENCE).
pub(super) fn items(bytes: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut reader = SliceReader::new(bytes).ok()?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        let any = AnyRef::decode(&mut reader).ok()?;
        out.push(Tlv { tag: any.tag(), value: any.value() });
        if out.len() > 4096 {
            return None;
        }
    }
    Some(out)
}

/// The context-specific tag number of an explicit `[n]`, if this is one.
pub(super) fn context_number(tag: Tag) -> Option<u8> {
    match tag {
        Tag::ContextSpecific { number, constructed: true } => Some(number.value()),
        _ => None,
    }
}

/// A SEQUENCE's content bytes.
pub(super) fn sequence<'a>(tlv: &Tlv<'a>) -> Option<&'a [u8]> {
    (tlv.tag == Tag::Sequence).then_some(tlv.value)
}

/// An IA5String or UTF8String as text.
pub(super) fn text<'a>(tlv: &Tlv<'a>) -> Option<&'a str> {
    matches!(tlv.tag, Tag::Ia5String | Tag::Utf8String)
        .then(|| std::str::from_utf8(tlv.value).ok())
        .flatten()
}

/// A non-negative INTEGER that fits a u64.
pub(super) fn uint(tlv: &Tlv<'_>) -> Option<u64> {
    if tlv.tag != Tag::Integer || tlv.value.is_empty() || tlv.value[0] & 0x80 != 0 {
        return None;
    }
    let v = tlv.value.strip_prefix(&[0]).unwrap_or(tlv.value);
    if v.len() > 8 {
        return None;
    }
    Some(v.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}
