//! The trust core's verdict as the UI shows it.

use trust::{Level, RcdStatus, Verdict, VerdictState};

use crate::api::{
    Attestation, Callback, RecommendedAction, TrustLevel, TrustReason, TrustVerdict, VerifiedBrand,
};

/// Maps a core verdict to the IPC view. The callback label comes from the directory or
/// contacts, like the number itself: nothing the caller sent is used.
pub(crate) fn verdict_view(verdict: &Verdict, ctx: &trust::TrustContext) -> TrustVerdict {
    TrustVerdict {
        level: level(verdict),
        attestation: attestation(verdict.attestation),
        brand: match &verdict.rcd {
            RcdStatus::Verified { name, reason, .. } => Some(VerifiedBrand {
                name: name.clone(),
                // The logo is digest-checked by the core; the shell does not embed it yet.
                logo: None,
                call_reason: reason.clone(),
            }),
            _ => None,
        },
        reasons: verdict
            .reasons
            .iter()
            .map(|r| TrustReason { code: r.code.0.to_owned(), text: r.message.clone() })
            .collect(),
        action: action(verdict.action),
        callback: verdict
            .callback_number
            .map(|number| Callback { label: callback_label(ctx, number), number: number.plus() }),
    }
}

fn level(verdict: &Verdict) -> TrustLevel {
    if verdict.state == VerdictState::Verifying {
        return TrustLevel::Verifying;
    }
    match verdict.level {
        Level::Verified => TrustLevel::Verified,
        Level::Neutral => TrustLevel::Neutral,
        Level::Caution => TrustLevel::Caution,
        Level::Danger => TrustLevel::Danger,
        Level::Blocked => TrustLevel::Blocked,
    }
}

fn attestation(attestation: trust::Attestation) -> Attestation {
    match attestation {
        trust::Attestation::A => Attestation::A,
        trust::Attestation::B => Attestation::B,
        trust::Attestation::C => Attestation::C,
        trust::Attestation::Failed => Attestation::Failed,
        // Still verifying shows as no badge; the level says "verifying".
        trust::Attestation::None | trust::Attestation::Verifying => Attestation::None,
    }
}

fn action(action: trust::Action) -> RecommendedAction {
    match action {
        trust::Action::Answer => RecommendedAction::Answer,
        trust::Action::AnswerWithCaution => RecommendedAction::AnswerWithCaution,
        trust::Action::VerifyByCallback => RecommendedAction::VerifyByCallback,
        trust::Action::Decline => RecommendedAction::Decline,
        trust::Action::Block => RecommendedAction::Block,
    }
}

fn callback_label(ctx: &trust::TrustContext, number: trust::E164) -> String {
    let directory = &ctx.directory;
    directory
        .entry_for_number(number)
        .map(|e| e.name.clone())
        .or_else(|| directory.contact_for_number(number).map(|c| c.name.clone()))
        .unwrap_or_else(|| "Directory number".to_owned())
}
