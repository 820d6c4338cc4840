//! The outbound toll-fraud guard: country rules, premium ranges, the international rate limit,
//! the one-ring callback warning and per-number overrides.

use std::sync::Arc;

use serde_json::json;
use trust::context::ContextFile;
use trust::{OutboundDecision, TrustContext, UnixTime, check_outbound};

const NOW: i64 = 1_800_000_000;

fn ctx(extra: serde_json::Value) -> Arc<TrustContext> {
    let mut file = json!({
        "history": [{ "number": "+18765550198", "at": NOW - 600, "ring_secs": 1, "answered": false }],
        "policy": { "premium_ranges": ["+44909*"], "toll_fraud": { "blocked_country_codes": [882], "international_per_hour": 3, "override_numbers": ["+882123456789"] } }
    });
    if let (Some(f), serde_json::Value::Object(e)) = (file.as_object_mut(), extra) {
        f.extend(e);
    }
    Arc::new(
        ContextFile::from_json(file.to_string().as_bytes())
            .expect("json")
            .build(&|_| Err(std::io::ErrorKind::NotFound.into()))
            .expect("ctx"),
    )
}

fn decide(dialled: &str, recent: &[i64]) -> (OutboundDecision, Vec<&'static str>) {
    let v = check_outbound(dialled, &ctx(json!({})), recent, UnixTime::from_secs(NOW));
    (v.decision, v.reasons.iter().map(|r| r.code.0).collect())
}

#[test]
fn domestic_numbers_are_allowed() {
    assert_eq!(decide("+12155550100", &[]), (OutboundDecision::Allow, vec![]));
    assert_eq!(
        decide("2155550100", &[]).0,
        OutboundDecision::Allow,
        "national format in the default region"
    );
}

#[test]
fn premium_rate_destinations_are_blocked() {
    assert_eq!(
        decide("+19005550123", &[]),
        (OutboundDecision::Block, vec!["outbound.premium_rate"])
    );
    assert_eq!(
        decide("+449098790123", &[]),
        (OutboundDecision::Block, vec!["outbound.premium_rate"])
    );
}

#[test]
fn blocked_countries_are_blocked_unless_overridden() {
    assert_eq!(
        decide("+882999888777", &[]),
        (OutboundDecision::Block, vec!["outbound.country_blocked"])
    );
    assert_eq!(decide("+882123456789", &[]), (OutboundDecision::Allow, vec!["outbound.override"]));
    let only_us = ctx(json!({ "policy": { "toll_fraud": { "allowed_country_codes": [1] } } }));
    assert_eq!(
        check_outbound("+447911123456", &only_us, &[], UnixTime::from_secs(NOW)).decision,
        OutboundDecision::Block
    );
}

#[test]
fn international_calls_are_rate_limited_per_hour() {
    let recent = [NOW - 100, NOW - 200, NOW - 300];
    assert_eq!(decide("+447911123456", &recent[..2]).0, OutboundDecision::Allow);
    assert_eq!(
        decide("+447911123456", &recent),
        (OutboundDecision::Block, vec!["outbound.rate_limited"])
    );
    assert_eq!(
        decide("+447911123456", &[NOW - 4000, NOW - 5000, NOW - 6000]).0,
        OutboundDecision::Allow,
        "older than an hour"
    );
    assert_eq!(
        decide("+12155550100", &recent).0,
        OutboundDecision::Allow,
        "domestic calls are not limited"
    );
}

#[test]
fn calling_back_a_one_ring_number_warns() {
    assert_eq!(
        decide("+18765550198", &[]),
        (OutboundDecision::Warn, vec!["outbound.one_ring_callback"])
    );
    assert_eq!(
        decide("+18765550100", &[]),
        (OutboundDecision::Warn, vec!["outbound.high_risk_range"])
    );
}
