//! Computing digest `Authorization` / `Proxy-Authorization` values with nonce counting.

use md5::Md5;
use sha2::{Digest as _, Sha256, Sha512_256};

use super::challenge::{Algorithm, AuthError, Challenge};

/// A SIP account's digest credentials. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The authentication user name.
    pub username: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").finish_non_exhaustive()
    }
}

/// One challenge we answer, with its nonce count.
#[derive(Debug, Clone)]
struct Answered {
    challenge: Challenge,
    proxy: bool,
    nonce_count: u32,
}

/// The client side of digest authentication for one account: remembers the challenges of each
/// realm, counts nonce uses and decides whether a new challenge means "retry" or "rejected".
#[derive(Debug, Clone)]
pub struct DigestClient {
    credentials: Credentials,
    answered: Vec<Answered>,
}

/// Bound on remembered realms: a hostile server cannot make this grow.
const MAX_REALMS: usize = 4;

impl DigestClient {
    /// A client that answers challenges with `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials, answered: Vec::new() }
    }

    /// Takes the challenge header values of a 401 (`proxy = false`) or 407 (`proxy = true`).
    /// `had_credentials` says whether the challenged request already carried our answer for
    /// this realm: then only `stale=true` allows a retry (RFC 7616 §3.3).
    pub fn on_challenge<'a>(
        &mut self,
        values: impl IntoIterator<Item = &'a str>,
        proxy: bool,
        had_credentials: bool,
    ) -> Result<(), AuthError> {
        let challenge = Challenge::strongest(values)?;
        let known = self
            .answered
            .iter()
            .position(|a| a.challenge.realm == challenge.realm && a.proxy == proxy);
        if had_credentials && known.is_some() && !challenge.stale {
            return Err(AuthError::Rejected);
        }
        let entry = Answered { challenge, proxy, nonce_count: 0 };
        match known {
            Some(i) => self.answered[i] = entry,
            None if self.answered.len() >= MAX_REALMS => self.answered[0] = entry,
            None => self.answered.push(entry),
        }
        Ok(())
    }

    /// Forgets all challenges (after the account changed or a final failure).
    pub fn reset(&mut self) {
        self.answered.clear();
    }

    /// Header name/value pairs answering every remembered challenge for a request with
    /// `method` and request-URI `uri`. Each call uses the next nonce count.
    pub fn authorize(
        &mut self,
        method: &str,
        uri: &str,
        cnonce: &str,
    ) -> Vec<(&'static str, String)> {
        let creds = &self.credentials;
        self.answered
            .iter_mut()
            .map(|a| {
                a.nonce_count = a.nonce_count.wrapping_add(1);
                let name = if a.proxy { "Proxy-Authorization" } else { "Authorization" };
                let value = authorization(&a.challenge, creds, method, uri, cnonce, a.nonce_count);
                (name, value)
            })
            .collect()
    }
}

/// Builds one `Authorization` value (RFC 7616 §3.4).
pub(crate) fn authorization(
    c: &Challenge,
    creds: &Credentials,
    method: &str,
    uri: &str,
    cnonce: &str,
    nonce_count: u32,
) -> String {
    let nc = format!("{nonce_count:08x}");
    let response = response(c, creds, method, uri, cnonce, &nc);
    let mut out = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", response=\"{}\", algorithm={}",
        quote(&creds.username),
        quote(&c.realm),
        quote(&c.nonce),
        quote(uri),
        response,
        c.algorithm.as_str()
    );
    if c.qop_auth {
        out.push_str(&format!(", cnonce=\"{}\", qop=auth, nc={nc}", quote(cnonce)));
    }
    if let Some(opaque) = &c.opaque {
        out.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
    }
    out
}

/// The `response` parameter.
pub(crate) fn response(
    c: &Challenge,
    creds: &Credentials,
    method: &str,
    uri: &str,
    cnonce: &str,
    nc: &str,
) -> String {
    let h = |s: &str| hash(c.algorithm, s);
    let ha1 = h(&format!("{}:{}:{}", creds.username, c.realm, creds.password));
    let ha2 = h(&format!("{method}:{uri}"));
    if c.qop_auth {
        h(&format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", c.nonce))
    } else {
        h(&format!("{ha1}:{}:{ha2}", c.nonce))
    }
}

fn hash(algorithm: Algorithm, input: &str) -> String {
    match algorithm {
        Algorithm::Md5 => hex::encode(Md5::digest(input.as_bytes())),
        Algorithm::Sha256 => hex::encode(Sha256::digest(input.as_bytes())),
        Algorithm::Sha512_256 => hex::encode(Sha512_256::digest(input.as_bytes())),
    }
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mufasa(password: &str) -> Credentials {
        Credentials { username: "Mufasa".into(), password: password.into() }
    }

    #[test]
    fn rfc2617_section_3_5_example() {
        let c = Challenge::parse(
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .expect("valid");
        let r = response(
            &c,
            &mufasa("Circle Of Life"),
            "GET",
            "/dir/index.html",
            "0a4f113b",
            "00000001",
        );
        assert_eq!(r, "6629fae49393a05397450978507c4ef1");
    }

    fn rfc7616_challenge(algorithm: &str) -> Challenge {
        Challenge::parse(&format!(
            r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
        ))
        .expect("valid")
    }

    #[test]
    fn rfc7616_section_3_9_1_md5_and_sha256() {
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let creds = mufasa("Circle of Life");
        let md5 = response(
            &rfc7616_challenge("MD5"),
            &creds,
            "GET",
            "/dir/index.html",
            cnonce,
            "00000001",
        );
        assert_eq!(md5, "8ca523f5e9506fed4657c9700eebdbec");
        let sha = response(
            &rfc7616_challenge("SHA-256"),
            &creds,
            "GET",
            "/dir/index.html",
            cnonce,
            "00000001",
        );
        assert_eq!(sha, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    #[test]
    fn sha512_256_is_the_truncated_variant_not_sha512_cut() {
        // Expected value computed independently with `openssl dgst -sha512-256`.
        assert_eq!(
            hash(Algorithm::Sha512_256, "abc"),
            "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"
        );
    }

    #[test]
    fn nonce_count_increments_and_stale_allows_retry() {
        let mut client = DigestClient::new(mufasa("pw"));
        let ch = r#"Digest realm="r", nonce="n", qop="auth""#;
        client.on_challenge([ch], false, false).expect("first challenge");
        let first = client.authorize("REGISTER", "sip:r", "c");
        let second = client.authorize("REGISTER", "sip:r", "c");
        assert!(first[0].1.contains("nc=00000001") && second[0].1.contains("nc=00000002"));
        assert_eq!(client.on_challenge([ch], false, true), Err(AuthError::Rejected));
        let stale = r#"Digest realm="r", nonce="n2", qop="auth", stale=true"#;
        client.on_challenge([stale], false, true).expect("stale retries");
        assert!(client.authorize("REGISTER", "sip:r", "c")[0].1.contains("nc=00000001"));
    }

    #[test]
    fn proxy_challenge_answers_with_proxy_authorization() {
        let mut client = DigestClient::new(mufasa("pw"));
        client.on_challenge([r#"Digest realm="p", nonce="n""#], true, false).expect("ok");
        let headers = client.authorize("INVITE", "sip:bob@b", "c");
        assert_eq!(headers[0].0, "Proxy-Authorization");
        assert!(!headers[0].1.contains("qop"));
    }
}
