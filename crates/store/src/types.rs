//! Small value types shared by the tables: time and personal data that must never reach logs.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A point in time as milliseconds since the Unix epoch (UTC). The store never reads the clock:
/// callers pass the time in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Wraps milliseconds since the Unix epoch.
    pub const fn from_unix_millis(ms: i64) -> Self {
        Self(ms)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// This time minus `days` whole days (saturating).
    pub const fn minus_days(self, days: u32) -> Self {
        Self(self.0.saturating_sub(days as i64 * 86_400_000))
    }
}

macro_rules! pii_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Personal data: `Debug` and `Display` print `<redacted>`; read the value with `expose`.
        #[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps the value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The value itself, for storage, export and display to the user (never for logs).
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }
    };
}

pii_string!(
    /// A phone number or SIP URI user part as presented (E.164 when known).
    PhoneNumber
);
pii_string!(
    /// A person's or company's display name.
    DisplayName
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_redacted_in_debug_and_display() {
        let number = PhoneNumber::new("+14155550100");
        assert_eq!(format!("{number:?}"), "PhoneNumber(<redacted>)");
        assert_eq!(number.to_string(), "<redacted>");
        assert_eq!(number.expose(), "+14155550100");
    }

    #[test]
    fn minus_days_counts_whole_days() {
        let t = Timestamp::from_unix_millis(10 * 86_400_000);
        assert_eq!(t.minus_days(3).unix_millis(), 7 * 86_400_000);
    }
}
