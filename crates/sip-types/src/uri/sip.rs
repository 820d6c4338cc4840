//! `sip:` and `sips:` URIs (RFC 3261 19.1, RFC 5118 for IPv6).

use std::borrow::Cow;
use std::fmt;

use super::escape::{
    self, check, check_bytes, is_hnv_char, is_param_char, is_password_char, is_user_char,
};
use super::host::{Host, HostPort, parse_hostport_until};
use crate::error::ValueError;
use crate::params::Params;
use crate::scan::{Span, find_byte};

/// A `sip:` or `sips:` URI. The text is kept as received; parts are read through accessors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipUri {
    text: Box<str>,
    parts: SipUriParts,
}

/// Where the parts of a SIP URI sit in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SipUriParts {
    secure: bool,
    user: Option<Span>,
    password: Option<Span>,
    hostport: HostPort,
    params: Span,
    headers: Option<Span>,
}

impl SipUriParts {
    pub fn has_headers(&self) -> bool {
        self.headers.is_some()
    }
}

impl SipUri {
    /// Parses a complete `sip:`/`sips:` URI.
    pub fn parse(s: &str) -> Result<SipUri, ValueError> {
        let parts = parse_parts(s)?;
        Ok(SipUri { text: s.into(), parts })
    }

    pub(crate) fn from_parts(text: &str, parts: SipUriParts) -> SipUri {
        SipUri { text: text.into(), parts }
    }

    /// Builds `sip[s]:[user@]host[:port]`; `user` is escaped as needed and `host` may be a
    /// domain, an IPv4 address or an IPv6 address (brackets added when missing).
    pub fn build(
        secure: bool,
        user: Option<&str>,
        host: &str,
        port: Option<u16>,
    ) -> Result<SipUri, ValueError> {
        let mut s = String::from(if secure { "sips:" } else { "sip:" });
        if let Some(user) = user {
            s.push_str(&escape::escape_user(user));
            s.push('@');
        }
        if host.contains(':') && !host.starts_with('[') {
            s.push('[');
            s.push_str(host);
            s.push(']');
        } else {
            s.push_str(host);
        }
        if let Some(port) = port {
            s.push_str(&format!(":{port}"));
        }
        SipUri::parse(&s)
    }

    /// A copy with `;name[=value]` appended to the URI parameters.
    pub fn with_param(&self, name: &str, value: Option<&str>) -> Result<SipUri, ValueError> {
        let end = self.parts.params.end as usize;
        let (head, tail) = self.text.split_at(end.min(self.text.len()));
        let param = match value {
            Some(v) => format!(";{name}={v}"),
            None => format!(";{name}"),
        };
        SipUri::parse(&format!("{head}{param}{tail}"))
    }

    /// `sips` when secure, else `sip`.
    pub fn scheme(&self) -> &'static str {
        if self.parts.secure { "sips" } else { "sip" }
    }

    /// Whether this is a `sips:` URI.
    pub fn is_secure(&self) -> bool {
        self.parts.secure
    }

    /// The user part with `%HH` escapes resolved.
    pub fn user(&self) -> Option<Cow<'_, str>> {
        self.user_raw().map(escape::unescape)
    }

    /// The user part as written (escaped).
    pub fn user_raw(&self) -> Option<&str> {
        self.parts.user.map(|s| s.of(&self.text))
    }

    /// The password as written, if any.
    pub fn password(&self) -> Option<&str> {
        self.parts.password.map(|s| s.of(&self.text))
    }

    /// The host.
    pub fn host(&self) -> Host<'_> {
        let hp = self.parts.hostport;
        hp.kind.view(hp.host.of(&self.text))
    }

    /// The explicit port, if any.
    pub fn port(&self) -> Option<u16> {
        self.parts.hostport.port
    }

    /// The URI parameters (`;transport=tcp;lr`).
    pub fn params(&self) -> Params<'_> {
        Params::new(self.parts.params.of(&self.text))
    }

    /// The `transport` parameter.
    pub fn transport(&self) -> Option<&str> {
        self.params().value("transport")
    }

    /// Whether the `lr` parameter is present (loose routing).
    pub fn lr(&self) -> bool {
        self.params().contains("lr")
    }

    /// The URI headers (`?name=value&...`), escaped as written.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        let text = self.parts.headers.map(|s| s.of(&self.text)).unwrap_or("");
        text.split('&').filter(|h| !h.is_empty()).map(|h| h.split_once('=').unwrap_or((h, "")))
    }

    /// Whether the URI has a `?headers` component.
    pub fn has_headers(&self) -> bool {
        self.parts.headers.is_some()
    }

    /// The URI as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SipUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Parses the parts of a SIP URI filling all of `s`.
pub(crate) fn parse_parts(s: &str) -> Result<SipUriParts, ValueError> {
    let colon = find_byte(s, b':').ok_or(ValueError::BadScheme)?;
    let scheme = s.get(..colon).ok_or(ValueError::BadScheme)?;
    let secure = if scheme.eq_ignore_ascii_case("sip") {
        false
    } else if scheme.eq_ignore_ascii_case("sips") {
        true
    } else {
        return Err(ValueError::BadScheme);
    };
    parse_after_scheme(s, colon, secure)
}

/// [`parse_parts`] once the scheme (ending at `colon`) is known.
#[inline(always)]
pub(crate) fn parse_after_scheme(
    s: &str,
    colon: usize,
    secure: bool,
) -> Result<SipUriParts, ValueError> {
    let mut pos = colon + 1;
    let rest = s.get(pos..).unwrap_or_default();
    let (mut user, mut password) = (None, None);
    let user_len = rest.bytes().take_while(|&b| is_user_char(b)).count();
    if user_len > 0 && rest.as_bytes().get(user_len) == Some(&b'@') {
        // The usual `user@`, without escapes or password: found and checked in one pass.
        user = Some(Span::new(pos, pos + user_len));
        pos += user_len + 1;
    } else if let Some(at) = find_byte(rest, b'@') {
        let userinfo = rest.get(..at).unwrap_or_default();
        let (u, p) = match find_byte(userinfo, b':') {
            Some(c) => (&userinfo[..c], Some((c + 1, &userinfo[c + 1..]))),
            None => (userinfo, None),
        };
        if u.is_empty() {
            return Err(ValueError::Unexpected('@'));
        }
        check(u, is_user_char)?;
        user = Some(Span::new(pos, pos + u.len()));
        if let Some((off, p)) = p {
            check(p, is_password_char)?;
            password = Some(Span::new(pos + off, pos + off + p.len()));
        }
        pos += at + 1;
    }
    let rest = s.get(pos..).unwrap_or_default();
    let (hostport, hp_len) = parse_hostport_until(rest, |b| b == b';' || b == b'?')?;
    let hostport = hostport.shift(pos);
    pos += hp_len;
    let rest = s.get(pos..).unwrap_or_default();
    // A well-formed parameter list ends at the `?` of the headers or at the end: the walk
    // that checks it finds that end too (a separate search for the `?` kept its index in
    // memory and cost as much as the check). Anything else is diagnosed on the old path.
    let params_len = match param_list_end(rest.as_bytes()) {
        Some(end) if matches!(rest.as_bytes().get(end), None | Some(b'?')) => end,
        _ => {
            let len = find_byte(rest, b'?').unwrap_or(rest.len());
            check_uri_params(&rest[..len])?;
            len
        }
    };
    let params = Span::new(pos, pos + params_len);
    pos += params_len;
    let headers = match s.get(pos..) {
        Some(h) if h.starts_with('?') => {
            check_uri_headers(&h[1..])?;
            Some(Span::new(pos + 1, s.len()))
        }
        _ => None,
    };
    Ok(SipUriParts { secure, user, password, hostport, params, headers })
}

/// `*( ";" pname [ "=" pvalue ] )` with escapes.
pub(crate) fn check_uri_params(s: &str) -> Result<(), ValueError> {
    if s.is_empty() || is_uri_param_list(s.as_bytes()) {
        return Ok(());
    }
    diagnose_uri_params(s)
}

/// Whether `b` is a well-formed parameter list, in one pass: the common case, checked without
/// splitting; [`diagnose_uri_params`] accepts the same lists and names what is wrong.
fn is_uri_param_list(b: &[u8]) -> bool {
    param_list_end(b) == Some(b.len())
}

/// Where the run of well-formed `;name[=value]` parameters at the start of `b` ends, or `None`
/// when a parameter in it has an empty name or value.
fn param_list_end(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while b.get(i) == Some(&b';') {
        let name_end = escaped_run(b, i + 1);
        if name_end == i + 1 {
            return None;
        }
        i = name_end;
        if b.get(i) == Some(&b'=') {
            let value_end = escaped_run(b, i + 1);
            if value_end == i + 1 {
                return None;
            }
            i = value_end;
        }
    }
    Some(i)
}

/// The end of the run of parameter characters and `%HH` escapes that starts at `i`.
fn escaped_run(b: &[u8], mut i: usize) -> usize {
    let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
    loop {
        match b.get(i) {
            Some(&c) if is_param_char(c) => i += 1,
            Some(b'%') if hex(i + 1) && hex(i + 2) => i += 3,
            _ => return i,
        }
    }
}

/// The diagnosis for a parameter list [`is_uri_param_list`] rejected.
fn diagnose_uri_params(s: &str) -> Result<(), ValueError> {
    let rest = s.strip_prefix(';').ok_or(ValueError::BadParam)?;
    for p in rest.as_bytes().split(|&b| b == b';') {
        let (name, value) = match p.iter().position(|&b| b == b'=') {
            Some(eq) => (&p[..eq], &p[eq + 1..]),
            None => (p, &b"x"[..]),
        };
        if name.is_empty() || value.is_empty() {
            return Err(ValueError::BadParam);
        }
        check_bytes(name, is_param_char)?;
        check_bytes(value, is_param_char)?;
    }
    Ok(())
}

/// `header *( "&" header )`, `header = hname "=" hvalue`.
fn check_uri_headers(s: &str) -> Result<(), ValueError> {
    for h in s.as_bytes().split(|&b| b == b'&') {
        let eq = h.iter().position(|&b| b == b'=').ok_or(ValueError::Expected('='))?;
        if eq == 0 {
            return Err(ValueError::BadParam);
        }
        check_bytes(&h[..eq], is_hnv_char)?;
        check_bytes(&h[eq + 1..], is_hnv_char)?;
    }
    Ok(())
}
