//! RTP receive path (plain, so the parser behind SRTP is reached) plus DTMF payloads.
#![no_main]

use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use media::rtp::{Protection, RtpSession};

fuzz_target!(|data: &[u8]| {
    let now = Instant::now();
    let peer = "127.0.0.1:5004".parse().expect("literal address");
    let mut s = RtpSession::new(now, (peer, peer), Protection::Plain, 8000, vec![0, 101]);
    let mut rx = media::dtmf::DtmfReceiver::default();
    // Interpret the input as a sequence of datagrams split on a marker, to reach sequence logic.
    for chunk in data.split(|b| *b == 0xA5) {
        let mut packet = vec![0x80];
        packet.extend_from_slice(chunk);
        if let Some(p) = s.receive(now, peer, &packet) {
            let _ = rx.receive(p.timestamp, &p.payload);
        }
    }
    let _ = s.stats();
});
