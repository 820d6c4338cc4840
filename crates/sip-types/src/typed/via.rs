//! The Via header (RFC 3261 20.42, RFC 3581 rport, RFC 5118 IPv6).

use std::fmt;
use std::net::IpAddr;

use super::Branch;
use crate::error::ValueError;
use crate::params::{Params, parse_header_params};
use crate::scan::{Cursor, Span, is_token};
use crate::uri::{Host, HostKind, parse_hostport_until};

/// One Via value: `SIP/2.0/UDP host:port;branch=...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    text: Box<str>,
    parts: ViaParts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ViaParts {
    protocol: Span,
    version: Span,
    transport: Span,
    host: Span,
    kind: HostKind,
    port: Option<u16>,
    params: Span,
}

impl Via {
    /// Parses one via-parm.
    pub fn parse(s: &str) -> Result<Via, ValueError> {
        let parts = parse_parts(s)?;
        Ok(Via { text: s.into(), parts })
    }

    /// Builds `SIP/2.0/<transport> <sent-by>;branch=<branch>`; `host` may be an IPv6 address.
    pub fn new(
        transport: &str,
        host: &str,
        port: Option<u16>,
        branch: &Branch,
    ) -> Result<Via, ValueError> {
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        Via::parse(&format!("SIP/2.0/{transport} {host}{port};branch={branch}"))
    }

    /// A copy with `;name[=value]` appended (e.g. `received`, `rport`).
    pub fn with_param(&self, name: &str, value: Option<&str>) -> Result<Via, ValueError> {
        match value {
            Some(v) => Via::parse(&format!("{};{name}={v}", self.text)),
            None => Via::parse(&format!("{};{name}", self.text)),
        }
    }

    /// The protocol name (`SIP`).
    pub fn protocol(&self) -> &str {
        self.parts.protocol.of(&self.text)
    }

    /// The protocol version (`2.0`).
    pub fn version(&self) -> &str {
        self.parts.version.of(&self.text)
    }

    /// The transport (`UDP`, `TCP`, `TLS`, `WS`, `WSS`, ...), as written.
    pub fn transport(&self) -> &str {
        self.parts.transport.of(&self.text)
    }

    /// The sent-by host.
    pub fn host(&self) -> Host<'_> {
        self.parts.kind.view(self.parts.host.of(&self.text))
    }

    /// The sent-by port, if given.
    pub fn port(&self) -> Option<u16> {
        self.parts.port
    }

    /// All parameters.
    pub fn params(&self) -> Params<'_> {
        Params::new(self.parts.params.of(&self.text))
    }

    /// The `branch` parameter.
    pub fn branch(&self) -> Option<Branch> {
        self.params().value("branch").map(Branch::from)
    }

    /// The `received` parameter as an address (IPv6 with or without brackets, RFC 5118 4.5).
    pub fn received(&self) -> Option<IpAddr> {
        let r = self.params().value("received")?;
        let r = r.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(r);
        r.parse().ok()
    }

    /// `rport`: `None` when absent, `Some(None)` when requested, `Some(Some(port))` when filled.
    pub fn rport(&self) -> Option<Option<u16>> {
        self.params().get("rport").map(|v| v.and_then(|p| p.parse().ok()))
    }

    /// The value as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `sent-protocol LWS sent-by *( SEMI via-params )`.
#[inline(always)]
pub(crate) fn parse_parts(s: &str) -> Result<ViaParts, ValueError> {
    let mut c = Cursor::new(s);
    c.ws();
    let (protocol, version, transport) = match usual_sent_protocol(&mut c) {
        Some(parts) => parts,
        None => (
            c.token().map_err(|_| ValueError::BadProtocol)?,
            slash_token(&mut c)?,
            slash_token(&mut c)?,
        ),
    };
    if !c.ws() {
        return Err(ValueError::BadProtocol);
    }
    let host_start = c.pos;
    // The host alone: sent-by allows white space around the port's colon, read below.
    let (hp, host_len) = parse_hostport_until(c.rest(), |_| true)?;
    let host_end = host_start + host_len;
    c.pos = host_end;
    let mut port = None;
    if c.sep(b':') {
        let digits = c.take_while(|b| b.is_ascii_digit()).of(s);
        port = Some(crate::uri::host_port(digits)?);
    }
    let params = parse_header_params(&mut c)?;
    c.finish()?;
    Ok(ViaParts {
        protocol,
        version,
        transport,
        host: Span::new(host_start, host_end),
        kind: hp.kind,
        port,
        params,
    })
}

/// `SIP/2.0/<transport>` written without white space, as nearly every Via is: the spans the
/// general path would find, without its token-by-token walk.
fn usual_sent_protocol(c: &mut Cursor<'_>) -> Option<(Span, Span, Span)> {
    let start = c.pos;
    let rest = c.rest().as_bytes();
    if rest.get(..8)? != b"SIP/2.0/" {
        return None;
    }
    let len = rest.get(8..)?.iter().take_while(|&&b| is_token(b)).count();
    if len == 0 {
        return None;
    }
    c.pos = start + 8 + len;
    Some((
        Span::new(start, start + 3),
        Span::new(start + 4, start + 7),
        Span::new(start + 8, c.pos),
    ))
}

fn slash_token(c: &mut Cursor<'_>) -> Result<Span, ValueError> {
    if !c.sep(b'/') {
        return Err(ValueError::BadProtocol);
    }
    let t = c.take_while(is_token);
    if t.is_empty() {
        return Err(ValueError::BadProtocol);
    }
    Ok(t)
}
