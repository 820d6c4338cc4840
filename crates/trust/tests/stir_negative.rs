//! The negative suite: every defect is rejected with its own precise reason code, the badge
//! says "failed", and nothing is shown as verified.

mod common;

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use serde_json::{Value, json};
use trust::{Attestation, FetchResult, Level, RcdStatus, UnixTime};

struct Case {
    pki: Pki,
    header: Value,
    payload: Value,
    chain: &'static str,
    policy: Value,
    now: i64,
}

impl Case {
    fn new() -> Case {
        let pki = Pki::generate();
        let now = wall_clock() + 1; // after the certificates' notBefore
        Case {
            pki,
            header: shaken_header(X5U),
            payload: shaken_payload("A", ORIG, DEST, now),
            chain: "sp",
            policy: json!({}),
            now,
        }
    }

    fn token(&self) -> String {
        sign(&self.pki.signing_key(), &self.header, &self.payload)
    }

    fn run_with(
        &self,
        identities: Vec<String>,
        fetched: HashMap<String, FetchResult>,
    ) -> trust::Verdict {
        let ctx = self.pki.context(json!({ "policy": self.policy }));
        verdict(ctx, UnixTime::from_secs(self.now), call(ORIG, DEST, identities), &fetched)
    }

    fn run_token(&self, token: &str) -> trust::Verdict {
        let x5u = self.header["x5u"].as_str().unwrap_or(X5U).to_owned();
        self.run_with(
            vec![identity(token, &x5u)],
            answers(vec![(x5u.as_str(), self.pki.chain(self.chain))]),
        )
    }

    fn run(&self) -> trust::Verdict {
        self.run_token(&self.token())
    }
}

fn assert_rejected(v: &trust::Verdict, code: &str) {
    assert_eq!(v.attestation, Attestation::Failed, "expected {code}, got {:?}", v.codes());
    assert!(v.codes().contains(&code), "expected {code}, got {:?}", v.codes());
    assert!(matches!(v.level, Level::Caution | Level::Danger), "level {:?}", v.level);
}

#[test]
fn a_well_formed_token_verifies_so_the_cases_below_isolate_one_defect() {
    let v = Case::new().run();
    assert_eq!(v.attestation, Attestation::A, "{:?}", v.codes());
}

#[test]
fn tampered_payload_fails_the_signature() {
    let case = Case::new();
    let token = case.token();
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut payload = case.payload.clone();
    payload["attest"] = json!("B");
    parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
    let v = case.run_token(&parts.join("."));
    assert_rejected(&v, "passport.signature_invalid");
    assert_eq!(v.level, Level::Danger);
}

#[test]
fn tampered_signature_fails_the_signature() {
    let case = Case::new();
    let token = case.token();
    let (input, sig) = token.rsplit_once('.').expect("three parts");
    let mut bytes = URL_SAFE_NO_PAD.decode(sig).expect("b64");
    bytes[40] ^= 0x01;
    let v = case.run_token(&format!("{input}.{}", URL_SAFE_NO_PAD.encode(bytes)));
    assert_rejected(&v, "passport.signature_invalid");
}

#[test]
fn alg_none_hs256_and_rs256_are_refused() {
    for alg in ["none", "HS256", "RS256", "ES384"] {
        let mut case = Case::new();
        case.header["alg"] = json!(alg);
        assert_rejected(&case.run(), "passport.alg_not_allowed");
    }
}

#[test]
fn iat_more_than_60_seconds_old_is_stale() {
    let mut case = Case::new();
    case.payload["iat"] = json!(case.now - 61);
    assert_rejected(&case.run(), "passport.iat_stale");
    case.payload["iat"] = json!(case.now - 60);
    assert_eq!(case.run().attestation, Attestation::A);
}

#[test]
fn iat_more_than_60_seconds_ahead_is_future() {
    let mut case = Case::new();
    case.payload["iat"] = json!(case.now + 61);
    assert_rejected(&case.run(), "passport.iat_future");
    case.payload["iat"] = json!(case.now + 60);
    assert_eq!(case.run().attestation, Attestation::A);
}

#[test]
fn orig_that_is_not_the_caller_is_a_mismatch() {
    let mut case = Case::new();
    case.payload["orig"] = json!({ "tn": "12155550199" });
    let v = case.run();
    assert_rejected(&v, "passport.orig_mismatch");
    assert_eq!(v.level, Level::Danger);
}

#[test]
fn dest_that_is_not_the_callee_is_a_mismatch() {
    let mut case = Case::new();
    case.payload["dest"] = json!({ "tn": ["12155550299"] });
    assert_rejected(&case.run(), "passport.dest_mismatch");
}

#[test]
fn certificate_from_an_untrusted_root_is_refused() {
    let mut case = Case::new();
    case.chain = "sp_rogue";
    assert_rejected(&case.run(), "cert.untrusted_root");
}

#[test]
fn expired_certificate_is_refused() {
    let mut case = Case::new();
    case.chain = "sp_short";
    // sp_short was issued today for one day; three days past NOW it is expired.
    let issued = case.now;
    case.now = issued + 3 * 86_400;
    case.payload["iat"] = json!(case.now);
    assert_rejected(&case.run(), "cert.expired");
}

#[test]
fn not_yet_valid_certificate_is_refused() {
    let mut case = Case::new();
    let issued = case.now;
    case.now = issued - 2 * 86_400;
    case.payload["iat"] = json!(case.now);
    assert_rejected(&case.run(), "cert.not_yet_valid");
}

#[test]
fn certificate_without_tnauthlist_is_refused() {
    let mut case = Case::new();
    case.chain = "sp_notn";
    assert_rejected(&case.run(), "cert.tnauthlist_missing");
}

#[test]
fn number_outside_the_tnauthlist_is_not_covered() {
    let mut case = Case::new();
    case.chain = "sp_one";
    assert_rejected(&case.run(), "cert.number_not_covered");
    case.chain = "sp_range";
    assert_eq!(case.run().attestation, Attestation::A, "a range covering the number verifies");
}

#[test]
fn http_x5u_is_refused_unless_lab_policy_allows_it() {
    let mut case = Case::new();
    case.header["x5u"] = json!("http://sti.test/sp.pem");
    assert_rejected(&case.run(), "cert.x5u_http_not_allowed");
    case.policy = json!({ "allow_http_x5u": true });
    assert_eq!(case.run().attestation, Attestation::A);
}

#[test]
fn fetch_past_its_deadline_times_out() {
    let case = Case::new();
    let v = case.run_with(vec![identity(&case.token(), X5U)], HashMap::new());
    assert_rejected(&v, "cert.fetch_timeout");
    assert_eq!(v.level, Level::Caution, "infrastructure trouble is not a forgery");
}

#[test]
fn oversized_certificate_is_refused() {
    let case = Case::new();
    let v = case
        .run_with(vec![identity(&case.token(), X5U)], answers(vec![(X5U, FetchResult::TooLarge)]));
    assert_rejected(&v, "cert.fetch_too_large");
    let huge = FetchResult::Body { bytes: vec![b'A'; 64 * 1024], cache_control: None };
    let v = case.run_with(vec![identity(&case.token(), X5U)], answers(vec![(X5U, huge)]));
    assert_rejected(&v, "cert.fetch_too_large");
}

#[test]
fn certificate_404_is_refused() {
    let case = Case::new();
    let v = case.run_with(
        vec![identity(&case.token(), X5U)],
        answers(vec![(X5U, FetchResult::HttpStatus(404))]),
    );
    assert_rejected(&v, "cert.fetch_http_status");
}

#[test]
fn duplicate_identity_headers_are_refused() {
    let case = Case::new();
    let one = identity(&case.token(), X5U);
    let mut other = case.payload.clone();
    other["attest"] = json!("C");
    let two = identity(&sign(&case.pki.signing_key(), &case.header, &other), X5U);
    let fetched = answers(vec![(X5U, case.pki.chain("sp"))]);
    assert_rejected(&case.run_with(vec![one.clone(), two], fetched.clone()), "identity.duplicate");
    assert_rejected(&case.run_with(vec![one.clone(), one], fetched), "identity.duplicate");
}

#[test]
fn rcd_logo_whose_digest_does_not_match_is_not_shown() {
    let mut case = Case::new();
    let logo = b"\x89PNG real logo".to_vec();
    let digest = format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD
            .encode(<sha2::Sha256 as sha2::Digest>::digest(&logo))
    );
    case.payload["rcd"] = json!({ "nam": "Acme Bank", "icn": "https://logo.test/acme.png" });
    case.payload["rcdi"] = json!({ "/icn": digest });
    case.payload["crn"] = json!("Your card statement");
    let token = case.token();
    let fetched = |body: Vec<u8>| {
        answers(vec![
            (X5U, case.pki.chain("sp")),
            ("https://logo.test/acme.png", FetchResult::Body { bytes: body, cache_control: None }),
        ])
    };

    let good = case.run_with(vec![identity(&token, X5U)], fetched(logo.clone()));
    assert_eq!(
        good.rcd,
        RcdStatus::Verified {
            name: "Acme Bank".into(),
            logo_url: Some("https://logo.test/acme.png".into()),
            reason: Some("Your card statement".into())
        }
    );

    let bad = case.run_with(vec![identity(&token, X5U)], fetched(b"swapped logo".to_vec()));
    assert!(bad.codes().contains(&"rcd.logo_digest_mismatch"), "{:?}", bad.codes());
    assert_eq!(bad.rcd, RcdStatus::Unverified { claimed_name: Some("Acme Bank".into()) });
    assert_eq!(bad.attestation, Attestation::A, "the number itself still verified");
}

#[test]
fn certificate_on_the_crl_from_its_distribution_point_is_revoked() {
    let mut case = Case::new();
    case.chain = "sp_revoked";
    let token = case.token();
    let crl = FetchResult::Body { bytes: case.pki.read("ca.crl"), cache_control: None };
    let v = case.run_with(
        vec![identity(&token, X5U)],
        answers(vec![(X5U, case.pki.chain("sp_revoked")), ("https://crl.sti.test/ca.crl", crl)]),
    );
    assert_rejected(&v, "cert.revoked");
    // The same CRL supplied in the context (offline) revokes it without a fetch.
    let ctx = case.pki.context(json!({ "crls": [{ "path": "ca.crl" }] }));
    let v = verdict(
        ctx,
        UnixTime::from_secs(case.now),
        call(ORIG, DEST, vec![identity(&token, X5U)]),
        &answers(vec![(X5U, case.pki.chain("sp_revoked"))]),
    );
    assert_rejected(&v, "cert.revoked");
    // A certificate not on the CRL still verifies after the CRL fetch.
    case.chain = "sp";
    assert_eq!(case.run().attestation, Attestation::A);
}

#[test]
fn unknown_crit_and_duplicate_json_keys_are_refused() {
    let mut case = Case::new();
    case.header["crit"] = json!(["mystery"]);
    assert_rejected(&case.run(), "passport.crit_unknown");
    let case = Case::new();
    let header = URL_SAFE_NO_PAD.encode(case.header.to_string());
    let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"attest":"A","attest":"C","dest":{{"tn":["{DEST}"]}},"iat":{},"orig":{{"tn":"{ORIG}"}},"origid":"x"}}"#, case.now));
    let forged = format!("{header}.{payload}.{}", case.token().rsplit('.').next().expect("sig"));
    assert_rejected(&case.run_token(&forged), "passport.json_duplicate_key");
}

#[test]
fn rcd_excluded_by_the_certificate_claim_constraints_is_not_shown() {
    let mut case = Case::new();
    case.chain = "sp_norcd";
    case.payload["rcd"] = json!({ "nam": "Acme Bank" });
    let v = case.run();
    assert_eq!(v.attestation, Attestation::A, "the number verifies: {:?}", v.codes());
    assert!(v.codes().contains(&"rcd.not_permitted"), "{:?}", v.codes());
    assert_eq!(v.rcd, RcdStatus::Unverified { claimed_name: Some("Acme Bank".into()) });
    case.chain = "sp";
    assert!(
        matches!(case.run().rcd, RcdStatus::Verified { .. }),
        "without the constraint the brand shows"
    );
}
