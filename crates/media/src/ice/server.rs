//! The STUN and TURN servers a session gathers from, and how each is reached.

use std::net::SocketAddr;

/// A long-term TURN credential (RFC 8489 §9.2). `Debug` leaves out the password.
#[derive(Clone, PartialEq, Eq)]
pub struct TurnCredentials {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl std::fmt::Debug for TurnCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurnCredentials").field("username", &self.username).finish_non_exhaustive()
    }
}

/// A STUN server (no credentials) or a TURN server (with them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceServer {
    /// The server's address.
    pub addr: SocketAddr,
    /// TURN credentials; `None` for a plain STUN server.
    pub credentials: Option<TurnCredentials>,
    /// How we reach the server (STUN servers: UDP).
    pub transport: TurnTransport,
}

/// How we reach a TURN server: the leg between us and the server, not the relayed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum TurnTransport {
    /// Datagrams from the call's socket (`turn:`).
    #[default]
    Udp,
    /// A TCP connection (`turn:...?transport=tcp`).
    Tcp,
    /// A TLS connection over TCP (`turns:`).
    Tls,
}

impl TurnTransport {
    /// True for TCP and TLS: the engine connects, the session frames the stream.
    pub fn is_stream(self) -> bool {
        self != Self::Udp
    }

    /// The local preference of a relayed candidate reached this way (RFC 8445 §5.1.2.1):
    /// UDP first, then TCP, then TLS, as browsers rank relay protocols, since a stream adds
    /// head-of-line blocking and TLS adds its cost on top. Distinct values also keep
    /// relayed candidates of one server over several transports unique.
    pub fn local_preference(self) -> u16 {
        match self {
            Self::Udp => 65535,
            Self::Tcp => 49151,
            Self::Tls => 32767,
        }
    }
}
