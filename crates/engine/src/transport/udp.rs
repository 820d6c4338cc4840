//! The UDP flow: one socket, one datagram per message.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::{FlowId, Transport, TransportEvent};

/// Largest datagram accepted. SIP over UDP must stay under the path MTU in practice; anything
/// larger than this is hostile and is dropped by the truncation check below.
const MAX_DATAGRAM: usize = 65_535;

pub(super) struct UdpFlow {
    id: FlowId,
    socket: Arc<UdpSocket>,
    local: SocketAddr,
    reader: tokio::task::JoinHandle<()>,
}

impl UdpFlow {
    pub(super) async fn bind(
        local: SocketAddr,
        id: FlowId,
        events: mpsc::UnboundedSender<TransportEvent>,
    ) -> std::io::Result<Self> {
        let socket = Arc::new(UdpSocket::bind(local).await?);
        let local = socket.local_addr()?;
        let reader = tokio::spawn(read_loop(socket.clone(), id, events));
        Ok(Self { id, socket, local, reader })
    }

    pub(super) fn id(&self) -> FlowId {
        self.id
    }

    pub(super) fn local_addr(&self) -> SocketAddr {
        self.local
    }

    pub(super) async fn send(&self, to: SocketAddr, bytes: &[u8]) -> std::io::Result<()> {
        self.socket.send_to(bytes, to).await.map(|_| ())
    }
}

impl Drop for UdpFlow {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

async fn read_loop(
    socket: Arc<UdpSocket>,
    flow: FlowId,
    events: mpsc::UnboundedSender<TransportEvent>,
) {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        let (len, remote) = match socket.recv_from(&mut buf).await {
            Ok(got) => got,
            // ICMP port-unreachable surfaces as an error on some platforms; the socket lives on.
            Err(_) => continue,
        };
        let bytes = &buf[..len];
        // Keep-alive CRLFs (RFC 5626 §4.4.1) and empty datagrams carry no message.
        if bytes.iter().all(|b| matches!(b, b'\r' | b'\n')) {
            continue;
        }
        let event =
            TransportEvent::Received { flow, kind: Transport::Udp, remote, bytes: bytes.to_vec() };
        if events.send(event).is_err() {
            return;
        }
    }
}
