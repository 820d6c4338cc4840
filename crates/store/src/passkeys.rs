//! Enrolled passkey credentials. The store keeps the relying party's credential as opaque JSON
//! (the `vault` crate owns WebAuthn); the counters and flags sit beside it for queries.

use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};

use crate::migrate::Migration;
use crate::{Store, StoreError, Timestamp};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    table: "passkeys",
    version: 1,
    sql: "CREATE TABLE passkeys (
              id INTEGER PRIMARY KEY,
              credential_id TEXT NOT NULL UNIQUE,
              label TEXT NOT NULL,
              credential TEXT NOT NULL,
              created_at INTEGER NOT NULL,
              last_used_at INTEGER,
              counter INTEGER NOT NULL DEFAULT 0,
              backup_eligible INTEGER NOT NULL,
              backup_state INTEGER NOT NULL,
              counter_regressions INTEGER NOT NULL DEFAULT 0
          );",
}];

/// A WebAuthn credential id (base64url), as the relying party names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoredCredentialId(pub String);

/// One enrolled passkey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyRow {
    /// The credential id.
    pub credential_id: StoredCredentialId,
    /// The user's name for it ("YubiKey 5C", "backup key").
    pub label: String,
    /// The relying party's credential record, serialised as JSON.
    pub credential: String,
    /// When it was enrolled.
    pub created_at: Timestamp,
    /// When it last unlocked the vault.
    pub last_used_at: Option<Timestamp>,
    /// The highest signature counter seen.
    pub counter: u32,
    /// The authenticator says the credential may be synced (a multi-device passkey).
    pub backup_eligible: bool,
    /// The credential is currently backed up / synced.
    pub backup_state: bool,
    /// How many assertions arrived with a counter that went backwards (a possible clone).
    pub counter_regressions: u32,
}

/// Read handle on the passkeys.
pub struct Passkeys<'a> {
    store: &'a Store,
}

/// Write handle on the passkeys.
pub struct PasskeysMut<'a> {
    store: &'a mut Store,
}

impl Store {
    /// Read handle on the enrolled passkeys.
    pub fn passkeys(&self) -> Passkeys<'_> {
        Passkeys { store: self }
    }

    /// Write handle on the enrolled passkeys.
    pub fn passkeys_mut(&mut self) -> PasskeysMut<'_> {
        PasskeysMut { store: self }
    }
}

impl Passkeys<'_> {
    /// Every enrolled passkey, oldest first.
    pub fn all(&self) -> Result<Vec<PasskeyRow>, StoreError> {
        let run = || -> rusqlite::Result<Vec<PasskeyRow>> {
            let mut stmt = self.store.conn.prepare_cached(
                "SELECT credential_id, label, credential, created_at, last_used_at, counter,
                        backup_eligible, backup_state, counter_regressions
                 FROM passkeys ORDER BY id",
            )?;
            let rows = stmt.query_map([], passkey_row)?;
            rows.collect()
        };
        run().map_err(|err| self.store.diagnose(err))
    }
}

fn passkey_row(row: &Row<'_>) -> rusqlite::Result<PasskeyRow> {
    Ok(PasskeyRow {
        credential_id: StoredCredentialId(row.get(0)?),
        label: row.get(1)?,
        credential: row.get(2)?,
        created_at: Timestamp::from_unix_millis(row.get(3)?),
        last_used_at: row.get::<_, Option<i64>>(4)?.map(Timestamp::from_unix_millis),
        counter: row.get(5)?,
        backup_eligible: row.get(6)?,
        backup_state: row.get(7)?,
        counter_regressions: row.get(8)?,
    })
}

impl PasskeysMut<'_> {
    /// Stores a newly enrolled passkey.
    pub fn insert(&mut self, row: &PasskeyRow) -> Result<(), StoreError> {
        self.store.conn.execute(
            "INSERT INTO passkeys (credential_id, label, credential, created_at, last_used_at,
                 counter, backup_eligible, backup_state, counter_regressions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                row.credential_id.0,
                row.label,
                row.credential,
                row.created_at.unix_millis(),
                row.last_used_at.map(Timestamp::unix_millis),
                row.counter,
                row.backup_eligible,
                row.backup_state,
                row.counter_regressions
            ],
        )?;
        Ok(())
    }

    /// Records a successful assertion: the new credential record, counter and backup flags.
    pub fn record_use(&mut self, row: &PasskeyRow) -> Result<bool, StoreError> {
        let changed = self.store.conn.execute(
            "UPDATE passkeys SET credential = ?2, last_used_at = ?3, counter = ?4,
                 backup_eligible = ?5, backup_state = ?6
             WHERE credential_id = ?1",
            params![
                row.credential_id.0,
                row.credential,
                row.last_used_at.map(Timestamp::unix_millis),
                row.counter,
                row.backup_eligible,
                row.backup_state
            ],
        )?;
        Ok(changed == 1)
    }

    /// Counts an assertion whose signature counter went backwards.
    pub fn flag_counter_regression(&mut self, id: &StoredCredentialId) -> Result<(), StoreError> {
        self.store.conn.execute(
            "UPDATE passkeys SET counter_regressions = counter_regressions + 1
             WHERE credential_id = ?1",
            [&id.0],
        )?;
        Ok(())
    }

    /// Removes every passkey (the admin recovery procedure); returns how many.
    pub fn remove_all(&mut self) -> Result<u64, StoreError> {
        Ok(self.store.conn.execute("DELETE FROM passkeys", [])? as u64)
    }
}
