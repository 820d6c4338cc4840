//! Parsing `WWW-Authenticate` / `Proxy-Authenticate` digest challenges.

/// Why a challenge could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The scheme is not `Digest`.
    #[error("authentication scheme is not Digest")]
    NotDigest,
    /// A required parameter (`realm`, `nonce`) is missing.
    #[error("digest challenge lacks the {0} parameter")]
    MissingParam(&'static str),
    /// A quoted string is not terminated or a parameter is malformed.
    #[error("digest challenge is malformed near byte {0}")]
    Malformed(usize),
    /// The algorithm is not one we implement.
    #[error("digest algorithm is not supported")]
    UnsupportedAlgorithm,
    /// `qop` is offered but without `auth`.
    #[error("digest challenge offers no qop we support")]
    UnsupportedQop,
    /// The server rejected our credentials again without `stale=true`.
    #[error("credentials were rejected")]
    Rejected,
    /// No credentials are configured for this realm.
    #[error("no credentials for the challenge")]
    NoCredentials,
}

/// A digest hash algorithm, ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// MD5 (RFC 2617).
    Md5,
    /// SHA-256 (RFC 7616, RFC 8760).
    Sha256,
    /// SHA-512/256 (RFC 7616, RFC 8760): SHA-512 with its own IV, truncated to 256 bits.
    Sha512_256,
}

impl Algorithm {
    /// Parses the `algorithm` parameter value (case-insensitive). `-sess` variants are not
    /// supported.
    pub fn parse(token: &str) -> Option<Self> {
        match token.to_ascii_uppercase().as_str() {
            "MD5" => Some(Self::Md5),
            "SHA-256" => Some(Self::Sha256),
            "SHA-512-256" => Some(Self::Sha512_256),
            _ => None,
        }
    }

    /// The token as it appears in an `Authorization` header.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha256 => "SHA-256",
            Self::Sha512_256 => "SHA-512-256",
        }
    }
}

/// A parsed digest challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Protection space.
    pub realm: String,
    /// Server nonce.
    pub nonce: String,
    /// Opaque value echoed back unchanged.
    pub opaque: Option<String>,
    /// Hash algorithm.
    pub algorithm: Algorithm,
    /// Whether `qop=auth` was offered (otherwise the RFC 2069 compatible form is used).
    pub qop_auth: bool,
    /// `stale=true`: the nonce expired but the credentials were good.
    pub stale: bool,
}

impl Challenge {
    /// Parses one challenge header value such as `Digest realm="a", nonce="b", qop="auth"`.
    pub fn parse(value: &str) -> Result<Self, AuthError> {
        let value = value.trim_start();
        let (scheme, rest) = value.split_once(char::is_whitespace).unwrap_or((value, ""));
        if !scheme.eq_ignore_ascii_case("Digest") {
            return Err(AuthError::NotDigest);
        }
        let offset = value.len() - rest.len();
        let params = parse_params(rest, offset)?;
        let find = |name: &str| {
            params.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
        };
        let algorithm = match find("algorithm") {
            Some(a) => Algorithm::parse(&a).ok_or(AuthError::UnsupportedAlgorithm)?,
            None => Algorithm::Md5,
        };
        let qop_auth = match find("qop") {
            Some(q) => q.split(',').any(|t| t.trim().eq_ignore_ascii_case("auth")),
            None => false,
        };
        if find("qop").is_some() && !qop_auth {
            return Err(AuthError::UnsupportedQop);
        }
        Ok(Self {
            realm: find("realm").ok_or(AuthError::MissingParam("realm"))?,
            nonce: find("nonce").ok_or(AuthError::MissingParam("nonce"))?,
            opaque: find("opaque"),
            algorithm,
            qop_auth,
            stale: find("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
        })
    }

    /// From several challenges (one per header value), the usable one with the strongest
    /// algorithm (RFC 8760 §2.4).
    pub fn strongest<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<Self, AuthError> {
        let mut best: Option<Challenge> = None;
        let mut last_err = AuthError::MissingParam("WWW-Authenticate");
        for value in values {
            match Self::parse(value) {
                Ok(c) if best.as_ref().is_none_or(|b| c.algorithm > b.algorithm) => best = Some(c),
                Ok(_) => {}
                Err(e) => last_err = e,
            }
        }
        best.ok_or(last_err)
    }
}

/// Parses `name=value` or `name="quoted"` pairs separated by commas.
fn parse_params(input: &str, base: usize) -> Result<Vec<(String, String)>, AuthError> {
    let bytes = input.as_bytes();
    let mut params = Vec::new();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i] == b',' || bytes[i].is_ascii_whitespace()) {
            i += 1;
        }
        if i >= bytes.len() {
            return Ok(params);
        }
        let name_start = i;
        while i < bytes.len() && bytes[i] != b'=' && bytes[i] != b',' {
            i += 1;
        }
        let name = input[name_start..i].trim().to_owned();
        if i >= bytes.len() || bytes[i] != b'=' {
            params.push((name, String::new()));
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value, next) = parse_value(input, i).ok_or(AuthError::Malformed(base + i))?;
        params.push((name, value));
        i = next;
    }
}

/// Reads a token or a quoted string starting at `i`; returns the value and the next index.
fn parse_value(input: &str, mut i: usize) -> Option<(String, usize)> {
    let bytes = input.as_bytes();
    if bytes.get(i) != Some(&b'"') {
        let start = i;
        while i < bytes.len() && bytes[i] != b',' {
            i += 1;
        }
        return Some((input[start..i].trim().to_owned(), i));
    }
    let mut out = String::new();
    let mut chars = input[i + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1 + k + 1)),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_params_and_defaults_to_md5() {
        let c = Challenge::parse(
            r#"Digest realm="atlanta.com", nonce="84a4cc6f3082121f32b42a2187831a9e", qop="auth,auth-int", opaque="x\"y", stale=TRUE"#,
        )
        .expect("valid challenge");
        assert_eq!(c.realm, "atlanta.com");
        assert_eq!(c.algorithm, Algorithm::Md5);
        assert!(c.qop_auth && c.stale);
        assert_eq!(c.opaque.as_deref(), Some("x\"y"));
    }

    #[test]
    fn picks_strongest_supported_algorithm() {
        let c = Challenge::strongest([
            r#"Digest realm="r", nonce="n1", algorithm=MD5"#,
            r#"Digest realm="r", nonce="n3", algorithm=SHA-512-256"#,
            r#"Digest realm="r", nonce="n4", algorithm=FOO-9"#,
            r#"Digest realm="r", nonce="n2", algorithm=SHA-256"#,
        ])
        .expect("one usable");
        assert_eq!((c.algorithm, c.nonce.as_str()), (Algorithm::Sha512_256, "n3"));
    }

    #[test]
    fn rejects_broken_challenges() {
        assert_eq!(Challenge::parse("Basic realm=\"x\""), Err(AuthError::NotDigest));
        assert_eq!(Challenge::parse("Digest nonce=\"x\""), Err(AuthError::MissingParam("realm")));
        assert!(matches!(Challenge::parse("Digest realm=\"x"), Err(AuthError::Malformed(_))));
        assert_eq!(
            Challenge::parse("Digest realm=x, nonce=y, qop=auth-int"),
            Err(AuthError::UnsupportedQop)
        );
    }
}
