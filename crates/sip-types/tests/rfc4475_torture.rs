//! RFC 4475 and RFC 5118 torture messages (fixtures in `tests/torture/`, transcribed by
//! `tests/torture/transcribe.py`): every valid message parses and round-trips byte-stably, every
//! invalid one is rejected with the specific diagnosis.

use std::path::PathBuf;

use sip_types::{HeaderName, Message, ParseErrorKind as K, Response, StatusCode, Uri, ValueError};

fn fixture(kind: &str, name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/torture")
        .join(kind)
        .join(format!("{name}.sip"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixtures(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/torture").join(kind);
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let name = p.file_stem().expect("stem").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect();
    out.sort();
    out
}

fn parse(kind: &str, name: &str) -> Message {
    Message::parse(&fixture(kind, name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_valid_message_parses_and_round_trips() {
    let all = fixtures("valid");
    assert_eq!(
        all.len(),
        38,
        "RFC 4475 valid (13 syntax + 14 semantic/compat) + RFC 5118 valid (11)"
    );
    for (name, bytes) in all {
        let msg = Message::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let printed = msg.to_bytes();
        let again = Message::parse(&printed).unwrap_or_else(|e| panic!("{name} reprint: {e}"));
        assert_eq!(again, msg, "{name}: reparse differs");
        assert_eq!(again.to_bytes(), printed, "{name}: printing not byte-stable");
    }
}

fn rejected(name: &str) -> K {
    match Message::parse(&fixture("invalid", name)) {
        Ok(_) => panic!("{name} was accepted"),
        Err(e) => e.kind,
    }
}

fn invalid(name: HeaderName, reason: ValueError) -> K {
    K::InvalidHeader { name, reason }
}

#[test]
fn every_invalid_message_is_rejected_with_its_diagnosis() {
    let expected: Vec<(&str, K)> = vec![
        ("badinv01", invalid(HeaderName::Via, ValueError::BadParam)),
        ("clerr", K::BodyTooShort { declared: 9999, available: 154 }),
        ("ncl", invalid(HeaderName::ContentLength, ValueError::BadNumber)),
        ("scalar02", invalid(HeaderName::CSeq, ValueError::NumberOutOfRange)),
        ("scalarlg", invalid(HeaderName::CSeq, ValueError::NumberOutOfRange)),
        ("quotbal", invalid(HeaderName::To, ValueError::UnterminatedQuote)),
        ("ltgtruri", K::InvalidUri(ValueError::BadScheme)),
        ("lwsruri", K::BadStartLine("request line must be METHOD SP Request-URI SP SIP-Version")),
        ("lwsstart", K::BadStartLine("request line must be METHOD SP Request-URI SP SIP-Version")),
        ("trws", K::BadStartLine("request line must be METHOD SP Request-URI SP SIP-Version")),
        ("escruri", K::RequestUriWithHeaders),
        ("baddate", invalid(HeaderName::Date, ValueError::BadDate)),
        ("regbadct", invalid(HeaderName::Contact, ValueError::UnbracketedUri)),
        ("badaspec", invalid(HeaderName::To, ValueError::Unexpected(' '))),
        ("baddn", invalid(HeaderName::From, ValueError::BadDisplayName)),
        ("badvers", K::UnsupportedVersion("SIP/7.0".into())),
        ("mismatch01", K::CseqMethodMismatch { request: "OPTIONS".into(), cseq: "INVITE".into() }),
        (
            "mismatch02",
            K::CseqMethodMismatch { request: "NEWMETHOD".into(), cseq: "INVITE".into() },
        ),
        ("bigcode", K::InvalidStatusCode),
        ("insuf", K::MissingHeader(HeaderName::From)),
        ("multi01", K::DuplicateHeader(HeaderName::CSeq)),
        ("mcl01", K::ConflictingContentLength),
        ("ipv6-bad", K::InvalidUri(ValueError::BadHost)),
    ];
    assert_eq!(expected.len(), fixtures("invalid").len(), "one expectation per fixture");
    for (name, kind) in expected {
        assert_eq!(rejected(name), kind, "{name}");
    }
}

#[test]
fn cseq_method_mismatch_leaves_a_request_to_answer_400() {
    for (name, method) in [("mismatch01", "OPTIONS"), ("mismatch02", "NEWMETHOD")] {
        let err = Message::parse(&fixture("invalid", name)).expect_err(name);
        let request = err.answerable_request().unwrap_or_else(|| panic!("{name}: no request"));
        assert_eq!(request.method.as_str(), method);
        let answer = Response::to_request(request, StatusCode::BAD_REQUEST);
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            answer.headers.call_id().expect("call-id"),
            request.headers.call_id().expect("id")
        );
        assert_eq!(answer.headers.cseq().expect("cseq").method.as_str(), "INVITE");
    }
    let other = Message::parse(&fixture("invalid", "mcl01")).expect_err("mcl01");
    assert!(other.answerable_request().is_none(), "framing errors leave nothing to answer");
}

#[test]
fn invalid_messages_name_the_line() {
    let err = Message::parse(&fixture("invalid", "mcl01")).expect_err("mcl01");
    assert_eq!(err.to_string(), "line 9: Content-Length given twice with different values");
    let err = Message::parse(&fixture("invalid", "quotbal")).expect_err("quotbal");
    assert_eq!(err.line, Some(2));
}

#[test]
fn wsinv_exposes_folded_and_compact_headers() {
    let msg = parse("valid", "wsinv");
    let h = msg.headers();
    let vias = h.via().expect("vias");
    assert_eq!(vias.len(), 3);
    assert_eq!(vias[0].transport(), "UDP");
    assert_eq!(vias[1].transport(), "TCP");
    assert_eq!(vias[2].branch().expect("branch").as_str(), "z9hG4bK30239");
    assert_eq!(h.to().expect("to").tag().expect("tag").as_str(), "1918181833n");
    let from = h.from().expect("from");
    assert_eq!(from.display_name().as_deref(), Some("J Rosenberg \\\""));
    assert_eq!(from.tag().expect("tag").as_str(), "98asjd8");
    assert_eq!(h.max_forwards().expect("mf"), Some(68));
    assert_eq!(h.cseq().expect("cseq").seq, 9);
    assert_eq!(
        h.get(&HeaderName::parse("NewFangledHeader")),
        Some("newfangled value continued newfangled value")
    );
    assert_eq!(h.get(&HeaderName::Subject), Some(""));
    assert_eq!(msg.body().len(), 150);
}

#[test]
fn intmeth_keeps_every_token_character() {
    let Message::Request(req) = parse("valid", "intmeth") else {
        panic!("request expected");
    };
    assert_eq!(req.method.as_str(), "!interesting-Method0123456789_*+`.%indeed'~");
    let uri = req.uri.as_sip().expect("sip uri");
    assert_eq!(uri.user_raw(), Some("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"));
    assert_eq!(uri.password(), Some("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"));
    let to = req.headers.to().expect("to");
    assert_eq!(to.display_name().as_deref(), Some("BEL:\x07 NUL:\0 DEL:\x7f"));
    let from = req.headers.from().expect("from");
    assert_eq!(from.display_name().as_deref(), Some("token1~` token2'+_ token3*%!.-"));
    assert_eq!(from.tag().expect("tag").as_str(), "_token~1'+`*%!-.");
}

#[test]
fn escapes_resolve_only_where_the_grammar_has_them() {
    let Message::Request(req) = parse("valid", "esc01") else {
        panic!("request expected");
    };
    let uri = req.uri.as_sip().expect("sip");
    assert_eq!(uri.user().as_deref(), Some("sips:user@example.com"));
    let to = req.headers.to().expect("to");
    assert_eq!(to.uri().as_sip().expect("sip").user().as_deref(), Some("user"));
    let Message::Request(req) = parse("valid", "esc02") else {
        panic!("request expected");
    };
    assert_eq!(req.method.as_str(), "RE%47IST%45R");
    assert_eq!(req.headers.contact().expect("contacts").len(), 2);
    let Message::Request(req) = parse("valid", "escnull") else {
        panic!("request expected");
    };
    let to = req.headers.to().expect("to");
    assert_eq!(to.uri().as_sip().expect("sip").user().as_deref(), Some("null-\0-null"));
}

#[test]
fn dblreq_ignores_octets_after_the_body() {
    let msg = parse("valid", "dblreq");
    assert!(msg.body().is_empty());
    assert!(!msg.to_bytes().windows(6).any(|w| w == b"INVITE"));
}

#[test]
fn mpart01_body_splits_into_two_parts() {
    let msg = parse("valid", "mpart01");
    let ct = msg.headers().content_type().expect("ct").expect("present");
    let boundary = ct.boundary().expect("boundary");
    let parts = sip_types::multipart::parse_multipart(msg.body(), &boundary).expect("parts");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].body, b"Hello");
    assert_eq!(parts[1].body.len(), 342);
}

#[test]
fn semantically_wrong_messages_parse_and_leave_the_answer_to_the_ua() {
    // 3.3.2 unkscm: the UA answers 416 Unsupported URI Scheme.
    let Message::Request(req) = parse("valid", "unkscm") else {
        panic!("request expected");
    };
    assert!(matches!(req.uri, Uri::Other(_)));
    assert_eq!(req.uri.scheme(), "nobodyKnowsThisScheme");
    // 3.3.5 bext01: the UA answers 420 Bad Extension listing both tags.
    let bext = parse("valid", "bext01");
    let require = bext.headers().require().expect("require");
    assert_eq!(require, ["nothingSupportsThis", "nothingSupportsThisEither"]);
    // 3.3.6 invut: the UA answers 415 Unsupported Media Type.
    let invut = parse("valid", "invut");
    let ct = invut.headers().content_type().expect("ct").expect("present");
    assert!(ct.is("application", "unknownformat"));
    // 3.3.11 zeromf: Max-Forwards 0; an endpoint answers OPTIONS normally, a proxy 483.
    let zeromf = parse("valid", "zeromf");
    assert_eq!(zeromf.headers().max_forwards().expect("mf"), Some(0));
    // 3.3.15 sdp01: the UA answers 406/415 because it cannot send what Accept asks for.
    let sdp01 = parse("valid", "sdp01");
    assert_eq!(sdp01.headers().get(&HeaderName::Accept), Some("text/nobodyKnowsThis"));
    // 3.3.7 regaut01: unknown auth scheme; the registrar challenges with 401.
    let regaut = parse("valid", "regaut01");
    let auth = regaut.headers().authorization().expect("auth");
    assert_eq!(auth[0].scheme, "NoOneKnowsThisScheme");
    // 3.2.1 badbranch: branch is the bare magic cookie; the transaction layer copes.
    let bb = parse("valid", "badbranch");
    assert_eq!(bb.headers().top_via().expect("via").branch().expect("b").as_str(), "z9hG4bK");
}

#[test]
fn ipv6_references_parse_per_rfc5118() {
    use std::net::Ipv6Addr;
    let Message::Request(req) = parse("valid", "ipv6-port-ambiguous") else {
        panic!("request expected");
    };
    let uri = req.uri.as_sip().expect("sip");
    let addr: Ipv6Addr = "2001:db8::10:5070".parse().expect("addr");
    assert_eq!(uri.host(), sip_types::Host::Ipv6(addr));
    assert_eq!(uri.port(), None);
    let Message::Request(req) = parse("valid", "ipv6-port-unambiguous") else {
        panic!("request expected");
    };
    assert_eq!(req.uri.as_sip().expect("sip").port(), Some(5070));
    for name in ["ipv6-via-received-param-with-delim", "ipv6-via-received-param-no-delim"] {
        let msg = parse("valid", name);
        let received = msg.headers().top_via().expect("via").received();
        assert_eq!(received, Some("2001:db8::9:255".parse().expect("ip")), "{name}");
    }
    let mixed = parse("valid", "ipv6-mixed-ipv4-ipv6-vias");
    let vias = mixed.headers().via().expect("vias");
    assert_eq!(vias[0].port(), Some(6050));
    assert!(matches!(vias[1].host(), sip_types::Host::Ipv4(_)));
}
