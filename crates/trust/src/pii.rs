//! A wrapper that keeps personal data (numbers, URIs, names) out of logs.

use std::fmt;

/// Personal data: `Debug` and `Display` print a redaction marker, never the value.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pii<T>(pub T);

impl<T> Pii<T> {
    /// The wrapped value, for code that must act on it (never for logging).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::Pii;

    #[test]
    fn debug_and_display_never_show_the_number() {
        let p = Pii("+12155550101".to_owned());
        assert_eq!(format!("{p:?} {p}"), "<redacted> <redacted>");
        assert_eq!(p.expose(), "+12155550101");
    }
}
