//! The report outbox: a durable queue of "report suspicious call" submissions.
//!
//! A report is queued in the same instant the user presses the button and leaves the queue only
//! when the engine confirms the upload, so a crash or an offline laptop never loses one.

use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};

use crate::migrate::Migration;
use crate::{CallId, Store, StoreError, Timestamp};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    table: "report_outbox",
    version: 1,
    sql: "CREATE TABLE report_outbox (
              id INTEGER PRIMARY KEY,
              created_at INTEGER NOT NULL,
              call_id INTEGER,
              payload TEXT NOT NULL,
              state TEXT NOT NULL CHECK (state IN ('pending', 'sent')),
              attempts INTEGER NOT NULL DEFAULT 0,
              last_attempt_at INTEGER,
              sent_at INTEGER
          );
          CREATE INDEX report_outbox_pending ON report_outbox (state, id);",
}];

/// Row id of a queued report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReportId(pub i64);

/// Where a report is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Waiting for (another) upload attempt.
    Pending,
    /// Uploaded and acknowledged.
    Sent,
}

/// A queued report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Row id.
    pub id: ReportId,
    /// When the user reported.
    pub created_at: Timestamp,
    /// The call reported, when it is in the log.
    pub call_id: Option<CallId>,
    /// The report body as JSON (evidence the engine assembled).
    pub payload: serde_json::Value,
    /// Upload state.
    pub state: ReportState,
    /// Upload attempts so far.
    pub attempts: u32,
}

/// Read handle on the outbox.
pub struct Outbox<'a> {
    store: &'a Store,
}

/// Write handle on the outbox.
pub struct OutboxMut<'a> {
    store: &'a mut Store,
}

impl Store {
    /// Read handle on the report outbox.
    pub fn outbox(&self) -> Outbox<'_> {
        Outbox { store: self }
    }

    /// Write handle on the report outbox.
    pub fn outbox_mut(&mut self) -> OutboxMut<'_> {
        OutboxMut { store: self }
    }
}

impl Outbox<'_> {
    /// Reports still to upload, oldest first.
    pub fn pending(&self, limit: u32) -> Result<Vec<Report>, StoreError> {
        let run = || -> rusqlite::Result<Vec<(Report, String)>> {
            let mut stmt = self.store.conn.prepare_cached(
                "SELECT id, created_at, call_id, payload, attempts FROM report_outbox
                 WHERE state = 'pending' ORDER BY id LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit], pending_row)?;
            rows.collect()
        };
        let rows = run().map_err(|err| self.store.diagnose(err))?;
        rows.into_iter()
            .map(|(mut report, payload)| {
                report.payload = serde_json::from_str(&payload)?;
                Ok(report)
            })
            .collect()
    }
}

fn pending_row(row: &Row<'_>) -> rusqlite::Result<(Report, String)> {
    let report = Report {
        id: ReportId(row.get(0)?),
        created_at: Timestamp::from_unix_millis(row.get(1)?),
        call_id: row.get::<_, Option<i64>>(2)?.map(CallId),
        payload: serde_json::Value::Null,
        state: ReportState::Pending,
        attempts: row.get(4)?,
    };
    Ok((report, row.get(3)?))
}

impl OutboxMut<'_> {
    /// Queues a report; durable once this returns.
    pub fn enqueue(
        &mut self,
        call_id: Option<CallId>,
        payload: &serde_json::Value,
        now: Timestamp,
    ) -> Result<ReportId, StoreError> {
        self.store.conn.execute(
            "INSERT INTO report_outbox (created_at, call_id, payload, state)
             VALUES (?1, ?2, ?3, 'pending')",
            params![now.unix_millis(), call_id.map(|c| c.0), serde_json::to_string(payload)?],
        )?;
        Ok(ReportId(self.store.conn.last_insert_rowid()))
    }

    /// Records a failed upload attempt; the report stays pending.
    pub fn attempt_failed(&mut self, id: ReportId, now: Timestamp) -> Result<(), StoreError> {
        self.store.conn.execute(
            "UPDATE report_outbox SET attempts = attempts + 1, last_attempt_at = ?2
             WHERE id = ?1 AND state = 'pending'",
            params![id.0, now.unix_millis()],
        )?;
        Ok(())
    }

    /// Marks a report as uploaded; `false` if it was not pending.
    pub fn mark_sent(&mut self, id: ReportId, now: Timestamp) -> Result<bool, StoreError> {
        let changed = self.store.conn.execute(
            "UPDATE report_outbox SET state = 'sent', attempts = attempts + 1,
                 last_attempt_at = ?2, sent_at = ?2
             WHERE id = ?1 AND state = 'pending'",
            params![id.0, now.unix_millis()],
        )?;
        Ok(changed == 1)
    }
}
