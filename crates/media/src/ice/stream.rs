//! TURN servers reached over TCP or TLS: the engine holds the connection, the session frames
//! what goes over it (see `stream_framing`).

use std::net::SocketAddr;
use std::time::Instant;

use super::stream_framing::{FramingError, frame_for_stream};
use super::{IceEvent, IceSession, Received, TurnTransport};

/// A server of [`super::IceConfig::servers`] that is reached over a stream: its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StreamServer(pub usize);

/// Bytes to write on a server's TCP/TLS connection, already framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamWrite {
    /// Which connection.
    pub server: StreamServer,
    /// Bytes (whole messages).
    pub data: Vec<u8>,
}

impl IceSession {
    /// The servers the engine must connect to, with their address and transport.
    pub fn stream_servers(&self) -> Vec<(StreamServer, SocketAddr, TurnTransport)> {
        let links = self.links.iter().enumerate();
        links
            .filter(|(_, l)| l.transport().is_stream())
            .map(|(i, l)| (StreamServer(i), l.server(), l.transport()))
            .collect()
    }

    /// Bytes read from `server`'s connection. Returns the media among them (from the selected
    /// pair only), or the framing error after which the engine must close the connection.
    pub fn handle_stream_data(
        &mut self,
        now: Instant,
        server: StreamServer,
        data: &[u8],
    ) -> Result<Vec<Received>, FramingError> {
        let Some(link) = self.links.get_mut(server.0).filter(|l| l.transport().is_stream()) else {
            return Ok(Vec::new());
        };
        let handled = link.handle_stream(now, data);
        let media = self.link_events(now, server.0);
        if let Ok(refused) = handled {
            self.stats.refused += refused;
        }
        self.pump(now);
        handled.map(|_| media)
    }

    /// `server`'s connection failed, closed, or could not be set up: its allocation is gone.
    pub fn stream_lost(&mut self, now: Instant, server: StreamServer) {
        let Some(link) = self.links.get_mut(server.0).filter(|l| l.transport().is_stream()) else {
            return;
        };
        link.stream_lost();
        self.link_events(now, server.0);
        if self.selected.is_some_and(|p| p.relay.is_some() && link_base_gone(self, p.local_base)) {
            self.selected = None;
            self.events.push_back(IceEvent::Failed);
        }
        self.pump(now);
    }

    /// The next bytes to write on a server's connection.
    pub fn poll_stream_write(&mut self) -> Option<StreamWrite> {
        self.stream_writes.pop_front()
    }

    /// Queues what link `i` has for its server on its connection.
    pub(super) fn queue_stream_write(&mut self, i: usize, data: Vec<u8>) {
        let data = frame_for_stream(data);
        self.stream_writes.push_back(StreamWrite { server: StreamServer(i), data });
    }
}

/// True if no link holds `base` as its relayed address any more.
fn link_base_gone(session: &IceSession, base: SocketAddr) -> bool {
    !session.links.iter().any(|l| l.relayed() == Some(base))
}
