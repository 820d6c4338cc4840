//! STUN parsing on the media port (demultiplexed by first byte, RFC 7983).
#![no_main]

use libfuzzer_sys::fuzz_target;
use media::demux::{PacketKind, classify, parse_stun};

fuzz_target!(|data: &[u8]| {
    let _ = classify(data);
    let _ = parse_stun(data);
    if let Some(rest) = data.get(1..) {
        // Force a plausible STUN header so the attribute parser is reached.
        let mut m = vec![0x00, 0x01];
        m.extend_from_slice(&(rest.len() as u16).to_be_bytes());
        m.extend_from_slice(&[0x21, 0x12, 0xA4, 0x42]);
        m.extend_from_slice(rest);
        if classify(&m) == PacketKind::Stun {
            let _ = parse_stun(&m);
        }
    }
});
