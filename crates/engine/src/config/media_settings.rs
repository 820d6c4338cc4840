//! The `[media]` table of the account file: ICE, STUN and TURN (`docs/account-file.md`).

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use media::ice::{CandidatePolicy, IceServer, TurnCredentials, TurnTransport};
use serde::Deserialize;

/// The default STUN/TURN port (RFC 8489 §18.6).
const DEFAULT_PORT: u16 = 3478;
/// The default port of `turns:` (RFC 8489 §18.6, RFC 7065 §3).
const DEFAULT_TLS_PORT: u16 = 5349;

/// Which candidates a call may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IceCandidates {
    /// Host, server-reflexive and relayed candidates.
    #[default]
    All,
    /// Relayed candidates only: media always goes through the TURN server, and the peer never
    /// learns this machine's address.
    Relay,
}

/// ICE and its servers for every call of the account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaSettings {
    /// Offer and answer with ICE (RFC 8445). Defaults to on when a STUN or TURN server is
    /// configured, off otherwise.
    pub ice: Option<bool>,
    /// STUN servers, `stun:host[:port]`.
    #[serde(default)]
    pub stun: Vec<String>,
    /// TURN servers (RFC 7065): `turn:host[:port][?transport=udp|tcp]`, or
    /// `turns:host[:port][?transport=tcp]` for TLS.
    #[serde(default)]
    pub turn: Vec<String>,
    /// Extra CA certificates (PEM) that `turns:` servers may chain to, besides the system's
    /// roots: for a private TURN server. Relative to the account file.
    pub turn_ca_file: Option<PathBuf>,
    /// TURN long-term credential: user name.
    pub turn_username: Option<String>,
    /// TURN long-term credential: password. Prefer `turn_password_env` outside tests.
    pub turn_password: Option<String>,
    /// Name of an environment variable holding the TURN password.
    pub turn_password_env: Option<String>,
    /// `all` (default) or `relay`.
    #[serde(default)]
    pub ice_candidates: IceCandidates,
}

/// A `[media]` value the engine cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MediaSettingsError {
    /// A server URI is not `stun:`/`turn:`/`turns:` host and port.
    #[error("not a stun:, turn: or turns: URI with host and port")]
    BadUri,
    /// A transport TURN cannot use here: `turns:` over UDP would be DTLS, and anything but
    /// `udp` or `tcp` is unknown.
    #[error("TURN transport must be udp or tcp (turns: means TLS over tcp)")]
    UnsupportedTransport,
    /// The host name does not resolve.
    #[error("the server's host name does not resolve")]
    Unresolved,
    /// A TURN server without user name and password.
    #[error("a TURN server needs turn_username and turn_password (or turn_password_env)")]
    MissingCredentials,
    /// Relay-only without a TURN server.
    #[error("ice_candidates = \"relay\" needs a TURN server")]
    RelayWithoutTurn,
}

impl MediaSettings {
    /// True if calls use ICE.
    pub fn ice_enabled(&self) -> bool {
        self.ice.unwrap_or(!self.stun.is_empty() || !self.turn.is_empty())
    }

    /// The candidate policy for the media crate.
    pub fn policy(&self) -> CandidatePolicy {
        match self.ice_candidates {
            IceCandidates::All => CandidatePolicy::All,
            IceCandidates::Relay => CandidatePolicy::RelayOnly,
        }
    }

    /// Resolves every server (DNS for host names) with its credentials.
    pub fn servers(&self) -> Result<Vec<ConfiguredServer>, MediaSettingsError> {
        if self.policy() == CandidatePolicy::RelayOnly && self.turn.is_empty() {
            return Err(MediaSettingsError::RelayWithoutTurn);
        }
        let mut servers = Vec::new();
        for uri in &self.stun {
            let uri = ServerUri::parse(uri, "stun:", DEFAULT_PORT)?;
            let ice =
                IceServer { addr: uri.resolve()?, credentials: None, transport: uri.transport };
            servers.push(ConfiguredServer { ice, host: uri.host });
        }
        for uri in &self.turn {
            let uri = match uri.trim_start().starts_with("turns:") {
                true => ServerUri::parse(uri, "turns:", DEFAULT_TLS_PORT)?,
                false => ServerUri::parse(uri, "turn:", DEFAULT_PORT)?,
            };
            let credentials = Some(self.credentials()?);
            let ice = IceServer { addr: uri.resolve()?, credentials, transport: uri.transport };
            servers.push(ConfiguredServer { ice, host: uri.host });
        }
        Ok(servers)
    }

    fn credentials(&self) -> Result<TurnCredentials, MediaSettingsError> {
        let password = match (&self.turn_password, &self.turn_password_env) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(var)) => std::env::var(var).ok(),
            (None, None) => None,
        };
        match (&self.turn_username, password) {
            (Some(username), Some(password)) => {
                Ok(TurnCredentials { username: username.clone(), password })
            }
            _ => Err(MediaSettingsError::MissingCredentials),
        }
    }
}

/// A configured server: what ICE needs, and the host name as written (a `turns:` server's
/// certificate must name it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredServer {
    /// Address, credentials and transport.
    pub ice: IceServer,
    /// The host part of the URI (a DNS name or an IP address).
    pub host: String,
}

/// A parsed `stun:`/`turn:`/`turns:` URI (RFC 7064, RFC 7065).
struct ServerUri {
    host: String,
    port: u16,
    transport: TurnTransport,
}

impl ServerUri {
    fn parse(uri: &str, scheme: &str, default_port: u16) -> Result<Self, MediaSettingsError> {
        let rest = uri.trim().strip_prefix(scheme).ok_or(MediaSettingsError::BadUri)?;
        let (hostport, query) = rest.split_once('?').unwrap_or((rest, ""));
        let tls = scheme == "turns:";
        let transport = match (query.strip_prefix("transport="), tls, scheme) {
            (Some(_), _, "stun:") => return Err(MediaSettingsError::UnsupportedTransport),
            (None | Some("tcp"), true, _) => TurnTransport::Tls,
            (None | Some("udp"), false, _) => TurnTransport::Udp,
            (Some("tcp"), false, _) => TurnTransport::Tcp,
            _ => return Err(MediaSettingsError::UnsupportedTransport),
        };
        let (host, port) = split_host_port(hostport, default_port)?;
        Ok(Self { host, port, transport })
    }

    fn resolve(&self) -> Result<SocketAddr, MediaSettingsError> {
        if let Ok(ip) = self.host.parse::<std::net::IpAddr>() {
            return Ok(SocketAddr::new(ip, self.port));
        }
        (self.host.as_str(), self.port)
            .to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .ok_or(MediaSettingsError::Unresolved)
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_host_port(hostport: &str, default_port: u16) -> Result<(String, u16), MediaSettingsError> {
    if let Ok(addr) = hostport.parse::<SocketAddr>() {
        return Ok((addr.ip().to_string(), addr.port()));
    }
    let (host, port) = match hostport.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') || host.ends_with(']') => {
            (host, port.parse().map_err(|_| MediaSettingsError::BadUri)?)
        }
        _ => (hostport, default_port),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(MediaSettingsError::BadUri);
    }
    Ok((host.to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(uri: &str) -> MediaSettings {
        MediaSettings {
            turn: vec![uri.into()],
            turn_username: Some("u".into()),
            turn_password: Some("p".into()),
            ice_candidates: IceCandidates::Relay,
            ..MediaSettings::default()
        }
    }

    fn server(uri: &str) -> Result<ConfiguredServer, MediaSettingsError> {
        turn(uri).servers().map(|mut s| s.remove(0))
    }

    #[test]
    fn a_turn_server_turns_ice_on_and_resolves_with_its_credentials() {
        let s = turn("turn:127.0.0.1:3479?transport=udp");
        assert!(s.ice_enabled());
        assert_eq!(s.policy(), CandidatePolicy::RelayOnly);
        let servers = s.servers().unwrap();
        assert_eq!(servers[0].ice.addr, SocketAddr::from(([127, 0, 0, 1], 3479)));
        assert_eq!(servers[0].ice.credentials.as_ref().map(|c| c.username.as_str()), Some("u"));
        assert_eq!(servers[0].ice.transport, TurnTransport::Udp);
    }

    #[test]
    fn transports_and_default_ports_follow_rfc_7065() {
        let tcp = server("turn:127.0.0.1?transport=tcp").unwrap();
        assert_eq!(tcp.ice.transport, TurnTransport::Tcp);
        assert_eq!(tcp.ice.addr.port(), 3478);
        let tls = server("turns:127.0.0.1").unwrap();
        assert_eq!((tls.ice.transport, tls.ice.addr.port()), (TurnTransport::Tls, 5349));
        assert_eq!(tls.host, "127.0.0.1");
        let v6 = server("turns:[::1]:5350?transport=tcp").unwrap();
        assert_eq!(
            (v6.ice.transport, v6.ice.addr),
            (TurnTransport::Tls, "[::1]:5350".parse().unwrap())
        );
    }

    #[test]
    fn unknown_transports_and_dtls_are_refused() {
        for uri in ["turns:127.0.0.1?transport=udp", "turn:127.0.0.1?transport=sctp"] {
            assert_eq!(server(uri), Err(MediaSettingsError::UnsupportedTransport), "{uri}");
        }
        assert_eq!(server("http://x"), Err(MediaSettingsError::BadUri));
        assert_eq!(server("turn:127.0.0.1:port"), Err(MediaSettingsError::BadUri));
    }

    #[test]
    fn relay_only_needs_a_turn_server_with_credentials() {
        let none =
            MediaSettings { ice_candidates: IceCandidates::Relay, ..MediaSettings::default() };
        assert_eq!(none.servers(), Err(MediaSettingsError::RelayWithoutTurn));
        let mut anonymous = turn("turn:127.0.0.1");
        anonymous.turn_password = None;
        assert_eq!(anonymous.servers(), Err(MediaSettingsError::MissingCredentials));
        assert!(!MediaSettings::default().ice_enabled());
    }

    #[test]
    fn the_table_parses_from_toml() {
        let s: MediaSettings = toml::from_str(
            "turn = [\"turn:127.0.0.1:3478?transport=udp\"]\nturn_username = \"u\"\n\
             turn_password = \"p\"\nice_candidates = \"relay\"",
        )
        .unwrap();
        assert_eq!(s, turn("turn:127.0.0.1:3478?transport=udp"));
    }
}
