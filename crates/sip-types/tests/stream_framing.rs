//! The stream framer: arbitrary chunking, CRLF keep-alives, Content-Length framing, limits, and a
//! peer that sends half a message and stalls.

use sip_types::framing::{Frame, StreamFramer};
use sip_types::{Limits, Message, ParseErrorKind as K};

fn message(body: &str) -> Vec<u8> {
    format!(
        "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\
From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: f@h\r\n\
CSeq: 1 MESSAGE\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn drain(framer: &mut StreamFramer) -> Vec<Frame> {
    let mut out = Vec::new();
    while let Some(frame) = framer.poll().expect("no framing error") {
        out.push(frame);
    }
    out
}

#[test]
fn messages_survive_any_chunking() {
    let mut stream = message("hello");
    stream.extend(message(""));
    for chunk in [1, 2, 3, 7, 64, stream.len()] {
        let mut framer = StreamFramer::default();
        framer.feed(b"\r\n\r\n");
        assert_eq!(drain(&mut framer), [Frame::Ping]);
        let mut frames = Vec::new();
        for piece in stream.chunks(chunk) {
            framer.feed(piece);
            frames.extend(drain(&mut framer));
        }
        assert_eq!(frames.len(), 2, "chunk size {chunk}");
        let Frame::Message(m) = &frames[0] else {
            panic!("message expected");
        };
        assert_eq!(m.body(), b"hello");
        assert_eq!(framer.buffered(), 0);
    }
}

#[test]
fn single_crlf_is_a_pong() {
    let mut framer = StreamFramer::default();
    framer.feed(b"\r\n");
    assert_eq!(framer.poll().expect("ok"), Some(Frame::Pong));
    assert_eq!(framer.poll().expect("ok"), None);
}

#[test]
fn half_a_message_never_completes() {
    let full = message("0123456789");
    let mut framer = StreamFramer::default();
    framer.feed(&full[..full.len() - 4]);
    assert_eq!(framer.poll().expect("ok"), None);
    assert_eq!(framer.poll().expect("ok"), None);
    framer.feed(&full[full.len() - 4..]);
    assert!(matches!(framer.poll().expect("ok"), Some(Frame::Message(_))));
}

#[test]
fn missing_content_length_is_an_error_on_streams() {
    let mut framer = StreamFramer::default();
    framer.feed(b"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n");
    assert_eq!(framer.poll().expect_err("no CL").kind, K::MissingContentLength);
}

#[test]
fn oversized_header_section_is_an_error_not_a_buffer() {
    let mut framer = StreamFramer::new(Limits::default());
    framer.feed(b"OPTIONS sip:a@b SIP/2.0\r\n");
    let junk = format!("X: {}\r\n", "a".repeat(1000));
    for _ in 0..20 {
        framer.feed(junk.as_bytes());
    }
    assert!(matches!(framer.poll().expect_err("too big").kind, K::MessageTooLarge { .. }));
}

#[test]
fn announced_oversized_body_is_rejected_at_once() {
    let mut framer = StreamFramer::default();
    framer.feed(b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1000000\r\n\r\n");
    assert!(matches!(framer.poll().expect_err("too big").kind, K::MessageTooLarge { .. }));
}

#[test]
fn framed_message_equals_datagram_parse() {
    let bytes = message("abc");
    let mut framer = StreamFramer::default();
    framer.feed(&bytes);
    let Some(Frame::Message(m)) = framer.poll().expect("ok") else {
        panic!("message expected");
    };
    assert_eq!(m, Message::parse(&bytes).expect("datagram"));
}

#[test]
fn bare_lf_line_ends_frame_like_crlf() {
    let lf_only = String::from_utf8(message("hi")).expect("ascii").replace("\r\n", "\n");
    let mut stream = lf_only.into_bytes();
    stream.extend(message("next"));
    for chunk in [1, 5, stream.len()] {
        let mut framer = StreamFramer::default();
        let mut bodies = Vec::new();
        for piece in stream.chunks(chunk) {
            framer.feed(piece);
            for frame in drain(&mut framer) {
                let Frame::Message(m) = frame else { panic!("message expected") };
                bodies.push(m.body().to_vec());
            }
        }
        assert_eq!(bodies, [b"hi".to_vec(), b"next".to_vec()], "chunk size {chunk}");
    }
}
