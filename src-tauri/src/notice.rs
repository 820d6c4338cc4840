//! The native notice for an incoming call: who is calling and the trust level in plain words.
//! The words match the UI's badges (ui/src/lib/words.ts): "Number verified", never "safe".

use engine::api::{Attestation, Party, TrustLevel, TrustVerdict};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// Shows a desktop notification for a ringing call. A desktop without a notification service
/// still rings in the window, so a failure is only logged.
pub fn incoming(app: &AppHandle, caller: &Party, verdict: &TrustVerdict) {
    let shown = app.notification().builder().title(title(verdict)).body(body(caller)).show();
    if let Err(error) = shown {
        tracing::warn!(%error, "the incoming-call notice could not be shown");
    }
}

/// The notice title: the level in plain words, and the attestation when it adds something.
fn title(verdict: &TrustVerdict) -> String {
    let level = level_words(verdict.level);
    match verdict.level {
        TrustLevel::Verified | TrustLevel::Verifying => format!("Incoming call · {level}"),
        _ => format!("Incoming call · {level} · {}", attestation_words(verdict.attestation)),
    }
}

/// Who is calling, as presented: the brand is not shown here because the window shows it with
/// its proof; the presented name is marked as unverified.
fn body(caller: &Party) -> String {
    let number = caller.number.as_deref().unwrap_or(&caller.uri);
    match &caller.display_name {
        Some(name) => format!("{name} (name not verified)\n{number}"),
        None => number.to_owned(),
    }
}

/// The trust level in plain words.
pub fn level_words(level: TrustLevel) -> &'static str {
    match level {
        TrustLevel::Verifying => "Checking the caller",
        TrustLevel::Verified => "Number verified",
        TrustLevel::Neutral => "No warning signs",
        TrustLevel::Caution => "Caution",
        TrustLevel::Danger => "Warning: likely scam",
        TrustLevel::Blocked => "Blocked",
    }
}

/// The attestation badge in plain words.
pub fn attestation_words(attestation: Attestation) -> &'static str {
    match attestation {
        Attestation::A => "Number verified (A)",
        Attestation::B => "Caller known, number not verified (B)",
        Attestation::C => "Number not verified (C)",
        Attestation::None => "No verification",
        Attestation::Failed => "Verification failed",
    }
}

#[cfg(test)]
mod tests {
    use engine::api::{RecommendedAction, TrustVerdict};

    use super::*;

    fn verdict(level: TrustLevel, attestation: Attestation) -> TrustVerdict {
        TrustVerdict {
            level,
            attestation,
            brand: None,
            reasons: vec![],
            action: RecommendedAction::Answer,
            callback: None,
        }
    }

    #[test]
    fn no_level_is_ever_called_safe() {
        let levels = [
            TrustLevel::Verifying,
            TrustLevel::Verified,
            TrustLevel::Neutral,
            TrustLevel::Caution,
            TrustLevel::Danger,
            TrustLevel::Blocked,
        ];
        for level in levels {
            let words = title(&verdict(level, Attestation::A)).to_lowercase();
            assert!(!words.contains("safe"), "{words}");
        }
    }

    #[test]
    fn caution_names_the_attestation() {
        let words = title(&verdict(TrustLevel::Caution, Attestation::C));
        assert_eq!(words, "Incoming call · Caution · Number not verified (C)");
    }

    #[test]
    fn a_presented_name_is_marked_unverified() {
        let caller = Party {
            number: Some("+15550100".into()),
            display_name: Some("IT Helpdesk".into()),
            uri: "sip:+15550100@example.com".into(),
        };
        assert_eq!(body(&caller), "IT Helpdesk (name not verified)\n+15550100");
    }
}
