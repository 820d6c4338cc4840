//! Identifier newtypes: never bare strings.

use std::fmt;

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value taken from (or destined for) the wire.
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }

            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_newtype!(
    /// A Call-ID value (compared byte for byte, RFC 3261 20.8).
    CallId
);
id_newtype!(
    /// A Via `branch` parameter: the transaction identifier.
    Branch
);
id_newtype!(
    /// A From/To `tag` parameter: half of a dialog identifier.
    Tag
);

impl Branch {
    /// The RFC 3261 magic cookie that marks branches built per RFC 3261.
    pub const MAGIC_COOKIE: &'static str = "z9hG4bK";

    /// Whether the branch starts with the magic cookie `z9hG4bK`.
    pub fn is_rfc3261(&self) -> bool {
        self.0.starts_with(Self::MAGIC_COOKIE)
    }
}
