//! Personal data never reaches logs: the `Debug` of calls, verdicts and reasons names no number
//! and no contact.

use std::sync::Arc;

use trust::context::ContextFile;
use trust::{CheckId, InboundCall, Input, Output, Party, Trust, UnixTime};

#[test]
fn debug_output_of_calls_and_verdicts_is_redacted() {
    let ctx = ContextFile::from_json(
        br#"{ "contacts": [{ "name": "Bob Builder", "numbers": ["+14155550142"] }] }"#,
    )
    .expect("json")
    .build(&|_| Err(std::io::ErrorKind::NotFound.into()))
    .expect("ctx");
    let call = InboundCall {
        from: Party {
            user: "+14155550142".into(),
            host: "198.51.100.7".into(),
            display_name: Some("Bob Builder".into()),
            verstat: None,
        },
        to: Party { user: "+12155550202".into(), ..Party::default() },
        request_uri_user: "+12155550202".into(),
        ..InboundCall::default()
    };
    let logged_call = format!("{call:?}");
    let mut trust = Trust::new(Arc::new(ctx));
    trust.handle_input(UnixTime::from_secs(1_800_000_000), Input::Call { id: CheckId(1), call });
    let Output::Verdict { verdict, .. } = trust.poll_output() else { panic!("verdict") };
    assert!(
        verdict.reasons.iter().any(|r| r.message.contains("Bob Builder")),
        "the UI text names the contact"
    );
    let logged = format!("{logged_call} {verdict:?}");
    for secret in ["4155550142", "2155550202", "198.51.100.7", "Bob"] {
        assert!(!logged.contains(secret), "{secret} leaked into Debug output: {logged}");
    }
}
