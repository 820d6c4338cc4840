//! TURN/ICE input: anything a TURN server or a peer may send to a call's ICE session (STUN
//! responses, Data indications, ChannelData, checks), and ICE candidates from a peer's SDP.
#![no_main]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use media::ice::{
    CandidatePolicy, IceConfig, IceParameters, IceServer, IceSession, TurnCredentials,
    TurnTransport,
};

const SERVER: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 3478);

fuzz_target!(|data: &[u8]| {
    let now = Instant::now();
    let server = IceServer {
        addr: SERVER,
        credentials: Some(TurnCredentials { username: "u".into(), password: "p".into() }),
        transport: TurnTransport::Udp,
    };
    let base = SocketAddr::from(([127, 0, 0, 1], 40000));
    let config = IceConfig { base, servers: vec![server], policy: CandidatePolicy::All };
    let Ok(mut ice) = IceSession::new(now, config) else { return };
    let _ = ice.handle_datagram(now, SERVER, data);
    // ChannelData framing (0x40..0x7F) with the fuzz input as payload.
    let mut channel = vec![0x40, 0x00];
    channel.extend_from_slice(&(data.len().min(u16::MAX as usize) as u16).to_be_bytes());
    channel.extend_from_slice(data);
    let _ = ice.handle_datagram(now, SERVER, &channel);
    let _ = ice.handle_datagram(now, SocketAddr::from(([127, 0, 0, 1], 5000)), data);
    ice.handle_timeout(now + Duration::from_secs(1));
    while ice.poll_transmit().is_some() {}
    if let Ok(text) = std::str::from_utf8(data) {
        let remote = IceParameters {
            ufrag: "abcd".into(),
            pwd: "x".repeat(22),
            candidates: vec![text.to_owned()],
        };
        let _ = remote.parsed_candidates();
        let _ = ice.start(now, true, &remote);
        ice.handle_timeout(now + Duration::from_secs(2));
    }
});
