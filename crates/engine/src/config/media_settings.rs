//! The `[media]` table of the account file: ICE, STUN and TURN (`docs/account-file.md`).

use std::net::{SocketAddr, ToSocketAddrs};

use media::ice::{CandidatePolicy, IceServer, TurnCredentials};
use serde::Deserialize;

/// The default STUN/TURN port (RFC 8489 §18.6).
const DEFAULT_PORT: u16 = 3478;

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
    /// TURN servers, `turn:host[:port][?transport=udp]`.
    #[serde(default)]
    pub turn: Vec<String>,
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
    /// A server URI is not `stun:`/`turn:` host and port.
    #[error("not a stun: or turn: URI with host and port")]
    BadUri,
    /// TURN over TCP or TLS was asked for; only UDP is supported so far.
    #[error("only transport=udp is supported for TURN")]
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
    pub fn servers(&self) -> Result<Vec<IceServer>, MediaSettingsError> {
        if self.policy() == CandidatePolicy::RelayOnly && self.turn.is_empty() {
            return Err(MediaSettingsError::RelayWithoutTurn);
        }
        let mut servers = Vec::new();
        for uri in &self.stun {
            servers.push(IceServer { addr: server_addr(uri, "stun:")?, credentials: None });
        }
        for uri in &self.turn {
            let credentials = Some(self.credentials()?);
            servers.push(IceServer { addr: server_addr(uri, "turn:")?, credentials });
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

/// `stun:host[:port]` / `turn:host[:port][?transport=udp]` to an address.
fn server_addr(uri: &str, scheme: &str) -> Result<SocketAddr, MediaSettingsError> {
    let rest = uri.trim().strip_prefix(scheme).ok_or(MediaSettingsError::BadUri)?;
    let (hostport, query) = rest.split_once('?').unwrap_or((rest, ""));
    match query.strip_prefix("transport=") {
        None | Some("udp") => {}
        Some(_) => return Err(MediaSettingsError::UnsupportedTransport),
    }
    if hostport.is_empty() {
        return Err(MediaSettingsError::BadUri);
    }
    if let Ok(addr) = hostport.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let with_port = match hostport.rsplit_once(':') {
        Some((_, port)) if port.parse::<u16>().is_ok() => hostport.to_owned(),
        _ => format!("{hostport}:{DEFAULT_PORT}"),
    };
    with_port
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or(MediaSettingsError::Unresolved)
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

    #[test]
    fn a_turn_server_turns_ice_on_and_resolves_with_its_credentials() {
        let s = turn("turn:127.0.0.1:3479?transport=udp");
        assert!(s.ice_enabled());
        assert_eq!(s.policy(), CandidatePolicy::RelayOnly);
        let servers = s.servers().unwrap();
        assert_eq!(servers[0].addr, SocketAddr::from(([127, 0, 0, 1], 3479)));
        assert_eq!(servers[0].credentials.as_ref().map(|c| c.username.as_str()), Some("u"));
    }

    #[test]
    fn the_port_defaults_to_3478_and_tcp_is_refused_for_now() {
        assert_eq!(
            server_addr("stun:127.0.0.1", "stun:"),
            Ok(SocketAddr::from(([127, 0, 0, 1], 3478)))
        );
        assert_eq!(
            turn("turn:127.0.0.1:3478?transport=tcp").servers(),
            Err(MediaSettingsError::UnsupportedTransport)
        );
        assert_eq!(server_addr("http://x", "turn:"), Err(MediaSettingsError::BadUri));
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
