//! TNAuthList (RFC 8226 §9, OID 1.3.6.1.5.5.7.1.26): which numbers or service provider codes a
//! STI certificate may sign for. Decoded by hand over `der` TLVs because no maintained crate
//! knows this extension.
//!
//! ```text
//! TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry
//! TNEntry ::= CHOICE { spc [0] ServiceProviderCode, range [1] TelephoneNumberRange, one [2] TelephoneNumber }
//! TelephoneNumberRange ::= SEQUENCE { start TelephoneNumber, count INTEGER (2..MAX) }
//! ```
//! (EXPLICIT tags, as in the RFC's module and as openssl's `DER:30:08:a0:06:16:04:...` writes.)

use super::CertError;
use super::der_lite::{context_number, items, one, sequence, text, uint};
use crate::e164::E164;

/// One entry of a TNAuthList.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TnEntry {
    /// A service provider code: the certificate speaks for that provider's numbers.
    Spc(String),
    /// `count` consecutive numbers from `start` (same digit count).
    Range {
        /// The first number, digits only.
        start: String,
        /// How many numbers.
        count: u64,
    },
    /// A single number, digits only.
    One(String),
}

/// A decoded TNAuthList.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TnAuthList(pub Vec<TnEntry>);

impl TnAuthList {
    /// Decodes the extension value (the DER inside the OCTET STRING).
    pub fn decode(der: &[u8]) -> Result<Self, CertError> {
        let bad = || CertError::TnAuthListMalformed;
        let outer = one(der).ok_or_else(bad)?;
        let entries = items(sequence(&outer).ok_or_else(bad)?).ok_or_else(bad)?;
        if entries.is_empty() {
            return Err(bad());
        }
        let list = entries
            .iter()
            .map(|e| entry(e.tag, e.value).ok_or_else(bad))
            .collect::<Result<_, _>>()?;
        Ok(TnAuthList(list))
    }

    /// True when the list covers `tn` by a single number or a range, or names any SPC
    /// (an SPC certificate vouches for the provider's numbers, which the device cannot list).
    pub fn covers(&self, tn: E164) -> bool {
        let digits = tn.digits();
        self.0.iter().any(|e| match e {
            TnEntry::Spc(_) => true,
            TnEntry::One(n) => *n == digits,
            TnEntry::Range { start, count } => in_range(&digits, start, *count),
        })
    }
}

fn entry(tag: der::Tag, value: &[u8]) -> Option<TnEntry> {
    let inner = one(value)?;
    match context_number(tag)? {
        0 => Some(TnEntry::Spc(text(&inner)?.to_owned())),
        1 => {
            let parts = items(sequence(&inner)?)?;
            let [start, count] = parts.as_slice() else { return None };
            let start = tn_text(text(start)?)?;
            Some(TnEntry::Range { start, count: uint(count)? })
        }
        2 => Some(TnEntry::One(tn_text(text(&inner)?)?)),
        _ => None,
    }
}

fn tn_text(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 15
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'#' || b == b'*');
    ok.then(|| s.to_owned())
}

fn in_range(digits: &str, start: &str, count: u64) -> bool {
    if digits.len() != start.len() {
        return false;
    }
    match (digits.parse::<u64>(), start.parse::<u64>()) {
        (Ok(n), Ok(s)) => n >= s && n - s < count,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spc_from_the_kamailio_recipe_decodes() {
        let der = [0x30, 0x08, 0xa0, 0x06, 0x16, 0x04, b'1', b'2', b'3', b'4'];
        assert_eq!(
            TnAuthList::decode(&der).unwrap(),
            TnAuthList(vec![TnEntry::Spc("1234".into())])
        );
    }

    #[test]
    fn ranges_and_single_numbers_cover_only_their_numbers() {
        // SEQUENCE { [1] SEQUENCE { IA5 "12155550100", INTEGER 10 }, [2] IA5 "12155550999" }
        let mut der = vec![0x30, 0x23, 0xa1, 0x12, 0x30, 0x10, 0x16, 0x0b];
        der.extend_from_slice(b"12155550100");
        der.extend_from_slice(&[0x02, 0x01, 0x0a, 0xa2, 0x0d, 0x16, 0x0b]);
        der.extend_from_slice(b"12155550999");
        let list = TnAuthList::decode(&der).unwrap();
        let n = |s| E164::from_digits(s).unwrap();
        assert!(list.covers(n("12155550101")));
        assert!(list.covers(n("12155550999")));
        assert!(!list.covers(n("12155550110")));
        assert!(TnAuthList::decode(&[0x30, 0x00]).is_err());
        assert!(TnAuthList::decode(&[0x30, 0x03, 0xa5, 0x01, 0x00]).is_err());
    }
}
