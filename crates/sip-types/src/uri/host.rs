//! Hosts: domain names, IPv4 addresses and bracketed IPv6 references (RFC 5118).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::ValueError;
use crate::scan::{Span, find_byte, is_alnum, run_len};

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

/// Parses `host [":" port]` at the start of `s`, which either ends there or continues with a
/// byte for which `ends` holds; returns it and where it stopped. Lets a URI read its host in
/// the same pass that finds where the host ends.
#[inline(always)]
pub(crate) fn parse_hostport_until(
    s: &str,
    ends: impl Fn(u8) -> bool,
) -> Result<(HostPort, usize), ValueError> {
    let b = s.as_bytes();
    let (kind, host_end) = if b.first() == Some(&b'[') {
        let close = find_byte(s, b']').ok_or(ValueError::BadHost)?;
        let addr = s.get(1..close).ok_or(ValueError::BadHost)?;
        (HostKind::Ipv6(parse_ipv6(addr)?), close + 1)
    } else {
        let scan = HostScan::run(b);
        let host = s.get(..scan.end).ok_or(ValueError::BadHost)?;
        (scan.kind(host)?, scan.end)
    };
    let (port, end) = match b.get(host_end) {
        None => (None, host_end),
        Some(&c) if ends(c) => (None, host_end),
        Some(b':') => {
            let digits = b.get(host_end + 1..).unwrap_or_default();
            let end = host_end + 1 + digits.iter().take_while(|c| c.is_ascii_digit()).count();
            if b.get(end).is_some_and(|&c| !ends(c)) {
                return Err(ValueError::BadPort);
            }
            (Some(parse_port(s.get(host_end + 1..end).unwrap_or_default())?), end)
        }
        Some(_) => return Err(ValueError::BadHost),
    };
    Ok((HostPort { kind, host: Span::new(0, host_end), port }, end))
}

pub(crate) fn parse_port(digits: &str) -> Result<u16, ValueError> {
    crate::scan::parse_decimal(digits, u64::from(u16::MAX))
        .map(|p| p as u16)
        .map_err(|_| ValueError::BadPort)
}

/// One pass over a hostname (RFC 3261 `hostname`) or IPv4 address at the start of a string:
/// `hostname = *( domainlabel "." ) toplabel [ "." ]`, labels of letters, digits and `-` that
/// neither start nor end with `-`. Every URI and Via in a message has one, so it is read once,
/// label by label: a tight loop over letters and digits, with `-` and `.` handled where they
/// end it (a per-byte state machine cost three times the instructions).
struct HostScan {
    /// Where the host ends: at the first byte that is not a letter, digit, `.` or `-`. When the
    /// labels are not well-formed, the scan stops early and `end` is meaningless.
    end: usize,
    /// Whether the labels are well-formed.
    labels_ok: bool,
    /// The first byte of the last label (a digit means an IPv4 address).
    top_first: u8,
}

impl HostScan {
    fn run(b: &[u8]) -> HostScan {
        let alnum = |i: usize| b.get(i).copied().is_some_and(is_alnum);
        let bad = |end| HostScan { end, labels_ok: false, top_first: 0 };
        let mut i = 0;
        loop {
            let start = i;
            i += run_len(b, i, is_alnum);
            if i == start {
                // Empty label, or one starting with `-`.
                return bad(i);
            }
            if b.get(i) == Some(&b'-') {
                i += run_len(b, i, |c| is_alnum(c) || c == b'-');
                if b.get(i - 1) == Some(&b'-') {
                    return bad(i);
                }
            }
            let top_first = b.get(start).copied().unwrap_or_default();
            let next_label = b.get(i) == Some(&b'.') && alnum(i + 1);
            if !next_label {
                // A trailing `.` belongs to the host. The host must end where its characters
                // do: a Via accepts any byte after it, so `a..b` or `a.-b` must not read as
                // the host `a.` followed by something else.
                let end = i + usize::from(b.get(i) == Some(&b'.'));
                if matches!(b.get(end), Some(b'.' | b'-')) {
                    return bad(end);
                }
                return HostScan { end, labels_ok: true, top_first };
            }
            i += 1;
        }
    }

    fn kind(&self, host: &str) -> Result<HostKind, ValueError> {
        if self.top_first.is_ascii_digit() {
            host.parse::<Ipv4Addr>().map(HostKind::Ipv4).map_err(|_| ValueError::BadHost)
        } else if self.labels_ok {
            Ok(HostKind::Domain)
        } else {
            Err(ValueError::BadHost)
        }
    }
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

#[cfg(test)]
#[path = "host_tests.rs"]
mod tests;
