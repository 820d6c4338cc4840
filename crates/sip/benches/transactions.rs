//! Transaction-layer throughput: a whole call (INVITE/100/180/200/ACK/BYE/200) between two
//! in-memory user agents, and OPTIONS answered by a UA, per iteration.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sip::{Config, Event, FlowId, Input, Output, Transport, UserAgent};

const SDP: &[u8] = b"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

/// Moves every transmit of `from` into `to`; returns the events `from` raised.
fn pump(now: Instant, from: &mut UserAgent, to: &mut UserAgent, from_flow: u64) -> Vec<Event> {
    let mut events = Vec::new();
    while let Some(out) = from.poll_output() {
        match out {
            Output::Transmit(t) => {
                to.handle_input(
                    now,
                    Input::Received { flow: FlowId(from_flow), trusted: true, bytes: t.bytes },
                );
            }
            Output::Event(e) => events.push(e),
            Output::Timeout(_) => break,
        }
    }
    events
}

fn call(alice: &mut UserAgent, bob: &mut UserAgent, now: Instant) {
    let a = alice.invite(now, "sip:bob@192.0.2.2:5060", SDP.to_vec()).expect("invite");
    pump(now, alice, bob, 1);
    let incoming = pump(now, bob, alice, 2);
    let Some(Event::IncomingCall { call: b, .. }) = incoming.into_iter().next() else {
        panic!("no call")
    };
    bob.ringing(now, b, None).expect("ring");
    bob.answer(now, b, SDP.to_vec()).expect("answer");
    for _ in 0..3 {
        pump(now, bob, alice, 2);
        pump(now, alice, bob, 1);
    }
    alice.hangup(now, a).expect("hangup");
    for _ in 0..3 {
        pump(now, alice, bob, 1);
        pump(now, bob, alice, 2);
    }
}

fn pair() -> (UserAgent, UserAgent) {
    let mut a = Config::new("sip:alice@192.0.2.1", "192.0.2.1:5060", Transport::Tcp);
    a.limits.max_transactions = 1 << 16;
    let mut b = Config::new("sip:bob@192.0.2.2", "192.0.2.2:5060", Transport::Tcp);
    b.limits.max_transactions = 1 << 16;
    (UserAgent::new(a), UserAgent::new(b))
}

fn bench_call(c: &mut Criterion) {
    let mut group = c.benchmark_group("transactions");
    group.throughput(Throughput::Elements(1));
    group.bench_function("call_setup_and_teardown", |bench| {
        let (mut alice, mut bob) = pair();
        let mut now = Instant::now();
        bench.iter(|| {
            call(&mut alice, &mut bob, now);
            // Let timers K/J/L/M run out so the tables stay small.
            now += Duration::from_secs(40);
            alice.handle_input(now, Input::Timeout);
            bob.handle_input(now, Input::Timeout);
        });
    });
    group.bench_function("options_answered", |bench| {
        let (_, mut bob) = pair();
        let mut now = Instant::now();
        let mut n = 0u64;
        bench.iter(|| {
            n += 1;
            let req = format!(
                "OPTIONS sip:bob@192.0.2.2 SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.9;branch=z9hG4bK{n}\r\nFrom: <sip:x@192.0.2.9>;tag=1\r\nTo: <sip:bob@192.0.2.2>\r\nCall-ID: {n}@x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
            );
            bob.handle_input(now, Input::Received { flow: FlowId(9), trusted: true, bytes: req.into_bytes() });
            while let Some(Output::Transmit(_)) = bob.poll_output() {}
            now += Duration::from_millis(1);
        });
    });
    group.finish();
}

criterion_group!(benches, bench_call);
criterion_main!(benches);
