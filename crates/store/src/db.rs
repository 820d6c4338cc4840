//! Opening the SQLCipher file: key, key check, pragmas, migrations, integrity check.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use crate::{DbKey, StoreError, migrate};

/// The encrypted store: one SQLCipher connection.
///
/// Reach the tables through their handles: `calls()` / `calls_mut()`, `audit()` / `audit_mut()`, …
pub struct Store {
    pub(crate) conn: Connection,
}

impl Store {
    /// Opens (or creates) the vault at `path` with `key`.
    ///
    /// `PRAGMA key` itself never fails, so the key is checked with a read of `sqlite_master`:
    /// a wrong key gives [`StoreError::WrongKeyOrNotADatabase`], a damaged first page
    /// [`StoreError::Corrupted`]. Then WAL mode, `secure_delete` and the migrations.
    pub fn open(path: &Path, key: &DbKey) -> Result<Self, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        let statement = Zeroizing::new(format!("PRAGMA key = \"{}\";", &*key.pragma_literal()));
        conn.execute_batch(&statement)?;
        let mut store = Store { conn };
        store.check_key()?;
        store.configure()?;
        migrate::run(&mut store.conn, &crate::ALL_MIGRATIONS)?;
        Ok(store)
    }

    fn check_key(&self) -> Result<(), StoreError> {
        let read = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0));
        read.map(drop).map_err(|err| self.diagnose(err))
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.conn.busy_timeout(Duration::from_secs(5))?;
        // WAL: readers never block the writer and a killed writer loses at most the transaction
        // it had not committed. NORMAL sync is durable against process crashes (tested with
        // SIGKILL); a power cut may drop the last commits but never corrupts the file.
        let mode: String =
            self.conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Sqlite(rusqlite::Error::InvalidQuery));
        }
        self.conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA secure_delete = ON;
             PRAGMA foreign_keys = ON;",
        )?;
        Ok(())
    }

    /// Authenticates every page (SQLCipher's HMAC) and then SQLite's own structure check.
    /// Names the first page that fails.
    pub fn check_integrity(&self) -> Result<(), StoreError> {
        if let Some(page) = self.first_bad_page()? {
            return Err(StoreError::Corrupted { page: Some(page) });
        }
        let verdict: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(|err| self.diagnose(err))?;
        if verdict == "ok" { Ok(()) } else { Err(StoreError::Corrupted { page: None }) }
    }

    /// Runs `PRAGMA cipher_integrity_check` and returns the first page whose HMAC failed.
    fn first_bad_page(&self) -> Result<Option<u32>, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let line: String = row.get(0)?;
            if let Some(page) = page_in_message(&line) {
                return Ok(Some(page));
            }
        }
        Ok(None)
    }

    /// Turns a SQLite error into a diagnosis; a corruption is looked up to name its page.
    pub(crate) fn diagnose(&self, err: rusqlite::Error) -> StoreError {
        match StoreError::from(err) {
            StoreError::Corrupted { page: None } => {
                StoreError::Corrupted { page: self.first_bad_page().ok().flatten() }
            }
            other => other,
        }
    }

    /// Moves the WAL into the main file (used before handing the file to someone, and by tests).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|err| self.diagnose(err))
    }
}

/// Finds the page number in a line such as "HMAC verification failed for page 7".
fn page_in_message(line: &str) -> Option<u32> {
    let (_, tail) = line.split_once("page")?;
    let digits: String = tail
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::page_in_message;

    #[test]
    fn page_numbers_are_read_from_integrity_messages() {
        assert_eq!(page_in_message("HMAC verification failed for page 7"), Some(7));
        assert_eq!(page_in_message("page 12 has bad hmac"), Some(12));
        assert_eq!(page_in_message("ok"), None);
    }
}
