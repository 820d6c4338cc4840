//! A call's ICE session together with the TCP/TLS connections to its TURN servers: what the
//! gathering loop and the media thread drive, whichever way each server is reached.

use std::io;
use std::net::{IpAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use media::ice::{IceSession, Received, StreamServer, TurnTransport};
use rustls::pki_types::ServerName;

use super::turn_stream::{TlsClient, TurnStream};

/// How long a loop may sleep on the UDP socket while a TURN stream might have data: the loops
/// wait on that socket alone, so a stream is looked at this often (a few wake-ups per
/// 20 ms frame, and no more added delay than this).
pub(crate) const STREAM_POLL: Duration = Duration::from_millis(2);

/// The ICE session and its stream connections.
#[derive(Debug)]
pub(crate) struct IceLink {
    /// The session (candidates, checks, relays).
    pub session: IceSession,
    streams: Vec<(StreamServer, TurnStream)>,
    read_buf: Vec<u8>,
}

impl IceLink {
    /// Connects to every server the session reaches over TCP or TLS; one that cannot be
    /// reached is reported to the session (which then gathers without it).
    pub(crate) fn connect(
        mut session: IceSession,
        now: Instant,
        tls: Option<&Arc<rustls::ClientConfig>>,
        host: impl Fn(StreamServer) -> Option<String>,
    ) -> Self {
        let mut streams = Vec::new();
        for (server, addr, transport) in session.stream_servers() {
            let tls_client = match transport {
                TurnTransport::Tls => tls_client(tls, host(server).as_deref(), addr.ip()),
                _ => Ok(None),
            };
            match tls_client.and_then(|t| TurnStream::connect(addr, t.as_ref())) {
                Ok(stream) => streams.push((server, stream)),
                Err(error) => {
                    // The kind only: a TLS error's text may carry names and addresses.
                    tracing::warn!(kind = ?error.kind(), ?transport, "TURN server unreachable");
                    session.stream_lost(now, server);
                }
            }
        }
        Self { session, streams, read_buf: Vec::new() }
    }

    /// True if a TURN server is reached over a stream (the loops then poll it).
    pub(crate) fn has_streams(&self) -> bool {
        !self.streams.is_empty()
    }

    /// Sends what the session has ready: datagrams from the call's socket, stream bytes on
    /// their connections.
    pub(crate) fn flush(&mut self, socket: &UdpSocket) {
        while let Some(t) = self.session.poll_transmit() {
            if let Err(e) = socket.send_to(&t.data, t.to) {
                tracing::debug!(error = %e, "ICE send failed");
            }
        }
        while let Some(w) = self.session.poll_stream_write() {
            let Some(i) = self.streams.iter().position(|(s, _)| *s == w.server) else {
                continue;
            };
            let failed = self.streams.get_mut(i).is_some_and(|(_, s)| s.write(&w.data).is_err());
            if failed {
                self.drop_stream(i, Instant::now());
            }
        }
    }

    /// Reads every stream and feeds the session; returns the media that arrived.
    pub(crate) fn read_streams(&mut self, now: Instant) -> Vec<Received> {
        let mut media = Vec::new();
        let mut i = 0;
        while let Some((server, stream)) = self.streams.get_mut(i) {
            let server = *server;
            self.read_buf.clear();
            let read = stream.read(&mut self.read_buf);
            let fed = self.session.handle_stream_data(now, server, &self.read_buf);
            match (read, fed) {
                (Ok(()), Ok(mut got)) => {
                    media.append(&mut got);
                    i += 1;
                }
                (read, fed) => {
                    media.extend(fed.unwrap_or_default());
                    tracing::warn!(closed = read.is_err(), "TURN connection lost");
                    self.drop_stream(i, now);
                }
            }
        }
        media
    }

    fn drop_stream(&mut self, i: usize, now: Instant) {
        if i < self.streams.len() {
            let (server, _) = self.streams.remove(i);
            self.session.stream_lost(now, server);
        }
    }
}

/// The TLS side of a `turns:` connection: the trust and the name to verify the server's
/// certificate against (its DNS name, or its IP address when the URI gave one).
fn tls_client(
    config: Option<&Arc<rustls::ClientConfig>>,
    host: Option<&str>,
    ip: IpAddr,
) -> io::Result<Option<TlsClient>> {
    let config = config.ok_or_else(|| io::Error::other("no TLS trust for a turns: server"))?;
    let name = match host {
        Some(h) if h.parse::<IpAddr>().is_err() => ServerName::try_from(h.to_owned())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?,
        _ => ServerName::IpAddress(ip.into()),
    };
    Ok(Some(TlsClient { config: Arc::clone(config), name }))
}

/// Relay-only gathering ended without a relayed address: no TURN server answered, one
/// refused us, or its certificate was not trusted.
#[derive(Debug, thiserror::Error)]
#[error("relay-only, and no TURN server gave us a relayed address")]
pub(crate) struct NoRelay;

/// [`NoRelay`] as the I/O error that opening a call returns.
pub(crate) fn no_relay() -> io::Error {
    io::Error::other(NoRelay)
}

/// True if opening a call failed for want of a relay (not of a socket).
pub(crate) fn is_no_relay(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|e| e.is::<NoRelay>())
}
