//! What can go wrong in the store, named by diagnosis.

use rusqlite::ErrorCode;

/// An error from the encrypted store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The key does not open this file, or the file is not a SQLCipher database at all.
    /// (SQLCipher cannot tell the two apart: with the wrong key every page looks like noise.)
    #[error("wrong key, or the file is not a Callwarden vault")]
    WrongKeyOrNotADatabase,
    /// A page failed SQLCipher's per-page HMAC: the file was modified or damaged on disk.
    #[error("vault file is corrupted (page {})", page.map_or_else(|| "unknown".to_owned(), |p| p.to_string()))]
    Corrupted {
        /// The first page that failed authentication, when SQLCipher names it.
        page: Option<u32>,
    },
    /// Another process holds the write lock for longer than the busy timeout.
    #[error("vault is busy (locked by another process)")]
    Busy,
    /// A schema migration failed.
    #[error("migration {version} of table {table} failed")]
    Migration {
        /// The table module whose migration failed.
        table: &'static str,
        /// The migration's version within that table.
        version: u32,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// A row holds a value this version cannot read (for example an unknown enum tag).
    #[error("unreadable value in {table}.{column}")]
    InvalidRow {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
    },
    /// A JSON column did not encode or decode.
    #[error("JSON encoding failed")]
    Json(#[from] serde_json::Error),
    /// Writing an export failed.
    #[error("export write failed")]
    Io(#[from] std::io::Error),
    /// Writing a CSV export failed.
    #[error("CSV export failed")]
    Csv(#[from] csv::Error),
    /// Any other SQLite error.
    #[error("SQLite error")]
    Sqlite(#[source] rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::WrongKeyOrNotADatabase,
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupted { page: None },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(err),
        }
    }
}
