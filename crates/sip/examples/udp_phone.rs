//! A minimal blocking UDP driver for [`sip::UserAgent`]: the whole engine contract in one
//! screen. `call` dials a URI and hangs up one second after the answer; `answer` picks up
//! every incoming call and waits for the caller's BYE.
//!
//! ```text
//! cargo run -p sip --example udp_phone -- call 127.0.0.1:15060 sip:service@127.0.0.1:15070
//! cargo run -p sip --example udp_phone -- answer 127.0.0.1:15060
//! ```

use std::collections::HashMap;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use sip::{CallHandle, Config, Destination, Event, FlowId, Input, Output, Transport, UserAgent};

const SDP: &[u8] = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

struct Driver {
    socket: UdpSocket,
    ua: UserAgent,
    /// One flow per remote address on the single UDP socket.
    flows: HashMap<SocketAddr, FlowId>,
    wake: Option<Instant>,
}

impl Driver {
    fn flow(&mut self, remote: SocketAddr) -> FlowId {
        let next = FlowId(self.flows.len() as u64 + 1);
        *self.flows.entry(remote).or_insert(next)
    }

    fn send(&mut self, destination: Destination, bytes: &[u8]) {
        let remote = match destination {
            Destination::Flow(id) => self.flows.iter().find(|(_, f)| **f == id).map(|(a, _)| *a),
            Destination::Target(t) => (t.host.as_str(), t.port.unwrap_or(5060))
                .to_socket_addrs()
                .ok()
                .and_then(|mut a| a.next()),
        };
        if let Some(remote) = remote {
            let _ = self.socket.send_to(bytes, remote);
        }
    }

    /// Drains outputs; returns the events.
    fn drain(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(out) = self.ua.poll_output() {
            match out {
                Output::Transmit(t) => self.send(t.destination, &t.bytes),
                Output::Event(e) => events.push(e),
                Output::Timeout(at) => {
                    self.wake = Some(at);
                    return events;
                }
            }
        }
        self.wake = None;
        events
    }

    /// Waits for a datagram or the next timer, feeds it, and returns the events.
    fn turn(&mut self) -> Vec<Event> {
        let wait = self
            .wake
            .map_or(Duration::from_millis(200), |w| w.saturating_duration_since(Instant::now()));
        self.socket.set_read_timeout(Some(wait.max(Duration::from_millis(1)))).expect("timeout");
        let mut buf = vec![0u8; 65_535];
        let input = match self.socket.recv_from(&mut buf) {
            Ok((n, remote)) => {
                let flow = self.flow(remote);
                Input::Received { flow, trusted: true, bytes: buf[..n].to_vec() }
            }
            Err(_) => Input::Timeout,
        };
        self.ua.handle_input(Instant::now(), input);
        self.drain()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, local) = (args.get(1).map(String::as_str), args.get(2).cloned().unwrap_or_default());
    let socket = UdpSocket::bind(&local).expect("bind the local address");
    let cfg = Config::new(format!("sip:phone@{local}"), local, Transport::Udp);
    let mut d = Driver { socket, ua: UserAgent::new(cfg), flows: HashMap::new(), wake: None };
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut answered_at: Option<(CallHandle, Instant)> = None;
    if mode == Some("call") {
        let target = args.get(3).expect("a target URI");
        d.ua.invite(Instant::now(), target, SDP.to_vec()).expect("invite");
        d.drain();
    }
    while Instant::now() < deadline {
        for event in d.turn() {
            println!("{event:?}");
            match event {
                Event::IncomingCall { call, .. } => {
                    d.ua.answer(Instant::now(), call, SDP.to_vec()).expect("answer");
                    d.drain();
                }
                Event::Answered { call, .. } if mode == Some("call") => {
                    answered_at = Some((call, Instant::now()))
                }
                Event::Ended { .. } => return,
                _ => {}
            }
        }
        if let Some((call, at)) = answered_at
            && at.elapsed() > Duration::from_secs(1)
        {
            d.ua.hangup(Instant::now(), call).expect("hangup");
            for event in d.drain() {
                println!("{event:?}");
            }
            // Serve the BYE's 200 before leaving.
            let until = Instant::now() + Duration::from_secs(2);
            while Instant::now() < until && d.ua.call_count() > 0 {
                d.turn();
            }
            return;
        }
    }
    std::process::exit(1);
}
