//! The contract between the engine and the desktop shell: the event list and the view types the UI
//! renders. This list is the product spec (like baresip's `bevent` list): every state the user can
//! see is an event here.
//!
//! These types are what crosses IPC, not the cores' internal models: the engine maps
//! `trust::Verdict`, call states and media statistics into them. With the `ts` feature they are
//! exported to TypeScript (`ui/src/lib/bindings/`), and a test fails when the committed bindings
//! are stale.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ts")]
use ts_rs::TS;

pub use crate::api_vault::{
    AccountView, CallLogEntry, CallLogFilter, DevicesView, DirectoryEntry, EntrySource, LockState,
    PolicyItem, Report, ReportId, ReportTag, SettingsView,
};

/// Opaque identifier of one call, stable for the call's lifetime (not the SIP Call-ID).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CallKey(pub String);

/// Where an account's registration stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RegistrationState {
    /// Not registered and not trying (no account, or unregistered by the user).
    Unregistered,
    /// A REGISTER is in flight.
    Registering,
    /// Registered; the binding lasts this many seconds unless refreshed.
    Registered {
        /// Seconds the registrar granted.
        expires_secs: u32,
    },
    /// The registrar refused or could not be reached; retried with back-off.
    Failed {
        /// One plain sentence for the user.
        reason: String,
    },
}

/// How much to trust a caller, as the UI shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum TrustLevel {
    /// The certificate fetch is still running; the call rings and the verdict will update.
    Verifying,
    /// The number is verified (attestation A on a known number, or a verified brand). Never means
    /// "the caller is safe".
    Verified,
    /// Most legitimate calls: unattested, no risk signal.
    Neutral,
    /// A risk signal: answer with care or verify by callback.
    Caution,
    /// Strong risk signals: decline recommended.
    Danger,
    /// Blocked by the user or the organisation; the phone did not ring.
    Blocked,
}

/// The STIR/SHAKEN attestation badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum Attestation {
    /// Full attestation: the carrier knows the customer and their right to the number.
    A,
    /// Partial: the carrier knows the customer, not their right to the number.
    B,
    /// Gateway: the carrier only knows where the call entered its network.
    C,
    /// No signature on the call.
    None,
    /// A signature was present and did not verify.
    Failed,
}

/// One reason behind a verdict: a stable code the UI can branch on and a plain sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct TrustReason {
    /// Stable machine code, e.g. `detector.neighbour_spoof`.
    pub code: String,
    /// One plain sentence for the user.
    pub text: String,
}

/// What the app recommends the user does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum RecommendedAction {
    /// Nothing stands out.
    Answer,
    /// Answer, and be careful with requests for codes, credentials or payments.
    AnswerWithCaution,
    /// Hang up and call the directory number instead.
    VerifyByCallback,
    /// Do not answer.
    Decline,
    /// Block the number.
    Block,
}

/// A brand (Rich Call Data) shown only when it was signed and its digests matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct VerifiedBrand {
    /// The signed display name.
    pub name: String,
    /// The signed logo, already fetched and digest-checked, as a data URL.
    pub logo: Option<String>,
    /// The signed call reason.
    pub call_reason: Option<String>,
}

/// The number to call back instead of the presented one. Always from the directory or contacts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct Callback {
    /// Who the number belongs to, e.g. "IT Helpdesk".
    pub label: String,
    /// The directory number to dial.
    pub number: String,
}

/// The trust verdict for one call, as the UI shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct TrustVerdict {
    /// Overall level.
    pub level: TrustLevel,
    /// The attestation badge.
    pub attestation: Attestation,
    /// A verified brand, when there is one.
    pub brand: Option<VerifiedBrand>,
    /// Ordered reasons, most important first.
    pub reasons: Vec<TrustReason>,
    /// What to do.
    pub action: RecommendedAction,
    /// Directory number to call back, when the action is to verify by callback.
    pub callback: Option<Callback>,
}

/// The party at the other end, as presented (never trusted by itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct Party {
    /// The number, E.164 where it could be normalised.
    pub number: Option<String>,
    /// The display name the caller chose (unverified unless the brand says so).
    pub display_name: Option<String>,
    /// The SIP or tel URI.
    pub uri: String,
}

/// How a call's media is protected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum MediaSecurity {
    /// SRTP with keys exchanged in SDP (SDES) over a TLS signalling flow.
    Sdes {
        /// The crypto suite, e.g. `AEAD_AES_256_GCM`.
        suite: String,
    },
    /// SRTP with keys from a DTLS handshake on the media path.
    DtlsSrtp {
        /// The SRTP protection profile.
        suite: String,
    },
    /// Plain RTP, only where policy allows it.
    Unencrypted,
}

/// Live call quality.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct Quality {
    /// Packet loss over the last interval, percent.
    pub loss_percent: f32,
    /// Interarrival jitter, milliseconds.
    pub jitter_ms: f32,
    /// Round-trip time, milliseconds, once RTCP has measured it.
    pub rtt_ms: Option<f32>,
    /// E-model MOS estimate (1.0 to 4.5).
    pub mos: f32,
}

/// A quality threshold that was crossed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum QualityAlert {
    /// Loss above 2 %.
    Loss,
    /// Jitter above 30 ms.
    Jitter,
    /// One-way latency above 150 ms.
    Latency,
    /// MOS below 3.5.
    Mos,
}

/// A call's media at hang-up, for the call log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct MediaSummary {
    /// The codec used, e.g. `opus`.
    pub codec: String,
    /// Whether media was encrypted (SRTP); false means the call was marked unencrypted.
    pub encrypted: bool,
    /// Seconds of media.
    pub duration_secs: f32,
    /// RTP packets sent.
    pub packets_sent: u64,
    /// RTP packets received and accepted.
    pub packets_received: u64,
    /// RTP packets lost on the way to us.
    pub packets_lost: u64,
    /// Received packets dropped as malformed, unauthenticated, replayed or from a stranger.
    pub packets_dropped: u64,
    /// Share of played frames that were concealed (lost, late or missing), percent.
    pub concealed_percent: f32,
    /// Mean loss over the call, percent.
    pub mean_loss_percent: f32,
    /// Worst jitter, milliseconds.
    pub max_jitter_ms: f32,
    /// Worst round-trip time, milliseconds, if RTCP measured one.
    pub max_rtt_ms: Option<f32>,
    /// Mean E-model MOS, if any audio arrived.
    pub mean_mos: Option<f32>,
    /// Lowest MOS, if any audio arrived.
    pub min_mos: Option<f32>,
    /// Quality alerts raised during the call.
    pub alerts_raised: u64,
}

/// Why a call ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(tag = "reason", rename_all = "camelCase")]
pub enum EndReason {
    /// The user hung up.
    LocalHangup,
    /// The other party hung up.
    RemoteHangup,
    /// The user declined an incoming call.
    Declined,
    /// The callee was busy.
    Busy,
    /// The caller gave up before the call was answered.
    Cancelled,
    /// The user hung up to verify by callback.
    CallbackVerification,
    /// The call was transferred away.
    Transferred,
    /// The call failed; `status` is the SIP status when there was one.
    Failed {
        /// SIP status code, if the failure came from a response.
        status: Option<u16>,
        /// One plain sentence for the user.
        text: String,
    },
}

/// Which way a call goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    /// The other party called us.
    Incoming,
    /// We called the other party.
    Outgoing,
}

/// Everything the engine tells the shell. A flat list: the UI is a function of these events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum PhoneEvent {
    /// An account's registration changed.
    RegistrationChanged {
        /// The account's display label (its address of record).
        account: String,
        /// The new state.
        state: RegistrationState,
    },
    /// A call arrived and the phone rings. The verdict is already computed (or `Verifying`).
    IncomingCall {
        /// The call.
        call: CallKey,
        /// Who is calling, as presented.
        caller: Party,
        /// How much to trust them.
        verdict: TrustVerdict,
        /// True when this call comes from the built-in training line.
        training: bool,
    },
    /// A call was refused without ringing because the caller is blocked (by the user's list or
    /// the organisation's feed). Kept for the call log.
    CallBlocked {
        /// Who called, as presented.
        caller: Party,
        /// Why it was blocked.
        verdict: TrustVerdict,
    },
    /// The verdict for a call changed (a certificate fetch finished or timed out).
    TrustUpdated {
        /// The call.
        call: CallKey,
        /// The new verdict.
        verdict: TrustVerdict,
    },
    /// We started calling someone.
    OutgoingCall {
        /// The call.
        call: CallKey,
        /// Who we call.
        callee: Party,
    },
    /// The remote phone is ringing (or early media started).
    RemoteRinging {
        /// The call.
        call: CallKey,
    },
    /// The call is connected.
    Answered {
        /// The call.
        call: CallKey,
    },
    /// The call's media is protected this way.
    MediaSecured {
        /// The call.
        call: CallKey,
        /// How.
        security: MediaSecurity,
    },
    /// The call was put on hold (by us or by the other party).
    Held {
        /// The call.
        call: CallKey,
        /// True when the other party put us on hold.
        by_remote: bool,
    },
    /// The call was resumed.
    Resumed {
        /// The call.
        call: CallKey,
    },
    /// The microphone was muted or unmuted.
    MuteChanged {
        /// The call.
        call: CallKey,
        /// The new state.
        muted: bool,
    },
    /// A periodic quality sample.
    QualityUpdated {
        /// The call.
        call: CallKey,
        /// The sample.
        quality: Quality,
    },
    /// A quality threshold was crossed.
    QualityAlerted {
        /// The call.
        call: CallKey,
        /// Which one.
        alert: QualityAlert,
    },
    /// A DTMF digit arrived from the other party.
    DtmfReceived {
        /// The call.
        call: CallKey,
        /// The digit (0-9, *, #, A-D).
        digit: String,
    },
    /// The call's media summary for the call log; comes just before `Ended` for a call whose
    /// media ran.
    MediaSummary {
        /// The call.
        call: CallKey,
        /// The summary.
        summary: MediaSummary,
    },
    /// The call ended.
    Ended {
        /// The call.
        call: CallKey,
        /// Why.
        reason: EndReason,
    },
    /// An audio device failed or disappeared; the engine fell back to the default.
    DeviceFailed {
        /// One plain sentence for the user.
        text: String,
    },
    /// The audio test's levels (0.0-1.0, on a decibel scale), five times a second while it runs,
    /// and once more at zero when it stops.
    AudioLevels {
        /// The microphone.
        input: f32,
        /// What the speaker plays.
        output: f32,
    },
    /// The passkey lock changed: enrolled, unlocked, locked by the user or after idle time.
    LockChanged {
        /// The new state.
        state: LockState,
    },
}

/// One scripted call of the built-in training line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct TrainingScenario {
    /// Stable id, passed back to start the call.
    pub id: String,
    /// What the call is, in a few words.
    pub title: String,
    /// What to notice, one plain sentence a line; shown after the call.
    pub lesson: Vec<String>,
}

/// Machine-readable error codes at the IPC edge: the UI branches on these, never on text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// The call does not exist (any more).
    NoSuchCall,
    /// The command does not fit the call's state (answering a connected call, ...).
    InvalidState,
    /// The dialled target is not a number or SIP address.
    InvalidTarget,
    /// The outbound guard refused the destination; an override needs step-up.
    DestinationRefused,
    /// The outbound guard warns about the destination (one-ring callback, high-cost range): show
    /// the message and dial again with `dial_confirmed` if the user still wants to.
    DestinationWarning,
    /// The vault is locked; unlock first.
    Locked,
    /// The engine stopped.
    EngineStopped,
    /// No passkey is enrolled yet: enrol one (first run).
    NotEnrolled,
    /// A passkey is already enrolled: unlock instead.
    AlreadyEnrolled,
    /// The passkey ceremony failed or its answer was refused (unknown passkey, wrong PIN,
    /// cancelled, not touched in time); the message says which.
    PasskeyRefused,
    /// No security key was found (not plugged in, or this build has no such authenticator).
    SecurityKeyMissing,
    /// The encrypted storage or the OS keyring failed.
    StorageFailed,
    /// This phone runs without a vault (started without storage): no log, lists or reports.
    VaultUnavailable,
}

/// The one error type at the IPC edge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(TS))]
#[error("{message}")]
pub struct ApiError {
    /// What the UI branches on.
    pub code: ErrorCode,
    /// One plain sentence, safe to show and free of personal data.
    pub message: String,
}

impl ApiError {
    /// Builds an error with its code and sentence.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}
