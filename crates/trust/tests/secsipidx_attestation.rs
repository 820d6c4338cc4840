//! PASSporTs from the independent signer `secsipidx` verify with the attestation they carry,
//! through the same sans-IO machine the engine drives, with a PKI made by openssl at test time.

mod common;

use common::*;
use serde_json::json;
use trust::{Attestation, Level, UnixTime, VerdictState};

fn verify_level(attest: &str, expected: Attestation) {
    let pki = Pki::generate();
    let value = secsipidx_sign(&pki.path("key.pem"), attest, ORIG, DEST, X5U);
    let token = value.split(';').next().expect("token");
    let now = UnixTime::from_secs(iat_of(token) + 1);
    let v = verdict(
        pki.context(json!({})),
        now,
        call(ORIG, DEST, vec![value]),
        &answers(vec![(X5U, pki.chain("sp"))]),
    );
    assert_eq!(v.state, VerdictState::Final);
    assert_eq!(v.attestation, expected, "reasons: {:?}", v.codes());
    assert!(v.codes().contains(&format!("attest.{}", attest.to_lowercase()).as_str()));
    assert_ne!(v.level, Level::Danger);
}

#[test]
fn secsipidx_attestation_a_verifies_as_a() {
    verify_level("A", Attestation::A);
}

#[test]
fn secsipidx_attestation_b_verifies_as_b() {
    verify_level("B", Attestation::B);
}

#[test]
fn secsipidx_attestation_c_verifies_as_c() {
    verify_level("C", Attestation::C);
}

#[test]
fn secsipidx_token_over_a_chain_with_an_intermediate_verifies() {
    let pki = Pki::generate();
    let value = secsipidx_sign(&pki.path("key.pem"), "A", ORIG, DEST, X5U);
    let now = UnixTime::from_secs(iat_of(value.split(';').next().expect("token")) + 1);
    let v = verdict(
        pki.context(json!({})),
        now,
        call(ORIG, DEST, vec![value]),
        &answers(vec![(X5U, pki.chain("sp_inter"))]),
    );
    assert_eq!(v.attestation, Attestation::A, "reasons: {:?}", v.codes());
}

#[test]
fn secsipidx_verifies_our_own_tokens_too() {
    // The other direction: the independent verifier accepts what our test signer produces, so
    // the negative suite's crafted tokens are well-formed apart from the defect under test.
    let pki = Pki::generate();
    let iat = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let token =
        sign(&pki.signing_key(), &shaken_header(X5U), &shaken_payload("A", ORIG, DEST, iat));
    let out = std::process::Command::new("secsipidx")
        .args(["-c", "-p"])
        .arg(pki.path("sp.pem"))
        .args(["-expire", "999999", "-identity", &identity(&token, X5U)])
        .output()
        .expect("secsipidx runs");
    assert!(
        out.status.success(),
        "secsipidx -c rejected our token: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}
