//! What a SIP client needs to register with a registrar the harness started.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::error::PeerError;

/// A SIP transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport {
    /// SIP over UDP.
    Udp,
    /// SIP over TCP.
    Tcp,
    /// SIP over TLS.
    Tls,
    /// SIP over WebSocket (RFC 7118).
    Ws,
    /// SIP over secure WebSocket.
    Wss,
}

impl Transport {
    /// The value of a SIP URI's `transport=` parameter.
    pub fn uri_param(self) -> &'static str {
        match self {
            Self::Udp => "udp",
            Self::Tcp => "tcp",
            Self::Tls => "tls",
            Self::Ws => "ws",
            Self::Wss => "wss",
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.uri_param())
    }
}

/// A digest-authenticated account on a registrar, reached through `proxy` over `transport`.
#[derive(Debug, Clone)]
pub struct SipAccount {
    /// User part of the address of record, also the digest user name.
    pub user: String,
    /// Digest password.
    pub password: String,
    /// Domain (and digest realm) of the address of record.
    pub domain: String,
    /// Where to send requests (the registrar's listener for `transport`).
    pub proxy: SocketAddr,
    /// Transport to the proxy.
    pub transport: Transport,
    /// Certificate the client must trust for TLS/WSS (the registrar's self-signed certificate).
    pub ca_cert: Option<PathBuf>,
}

impl SipAccount {
    /// The address of record, e.g. `sip:1001@127.0.0.1`.
    pub fn aor(&self) -> String {
        format!("sip:{}@{}", self.user, self.domain)
    }

    /// The request URI for calling `user` in the same domain, e.g. `sip:1002@127.0.0.1`.
    pub fn uri_of(&self, user: &str) -> String {
        format!("sip:{user}@{}", self.domain)
    }

    /// Writes this account as Callwarden's documented account file (docs/account-file.md) to
    /// `dir/<user>.toml`, for tests that drive `callwarden-cli`.
    pub fn write_account_file(&self, dir: &Path) -> Result<PathBuf, PeerError> {
        let ca = self
            .ca_cert
            .as_ref()
            .map(|p| format!("ca_file = {:?}\n", p.display().to_string()))
            .unwrap_or_default();
        let text = format!(
            "aor = {aor:?}\npassword = {pw:?}\nregistrar = \"sip:{proxy};transport={t}\"\n\
             transport = \"{t}\"\nsystem_roots = false\nlocal_addr = \"127.0.0.1:0\"\n{ca}",
            aor = self.aor(),
            pw = self.password,
            proxy = self.proxy,
            t = self.transport,
        );
        let path = dir.join(format!("{}.toml", self.user));
        std::fs::write(&path, text).map_err(PeerError::file(&path))?;
        Ok(path)
    }
}
