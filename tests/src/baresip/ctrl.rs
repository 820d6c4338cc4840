//! A client for baresip's `ctrl_tcp` module: netstring-framed JSON commands with tokens, and a
//! reader thread that collects every event.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::event::Event;
use crate::error::PeerError;

const PEER: &str = "baresip";

/// A command's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Whether baresip reported success.
    pub ok: bool,
    /// The text it printed for the command.
    pub data: String,
}

#[derive(Debug, Default)]
struct State {
    events: Vec<Event>,
    responses: HashMap<String, Response>,
    closed: bool,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means the reader thread panicked; the data is still usable.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until `found` returns `Some` or `timeout` passes.
    fn wait<T>(&self, timeout: Duration, mut found: impl FnMut(&State) -> Option<T>) -> Option<T> {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            if let Some(value) = found(&state) {
                return Some(value);
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            if state.closed {
                return None;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }
}

/// A connected control client.
#[derive(Debug)]
pub struct Ctrl {
    stream: TcpStream,
    shared: Arc<Shared>,
    next_token: u64,
    reader: Option<JoinHandle<()>>,
}

impl Ctrl {
    /// Connects to `ctrl_tcp` at `addr` and starts collecting events.
    pub fn connect(addr: SocketAddr) -> Result<Self, PeerError> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))
            .map_err(PeerError::io(PEER))?;
        let read_half = stream.try_clone().map_err(PeerError::io(PEER))?;
        let shared = Arc::new(Shared::default());
        let reader_shared = Arc::clone(&shared);
        let reader = std::thread::spawn(move || read_loop(read_half, &reader_shared));
        Ok(Self { stream, shared, next_token: 1, reader: Some(reader) })
    }

    /// Sends `command` with `params` and waits up to `timeout` for its response.
    pub fn command(
        &mut self,
        command: &str,
        params: &str,
        timeout: Duration,
    ) -> Result<Response, PeerError> {
        let token = format!("t{}", self.next_token);
        self.next_token += 1;
        let body = json!({ "command": command, "params": params, "token": token }).to_string();
        let frame = format!("{}:{body},", body.len());
        self.stream.write_all(frame.as_bytes()).map_err(PeerError::io(PEER))?;
        self.shared.wait(timeout, |s| s.responses.get(&token).cloned()).ok_or_else(|| {
            PeerError::Control {
                peer: PEER,
                command: command.to_owned(),
                reason: format!("no response within {timeout:?}"),
            }
        })
    }

    /// Every event received so far.
    pub fn events(&self) -> Vec<Event> {
        self.shared.lock().events.clone()
    }

    /// Waits for the first event (by arrival index) that satisfies `matches`; returns its
    /// index and a copy.
    pub fn wait_event(
        &self,
        timeout: Duration,
        matches: impl Fn(usize, &Event) -> bool,
    ) -> Option<(usize, Event)> {
        self.shared.wait(timeout, |s| {
            let mut all = s.events.iter().enumerate();
            all.find(|(i, e)| matches(*i, e)).map(|(i, e)| (i, e.clone()))
        })
    }
}

impl Drop for Ctrl {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

fn read_loop(mut stream: TcpStream, shared: &Shared) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        while let Some((message, used)) = next_netstring(&buf) {
            if let Ok(value) = serde_json::from_slice::<Value>(message) {
                deliver(shared, value);
            }
            buf.drain(..used);
        }
    }
    shared.lock().closed = true;
    shared.changed.notify_all();
}

fn deliver(shared: &Shared, value: Value) {
    let mut state = shared.lock();
    if value.get("response").and_then(Value::as_bool) == Some(true) {
        let token = value.get("token").and_then(Value::as_str).unwrap_or_default().to_owned();
        let ok = value.get("ok").and_then(Value::as_bool).unwrap_or(false);
        let data = value.get("data").and_then(Value::as_str).unwrap_or_default().to_owned();
        state.responses.insert(token, Response { ok, data });
    } else if let Some(event) = Event::from_json(value) {
        state.events.push(event);
    }
    drop(state);
    shared.changed.notify_all();
}

/// The first complete netstring (`LEN:PAYLOAD,`) in `buf`: its payload and the bytes it spans.
fn next_netstring(buf: &[u8]) -> Option<(&[u8], usize)> {
    let colon = buf.iter().position(|&b| b == b':')?;
    let len: usize = std::str::from_utf8(buf.get(..colon)?).ok()?.trim().parse().ok()?;
    let end = colon + 1 + len;
    let payload = buf.get(colon + 1..end)?;
    (buf.get(end) == Some(&b',')).then_some((payload, end + 1))
}

#[cfg(test)]
mod tests {
    use super::next_netstring;

    #[test]
    fn netstrings_are_split_only_when_complete() {
        assert_eq!(next_netstring(b"3:abc,4:de"), Some((&b"abc"[..], 6)));
        assert_eq!(next_netstring(b"4:de"), None);
        assert_eq!(next_netstring(b"2:abc"), None);
    }
}
