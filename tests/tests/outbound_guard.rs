//! The toll-fraud guard on the real engine: premium-rate and blocked-country numbers are refused
//! before any INVITE leaves, a one-ring callback asks for confirmation, and international calls
//! are limited per hour. The phone runs without a registrar, so nothing is actually reached; the
//! guard answers before that.

use engine::api::ErrorCode;
use engine::{Account, Phone};

/// A phone with no registrar whose trust policy limits international calls to one per hour,
/// blocks +882 and treats +1900 as premium; +18765550198 rang once recently from a high-risk
/// look-alike range.
async fn phone_with_policy(dir: &std::path::Path) -> Phone {
    let ctx = serde_json::json!({
        "own_numbers": ["+12155550202"],
        "history": [{ "number": "+18765550198", "at": 1_700_000_000, "ring_secs": 1, "answered": false }],
        "policy": {
            "default_region": "US",
            "premium_ranges": ["+1900*"],
            "high_risk_ranges": ["+1876*"],
            "toll_fraud": {
                "blocked_country_codes": [882],
                "international_per_hour": 1,
                "override_numbers": []
            }
        }
    });
    std::fs::write(dir.join("ctx.json"), ctx.to_string()).expect("context");
    let toml = "aor = \"sip:12155550202@127.0.0.1\"\ntransport = \"udp\"\n\
                local_addr = \"127.0.0.1:0\"\nsystem_roots = false\ntrust_context = \"ctx.json\"\n";
    std::fs::write(dir.join("account.toml"), toml).expect("account");
    let account = Account::load(&dir.join("account.toml")).expect("account loads");
    Phone::start(account).await.expect("phone starts").0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn premium_and_blocked_countries_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let phone = phone_with_policy(dir.path()).await;

    let premium = phone.dial("+19005550123".into()).await.expect_err("premium refused");
    assert_eq!(premium.code, ErrorCode::DestinationRefused, "{premium:?}");
    assert!(premium.message.contains("premium"), "{premium:?}");

    let country = phone.dial("sip:+88212345678@127.0.0.1".into()).await.expect_err("882");
    assert_eq!(country.code, ErrorCode::DestinationRefused, "{country:?}");
    let confirmed = phone.dial_confirmed("+88212345678".into()).await.expect_err("still 882");
    assert_eq!(confirmed.code, ErrorCode::DestinationRefused, "confirming does not lift a block");

    phone.dial("+12155550100".into()).await.expect("a domestic number is placed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_ring_callback_needs_confirmation_and_international_calls_are_limited_per_hour() {
    let dir = tempfile::tempdir().expect("tempdir");
    let phone = phone_with_policy(dir.path()).await;

    let warning = phone.dial("+18765550198".into()).await.expect_err("one-ring callback");
    assert_eq!(warning.code, ErrorCode::DestinationWarning, "{warning:?}");
    assert!(warning.message.contains("once"), "the warning explains: {warning:?}");

    // Confirmed, it is placed, and it is the one international call allowed this hour.
    phone.dial_confirmed("+18765550198".into()).await.expect("placed after confirmation");
    let limited = phone.dial("+442079460123".into()).await.expect_err("hourly limit");
    assert_eq!(limited.code, ErrorCode::DestinationRefused, "{limited:?}");
    phone.dial("+12155550100".into()).await.expect("domestic calls are not limited");
}
