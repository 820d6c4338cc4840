//! WWW-/Proxy-Authenticate challenges and (Proxy-)Authorization credentials (RFC 3261 25.1,
//! RFC 7616/8760 digest parameters).

use std::fmt;

use crate::error::ValueError;
use crate::scan::{Cursor, unquote};

/// A challenge or credentials: an auth scheme and its `name=value` parameters (values unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    /// The scheme (`Digest`).
    pub scheme: String,
    /// The parameters in order, names as written, values unquoted.
    pub params: Vec<(String, String)>,
}

/// Parameters printed as tokens rather than quoted strings (RFC 3261 25.1, RFC 7616).
const UNQUOTED: [&str; 4] = ["algorithm", "stale", "nc", "qop"];

impl AuthHeader {
    /// Parses `scheme LWS name=value *(COMMA name=value)`.
    pub fn parse(s: &str) -> Result<AuthHeader, ValueError> {
        let mut c = Cursor::new(s);
        c.ws();
        let scheme = c.token()?.of(s).to_owned();
        let mut params = Vec::new();
        if c.ws() && !c.at_end() {
            loop {
                let name = c.token()?.of(s).to_owned();
                if !c.sep(b'=') {
                    return Err(c.unexpected_or(ValueError::Expected('=')));
                }
                let value = if c.peek() == Some(b'"') {
                    unquote(c.quoted()?.of(s))
                } else {
                    c.token()?.of(s).to_owned()
                };
                params.push((name, value));
                if !c.sep(b',') {
                    break;
                }
            }
        }
        c.finish()?;
        Ok(AuthHeader { scheme, params })
    }

    /// A Digest header with the given parameters (printed quoted except algorithm/stale/nc/qop
    /// in credentials).
    pub fn digest(params: Vec<(String, String)>) -> AuthHeader {
        AuthHeader { scheme: "Digest".to_owned(), params }
    }

    /// The value of parameter `name` (case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `realm`.
    pub fn realm(&self) -> Option<&str> {
        self.param("realm")
    }

    /// `nonce`.
    pub fn nonce(&self) -> Option<&str> {
        self.param("nonce")
    }

    /// `opaque`.
    pub fn opaque(&self) -> Option<&str> {
        self.param("opaque")
    }

    /// `algorithm` (absent means MD5).
    pub fn algorithm(&self) -> Option<&str> {
        self.param("algorithm")
    }

    /// The `qop` options (challenge: a quoted comma list; credentials: one token).
    pub fn qop(&self) -> Vec<&str> {
        self.param("qop")
            .map(|q| q.split(',').map(str::trim).filter(|q| !q.is_empty()).collect())
            .unwrap_or_default()
    }

    /// `stale=true`.
    pub fn stale(&self) -> bool {
        self.param("stale").is_some_and(|s| s.eq_ignore_ascii_case("true"))
    }

    /// `username` (credentials).
    pub fn username(&self) -> Option<&str> {
        self.param("username")
    }

    /// `response` (credentials).
    pub fn response(&self) -> Option<&str> {
        self.param("response")
    }
}

impl fmt::Display for AuthHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.scheme)?;
        for (i, (name, value)) in self.params.iter().enumerate() {
            f.write_str(if i == 0 { " " } else { ", " })?;
            let bare = UNQUOTED.iter().any(|u| u.eq_ignore_ascii_case(name))
                && !value.contains([',', ' ', '"']);
            if bare {
                write!(f, "{name}={value}")?;
            } else {
                write!(f, "{name}=\"")?;
                for ch in value.chars().filter(|c| *c != '\r' && *c != '\n') {
                    if ch == '"' || ch == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{ch}")?;
                }
                f.write_str("\"")?;
            }
        }
        Ok(())
    }
}
