//! Small URI helpers the user agent needs for routing: the next-hop target of a URI and
//! the pieces of a name-addr. Kept here so routing does not depend on the full URI model.

use crate::ids::{Target, Transport};

/// The URI inside a name-addr (`"Bob" <sip:bob@b>;tag=x` -> `sip:bob@b`), or the addr-spec
/// itself without header parameters.
pub(crate) fn addr_spec(value: &str) -> &str {
    let value = value.trim();
    if let Some(start) = value.find('<') {
        let rest = &value[start + 1..];
        return rest.find('>').map_or(rest, |end| &rest[..end]);
    }
    value.split(';').next().unwrap_or(value).trim()
}

/// Whether a route entry asks for loose routing (`;lr`).
pub(crate) fn is_loose(route: &str) -> bool {
    uri_params(addr_spec(route)).any(|(k, _)| k.eq_ignore_ascii_case("lr"))
}

/// URI parameters (`;name[=value]`) after the host part, before `?headers`.
fn uri_params(uri: &str) -> impl Iterator<Item = (&str, &str)> {
    let no_headers = uri.split('?').next().unwrap_or(uri);
    let after_host = match no_headers.rfind(']') {
        Some(i) => &no_headers[i..],
        None => no_headers,
    };
    after_host.split(';').skip(1).map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// The next hop a request to `uri` goes to: host, port and transport (RFC 3263 input).
pub(crate) fn target(uri: &str, default: Transport) -> Option<Target> {
    let uri = addr_spec(uri);
    let (scheme, rest) = uri.split_once(':')?;
    let secure = scheme.eq_ignore_ascii_case("sips");
    if !secure && !scheme.eq_ignore_ascii_case("sip") {
        return None;
    }
    let hostport = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let hostport = hostport.split([';', '?']).next()?;
    let (host, port) = split_hostport(hostport)?;
    let transport = uri_params(uri)
        .find(|(k, _)| k.eq_ignore_ascii_case("transport"))
        .and_then(|(_, v)| Transport::from_param(v))
        .unwrap_or(if secure { Transport::Tls } else { default });
    Some(Target { transport, host: host.to_owned(), port })
}

fn split_hostport(hostport: &str) -> Option<(&str, Option<u16>)> {
    if let Some(v6) = hostport.strip_prefix('[') {
        let (host, rest) = v6.split_once(']')?;
        let port = rest.strip_prefix(':').and_then(|p| p.parse().ok());
        return Some((host, port));
    }
    match hostport.split_once(':') {
        Some((host, port)) => Some((host, Some(port.parse().ok()?))),
        None if hostport.is_empty() => None,
        None => Some((hostport, None)),
    }
}

/// The user part of a SIP URI (`sip:alice@a` -> `alice`).
pub(crate) fn user(uri: &str) -> Option<&str> {
    let (_, rest) = addr_spec(uri).split_once(':')?;
    rest.split_once('@').map(|(u, _)| u.split(';').next().unwrap_or(u))
}

/// Splits the `?Replaces=...` header off a Refer-To URI and unescapes its value.
pub(crate) fn split_replaces(uri: &str) -> (String, Option<String>) {
    let Some((base, headers)) = uri.split_once('?') else { return (uri.to_owned(), None) };
    let replaces = headers
        .split('&')
        .filter_map(|h| h.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("Replaces"))
        .map(|(_, v)| unescape(v));
    (base.to_owned(), replaces)
}

fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes a Replaces value for use inside a URI header.
pub(crate) fn escape_header(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_from_uris() {
        let t = target("<sip:p.example.com:5070;transport=tcp;lr>", Transport::Udp).expect("ok");
        assert_eq!(
            (t.host.as_str(), t.port, t.transport),
            ("p.example.com", Some(5070), Transport::Tcp)
        );
        let t = target("sips:bob@[2001:db8::1]", Transport::Udp).expect("ok");
        assert_eq!((t.host.as_str(), t.port, t.transport), ("2001:db8::1", None, Transport::Tls));
        assert!(target("tel:+1555", Transport::Udp).is_none());
        assert!(is_loose("<sip:p.example.com;lr>") && !is_loose("<sip:p.example.com>"));
    }

    #[test]
    fn replaces_round_trip() {
        let escaped = escape_header("abc@h;to-tag=1;from-tag=2");
        let (base, rep) = split_replaces(&format!("sip:c@h?Replaces={escaped}"));
        assert_eq!((base.as_str(), rep.as_deref()), ("sip:c@h", Some("abc@h;to-tag=1;from-tag=2")));
    }
}
