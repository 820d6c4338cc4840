//! baresip's `cons` console: single-key commands over TCP, for what `ctrl_tcp` cannot do in
//! baresip 1.0.0 (hold `x` and resume `X` exist only as keys there).

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::error::PeerError;

const PEER: &str = "baresip";

/// Presses `key` and waits until the console output contains `expect`; returns the output.
pub(super) fn press(
    addr: SocketAddr,
    key: char,
    expect: &str,
    timeout: Duration,
) -> Result<String, PeerError> {
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).map_err(PeerError::io(PEER))?;
    stream.write_all(key.to_string().as_bytes()).map_err(PeerError::io(PEER))?;
    read_until(&mut stream, expect, Instant::now() + timeout).map_err(|reason| PeerError::Control {
        peer: PEER,
        command: format!("key {key:?}"),
        reason,
    })
}

/// Reads console output until it contains `expect` or `deadline` passes; the error says what
/// the console printed instead.
fn read_until(stream: &mut TcpStream, expect: &str, deadline: Instant) -> Result<String, String> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&out).into_owned();
        if text.contains(expect) {
            return Ok(text);
        }
        let left = deadline
            .checked_duration_since(Instant::now())
            .ok_or_else(|| format!("console never printed {expect:?}; it printed {text:?}"))?;
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .map_err(|e| e.to_string())?;
        match stream.read(&mut chunk) {
            Ok(0) => return Err(format!("console closed; it printed {text:?}")),
            Ok(n) => out.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}
