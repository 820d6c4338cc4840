//! The documented context example parses, and the context refuses what it must refuse.

use trust::ContextError;
use trust::context::ContextFile;

#[test]
fn documented_example_matches_the_format() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/examples/trust-context.json");
    let file = ContextFile::from_json(&std::fs::read(path).expect("example exists"))
        .expect("example parses");
    assert_eq!(file.directory.len(), 3);
    assert!(file.policy.bank.is_some());
    assert!(file.arrival.via_registrar_tls);
}

#[test]
fn typos_are_errors_not_silently_ignored() {
    let err = ContextFile::from_json(br#"{ "polcy": {} }"#).unwrap_err();
    assert!(matches!(err, ContextError::Json(_)));
    let err = ContextFile::from_json(br#"{ "policy": { "alow_http_x5u": true } }"#).unwrap_err();
    assert!(matches!(err, ContextError::Json(_)));
}

#[test]
fn a_feed_without_a_pinned_key_is_refused() {
    let file = ContextFile::from_json(
        br#"{ "feed": { "inline": "+12025550100 scam\n", "signature": "AAAA" } }"#,
    )
    .expect("json");
    let err = file.build(&|_| Err(std::io::ErrorKind::NotFound.into())).unwrap_err();
    assert!(matches!(err, ContextError::FeedKeyMissing));
}

#[test]
fn a_feed_with_a_bad_signature_is_refused() {
    let json = format!(
        r#"{{ "feed": {{ "inline": "+12025550100 scam\n", "signature": "{}" }}, "policy": {{ "feed_public_key": "{}" }} }}"#,
        "00".repeat(64),
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    );
    let err = ContextFile::from_json(json.as_bytes())
        .expect("json")
        .build(&|_| Err(std::io::ErrorKind::NotFound.into()))
        .unwrap_err();
    assert!(matches!(err, ContextError::Feed(_)), "{err}");
}
