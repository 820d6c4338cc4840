//! RTCP receive path: compound parsing, SR/RR blocks, RTT computation.
#![no_main]

use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use media::rtp::{Protection, RtpSession};

fuzz_target!(|data: &[u8]| {
    let now = Instant::now();
    let peer = "127.0.0.1:5004".parse().expect("literal address");
    let mut s = RtpSession::new(now, (peer, peer), Protection::Plain, 8000, vec![0]);
    let mut packet = vec![0x80, 200];
    packet.extend_from_slice(data);
    let _ = s.receive(now, peer, &packet);
    let _ = s.receive(now, peer, data);
    let _ = s.poll_rtcp(now + std::time::Duration::from_secs(10));
});
