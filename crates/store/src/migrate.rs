//! Applies each table module's migrations, in order, once.
//!
//! Every table module declares `MIGRATIONS: &[Migration]`; this runner records what it applied in
//! `schema_migrations (tbl, version)` so a newer build only runs what is new.

use rusqlite::{Connection, params};

use crate::StoreError;

/// One schema step of one table.
pub(crate) struct Migration {
    /// The table module this step belongs to.
    pub table: &'static str,
    /// Position within that table's steps, starting at 1.
    pub version: u32,
    /// The SQL to run (may hold several statements).
    pub sql: &'static str,
}

/// Runs every migration not yet recorded, in one transaction.
pub(crate) fn run(conn: &mut Connection, all: &[&[Migration]]) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             tbl TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (tbl, version))",
    )?;
    for migration in all.iter().flat_map(|steps| steps.iter()) {
        let done: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE tbl = ?1 AND version = ?2)",
            params![migration.table, migration.version],
            |row| row.get(0),
        )?;
        if done {
            continue;
        }
        let fail = |source| StoreError::Migration {
            table: migration.table,
            version: migration.version,
            source,
        };
        tx.execute_batch(migration.sql).map_err(fail)?;
        tx.execute(
            "INSERT INTO schema_migrations (tbl, version) VALUES (?1, ?2)",
            params![migration.table, migration.version],
        )
        .map_err(fail)?;
    }
    tx.commit()?;
    Ok(())
}
