//! Hostile bytes on a TCP/TLS connection to a TURN server: the framing decoder alone, cut at
//! every place the input chooses, then the whole session fed the same bytes as its stream.
#![no_main]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use media::ice::{
    CandidatePolicy, IceConfig, IceServer, IceSession, StreamDecoder, StreamServer,
    TurnCredentials, TurnTransport,
};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the read sizes, as a kernel would split the stream.
    let Some((&step, stream)) = data.split_first() else { return };
    let step = usize::from(step).max(1);
    let mut decoder = StreamDecoder::default();
    for chunk in stream.chunks(step) {
        decoder.push(chunk);
        while let Ok(Some(message)) = decoder.next_message() {
            assert!(!message.is_empty());
        }
    }

    let now = Instant::now();
    let server = IceServer {
        addr: SocketAddr::from(([127, 0, 0, 1], 3478)),
        credentials: Some(TurnCredentials { username: "u".into(), password: "p".into() }),
        transport: TurnTransport::Tcp,
    };
    let base = SocketAddr::from(([127, 0, 0, 1], 40000));
    let config = IceConfig { base, servers: vec![server], policy: CandidatePolicy::RelayOnly };
    let Ok(mut ice) = IceSession::new(now, config) else { return };
    for chunk in stream.chunks(step) {
        if ice.handle_stream_data(now, StreamServer(0), chunk).is_err() {
            ice.stream_lost(now, StreamServer(0));
            break;
        }
    }
    ice.handle_timeout(now + Duration::from_secs(1));
    while ice.poll_stream_write().is_some() {}
});
