//! A cached copy of the company directory: who is a colleague, and their number for callbacks.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::migrate::Migration;
use crate::{DisplayName, PhoneNumber, Store, StoreError, Timestamp};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    table: "directory",
    version: 1,
    sql: "CREATE TABLE directory (
              number TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              department TEXT,
              fetched_at INTEGER NOT NULL
          ) WITHOUT ROWID;",
}];

/// One directory entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// The colleague's (or department's) number.
    pub number: PhoneNumber,
    /// Their name.
    pub name: DisplayName,
    /// Department, when the directory says.
    pub department: Option<String>,
    /// When this copy was fetched.
    pub fetched_at: Timestamp,
}

/// Read handle on the directory cache.
pub struct Directory<'a> {
    store: &'a Store,
}

/// Write handle on the directory cache.
pub struct DirectoryMut<'a> {
    store: &'a mut Store,
}

impl Store {
    /// Read handle on the directory cache.
    pub fn directory(&self) -> Directory<'_> {
        Directory { store: self }
    }

    /// Write handle on the directory cache.
    pub fn directory_mut(&mut self) -> DirectoryMut<'_> {
        DirectoryMut { store: self }
    }
}

impl Directory<'_> {
    /// The entry for `number`, if the cached directory has one.
    pub fn lookup(&self, number: &PhoneNumber) -> Result<Option<DirectoryEntry>, StoreError> {
        let run = || -> rusqlite::Result<Option<DirectoryEntry>> {
            let mut stmt = self.store.conn.prepare_cached(
                "SELECT number, name, department, fetched_at FROM directory WHERE number = ?1",
            )?;
            let mut rows = stmt.query([number.expose()])?;
            let Some(row) = rows.next()? else { return Ok(None) };
            Ok(Some(DirectoryEntry {
                number: PhoneNumber::new(row.get::<_, String>(0)?),
                name: DisplayName::new(row.get::<_, String>(1)?),
                department: row.get(2)?,
                fetched_at: Timestamp::from_unix_millis(row.get(3)?),
            }))
        };
        run().map_err(|err| self.store.diagnose(err))
    }
}

impl Directory<'_> {
    /// Entries whose name or number contains `query` (case-insensitive for ASCII), by name, at
    /// most `limit`.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<DirectoryEntry>, StoreError> {
        let run = || -> rusqlite::Result<Vec<DirectoryEntry>> {
            let mut stmt = self.store.conn.prepare_cached(
                "SELECT number, name, department, fetched_at FROM directory
                 WHERE name LIKE ?1 ESCAPE '\\' OR number LIKE ?1 ESCAPE '\\'
                 ORDER BY name, number LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![crate::like_pattern(query), limit], |row| {
                Ok(DirectoryEntry {
                    number: PhoneNumber::new(row.get::<_, String>(0)?),
                    name: DisplayName::new(row.get::<_, String>(1)?),
                    department: row.get(2)?,
                    fetched_at: Timestamp::from_unix_millis(row.get(3)?),
                })
            })?;
            rows.collect()
        };
        run().map_err(|err| self.store.diagnose(err))
    }
}

impl DirectoryMut<'_> {
    /// Replaces the whole cache with a freshly fetched directory, atomically.
    pub fn replace_all(&mut self, entries: &[DirectoryEntry]) -> Result<(), StoreError> {
        let tx = self.store.conn.transaction()?;
        tx.execute("DELETE FROM directory", [])?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO directory (number, name, department, fetched_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for entry in entries {
                stmt.execute(params![
                    entry.number.expose(),
                    entry.name.expose(),
                    entry.department,
                    entry.fetched_at.unix_millis()
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
