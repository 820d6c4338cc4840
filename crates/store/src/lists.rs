//! Block and allow lists of numbers.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::migrate::Migration;
use crate::{PhoneNumber, Store, StoreError, Timestamp};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    table: "number_lists",
    version: 1,
    sql: "CREATE TABLE number_lists (
              number TEXT PRIMARY KEY,
              kind TEXT NOT NULL CHECK (kind IN ('block', 'allow')),
              reason TEXT,
              added_at INTEGER NOT NULL
          ) WITHOUT ROWID;",
}];

/// Which list a number is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// Calls from this number are rejected.
    Block,
    /// This number is trusted even without attestation.
    Allow,
}

impl ListKind {
    fn as_str(self) -> &'static str {
        match self {
            ListKind::Block => "block",
            ListKind::Allow => "allow",
        }
    }
}

/// A number on a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The number.
    pub number: PhoneNumber,
    /// The list it is on.
    pub kind: ListKind,
    /// Why (free text from the user or policy).
    pub reason: Option<String>,
    /// When it was added.
    pub added_at: Timestamp,
}

/// Read handle on the block/allow lists.
pub struct Lists<'a> {
    store: &'a Store,
}

/// Write handle on the block/allow lists.
pub struct ListsMut<'a> {
    store: &'a mut Store,
}

impl Store {
    /// Read handle on the block/allow lists.
    pub fn lists(&self) -> Lists<'_> {
        Lists { store: self }
    }

    /// Write handle on the block/allow lists.
    pub fn lists_mut(&mut self) -> ListsMut<'_> {
        ListsMut { store: self }
    }
}

impl Lists<'_> {
    /// The list `number` is on, if any.
    pub fn kind_of(&self, number: &PhoneNumber) -> Result<Option<ListKind>, StoreError> {
        let run = || -> rusqlite::Result<Option<String>> {
            let mut stmt = self
                .store
                .conn
                .prepare_cached("SELECT kind FROM number_lists WHERE number = ?1")?;
            let mut rows = stmt.query([number.expose()])?;
            rows.next()?.map(|row| row.get(0)).transpose()
        };
        match run().map_err(|err| self.store.diagnose(err))?.as_deref() {
            None => Ok(None),
            Some("block") => Ok(Some(ListKind::Block)),
            Some("allow") => Ok(Some(ListKind::Allow)),
            Some(_) => Err(StoreError::InvalidRow { table: "number_lists", column: "kind" }),
        }
    }
}

impl Lists<'_> {
    /// Every number on `kind`'s list, oldest entry first.
    pub fn all(&self, kind: ListKind) -> Result<Vec<ListEntry>, StoreError> {
        let run = || -> rusqlite::Result<Vec<ListEntry>> {
            let mut stmt = self.store.conn.prepare_cached(
                "SELECT number, reason, added_at FROM number_lists WHERE kind = ?1
                 ORDER BY added_at, number",
            )?;
            let rows = stmt.query_map([kind.as_str()], |row| {
                Ok(ListEntry {
                    number: PhoneNumber::new(row.get::<_, String>(0)?),
                    kind,
                    reason: row.get(1)?,
                    added_at: Timestamp::from_unix_millis(row.get(2)?),
                })
            })?;
            rows.collect()
        };
        run().map_err(|err| self.store.diagnose(err))
    }
}

impl ListsMut<'_> {
    /// Puts a number on a list (moving it from the other list if it was there).
    pub fn put(&mut self, entry: &ListEntry) -> Result<(), StoreError> {
        self.store.conn.execute(
            "INSERT OR REPLACE INTO number_lists (number, kind, reason, added_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                entry.number.expose(),
                entry.kind.as_str(),
                entry.reason,
                entry.added_at.unix_millis()
            ],
        )?;
        Ok(())
    }

    /// Takes a number off whichever list it is on.
    pub fn remove(&mut self, number: &PhoneNumber) -> Result<bool, StoreError> {
        let n = self
            .store
            .conn
            .execute("DELETE FROM number_lists WHERE number = ?1", [number.expose()])?;
        Ok(n == 1)
    }
}
