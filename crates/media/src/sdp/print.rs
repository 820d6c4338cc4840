//! Printing SDP in RFC 8866 field order with CRLF line ends.

use std::fmt::{self, Display, Formatter, Write};
use std::net::IpAddr;

use super::media::{Attribute, MediaDescription};
use super::parse::SessionDescription;

impl Display for SessionDescription {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let o = &self.origin;
        f.write_str("v=0\r\n")?;
        write!(
            f,
            "o={} {} {} IN {} {}\r\n",
            o.username,
            o.session_id,
            o.session_version,
            addr_type_str(&o.address),
            o.address
        )?;
        write!(f, "s={}\r\n", self.session_name)?;
        write_lines(f, &self.other_lines)?;
        if let Some(c) = self.connection {
            write_connection(f, c)?;
        }
        for b in &self.bandwidth {
            write!(f, "b={b}\r\n")?;
        }
        if self.timing.is_empty() {
            f.write_str("t=0 0\r\n")?;
        }
        write_lines(f, &self.timing)?;
        write_attributes(f, &self.attributes)?;
        self.media.iter().try_for_each(|m| m.fmt(f))
    }
}

impl Display for MediaDescription {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "m={} {}", self.kind, self.port)?;
        if let Some(n) = self.port_count {
            write!(f, "/{n}")?;
        }
        write!(f, " {}", self.proto.as_str())?;
        for fmt in &self.formats {
            write!(f, " {fmt}")?;
        }
        f.write_str("\r\n")?;
        write_lines(f, &self.other_lines)?;
        if let Some(c) = self.connection {
            write_connection(f, c)?;
        }
        for b in &self.bandwidth {
            write!(f, "b={b}\r\n")?;
        }
        write_attributes(f, &self.attributes)
    }
}

fn addr_type_str(addr: &str) -> &'static str {
    if addr.contains(':') { "IP6" } else { "IP4" }
}

fn write_connection(f: &mut Formatter<'_>, addr: IpAddr) -> fmt::Result {
    let t = if addr.is_ipv6() { "IP6" } else { "IP4" };
    write!(f, "c=IN {t} {addr}\r\n")
}

fn write_lines(f: &mut Formatter<'_>, lines: &[(char, String)]) -> fmt::Result {
    lines.iter().try_for_each(|(k, v)| write!(f, "{k}={v}\r\n"))
}

fn write_attributes(f: &mut Formatter<'_>, attrs: &[Attribute]) -> fmt::Result {
    for a in attrs {
        f.write_str("a=")?;
        f.write_str(&a.name)?;
        if let Some(v) = &a.value {
            f.write_char(':')?;
            f.write_str(v)?;
        }
        f.write_str("\r\n")?;
    }
    Ok(())
}
