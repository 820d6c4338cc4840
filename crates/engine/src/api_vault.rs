//! The IPC types of the screens the vault backs: the lock screen, the call log, the report
//! dialog, search and settings. Re-exported from [`crate::api`], exported to TypeScript with
//! the rest.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ts")]
use ts_rs::TS;

use crate::api::{
    CallKey, Direction, EndReason, MediaSummary, Party, RegistrationState, TrustLevel, TrustVerdict,
};

/// Where the passkey lock stands. While locked, calls are still screened and ring (protection
/// never stops); the call log, reports, blocking, search and settings answer `locked`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct LockState {
    /// A passkey is enrolled (false on first run: offer enrolment instead of unlock).
    pub enrolled: bool,
    /// The vault is locked.
    pub locked: bool,
}

/// Which calls of the log to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct CallLogFilter {
    /// Only incoming or only outgoing calls.
    pub direction: Option<Direction>,
    /// Only calls at least this risky (verified < neutral = verifying < caution < danger <
    /// blocked).
    pub min_level: Option<TrustLevel>,
    /// At most this many calls, newest first (capped at 500).
    pub limit: u32,
}

/// One call in the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct CallLogEntry {
    /// The logged call: pass it to `report`. Stable across restarts (not the live call's key).
    pub call: CallKey,
    /// The other party, as presented.
    pub party: Party,
    /// Which way the call went.
    pub direction: Direction,
    /// When it started ringing or was dialled, Unix milliseconds.
    pub started_at_ms: u64,
    /// Talk time; `None` when the call was never answered.
    pub duration_secs: Option<u32>,
    /// The last verdict the call had (outgoing calls: neutral, no reasons).
    pub verdict: TrustVerdict,
    /// Why it ended; `None` for a call refused without ringing (its verdict says blocked).
    pub end: Option<EndReason>,
    /// The user reported it.
    pub reported: bool,
    /// Its number is on the user's block list now (so the log offers "unblock").
    pub blocked: bool,
    /// It came from (or went to) the built-in training line.
    pub training: bool,
    /// The media summary, for a call whose media ran.
    pub media: Option<MediaSummary>,
}

/// A quick tag on a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum ReportTag {
    /// The caller asked for a code (MFA, one-time password, PIN).
    AskedForCode,
    /// The caller pressed for an urgent payment or transfer.
    UrgentPayment,
    /// The caller claimed to be IT or the helpdesk.
    ClaimedToBeIt,
    /// Something else; the note says what.
    Other,
}

/// What the user says about a suspicious call. Everything is optional: one click sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Quick tags.
    pub tags: Vec<ReportTag>,
    /// A free-text note.
    pub note: Option<String>,
}

/// A queued report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ReportId(pub i64);

/// Where a search hit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum EntrySource {
    /// The user's own contacts.
    Contact,
    /// The company directory.
    Directory,
}

/// A search hit: someone to call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryEntry {
    /// The person's or department's name.
    pub name: String,
    /// The number to dial (E.164 where known).
    pub number: String,
    /// Where it comes from.
    pub source: EntrySource,
}

/// One account on the settings screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// The account's label (its address of record, or "Training line").
    pub label: String,
    /// Its registration, as last reported.
    pub registration: RegistrationState,
}

/// The audio devices on the settings screen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct DevicesView {
    /// Microphones, by name.
    pub inputs: Vec<String>,
    /// Speakers and headsets, by name.
    pub outputs: Vec<String>,
    /// The microphone in use (the system default; empty when there is none).
    pub input: String,
    /// The speaker in use (the system default; empty when there is none).
    pub output: String,
}

/// One policy setting, shown read-only where the organisation manages it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct PolicyItem {
    /// Stable key, e.g. `media.srtp`.
    pub key: String,
    /// The value, in plain words.
    pub value: String,
    /// Set by the organisation (account file or trust context): the user cannot change it.
    pub managed: bool,
}

/// The settings screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The accounts and their registration.
    pub accounts: Vec<AccountView>,
    /// Audio devices.
    pub devices: DevicesView,
    /// Policy, most important first.
    pub policy: Vec<PolicyItem>,
}
