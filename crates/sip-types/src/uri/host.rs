//! Hosts: domain names, IPv4 addresses and bracketed IPv6 references (RFC 5118).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::ValueError;
use crate::scan::{Span, find_byte};

/// A host as written in a URI or Via sent-by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host<'a> {
    /// A domain name, as written (compare case-insensitively).
    Domain(&'a str),
    /// A dotted-quad IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address (written `[...]`).
    Ipv6(Ipv6Addr),
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(d) => f.write_str(d),
            Host::Ipv4(a) => write!(f, "{a}"),
            Host::Ipv6(a) => write!(f, "[{a}]"),
        }
    }
}

/// Which kind of host a span holds (the owned half of [`Host`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HostKind {
    Domain,
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

impl HostKind {
    pub fn view(self, text: &str) -> Host<'_> {
        match self {
            HostKind::Domain => Host::Domain(text),
            HostKind::Ipv4(a) => Host::Ipv4(a),
            HostKind::Ipv6(a) => Host::Ipv6(a),
        }
    }
}

/// The parsed `hostport` of a URI or Via: host span (brackets included for IPv6) and port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HostPort {
    pub kind: HostKind,
    pub host: Span,
    pub port: Option<u16>,
}

impl HostPort {
    pub fn shift(self, by: usize) -> HostPort {
        HostPort { host: self.host.shift(by), ..self }
    }
}

/// Parses `host [":" port]` filling all of `s`.
pub(crate) fn parse_hostport(s: &str) -> Result<HostPort, ValueError> {
    let (kind, host_end) = if s.starts_with('[') {
        let close = find_byte(s, b']').ok_or(ValueError::BadHost)?;
        let addr = s.get(1..close).ok_or(ValueError::BadHost)?;
        let ip = parse_ipv6(addr)?;
        (HostKind::Ipv6(ip), close + 1)
    } else {
        let end = find_byte(s, b':').unwrap_or(s.len());
        let host = s.get(..end).ok_or(ValueError::BadHost)?;
        (parse_name_or_v4(host)?, end)
    };
    let port = match s.get(host_end..) {
        None | Some("") => None,
        Some(rest) => {
            let digits = rest.strip_prefix(':').ok_or(ValueError::BadHost)?;
            Some(parse_port(digits)?)
        }
    };
    Ok(HostPort { kind, host: Span::new(0, host_end), port })
}

pub(crate) fn parse_port(digits: &str) -> Result<u16, ValueError> {
    crate::scan::parse_decimal(digits, u64::from(u16::MAX))
        .map(|p| p as u16)
        .map_err(|_| ValueError::BadPort)
}

/// A hostname (RFC 3261 `hostname`) or an IPv4 address.
fn parse_name_or_v4(host: &str) -> Result<HostKind, ValueError> {
    if host.is_empty() {
        return Err(ValueError::BadHost);
    }
    let b = host.as_bytes();
    let trimmed = b.strip_suffix(b".").unwrap_or(b);
    let top = trimmed.iter().rposition(|&c| c == b'.').map_or(0, |dot| dot + 1);
    if trimmed.get(top).is_some_and(u8::is_ascii_digit) {
        return host.parse::<Ipv4Addr>().map(HostKind::Ipv4).map_err(|_| ValueError::BadHost);
    }
    if is_hostname(b) { Ok(HostKind::Domain) } else { Err(ValueError::BadHost) }
}

/// `hostname = *( domainlabel "." ) toplabel [ "." ]`: labels of letters, digits and `-` that
/// neither start nor end with `-`. One pass, since every URI and Via in a message has a host.
fn is_hostname(b: &[u8]) -> bool {
    let mut prev = b'.';
    for &c in b {
        let ok = match c {
            b'.' => prev != b'.' && prev != b'-',
            b'-' => prev != b'.',
            _ => c.is_ascii_alphanumeric(),
        };
        if !ok {
            return false;
        }
        prev = c;
    }
    !b.is_empty() && prev != b'-'
}

/// An IPv6 address; also the `2001:db8:::192.0.2.1` form that RFC 3261's ABNF allowed and RFC 5118
/// 4.10 asks receivers to be robust to.
fn parse_ipv6(addr: &str) -> Result<Ipv6Addr, ValueError> {
    addr.parse()
        .or_else(|_| match addr.find(":::") {
            Some(_) => addr.replacen(":::", "::", 1).parse(),
            None => addr.parse(),
        })
        .map_err(|_| ValueError::BadHost)
}
