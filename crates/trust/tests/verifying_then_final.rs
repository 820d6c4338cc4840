//! Timing (issue item 7): with a warm cache the verdict is final at once; with a slow fetch the
//! call rings as "verifying" and the verdict updates when the fetch lands or its hard deadline
//! passes; the cache honours Cache-Control.

mod common;

use common::*;
use serde_json::json;
use trust::{Attestation, CheckId, FetchResult, Input, Output, Trust, UnixTime, VerdictState};

fn setup() -> (Pki, String, UnixTime) {
    let pki = Pki::generate();
    let now = wall_clock() + 1;
    let token =
        sign(&pki.signing_key(), &shaken_header(X5U), &shaken_payload("A", ORIG, DEST, now));
    (pki, identity(&token, X5U), UnixTime::from_secs(now))
}

fn start(trust: &mut Trust, now: UnixTime, id: u64, value: &str) {
    trust.handle_input(
        now,
        Input::Call { id: CheckId(id), call: call(ORIG, DEST, vec![value.to_owned()]) },
    );
}

#[test]
fn slow_fetch_rings_as_verifying_then_the_verdict_updates() {
    let (pki, value, now) = setup();
    let mut trust = Trust::new(pki.context(json!({})));
    start(&mut trust, now, 1, &value);
    let Output::Fetch { url, deadline, .. } = trust.poll_output() else { panic!("a fetch first") };
    assert_eq!(deadline, now.plus_millis(2000), "default hard deadline");
    let Output::Verdict { verdict: first, .. } = trust.poll_output() else {
        panic!("a provisional verdict")
    };
    assert_eq!(first.state, VerdictState::Verifying);
    assert_eq!(first.attestation, Attestation::Verifying);
    assert_eq!(trust.poll_output(), Output::Timeout(deadline));

    let later = now.plus_millis(700);
    trust.handle_input(later, Input::Fetched { url, result: pki.chain("sp") });
    let Output::Verdict { verdict, .. } = trust.poll_output() else { panic!("the final verdict") };
    assert_eq!((verdict.state, verdict.attestation), (VerdictState::Final, Attestation::A));
    assert_eq!(trust.poll_output(), Output::Idle);
}

#[test]
fn deadline_makes_the_verdict_final_with_a_timeout_reason() {
    let (pki, value, now) = setup();
    let mut trust =
        Trust::new(pki.context(json!({ "policy": { "fetch": { "timeout_ms": 500 } } })));
    start(&mut trust, now, 1, &value);
    let Output::Fetch { url, deadline, .. } = trust.poll_output() else { panic!("fetch") };
    assert_eq!(deadline, now.plus_millis(500));
    assert!(matches!(trust.poll_output(), Output::Verdict { .. }));
    trust.handle_timeout(now.plus_millis(499));
    assert_eq!(trust.poll_output(), Output::Timeout(deadline), "not before the deadline");
    trust.handle_timeout(deadline);
    let Output::Verdict { verdict, .. } = trust.poll_output() else { panic!("final") };
    assert_eq!(verdict.state, VerdictState::Final);
    assert_eq!(verdict.codes()[0], "cert.fetch_timeout");
    // A late answer after the deadline changes nothing.
    trust.handle_input(deadline.plus_millis(10), Input::Fetched { url, result: pki.chain("sp") });
    assert_eq!(trust.poll_output(), Output::Idle);
}

#[test]
fn warm_cache_gives_a_final_verdict_without_a_fetch() {
    let (pki, value, now) = setup();
    let mut trust = Trust::new(pki.context(json!({})));
    let first = drive(
        &mut trust,
        now,
        call(ORIG, DEST, vec![value.clone()]),
        &answers(vec![(X5U, pki.chain("sp"))]),
    );
    assert_eq!(first.len(), 2, "verifying, then final");
    assert_eq!(trust.cached_certificates(), 1);
    start(&mut trust, now.plus_secs(5), 2, &value);
    let Output::Verdict { id, verdict } = trust.poll_output() else {
        panic!("verdict at once, no fetch")
    };
    assert_eq!(
        (id, verdict.state, verdict.attestation),
        (CheckId(2), VerdictState::Final, Attestation::A)
    );
}

#[test]
fn two_calls_waiting_on_one_certificate_share_one_fetch() {
    let (pki, value, now) = setup();
    let mut trust = Trust::new(pki.context(json!({})));
    start(&mut trust, now, 1, &value);
    start(&mut trust, now, 2, &value);
    let mut fetches = Vec::new();
    let mut verdicts = 0;
    loop {
        match trust.poll_output() {
            Output::Fetch { url, .. } => fetches.push(url),
            Output::Verdict { .. } => verdicts += 1,
            _ => break,
        }
    }
    assert_eq!((fetches.len(), verdicts), (1, 2));
    trust.handle_input(now, Input::Fetched { url: fetches.remove(0), result: pki.chain("sp") });
    let finals: Vec<CheckId> = std::iter::from_fn(|| match trust.poll_output() {
        Output::Verdict { id, verdict } if verdict.state == VerdictState::Final => Some(id),
        _ => None,
    })
    .collect();
    assert_eq!(finals, vec![CheckId(1), CheckId(2)]);
}

#[test]
fn cache_control_max_age_and_no_store_are_honoured() {
    let (pki, value, now) = setup();
    let body = |cc: &str| FetchResult::Body {
        bytes: pki.read("sp.chain.pem"),
        cache_control: Some(cc.to_owned()),
    };
    let mut trust = Trust::new(pki.context(json!({})));
    drive(
        &mut trust,
        now,
        call(ORIG, DEST, vec![value.clone()]),
        &answers(vec![(X5U, body("max-age=30"))]),
    );
    start(&mut trust, now.plus_secs(29), 2, &value);
    assert!(matches!(trust.poll_output(), Output::Verdict { .. }), "fresh for 29 s");
    start(&mut trust, now.plus_secs(31), 3, &value);
    assert!(matches!(trust.poll_output(), Output::Fetch { .. }), "stale after 30 s");

    let mut trust = Trust::new(pki.context(json!({})));
    let v = drive(
        &mut trust,
        now,
        call(ORIG, DEST, vec![value.clone()]),
        &answers(vec![(X5U, body("no-store"))]),
    );
    assert_eq!(
        v.last().map(|v| v.attestation),
        Some(Attestation::A),
        "no-store still verifies this call"
    );
    assert_eq!(trust.cached_certificates(), 0);
    start(&mut trust, now.plus_secs(1), 2, &value);
    assert!(matches!(trust.poll_output(), Output::Fetch { .. }), "no-store is fetched again");
}
