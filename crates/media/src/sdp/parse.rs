//! Line-oriented SDP parsing (RFC 8866 §5). Unknown lines are kept so a parse/print round
//! trip loses nothing a peer may care about.

use std::net::IpAddr;

use super::SdpError;
use super::media::{Attribute, MediaDescription, Proto};

/// Largest SDP body accepted; real audio offers are under 2 KiB.
const MAX_SDP_LEN: usize = 64 * 1024;

/// The `o=` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// User name (`-` when none).
    pub username: String,
    /// Session id.
    pub session_id: u64,
    /// Session version; bumped on every new offer in a dialog.
    pub session_version: u64,
    /// Unicast address of the originator.
    pub address: String,
}

/// A parsed SDP session description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDescription {
    /// `o=` line.
    pub origin: Origin,
    /// `s=` value.
    pub session_name: String,
    /// Session-level lines we do not interpret (`i=`, `u=`, `e=`, `p=`, `k=`).
    pub other_lines: Vec<(char, String)>,
    /// Session-level `c=` address.
    pub connection: Option<IpAddr>,
    /// Session-level `b=` values.
    pub bandwidth: Vec<String>,
    /// `t=`, `r=` and `z=` lines.
    pub timing: Vec<(char, String)>,
    /// Session-level attributes.
    pub attributes: Vec<Attribute>,
    /// Media sections.
    pub media: Vec<MediaDescription>,
}

impl SessionDescription {
    /// Parses an SDP body. CRLF and bare LF line ends are both accepted.
    pub fn parse(text: &str) -> Result<Self, SdpError> {
        if text.len() > MAX_SDP_LEN {
            return Err(SdpError::MalformedLine { line: 0, reason: "SDP body too large" });
        }
        let mut lines = Lines::new(text);
        let (line, kind, value) = lines.next_line().ok_or(SdpError::MissingLine("v="))?;
        if kind != 'v' || value != "0" {
            return Err(SdpError::MalformedLine { line, reason: "first line must be v=0" });
        }
        let mut origin = None;
        let mut session_name = None;
        let mut sd = Self::empty();
        while let Some((line, kind, value)) = lines.next_line() {
            match kind {
                'o' => origin = Some(parse_origin(value).ok_or(bad(line, "bad o= line"))?),
                's' => session_name = Some(value.to_owned()),
                'c' => sd.connection = Some(parse_connection(value).ok_or(bad(line, "bad c="))?),
                'b' => sd.bandwidth.push(value.to_owned()),
                't' | 'r' | 'z' => sd.timing.push((kind, value.to_owned())),
                'a' => sd.attributes.push(parse_attribute(value)),
                'm' => sd.media.push(parse_media(line, value, &mut lines)?),
                _ => sd.other_lines.push((kind, value.to_owned())),
            }
        }
        sd.origin = origin.ok_or(SdpError::MissingLine("o="))?;
        sd.session_name = session_name.ok_or(SdpError::MissingLine("s="))?;
        Ok(sd)
    }

    fn empty() -> Self {
        Self {
            origin: Origin {
                username: "-".into(),
                session_id: 0,
                session_version: 0,
                address: String::new(),
            },
            session_name: String::new(),
            other_lines: Vec::new(),
            connection: None,
            bandwidth: Vec::new(),
            timing: Vec::new(),
            attributes: Vec::new(),
            media: Vec::new(),
        }
    }

    /// The first session-level value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.name == name).and_then(|a| a.value.as_deref())
    }

    /// The first `m=audio` section and its index.
    pub fn audio(&self) -> Option<(usize, &MediaDescription)> {
        self.media.iter().enumerate().find(|(_, m)| m.kind == "audio")
    }
}

fn bad(line: usize, reason: &'static str) -> SdpError {
    SdpError::MalformedLine { line, reason }
}

/// Iterator over `(line number, type char, value)` with one line of look-ahead.
struct Lines<'a> {
    inner: std::iter::Peekable<std::iter::Enumerate<std::str::Lines<'a>>>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self { inner: text.lines().enumerate().peekable() }
    }

    fn next_line(&mut self) -> Option<(usize, char, &'a str)> {
        loop {
            let (i, raw) = self.inner.next()?;
            let raw = raw.trim_end_matches('\r');
            if raw.is_empty() {
                continue;
            }
            let mut chars = raw.chars();
            let kind = chars.next()?;
            let value = raw.get(kind.len_utf8()..)?.strip_prefix('=').unwrap_or("");
            return Some((i + 1, kind, value));
        }
    }

    fn peek_kind(&mut self) -> Option<char> {
        loop {
            let (_, raw) = self.inner.peek()?;
            if raw.trim_end_matches('\r').is_empty() {
                self.inner.next();
                continue;
            }
            return raw.chars().next();
        }
    }
}

fn parse_origin(value: &str) -> Option<Origin> {
    let f: Vec<&str> = value.split_whitespace().collect();
    let [user, id, version, _net, _addrtype, addr] = f.as_slice() else { return None };
    Some(Origin {
        username: (*user).to_owned(),
        session_id: id.parse().ok()?,
        session_version: version.parse().ok()?,
        address: (*addr).to_owned(),
    })
}

fn parse_connection(value: &str) -> Option<IpAddr> {
    let f: Vec<&str> = value.split_whitespace().collect();
    let [net, _addrtype, addr] = f.as_slice() else { return None };
    if *net != "IN" {
        return None;
    }
    addr.split('/').next()?.parse().ok()
}

fn parse_attribute(value: &str) -> Attribute {
    match value.split_once(':') {
        Some((name, v)) => Attribute::value(name, v),
        None => Attribute::flag(value),
    }
}

fn parse_media(
    line: usize,
    value: &str,
    lines: &mut Lines<'_>,
) -> Result<MediaDescription, SdpError> {
    let mut f = value.split_whitespace();
    let kind = f.next().ok_or(bad(line, "m= without media type"))?;
    let port_field = f.next().ok_or(bad(line, "m= without port"))?;
    let proto = f.next().ok_or(bad(line, "m= without proto"))?;
    let (port, port_count) = match port_field.split_once('/') {
        Some((p, n)) => (p, Some(n.parse().map_err(|_| bad(line, "bad port count"))?)),
        None => (port_field, None),
    };
    let mut m = MediaDescription {
        kind: kind.to_owned(),
        port: port.parse().map_err(|_| bad(line, "bad port"))?,
        port_count,
        proto: Proto::parse(proto),
        formats: f.map(str::to_owned).collect(),
        other_lines: Vec::new(),
        connection: None,
        bandwidth: Vec::new(),
        attributes: Vec::new(),
    };
    while lines.peek_kind().is_some_and(|k| k != 'm') {
        let Some((line, kind, value)) = lines.next_line() else { break };
        match kind {
            'c' => m.connection = Some(parse_connection(value).ok_or(bad(line, "bad c="))?),
            'b' => m.bandwidth.push(value.to_owned()),
            'a' => m.attributes.push(parse_attribute(value)),
            _ => m.other_lines.push((kind, value.to_owned())),
        }
    }
    Ok(m)
}
