//! Test-only attacks on the vault file, for tests that prove they are detected.
//!
//! Built only with the `danger` feature (enabled by test builds, never by the product). Each
//! function does what an attacker holding the key could do with any SQLCipher shell: it drops the
//! append-only triggers first.

use rusqlite::params;

use crate::{Store, StoreError};

/// A way to tamper with the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditTamper {
    /// Rewrite the payload of event `seq` (keeping its stored hash).
    Edit {
        /// The event to edit.
        seq: u64,
    },
    /// Delete event `seq`.
    Delete {
        /// The event to delete.
        seq: u64,
    },
    /// Swap the contents of events `a` and `b` (each keeps its row, so seqs stay dense).
    Swap {
        /// One event.
        a: u64,
        /// The other.
        b: u64,
    },
}

/// Applies `tamper` to the audit trail, bypassing the append-only triggers.
pub fn tamper_audit(store: &mut Store, tamper: AuditTamper) -> Result<(), StoreError> {
    let tx = store.conn.transaction()?;
    tx.execute_batch(
        "DROP TRIGGER IF EXISTS audit_events_no_update;
         DROP TRIGGER IF EXISTS audit_events_no_delete;",
    )?;
    match tamper {
        AuditTamper::Edit { seq } => {
            tx.execute(
                "UPDATE audit_events SET payload = '{\"tampered\":true}' WHERE seq = ?1",
                [seq],
            )?;
        }
        AuditTamper::Delete { seq } => {
            tx.execute("DELETE FROM audit_events WHERE seq = ?1", [seq])?;
        }
        AuditTamper::Swap { a, b } => {
            tx.execute("UPDATE audit_events SET seq = -1 WHERE seq = ?1", [a])?;
            tx.execute("UPDATE audit_events SET seq = ?1 WHERE seq = ?2", params![a, b])?;
            tx.execute("UPDATE audit_events SET seq = ?1 WHERE seq = -1", [b])?;
        }
    }
    tx.commit()?;
    Ok(())
}
