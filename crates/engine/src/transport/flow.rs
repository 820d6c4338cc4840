//! Stream flows (TCP, TLS, WS, WSS): one task per connection that frames what arrives, writes what
//! the driver sends, and keeps the flow alive (RFC 5626 §4.4.1: CRLFCRLF ping, CRLF pong).

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use sip_types::Limits;
use sip_types::framing::{Frame, StreamFramer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior, interval_at};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::{FlowId, Transport, TransportEvent};

/// How long a keep-alive ping may go unanswered before the flow is declared dead (RFC 5626
/// recommends 10 s).
const PONG_DEADLINE: Duration = Duration::from_secs(10);

/// How long a partial message may sit in the framer before the flow is closed: a peer that sends
/// half a message and stalls must not hold the flow (and its buffer) forever.
const STALL_DEADLINE: Duration = Duration::from_secs(32);

/// What a flow task needs to know about itself.
pub(super) struct FlowSpec {
    pub(super) id: FlowId,
    pub(super) kind: Transport,
    pub(super) local: SocketAddr,
    pub(super) remote: SocketAddr,
    pub(super) keepalive: Duration,
}

/// The driver's side of a running flow task.
pub(super) struct FlowHandle {
    pub(super) local: SocketAddr,
    tx: mpsc::UnboundedSender<Vec<u8>>,
    task: tokio::task::JoinHandle<()>,
}

impl FlowHandle {
    pub(super) fn send(&self, bytes: Vec<u8>) -> Result<(), ()> {
        self.tx.send(bytes).map_err(|_| ())
    }

    pub(super) fn is_closed(&self) -> bool {
        self.tx.is_closed() || self.task.is_finished()
    }
}

impl Drop for FlowHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Tracks keep-alive: a ping is due every `keepalive`; any bytes from the peer prove liveness.
struct Liveness {
    ping_sent: Option<Instant>,
    partial_since: Option<Instant>,
}

impl Liveness {
    fn heard(&mut self) {
        self.ping_sent = None;
    }

    /// True when the last ping went unanswered too long.
    fn dead(&self, now: Instant) -> bool {
        self.ping_sent.is_some_and(|at| now.duration_since(at) > PONG_DEADLINE)
    }

    /// Notes whether the framer holds a partial message after a read.
    fn partial(&mut self, buffered: bool, now: Instant) {
        if buffered {
            self.partial_since.get_or_insert(now);
        } else {
            self.partial_since = None;
        }
    }

    fn stalled(&self, now: Instant) -> bool {
        self.partial_since.is_some_and(|at| now.duration_since(at) > STALL_DEADLINE)
    }
}

pub(super) fn spawn_framed<S>(
    spec: FlowSpec,
    stream: S,
    events: mpsc::UnboundedSender<TransportEvent>,
) -> FlowHandle
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    spawn_flow(spec, events, |spec, rx, events| async move {
        run_framed(&spec, stream, rx, &events).await
    })
}

/// Runs one flow task and reports its end as [`TransportEvent::Closed`] with the reason `run`
/// returns.
fn spawn_flow<F, Fut>(
    spec: FlowSpec,
    events: mpsc::UnboundedSender<TransportEvent>,
    run: F,
) -> FlowHandle
where
    F: FnOnce(
        FlowSpec,
        mpsc::UnboundedReceiver<Vec<u8>>,
        mpsc::UnboundedSender<TransportEvent>,
    ) -> Fut,
    Fut: std::future::Future<Output = String> + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let (local, id) = (spec.local, spec.id);
    let running = run(spec, rx, events.clone());
    let task = tokio::spawn(async move {
        let reason = running.await;
        let _ = events.send(TransportEvent::Closed { flow: id, reason });
    });
    FlowHandle { local, tx, task }
}

async fn run_framed<S>(
    spec: &FlowSpec,
    stream: S,
    mut rx: mpsc::UnboundedReceiver<Vec<u8>>,
    events: &mpsc::UnboundedSender<TransportEvent>,
) -> String
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (mut rd, mut wr) = tokio::io::split(stream);
    let mut framer = StreamFramer::new(Limits::default());
    let mut buf = vec![0u8; 16 * 1024];
    let mut ticks = interval_at(Instant::now() + spec.keepalive, spec.keepalive);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut live = Liveness { ping_sent: None, partial_since: None };
    loop {
        tokio::select! {
            read = rd.read(&mut buf) => {
                let n = match read {
                    Ok(0) => return "closed by peer".into(),
                    Ok(n) => n,
                    Err(e) => return format!("read failed: {}", e.kind()),
                };
                live.heard();
                framer.feed(&buf[..n]);
                loop {
                    match framer.poll() {
                        Ok(Some(Frame::Message(message))) => {
                            // The UA takes bytes; printing round-trips what the framer parsed.
                            let bytes = message.to_bytes();
                            let event = TransportEvent::Received { flow: spec.id, kind: spec.kind, remote: spec.remote, bytes };
                            if events.send(event).is_err() {
                                return "engine stopped".into();
                            }
                        }
                        Ok(Some(Frame::Ping)) => {
                            if wr.write_all(b"\r\n").await.is_err() {
                                return "write failed".into();
                            }
                        }
                        Ok(Some(Frame::Pong)) => {}
                        Ok(None) => {
                            live.partial(framer.buffered() > 0, Instant::now());
                            break;
                        }
                        // Framing is lost on a stream once a message is malformed: close the flow.
                        Err(e) => return format!("framing error: {e}"),
                    }
                }
            }
            outgoing = rx.recv() => {
                let Some(bytes) = outgoing else { return "closed by engine".into() };
                if wr.write_all(&bytes).await.is_err() {
                    return "write failed".into();
                }
            }
            _ = ticks.tick() => {
                let now = Instant::now();
                if live.dead(now) {
                    return "keep-alive unanswered".into();
                }
                if live.stalled(now) {
                    return "peer stalled in the middle of a message".into();
                }
                if wr.write_all(b"\r\n\r\n").await.is_err() {
                    return "write failed".into();
                }
                live.ping_sent.get_or_insert(now);
            }
        }
    }
}

pub(super) fn spawn_websocket<S>(
    spec: FlowSpec,
    ws: WebSocketStream<S>,
    events: mpsc::UnboundedSender<TransportEvent>,
) -> FlowHandle
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    spawn_flow(spec, events, |spec, rx, events| async move {
        run_websocket(&spec, ws, rx, &events).await
    })
}

async fn run_websocket<S>(
    spec: &FlowSpec,
    ws: WebSocketStream<S>,
    mut rx: mpsc::UnboundedReceiver<Vec<u8>>,
    events: &mpsc::UnboundedSender<TransportEvent>,
) -> String
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (mut sink, mut stream) = ws.split();
    let mut ticks = interval_at(Instant::now() + spec.keepalive, spec.keepalive);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            frame = stream.next() => {
                let bytes = match frame {
                    None => return "closed by peer".into(),
                    Some(Err(e)) => return format!("WebSocket error: {e}"),
                    Some(Ok(WsMessage::Text(text))) => text.as_bytes().to_vec(),
                    Some(Ok(WsMessage::Binary(data))) => data.to_vec(),
                    Some(Ok(WsMessage::Close(_))) => return "closed by peer".into(),
                    // Ping/pong are answered by tungstenite; raw frames are not surfaced.
                    Some(Ok(_)) => continue,
                };
                // RFC 7118: each WebSocket message carries exactly one SIP message.
                let event = TransportEvent::Received { flow: spec.id, kind: spec.kind, remote: spec.remote, bytes };
                if events.send(event).is_err() {
                    return "engine stopped".into();
                }
            }
            outgoing = rx.recv() => {
                let Some(bytes) = outgoing else { return "closed by engine".into() };
                let message = match String::from_utf8(bytes) {
                    Ok(text) => WsMessage::text(text),
                    Err(e) => WsMessage::binary(e.into_bytes()),
                };
                if sink.send(message).await.is_err() {
                    return "write failed".into();
                }
            }
            _ = ticks.tick() => {
                if sink.send(WsMessage::Ping(Vec::new().into())).await.is_err() {
                    return "write failed".into();
                }
            }
        }
    }
}
