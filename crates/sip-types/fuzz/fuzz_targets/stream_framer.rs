//! Feed arbitrary bytes to the stream framer in arbitrary chunks: it never panics, never holds
//! more than the message limit plus one chunk, and frames exactly what a one-shot feed frames.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sip_types::Limits;
use sip_types::framing::{Frame, StreamFramer};

fn run(data: &[u8], chunk: usize) -> (Vec<Frame>, bool) {
    let limits = Limits::default();
    let mut framer = StreamFramer::new(limits);
    let mut frames = Vec::new();
    for piece in data.chunks(chunk.max(1)) {
        framer.feed(piece);
        loop {
            match framer.poll() {
                Ok(Some(f)) => frames.push(f),
                Ok(None) => break,
                Err(_) => return (frames, true),
            }
        }
        assert!(framer.buffered() <= limits.max_message_bytes + piece.len() + 4);
    }
    (frames, false)
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (chunked, chunked_err) = run(rest, usize::from(first % 64) + 1);
    let (whole, whole_err) = run(rest, rest.len());
    if !chunked_err && !whole_err {
        // A lone CRLF at a chunk boundary reads as a pong; compare messages only.
        let msgs = |f: &[Frame]| {
            f.iter()
                .filter_map(|f| match f {
                    Frame::Message(m) => Some(m.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(msgs(&chunked), msgs(&whole));
    }
});
