//! Shared fixtures for the store's tests (included with `mod common;`).
#![allow(dead_code)]

use store::{
    DbKey, Direction, DisplayName, NewCall, PhoneNumber, QualitySummary, Timestamp, UserAction,
};

/// A fixed key for tests (the product takes a random key from the keyring).
pub fn key() -> DbKey {
    DbKey::from_bytes([0x42; 32])
}

/// A distinctive call: its number and name must never appear in the raw file.
pub fn call(n: u32, at_ms: i64) -> NewCall {
    NewCall {
        started_at: Timestamp::from_unix_millis(at_ms),
        direction: if n % 2 == 0 { Direction::Incoming } else { Direction::Outgoing },
        number: PhoneNumber::new(format!("+4930{n:08}")),
        display_name: Some(DisplayName::new(format!("Zebulon Quackenbush {n}"))),
        verdict: serde_json::json!({ "level": "caution", "reasons": [{ "code": "unattested" }] }),
        quality: Some(QualitySummary { mos: 4.1, loss_percent: 0.5, jitter_ms: 12.0 }),
        duration_ms: 61_000,
        actions: vec![UserAction::Answered],
    }
}
