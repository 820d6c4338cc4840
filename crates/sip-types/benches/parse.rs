//! Parse, and parse+print, of a typical ~780-byte INVITE with SDP: `sip-types` side by side with
//! other Rust SIP parsers (rsipstack's bundled rsip parser, ezk-sip-types).
//!
//! Run: `cargo bench -p sip-types --bench parse -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const INVITE: &[u8] = include_bytes!("invite.sip");

fn callwarden(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sip-types", |b| {
        b.iter(|| sip_types::Message::parse(black_box(INVITE)).expect("valid"))
    });
    g.bench_function("rsipstack", |b| {
        b.iter(|| rsipstack::sip::SipMessage::try_from(black_box(INVITE)).expect("valid"))
    });
    g.bench_function("ezk-sip-types", |b| b.iter(|| ezk::parse(black_box(INVITE))));
    g.finish();

    let mut g = c.benchmark_group("parse+print");
    g.throughput(Throughput::Elements(1));
    let mut out = Vec::with_capacity(1024);
    g.bench_function("sip-types", |b| {
        b.iter(|| {
            out.clear();
            let msg = sip_types::Message::parse(black_box(INVITE)).expect("valid");
            msg.write_to(&mut out);
            out.len()
        })
    });
    g.bench_function("rsipstack", |b| {
        b.iter(|| {
            let msg = rsipstack::sip::SipMessage::try_from(black_box(INVITE)).expect("valid");
            msg.to_bytes().len()
        })
    });
    g.bench_function("ezk-sip-types", |b| {
        b.iter(|| {
            out.clear();
            ezk::parse_print(black_box(INVITE), &mut out)
        })
    });
    g.finish();
}

/// ezk-sip-types has no whole-message entry point; this is what its transport layer
/// (ezk-sip-core) does: pull header lines, parse the start line and each `Name: value` line.
mod ezk {
    use std::io::Write;

    use bytes::Bytes;
    use ezk_sip_types::Headers;
    use ezk_sip_types::msg::{Line, MessageLine, PullParser};
    use ezk_sip_types::parse::Parse;
    use ezk_sip_types::print::AppendCtx;

    pub struct Parsed {
        pub line: MessageLine,
        pub headers: Headers,
        pub body: Bytes,
    }

    pub fn parse(input: &[u8]) -> Parsed {
        let src = Bytes::copy_from_slice(input);
        let mut lines = PullParser::new(&src, 0);
        let first = lines.next().expect("line").expect("complete");
        let first = std::str::from_utf8(first).expect("utf8");
        let (_, line) = MessageLine::parse(&src)(first).expect("start line");
        let mut headers = Headers::with_capacity(16);
        for l in lines.by_ref() {
            let l = std::str::from_utf8(l.expect("complete")).expect("utf8");
            let (_, h) = Line::parse(&src, l).expect("header");
            headers.insert(h.name, h.value);
        }
        let body = src.slice(lines.head_end()..);
        Parsed { line, headers, body }
    }

    pub fn parse_print(input: &[u8], out: &mut Vec<u8>) -> usize {
        let p = parse(input);
        let _ = write!(out, "{}\r\n{}\r\n", p.line.default_print_ctx(), p.headers);
        out.extend_from_slice(&p.body);
        out.len()
    }
}

criterion_group!(benches, callwarden);
criterion_main!(benches);
