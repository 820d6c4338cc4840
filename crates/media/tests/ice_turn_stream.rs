//! A TURN server over TCP/TLS: the session's side of the stream, on simulated time.

use std::time::Duration;

use rtc_stun::attributes::ATTR_MESSAGE_INTEGRITY;
use rtc_stun::error_code::CODE_UNAUTHORIZED;
use rtc_stun::message::{METHOD_ALLOCATE, Message};

mod turn_server;

use media::ice::*;
use turn_server::*;

/// The one request written on the stream since the last call; nothing goes on the socket.
fn written_request(ice: &mut IceSession) -> Message {
    assert_eq!(ice.poll_transmit(), None, "a stream server gets nothing by datagram");
    let mut decoder = StreamDecoder::default();
    while let Some(w) = ice.poll_stream_write() {
        assert_eq!(w.server, StreamServer(0));
        decoder.push(&w.data);
    }
    let bytes = decoder.next_message().expect("framed").expect("a whole request");
    assert_eq!(decoder.pending(), 0);
    let mut m = Message::new();
    m.unmarshal_binary(&bytes).expect("STUN");
    m
}

fn challenge(request: &Message) -> Vec<u8> {
    error_answer(request, METHOD_ALLOCATE, CODE_UNAUTHORIZED, "r", "n")
}

#[test]
fn over_tcp_the_allocate_goes_on_the_stream_and_split_answers_are_understood() {
    let now = origin();
    let mut ice = relay_only_over(origin(), TurnTransport::Tcp);
    assert_eq!(ice.stream_servers(), vec![(StreamServer(0), addr(SERVER), TurnTransport::Tcp)]);
    let first = written_request(&mut ice);
    assert_eq!(first.typ.method, METHOD_ALLOCATE);
    let reply = challenge(&first);
    let (head, tail) = reply.split_at(7);
    assert_eq!(ice.handle_stream_data(now, StreamServer(0), head), Ok(Vec::new()));
    assert_eq!(ice.handle_stream_data(now, StreamServer(0), tail), Ok(Vec::new()));
    let authed = written_request(&mut ice);
    assert!(authed.contains(ATTR_MESSAGE_INTEGRITY));
    let relayed = addr(RELAYED);
    let ok = allocate_success(&authed, Duration::from_secs(600));
    assert_eq!(ice.handle_stream_data(now, StreamServer(0), &ok), Ok(Vec::new()));
    assert!(ice.gathering_done());
    assert_eq!(ice.default_address(), Some(relayed));
    let candidates = ice.local_parameters().candidates;
    // Relay type preference 0, local preference 49151 for TCP, component 1.
    let priority = (49151u32 << 8) + 255;
    assert!(candidates[0].contains(&format!(" {priority} ")), "{candidates:?}");
}

#[test]
fn tls_relays_rank_below_tcp_and_tcp_below_udp() {
    let prefs = [TurnTransport::Udp, TurnTransport::Tcp, TurnTransport::Tls]
        .map(TurnTransport::local_preference);
    assert!(prefs[0] > prefs[1] && prefs[1] > prefs[2], "{prefs:?}");
}

#[test]
fn a_datagram_from_the_address_of_a_stream_server_is_not_its_answer() {
    let now = origin();
    let mut ice = relay_only_over(origin(), TurnTransport::Tls);
    let first = written_request(&mut ice);
    assert_eq!(ice.handle_datagram(now, addr(SERVER), &challenge(&first)), None);
    assert_eq!(ice.poll_stream_write(), None, "no authenticated retry was provoked");
    assert_eq!(ice.stats().refused, 1);
}

#[test]
fn a_stream_out_of_frame_is_refused_and_its_loss_ends_gathering() {
    let now = origin();
    let mut ice = relay_only_over(origin(), TurnTransport::Tcp);
    written_request(&mut ice);
    let broken = ice.handle_stream_data(now, StreamServer(0), &[0xff, 0, 0, 0]);
    assert_eq!(broken, Err(FramingError::UnknownMessage));
    ice.stream_lost(now, StreamServer(0));
    assert!(ice.gathering_done());
    let events: Vec<IceEvent> = std::iter::from_fn(|| ice.poll_event()).collect();
    assert!(events.contains(&IceEvent::ServerFailed("the TURN connection failed")), "{events:?}");
    assert_eq!(ice.default_address(), None);
}
