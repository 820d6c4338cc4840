//! The user's own contacts.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::migrate::Migration;
use crate::{DisplayName, PhoneNumber, Store, StoreError};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    table: "contacts",
    version: 1,
    sql: "CREATE TABLE contacts (
              id INTEGER PRIMARY KEY,
              name TEXT NOT NULL,
              number TEXT NOT NULL
          );
          CREATE INDEX contacts_by_number ON contacts (number);",
}];

/// Row id of a contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContactId(pub i64);

/// A contact: a name and a number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The contact's name.
    pub name: DisplayName,
    /// The contact's number.
    pub number: PhoneNumber,
}

/// Read handle on the contacts.
pub struct Contacts<'a> {
    store: &'a Store,
}

/// Write handle on the contacts.
pub struct ContactsMut<'a> {
    store: &'a mut Store,
}

impl Store {
    /// Read handle on the contacts.
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts { store: self }
    }

    /// Write handle on the contacts.
    pub fn contacts_mut(&mut self) -> ContactsMut<'_> {
        ContactsMut { store: self }
    }
}

impl Contacts<'_> {
    /// Contacts whose number is `number`.
    pub fn by_number(&self, number: &PhoneNumber) -> Result<Vec<Contact>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Contact>> {
            let mut stmt = self
                .store
                .conn
                .prepare_cached("SELECT name, number FROM contacts WHERE number = ?1")?;
            let rows = stmt.query_map([number.expose()], contact_row)?;
            rows.collect()
        };
        run().map_err(|err| self.store.diagnose(err))
    }
}

impl Contacts<'_> {
    /// Contacts whose name or number contains `query` (case-insensitive for ASCII), by name,
    /// at most `limit`.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<Contact>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Contact>> {
            let mut stmt = self.store.conn.prepare_cached(
                "SELECT name, number FROM contacts
                 WHERE name LIKE ?1 ESCAPE '\\' OR number LIKE ?1 ESCAPE '\\'
                 ORDER BY name, number LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![crate::like_pattern(query), limit], contact_row)?;
            rows.collect()
        };
        run().map_err(|err| self.store.diagnose(err))
    }
}

impl ContactsMut<'_> {
    /// Adds a contact.
    pub fn insert(&mut self, contact: &Contact) -> Result<ContactId, StoreError> {
        self.store.conn.execute(
            "INSERT INTO contacts (name, number) VALUES (?1, ?2)",
            params![contact.name.expose(), contact.number.expose()],
        )?;
        Ok(ContactId(self.store.conn.last_insert_rowid()))
    }

    /// Removes a contact; `false` when there was none.
    pub fn remove(&mut self, id: ContactId) -> Result<bool, StoreError> {
        Ok(self.store.conn.execute("DELETE FROM contacts WHERE id = ?1", [id.0])? == 1)
    }
}

/// A contact from a `SELECT name, number` row.
fn contact_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        name: DisplayName::new(row.get::<_, String>(0)?),
        number: PhoneNumber::new(row.get::<_, String>(1)?),
    })
}
