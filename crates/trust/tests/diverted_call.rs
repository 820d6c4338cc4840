//! Forwarded calls (RFC 8946): the SHAKEN PASSporT names the original destination, a `div`
//! PASSporT chains it to this one; both must verify and line up.

mod common;

use common::*;
use serde_json::{Value, json};
use trust::{Attestation, UnixTime};

const ORIGINAL_DEST: &str = "12155550300";

fn div_header() -> Value {
    json!({ "alg": "ES256", "ppt": "div", "typ": "passport", "x5u": X5U })
}

fn div_payload(div_from: &str, now: i64) -> Value {
    json!({ "dest": { "tn": [DEST] }, "div": { "tn": div_from }, "iat": now, "orig": { "tn": ORIG } })
}

fn run(div_from: Option<&str>) -> trust::Verdict {
    let pki = Pki::generate();
    let now = wall_clock() + 1;
    let key = pki.signing_key();
    let shaken = identity(
        &sign(&key, &shaken_header(X5U), &shaken_payload("A", ORIG, ORIGINAL_DEST, now)),
        X5U,
    );
    let mut headers = vec![shaken];
    if let Some(from) = div_from {
        let token = sign(&key, &div_header(), &div_payload(from, now));
        headers.push(format!("{token};info=<{X5U}>;alg=ES256;ppt=div"));
    }
    verdict(
        pki.context(json!({})),
        UnixTime::from_secs(now),
        call(ORIG, DEST, headers),
        &answers(vec![(X5U, pki.chain("sp"))]),
    )
}

#[test]
fn forwarded_call_with_a_matching_div_passport_verifies() {
    let v = run(Some(ORIGINAL_DEST));
    assert_eq!(v.attestation, Attestation::A, "{:?}", v.codes());
}

#[test]
fn forwarded_call_without_div_is_a_dest_mismatch() {
    assert_eq!(run(None).codes()[0], "passport.dest_mismatch");
}

#[test]
fn div_passport_from_another_number_does_not_line_up() {
    assert_eq!(run(Some("12155550399")).codes()[0], "passport.div_mismatch");
}
