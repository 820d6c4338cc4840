//! The attestation badge and its reasons, from the device's own verification or, failing
//! that, the network's `verstat` when it arrived over the registrar's TLS flow.

use super::StirOutcome;
use crate::call::InboundCall;
use crate::stir::{Attest, Verstat};
use crate::verdict::{Attestation, Reason, Severity};

/// What attestation contributes to the verdict.
pub(super) struct AttestationView {
    pub badge: Attestation,
    pub verified_a: bool,
    pub reasons: Vec<Reason>,
}

pub(super) fn evaluate(call: &InboundCall, stir: &StirOutcome) -> AttestationView {
    match stir {
        StirOutcome::Verified(v) => verified(v.attest),
        StirOutcome::Failed(e) => {
            let severity = if e.is_forgery_signal() { Severity::Danger } else { Severity::Caution };
            let reason = Reason::new(e.code(), severity, failure_sentence(e.code()));
            AttestationView { badge: Attestation::Failed, verified_a: false, reasons: vec![reason] }
        }
        StirOutcome::Pending => AttestationView {
            badge: Attestation::Verifying,
            verified_a: false,
            reasons: vec![Reason::new(
                "attest.verifying",
                Severity::Info,
                "The caller's number is still being verified.",
            )],
        },
        StirOutcome::Absent => network(call),
    }
}

fn verified(attest: Option<Attest>) -> AttestationView {
    let (badge, code, severity, text) = match attest {
        Some(Attest::A) => (
            Attestation::A,
            "attest.a",
            Severity::Positive,
            "Verified number: the caller's carrier confirms they may use this number (attestation A). This does not mean the caller is safe.",
        ),
        Some(Attest::B) => (
            Attestation::B,
            "attest.b",
            Severity::Info,
            "The caller's carrier knows the caller but does not confirm the number (attestation B).",
        ),
        Some(Attest::C) => (
            Attestation::C,
            "attest.c",
            Severity::Info,
            "The carrier only confirms where the call entered its network, not the number (attestation C).",
        ),
        None => (
            Attestation::None,
            "attest.none",
            Severity::Info,
            "The call is signed but carries no attestation level.",
        ),
    };
    AttestationView {
        badge,
        verified_a: attest == Some(Attest::A),
        reasons: vec![Reason::new(code, severity, text)],
    }
}

fn network(call: &InboundCall) -> AttestationView {
    let none = || AttestationView {
        badge: Attestation::None,
        verified_a: false,
        reasons: vec![Reason::new(
            "attest.none",
            Severity::Info,
            "The number is not verified. Most legitimate calls are not verified either.",
        )],
    };
    let Some(raw) = call.verstat() else { return none() };
    if !call.via_registrar_tls {
        let mut v = none();
        v.reasons.push(Reason::new(
            "verstat.untrusted",
            Severity::Info,
            "A verification result came with the call over an untrusted path and was ignored.",
        ));
        return v;
    }
    match Verstat::parse(raw) {
        Verstat::Passed(level) => {
            let mut v = verified(level.or(Some(Attest::A)));
            v.reasons.push(Reason::new(
                "verstat.passed",
                Severity::Info,
                "Your phone company verified the number before delivering the call.",
            ));
            v
        }
        Verstat::Failed => AttestationView {
            badge: Attestation::Failed,
            verified_a: false,
            reasons: vec![Reason::new(
                "verstat.failed",
                Severity::Caution,
                "Your phone company could not verify the calling number; it may be spoofed.",
            )],
        },
        Verstat::NoValidation | Verstat::Unknown => none(),
    }
}

fn failure_sentence(code: &str) -> &'static str {
    match code {
        "passport.signature_invalid" => {
            "The caller-ID signature does not match: the call data was altered or forged."
        }
        "passport.alg_not_allowed" => {
            "The caller-ID signature uses a forbidden algorithm: a forgery attempt."
        }
        "passport.iat_stale" => {
            "The caller-ID signature is too old: it may be replayed from another call."
        }
        "passport.iat_future" => "The caller-ID signature is dated in the future: it is not valid.",
        "passport.orig_mismatch" => {
            "The signed calling number differs from the number shown: the number is spoofed."
        }
        "passport.dest_mismatch" => "The signature was made for a call to someone else.",
        "cert.untrusted_root" => "The caller-ID certificate is not issued by a trusted authority.",
        "cert.expired" | "cert.not_yet_valid" => {
            "The caller-ID certificate is not valid at this time."
        }
        "cert.tnauthlist_missing" | "cert.number_not_covered" => {
            "The signer is not authorised for the calling number."
        }
        "cert.x5u_http_not_allowed" => {
            "The caller-ID certificate is offered over an insecure link and was not used."
        }
        "cert.fetch_timeout" => {
            "The caller-ID certificate could not be fetched in time, so the number is unverified."
        }
        "cert.fetch_http_status" | "cert.fetch_too_large" | "cert.fetch_failed" => {
            "The caller-ID certificate could not be loaded, so the number is unverified."
        }
        "identity.duplicate" => "The call carries conflicting caller-ID signatures.",
        "cert.revoked" => "The caller-ID certificate has been revoked.",
        _ => "The caller-ID signature could not be verified, so the number is unverified.",
    }
}
