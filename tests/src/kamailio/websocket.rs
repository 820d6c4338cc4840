//! REGISTER over SIP-over-WebSocket (RFC 7118), for checking the WS and WSS listeners. baresip
//! 1.0.0 has no WebSocket transport, so a small standard-library Python client does it.

use std::process::Command;

use super::Kamailio;
use crate::account::Transport;
use crate::command::run;
use crate::error::PeerError;
use crate::workdir::write_file;

const CLIENT: &str = include_str!("../../peers/kamailio/ws_register.py");

impl Kamailio {
    /// Registers `user` over WS (`secure == false`) or WSS, answering the digest challenge;
    /// returns the status lines seen (handshake, 401, 200). Fails unless the final answer is
    /// 200.
    pub fn register_over_websocket(&self, user: &str, secure: bool) -> Result<String, PeerError> {
        let transport = if secure { Transport::Wss } else { Transport::Ws };
        let account = self.account(user, transport).ok_or_else(|| PeerError::Control {
            peer: "kamailio",
            command: "register over WebSocket".to_owned(),
            reason: format!("no such user {user}"),
        })?;
        let script = self.dir().join("ws_register.py");
        write_file(&script, CLIENT)?;
        let out = run(Command::new("timeout")
            .arg("20")
            .arg("python3")
            .arg(&script)
            .arg(transport.uri_param())
            .arg(account.proxy.port().to_string())
            .args([&account.user, &account.password, &account.domain]))?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}
