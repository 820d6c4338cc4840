//! One TCP or TLS connection to a TURN server (RFC 8656 §3.1, `turn:?transport=tcp` and
//! `turns:`), driven without blocking from the same loops that read the call's UDP socket.
//!
//! The socket is non-blocking: reads take what the kernel has, writes queue what it cannot
//! take yet. TLS is rustls over that socket (`read_tls`/`write_tls`), verifying the server's
//! certificate against the configured roots; the handshake simply progresses as the loops
//! read and write. The ICE session frames and parses what flows (`media::ice`).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;

/// How long a call waits for the TCP connection itself.
const CONNECT_LIMIT: Duration = Duration::from_secs(3);
/// Read size; TURN messages are far smaller than this.
const READ_CHUNK: usize = 8192;
/// Bytes queued for a server that does not read: past this the connection is given up
/// rather than grow without bound (about two seconds of relayed audio at ~10 kB/s).
const MAX_QUEUED: usize = 24 * 1024;
/// Most bytes one `read` takes: a peer flooding the relay cannot keep the media thread reading;
/// the rest waits for the next read, a few milliseconds later.
const MAX_READ: usize = 8 * READ_CHUNK;

/// The TLS side of a `turns:` connection.
pub(crate) struct TlsClient {
    /// Trust roots and protocol settings.
    pub config: Arc<rustls::ClientConfig>,
    /// The name the server's certificate must carry.
    pub name: ServerName<'static>,
}

/// A connected TCP (or TLS over TCP) stream to one TURN server.
pub(crate) struct TurnStream {
    tcp: TcpStream,
    tls: Option<rustls::ClientConnection>,
    /// Ciphertext (TLS) or plaintext (TCP) the kernel has not taken yet.
    queued: Vec<u8>,
}

impl std::fmt::Debug for TurnStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurnStream").field("tls", &self.tls.is_some()).finish_non_exhaustive()
    }
}

impl TurnStream {
    /// Connects to `addr`, and starts the TLS handshake if `tls` is given.
    pub(crate) fn connect(addr: SocketAddr, tls: Option<&TlsClient>) -> io::Result<Self> {
        let tcp = TcpStream::connect_timeout(&addr, CONNECT_LIMIT)?;
        tcp.set_nodelay(true)?;
        tcp.set_nonblocking(true)?;
        let tls = match tls {
            Some(t) => Some(
                rustls::ClientConnection::new(Arc::clone(&t.config), t.name.clone())
                    .map_err(io::Error::other)?,
            ),
            None => None,
        };
        let mut stream = Self { tcp, tls, queued: Vec::new() };
        stream.flush()?;
        Ok(stream)
    }

    /// Writes `data` (queued as far as the kernel or the handshake holds it back).
    pub(crate) fn write(&mut self, data: &[u8]) -> io::Result<()> {
        match self.tls.as_mut() {
            // rustls keeps plaintext written before the handshake ends and sends it after.
            Some(tls) => tls.writer().write_all(data)?,
            None => self.queued.extend_from_slice(data),
        }
        self.flush()
    }

    /// Appends what the server sent so far to `out`. An error means the connection is over
    /// (closed, reset, or a TLS failure such as an untrusted certificate).
    pub(crate) fn read(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        let mut chunk = [0u8; READ_CHUNK];
        match self.tls.as_mut() {
            None => read_available(&mut self.tcp, &mut chunk, out)?,
            Some(tls) => {
                let mut closed = false;
                loop {
                    match tls.read_tls(&mut self.tcp) {
                        // What came before the end still counts (a last response).
                        Ok(0) => {
                            closed = true;
                            break;
                        }
                        Ok(_) => {
                            if let Err(e) = tls.process_new_packets() {
                                // Tell the server why (e.g. bad_certificate) before giving up.
                                let _ = tls.write_tls(&mut self.tcp);
                                return Err(io::Error::other(e));
                            }
                            // Take the plaintext out at once: rustls refuses more records
                            // (an error) once 16 KiB of it wait unread.
                            read_available(&mut tls.reader(), &mut chunk, out)?;
                            if out.len() >= MAX_READ {
                                break;
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => return Err(e),
                    }
                }
                read_available(&mut tls.reader(), &mut chunk, out)?;
                if closed {
                    return Err(ErrorKind::UnexpectedEof.into());
                }
            }
        }
        // Handshake messages and alerts that reading produced.
        self.flush()
    }

    /// Hands queued bytes to the kernel until it would block.
    fn flush(&mut self) -> io::Result<()> {
        if let Some(tls) = self.tls.as_mut() {
            // Into our own queue, which cannot block: the kernel gets it below.
            while tls.wants_write() {
                tls.write_tls(&mut self.queued)?;
            }
        }
        while !self.queued.is_empty() {
            match self.tcp.write(&self.queued) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => _ = self.queued.drain(..n),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        if self.queued.len() > MAX_QUEUED {
            return Err(io::Error::other("the TURN server does not read what we send"));
        }
        Ok(())
    }
}

/// Reads until the source would block or [`MAX_READ`] bytes are in. End of stream is an error:
/// the server closed.
fn read_available(source: &mut impl Read, chunk: &mut [u8], out: &mut Vec<u8>) -> io::Result<()> {
    while out.len() < MAX_READ {
        match source.read(chunk) {
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(n) => out.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "turn_stream_tests.rs"]
mod tests;
