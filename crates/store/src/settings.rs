//! Settings: JSON values under string keys (policy, retention, idle timeout, …).

use rusqlite::params;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::migrate::Migration;
use crate::{Store, StoreError, Timestamp};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    table: "settings",
    version: 1,
    sql: "CREATE TABLE settings (
              key TEXT PRIMARY KEY,
              value TEXT NOT NULL,
              updated_at INTEGER NOT NULL
          ) WITHOUT ROWID;",
}];

/// Read handle on the settings.
pub struct Settings<'a> {
    store: &'a Store,
}

/// Write handle on the settings.
pub struct SettingsMut<'a> {
    store: &'a mut Store,
}

impl Store {
    /// Read handle on the settings.
    pub fn settings(&self) -> Settings<'_> {
        Settings { store: self }
    }

    /// Write handle on the settings.
    pub fn settings_mut(&mut self) -> SettingsMut<'_> {
        SettingsMut { store: self }
    }
}

impl Settings<'_> {
    /// The value under `key`, decoded; `None` when unset.
    pub fn value<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let run = || -> rusqlite::Result<Option<String>> {
            let mut stmt =
                self.store.conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
            let mut rows = stmt.query([key])?;
            rows.next()?.map(|row| row.get(0)).transpose()
        };
        let text = run().map_err(|err| self.store.diagnose(err))?;
        Ok(text.as_deref().map(serde_json::from_str).transpose()?)
    }
}

impl SettingsMut<'_> {
    /// Sets `key` to `value`.
    pub fn set<T: Serialize>(
        &mut self,
        key: &str,
        value: &T,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(value)?;
        self.store.conn.execute(
            "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)",
            params![key, text, now.unix_millis()],
        )?;
        Ok(())
    }
}
