//! A deterministic network of user agents on simulated time, with seeded loss, delay
//! (hence reordering) and duplication. Tests dial, drive until a labelled condition, and
//! assert on counted events and on the messages seen on the wire.
#![allow(dead_code)]

pub mod peer;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sip::{Config, Destination, Event, FlowId, Input, Output, Transport, UserAgent};

/// Network conditions applied to every datagram.
#[derive(Debug, Clone, Copy)]
pub struct Conditions {
    pub loss: f64,
    pub duplicate: f64,
    pub min_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Conditions {
    fn default() -> Self {
        Self { loss: 0.0, duplicate: 0.0, min_delay: ms(10), max_delay: ms(10) }
    }
}

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What sits at a node: a user agent under test or a scripted peer.
pub enum Node {
    Ua {
        ua: Box<UserAgent>,
        events: Vec<Event>,
        timeout: Option<Instant>,
        trusted: BTreeSet<usize>,
    },
    Peer(peer::Peer),
}

/// One message on the wire.
#[derive(Debug, Clone)]
pub struct Wire {
    pub at: Instant,
    pub from: usize,
    pub to: usize,
    pub text: String,
    pub delivered: bool,
}

struct InFlight {
    at: Instant,
    seq: u64,
    from: usize,
    to: usize,
    bytes: Vec<u8>,
}

pub struct Sim {
    pub now: Instant,
    pub start: Instant,
    pub net: Conditions,
    rng: StdRng,
    pub nodes: Vec<(String, Node)>,
    flight: Vec<InFlight>,
    seq: u64,
    pub wire: Vec<Wire>,
}

impl Sim {
    pub fn new(seed: u64) -> Self {
        let start = Instant::now();
        Self {
            now: start,
            start,
            net: Conditions::default(),
            rng: StdRng::seed_from_u64(seed),
            nodes: Vec::new(),
            flight: Vec::new(),
            seq: 0,
            wire: Vec::new(),
        }
    }

    /// The address of node `i` (`192.0.2.<i+1>:5060`: documentation range, never sent to).
    pub fn addr(i: usize) -> String {
        format!("192.0.2.{}:5060", i + 1)
    }

    /// A config for a UA at the next node index.
    pub fn config(&self, user: &str) -> Config {
        let i = self.nodes.len();
        let mut cfg =
            Config::new(format!("sip:{user}@192.0.2.{}", i + 1), Self::addr(i), Transport::Udp);
        cfg.rng_seed = 1000 + i as u64;
        cfg
    }

    /// Adds a UA; every other node is trusted unless `untrust` is called.
    pub fn add_ua(&mut self, cfg: Config) -> usize {
        let i = self.nodes.len();
        let trusted = (0..64).collect();
        let node =
            Node::Ua { ua: Box::new(UserAgent::new(cfg)), events: vec![], timeout: None, trusted };
        self.nodes.push((Self::addr(i), node));
        i
    }

    pub fn add_peer(&mut self, peer: peer::Peer) -> usize {
        let i = self.nodes.len();
        self.nodes.push((Self::addr(i), Node::Peer(peer)));
        i
    }

    pub fn untrust(&mut self, node: usize, peer: usize) {
        if let Node::Ua { trusted, .. } = &mut self.nodes[node].1 {
            trusted.remove(&peer);
        }
    }

    pub fn trust(&mut self, node: usize, peer: usize) {
        if let Node::Ua { trusted, .. } = &mut self.nodes[node].1 {
            trusted.insert(peer);
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.now - self.start
    }

    /// Runs a command on UA `node` at the current time and drains its outputs.
    pub fn cmd<T>(&mut self, node: usize, f: impl FnOnce(&mut UserAgent, Instant) -> T) -> T {
        let now = self.now;
        let Node::Ua { ua, .. } = &mut self.nodes[node].1 else {
            panic!("node {node} is not a UA")
        };
        let r = f(ua, now);
        self.drain(node);
        r
    }

    pub fn ua(&mut self, node: usize) -> &mut UserAgent {
        match &mut self.nodes[node].1 {
            Node::Ua { ua, .. } => ua,
            Node::Peer(_) => panic!("node {node} is not a UA"),
        }
    }

    pub fn peer(&mut self, node: usize) -> &mut peer::Peer {
        match &mut self.nodes[node].1 {
            Node::Peer(p) => p,
            Node::Ua { .. } => panic!("node {node} is not a peer"),
        }
    }

    pub fn events(&self, node: usize) -> &[Event] {
        match &self.nodes[node].1 {
            Node::Ua { events, .. } => events,
            Node::Peer(_) => &[],
        }
    }

    pub fn count(&self, node: usize, pred: impl Fn(&Event) -> bool) -> usize {
        self.events(node).iter().filter(|e| pred(e)).count()
    }

    /// Messages sent by `from` whose first line starts with `start_line`.
    pub fn sent(&self, from: usize, start_line: &str) -> usize {
        self.wire.iter().filter(|w| w.from == from && w.text.starts_with(start_line)).count()
    }

    /// Messages sent by `from` with `start_line` whose CSeq line contains `cseq`.
    pub fn sent_cseq(&self, from: usize, start_line: &str, cseq: &str) -> usize {
        self.wire
            .iter()
            .filter(|w| {
                w.from == from && w.text.starts_with(start_line) && cseq_of(&w.text).contains(cseq)
            })
            .count()
    }

    fn drain(&mut self, node: usize) {
        loop {
            let Node::Ua { ua, events, timeout, .. } = &mut self.nodes[node].1 else { return };
            match ua.poll_output() {
                Some(Output::Transmit(t)) => {
                    let to = self.resolve(node, &t.destination);
                    self.send(node, to, t.bytes);
                }
                Some(Output::Event(e)) => events.push(e),
                Some(Output::Timeout(at)) => {
                    assert!(
                        at > self.now,
                        "node {node} asks to wake at a past instant: a driver would spin"
                    );
                    *timeout = Some(at);
                    return;
                }
                None => {
                    *timeout = None;
                    return;
                }
            }
        }
    }

    fn resolve(&self, _from: usize, dest: &Destination) -> Option<usize> {
        match dest {
            Destination::Flow(FlowId(n)) => usize::try_from(*n).ok(),
            Destination::Target(t) => {
                let port = t.port.unwrap_or(5060);
                self.nodes.iter().position(|(addr, _)| *addr == format!("{}:{port}", t.host))
            }
        }
    }

    /// Puts bytes on the wire from `from` (a peer uses this too), applying the conditions.
    pub fn send(&mut self, from: usize, to: Option<usize>, bytes: Vec<u8>) {
        let Some(to) = to else { return };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lost = self.rng.random_bool(self.net.loss);
        self.wire.push(Wire { at: self.now, from, to, text, delivered: !lost });
        if lost {
            return;
        }
        let copies = if self.rng.random_bool(self.net.duplicate) { 2 } else { 1 };
        for _ in 0..copies {
            let delay = self.rng.random_range(self.net.min_delay..=self.net.max_delay);
            self.seq += 1;
            self.flight.push(InFlight {
                at: self.now + delay,
                seq: self.seq,
                from,
                to,
                bytes: bytes.clone(),
            });
        }
    }

    /// Advances to the next delivery or timer; false when nothing is left to happen.
    pub fn step(&mut self) -> bool {
        let next_flight = self.flight.iter().map(|f| (f.at, f.seq)).min();
        let next_timer = self
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(i, (_, n))| match n {
                Node::Ua { timeout, .. } => timeout.map(|t| (t, i)),
                Node::Peer(_) => None,
            })
            .min();
        match (next_flight, next_timer) {
            (Some((fa, seq)), t) if t.is_none_or(|(ta, _)| fa <= ta) => {
                self.now = self.now.max(fa);
                let idx = self.flight.iter().position(|f| f.seq == seq).expect("in flight");
                let f = self.flight.remove(idx);
                self.deliver(f);
                true
            }
            (_, Some((ta, i))) => {
                self.now = self.now.max(ta);
                let now = self.now;
                if let Node::Ua { ua, .. } = &mut self.nodes[i].1 {
                    ua.handle_input(now, Input::Timeout);
                }
                self.drain(i);
                true
            }
            _ => false,
        }
    }

    fn deliver(&mut self, f: InFlight) {
        let now = self.now;
        match &mut self.nodes[f.to].1 {
            Node::Ua { ua, trusted, .. } => {
                let trusted = trusted.contains(&f.from);
                ua.handle_input(
                    now,
                    Input::Received { flow: FlowId(f.from as u64), trusted, bytes: f.bytes },
                );
                self.drain(f.to);
            }
            Node::Peer(p) => {
                let replies = p.on_message(f.from, &f.bytes);
                for (to, bytes) in replies {
                    self.send(f.to, Some(to), bytes);
                }
            }
        }
    }

    /// Steps until `cond` holds; panics naming `label` if it does not within `limit` of
    /// simulated time.
    pub fn run_until(&mut self, label: &str, limit: Duration, cond: impl Fn(&Sim) -> bool) {
        let deadline = self.now + limit;
        while !cond(self) {
            assert!(
                self.now <= deadline && self.step(),
                "condition `{label}` not reached by {:?}",
                self.elapsed()
            );
        }
    }

    /// Steps through everything that happens within `span` of simulated time.
    pub fn run_for(&mut self, span: Duration) {
        let deadline = self.now + span;
        loop {
            let next_flight = self.flight.iter().map(|f| f.at).min();
            let next_timer = self
                .nodes
                .iter()
                .filter_map(|(_, n)| match n {
                    Node::Ua { timeout, .. } => *timeout,
                    Node::Peer(_) => None,
                })
                .min();
            let next = [next_flight, next_timer].into_iter().flatten().min();
            if next.is_none_or(|n| n > deadline) || !self.step() {
                break;
            }
        }
        self.now = self.now.max(deadline);
    }
}

pub fn cseq_of(text: &str) -> &str {
    text.lines().find(|l| l.to_ascii_lowercase().starts_with("cseq:")).unwrap_or("")
}

/// The call handle of the first IncomingCall event at `node`.
pub fn incoming_call(sim: &Sim, node: usize) -> Option<sip::CallHandle> {
    sim.events(node).iter().find_map(|e| match e {
        Event::IncomingCall { call, .. } => Some(*call),
        _ => None,
    })
}

pub fn has(sim: &Sim, node: usize, pred: impl Fn(&Event) -> bool) -> bool {
    sim.count(node, pred) > 0
}

/// Two UAs, alice (0) and bob (1), calling each other directly.
pub fn pair(seed: u64) -> Sim {
    let mut sim = Sim::new(seed);
    let a = sim.config("alice");
    sim.add_ua(a);
    let b = sim.config("bob");
    sim.add_ua(b);
    sim
}

pub const ALICE: usize = 0;
pub const BOB: usize = 1;
pub const OFFER: &[u8] = b"v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
pub const ANSWER: &[u8] = b"v=0\r\no=b 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

/// Alice calls bob; returns alice's call handle once bob saw the INVITE.
pub fn dial(sim: &mut Sim) -> sip::CallHandle {
    let call = sim
        .cmd(ALICE, |ua, now| ua.invite(now, "sip:bob@192.0.2.2:5060", OFFER.to_vec()))
        .expect("invite");
    sim.run_until("bob sees the call", Duration::from_secs(60), |s| {
        incoming_call(s, BOB).is_some()
    });
    call
}

/// Alice calls bob and bob answers; returns (alice's handle, bob's handle) once both are up.
pub fn established(sim: &mut Sim) -> (sip::CallHandle, sip::CallHandle) {
    let a = dial(sim);
    let b = incoming_call(sim, BOB).expect("incoming");
    sim.cmd(BOB, |ua, now| ua.answer(now, b, ANSWER.to_vec())).expect("answer");
    sim.run_until("both answered", Duration::from_secs(60), |s| {
        has(s, ALICE, |e| matches!(e, Event::Answered { .. }))
            && has(s, BOB, |e| matches!(e, Event::Answered { .. }))
    });
    (a, b)
}
