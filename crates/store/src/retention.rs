//! Retention: expired rows are deleted with `secure_delete` on, so their bytes are overwritten.

use serde::{Deserialize, Serialize};

use crate::{Store, StoreError, Timestamp, audit};

/// How long each kind of record is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    /// Days a call stays in the log (configurable by policy).
    pub call_log_days: u32,
    /// Days an uploaded report stays in the outbox.
    pub sent_report_days: u32,
    /// Days an audit event is kept: seven years.
    pub audit_days: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self { call_log_days: 365, sent_report_days: 30, audit_days: 7 * 365 + 2 }
    }
}

/// What a purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purged {
    /// Calls deleted.
    pub calls: u64,
    /// Uploaded reports deleted.
    pub reports: u64,
    /// Audit events deleted (the chain's anchor moves to the last one).
    pub audit_events: u64,
}

impl Store {
    /// Deletes what `policy` says has expired at `now`, in one transaction. Pending reports are
    /// never purged: they have not reached the security team yet.
    pub fn purge_expired(
        &mut self,
        policy: &RetentionPolicy,
        now: Timestamp,
    ) -> Result<Purged, StoreError> {
        let tx = self.conn.transaction()?;
        let calls = tx.execute(
            "DELETE FROM calls WHERE started_at < ?1",
            [now.minus_days(policy.call_log_days).unix_millis()],
        )? as u64;
        let reports = tx.execute(
            "DELETE FROM report_outbox WHERE state = 'sent' AND sent_at < ?1",
            [now.minus_days(policy.sent_report_days).unix_millis()],
        )? as u64;
        let audit_events = audit::prune(&tx, now.minus_days(policy.audit_days))?;
        tx.commit()?;
        Ok(Purged { calls, reports, audit_events })
    }
}
