//! Hostile input: oversized messages, header floods, unterminated quotes, Content-Length lies,
//! NUL bytes, non-UTF-8, deep nesting. Every case is an error naming the problem, never a panic.

use sip_types::{HeaderName, Limits, Message, ParseErrorKind as K, ValueError};

const HEAD: &str = "OPTIONS sip:bob@example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKhostile\r\n\
From: <sip:alice@example.com>;tag=1\r\n\
To: <sip:bob@example.com>\r\n\
Call-ID: hostile@192.0.2.1\r\n\
CSeq: 1 OPTIONS\r\n";

fn with(extra: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("{HEAD}{extra}\r\n").into_bytes();
    m.extend_from_slice(body);
    m
}

fn kind(bytes: &[u8]) -> K {
    Message::parse(bytes).expect_err("must be rejected").kind
}

#[test]
fn oversized_message_is_rejected_before_parsing() {
    let body = vec![b'x'; 70_000];
    let msg = with(&format!("Content-Length: {}\r\n", body.len()), &body);
    assert_eq!(kind(&msg), K::MessageTooLarge { limit: 64 * 1024 });
}

#[test]
fn header_flood_hits_the_header_limit() {
    let flood: String = (0..300).map(|i| format!("X-Flood-{i}: {i}\r\n")).collect();
    assert_eq!(kind(&with(&flood, b"")), K::TooManyHeaders { limit: 256 });
}

#[test]
fn huge_header_section_is_rejected() {
    let line = format!("X-Big: {}\r\n", "a".repeat(20_000));
    assert_eq!(kind(&with(&line, b"")), K::MessageTooLarge { limit: 16 * 1024 });
}

#[test]
fn many_headers_within_the_limit_are_all_kept() {
    let many: String = (0..200).map(|i| format!("X-Many-{i}: {i}\r\n")).collect();
    let msg = Message::parse(&with(&many, b"")).expect("200 headers are within limits");
    assert_eq!(msg.headers().len(), 205);
    assert_eq!(msg.headers().get(&HeaderName::parse("x-many-199")), Some("199"));
}

#[test]
fn long_header_line_hits_its_limit() {
    let limits = Limits { max_header_line: 100, ..Limits::default() };
    let msg = with(&format!("X-Long: {}\r\n", "a".repeat(200)), b"");
    let err = Message::parse_with(&msg, &limits).expect_err("too long");
    assert_eq!(err.kind, K::HeaderLineTooLong { limit: 100 });
}

#[test]
fn unterminated_quote_is_named() {
    let msg = "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\
From: \"Alice <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n\
Call-ID: q@h\r\nCSeq: 1 INVITE\r\n\r\n";
    let err = Message::parse(msg.as_bytes()).expect_err("quote");
    assert_eq!(
        err.kind,
        K::InvalidHeader { name: HeaderName::From, reason: ValueError::UnterminatedQuote }
    );
    assert_eq!(err.line, Some(3));
}

#[test]
fn content_length_lies_are_rejected() {
    assert!(matches!(
        kind(&with("Content-Length: 10\r\n", b"short")),
        K::BodyTooShort { declared: 10, available: 5 }
    ));
    assert_eq!(
        kind(&with("Content-Length: -1\r\n", b"")),
        K::InvalidHeader { name: HeaderName::ContentLength, reason: ValueError::BadNumber }
    );
    assert_eq!(
        kind(&with("Content-Length: 99999999999999999999\r\n", b"")),
        K::InvalidHeader { name: HeaderName::ContentLength, reason: ValueError::NumberOutOfRange }
    );
    assert_eq!(kind(&with("Content-Length: 0\r\nl: 0\r\n", b"")), K::DuplicateContentLength);
    assert_eq!(kind(&with("Content-Length: 0\r\nl: 3\r\n", b"abc")), K::ConflictingContentLength);
}

#[test]
fn content_length_shorter_than_datagram_truncates_the_body() {
    let msg = Message::parse(&with("Content-Length: 3\r\n", b"abcdef")).expect("valid");
    assert_eq!(msg.body(), b"abc");
}

#[test]
fn nul_byte_in_a_header_is_rejected() {
    let msg = with("Subject: a\0b\r\n", b"");
    assert_eq!(kind(&msg), K::ControlCharacter(0));
}

#[test]
fn non_utf8_header_is_rejected_but_binary_body_is_fine() {
    assert_eq!(kind(&with("Subject: \u{0}\r\n", b"")), K::ControlCharacter(0));
    let mut msg = HEAD.as_bytes().to_vec();
    msg.extend_from_slice(b"Subject: \xff\xfe\r\n\r\n");
    assert_eq!(kind(&msg), K::NonUtf8);
    let body = [0xffu8, 0x00, 0xfe];
    let ok = Message::parse(&with("Content-Length: 3\r\n", &body)).expect("binary body");
    assert_eq!(ok.body(), body);
}

#[test]
fn bare_line_feeds_end_lines_but_bare_carriage_returns_are_rejected() {
    let lf_only = HEAD.replace("\r\n", "\n") + "Subject: folded\n over LF\n\nbody";
    let msg = Message::parse(lf_only.as_bytes()).expect("LF line ends are read leniently");
    assert_eq!(msg.headers().get(&HeaderName::Subject), Some("folded over LF"));
    assert_eq!(msg.body(), b"body");
    let mixed = format!("{HEAD}Subject: a\nb\r\n\r\n");
    assert_eq!(kind(mixed.as_bytes()), K::BadHeaderLine, "b is a line of its own");
    let bare_cr = format!("{HEAD}Subject: a\rb\r\n\r\n");
    assert_eq!(kind(bare_cr.as_bytes()), K::BareLineEnding);
}

#[test]
fn deep_nesting_and_quote_storms_do_not_blow_up() {
    let angles = "<".repeat(5_000);
    assert!(Message::parse(&with(&format!("Contact: {angles}\r\n"), b"")).is_err());
    let quotes = "\"\\".repeat(3_000);
    assert!(Message::parse(&with(&format!("Contact: {quotes}\r\n"), b"")).is_err());
    let commas = ",".repeat(8_000);
    assert!(Message::parse(&with(&format!("Via: {commas}\r\n"), b"")).is_err());
    let params = ";a".repeat(4_000);
    let msg = with(&format!("Contact: <sip:x@y>{params}\r\n"), b"");
    assert!(Message::parse(&msg).is_ok(), "many params within limits are fine");
}

#[test]
fn missing_blank_line_and_empty_input_are_named() {
    assert_eq!(kind(HEAD.as_bytes()), K::UnterminatedHeaders);
    assert_eq!(kind(b""), K::Empty);
    assert_eq!(kind(b"\r\n\r\n"), K::Empty);
}
