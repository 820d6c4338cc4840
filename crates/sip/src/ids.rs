//! Identifiers and addressing shared between the user agent and the engine that drives it.

use std::fmt;

/// A transport flow the engine owns (a UDP 5-tuple, a TCP/TLS/WebSocket connection). The engine
/// picks the numbers; the user agent only hands them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowId(pub u64);

/// A call the user agent knows, incoming or outgoing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallHandle(pub u64);

/// A SIP transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport {
    /// UDP (unreliable: the transaction layer retransmits).
    Udp,
    /// TCP.
    Tcp,
    /// TLS over TCP.
    Tls,
    /// WebSocket (RFC 7118).
    Ws,
    /// Secure WebSocket (RFC 7118).
    Wss,
}

impl Transport {
    /// Whether the transport delivers reliably (no retransmission timers needed).
    pub fn is_reliable(self) -> bool {
        self != Self::Udp
    }

    /// The token used in `Via` headers.
    pub fn via_token(self) -> &'static str {
        match self {
            Self::Udp => "UDP",
            Self::Tcp => "TCP",
            Self::Tls => "TLS",
            Self::Ws => "WS",
            Self::Wss => "WSS",
        }
    }

    /// Parses a `transport=` URI parameter.
    pub fn from_param(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "udp" => Some(Self::Udp),
            "tcp" => Some(Self::Tcp),
            "tls" => Some(Self::Tls),
            "ws" => Some(Self::Ws),
            "wss" => Some(Self::Wss),
            _ => None,
        }
    }
}

/// A next hop the engine must resolve (RFC 3263) and send to. Host and port are personal
/// data only in the sense of infrastructure; `Debug` still keeps them out of logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// Transport to use.
    pub transport: Transport,
    /// Host name or IP literal (IPv6 without brackets).
    pub host: String,
    /// Explicit port, or `None` for SRV/default-port resolution.
    pub port: Option<u16>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({:?}, <redacted>)", self.transport)
    }
}

/// Where a message must go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Destination {
    /// Back over the flow a request arrived on (responses, RFC 3261 §18.2.2).
    Flow(FlowId),
    /// To a next hop the engine resolves, reusing an open flow to it when it has one.
    Target(Target),
}
