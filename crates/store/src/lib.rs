//! The encrypted local vault (SQLCipher): call log, directory, lists, report outbox, audit trail.
//!
//! `store` is the only crate with SQL. A [`Store`] is one SQLCipher connection opened with a raw
//! 256-bit [`DbKey`]; each table lives in its own module beside its migrations, a read handle
//! (`store.calls()`) and a write handle (`store.calls_mut()`), like GitButler's `but-db`.
//!
//! The store never reads the clock: every time it needs (a call's start, retention's `now`, an
//! audit event's time) comes in as a [`Timestamp`] argument, so tests are deterministic.
#![forbid(unsafe_code)]

mod audit;
mod calls;
mod contacts;
#[cfg(feature = "danger")]
pub mod danger;
mod db;
mod directory;
mod error;
mod export;
mod key;
mod lists;
mod migrate;
mod outbox;
mod passkeys;
mod retention;
mod settings;
mod types;

pub use audit::{AuditEvent, AuditKind, AuditLog, AuditLogMut, ChainBreak, ChainReport};
pub use calls::{
    CallId, CallRecord, Calls, CallsMut, Direction, NewCall, QualitySummary, UserAction,
};
pub use contacts::{Contact, ContactId, Contacts, ContactsMut};
pub use db::Store;
pub use directory::{Directory, DirectoryEntry, DirectoryMut};
pub use error::StoreError;
pub use export::{ExportFormat, TimeRange};
pub use key::DbKey;
pub use lists::{ListEntry, ListKind, Lists, ListsMut};
pub use outbox::{Outbox, OutboxMut, Report, ReportId, ReportState};
pub use passkeys::{PasskeyRow, Passkeys, PasskeysMut, StoredCredentialId};
pub use retention::{Purged, RetentionPolicy};
pub use settings::{Settings, SettingsMut};
pub use types::{DisplayName, PhoneNumber, Timestamp};

/// A `LIKE … ESCAPE '\'` pattern matching text that contains `query` literally.
pub(crate) fn like_pattern(query: &str) -> String {
    let mut pattern = String::with_capacity(query.len() + 2);
    pattern.push('%');
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Every table's migrations, in dependency order.
const ALL_MIGRATIONS: [&[migrate::Migration]; 8] = [
    calls::MIGRATIONS,
    contacts::MIGRATIONS,
    directory::MIGRATIONS,
    lists::MIGRATIONS,
    outbox::MIGRATIONS,
    settings::MIGRATIONS,
    audit::MIGRATIONS,
    passkeys::MIGRATIONS,
];
