//! The raw SQLCipher key: 256 random bits, zeroized when dropped.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The database key: 32 bytes handed to SQLCipher as a raw key (no passphrase KDF: the key is
/// already uniformly random, so the PBKDF2 rounds would only slow down unlock).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DbKey([u8; 32]);

impl DbKey {
    /// Length of the key in bytes.
    pub const LEN: usize = 32;

    /// Wraps key bytes (for example fetched from the OS keyring).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Parses a key from a byte slice of exactly [`DbKey::LEN`] bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(array))
    }

    /// The key bytes, for handing to the keyring. Callers must not log or persist them.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// The `PRAGMA key` argument: a blob literal `x'…'` that selects SQLCipher's raw-key mode.
    pub(crate) fn pragma_literal(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(2 + 64 + 1));
        out.push_str("x'");
        for byte in self.0 {
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
        out.push('\'');
        out
    }
}

fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).expect("a nibble is below 16")
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_literal_is_a_blob_of_64_hex_digits() {
        let key = DbKey::from_bytes([0xab; 32]);
        let literal = key.pragma_literal();
        assert_eq!(literal.len(), 67);
        assert!(literal.starts_with("x'abab"));
        assert_eq!(format!("{key:?}"), "DbKey(<redacted>)");
    }

    #[test]
    fn from_slice_rejects_wrong_lengths() {
        assert!(DbKey::from_slice(&[0; 31]).is_none());
        assert!(DbKey::from_slice(&[0; 32]).is_some());
    }
}
