//! The audit trail: an append-only hash chain over unlocks, exports, reports, policy changes and
//! overrides.
//!
//! Event `n` stores `hash_n = SHA-256(canonical(seq, at, kind, payload, hash_{n-1}))`, so editing,
//! deleting or reordering any event breaks the link to every later one. Triggers refuse UPDATE and
//! DELETE through SQL; the chain catches anyone who drops the triggers. Retention may prune events
//! older than seven years: the pruned head is kept in `audit_anchor` so the chain still verifies.

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::migrate::Migration;
use crate::{Store, StoreError, Timestamp};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    table: "audit_events",
    version: 1,
    sql: "CREATE TABLE audit_events (
              seq INTEGER PRIMARY KEY,
              at INTEGER NOT NULL,
              kind TEXT NOT NULL,
              payload TEXT NOT NULL,
              prev_hash BLOB NOT NULL,
              hash BLOB NOT NULL
          );
          CREATE TABLE audit_anchor (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              seq INTEGER NOT NULL,
              hash BLOB NOT NULL
          );
          CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
          BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
          CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
          WHEN OLD.seq > coalesce((SELECT seq FROM audit_anchor WHERE id = 1), 0)
          BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
}];

/// What an audit event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditKind {
    /// The vault was created (first run).
    VaultCreated,
    /// A passkey was enrolled.
    PasskeyEnrolled,
    /// The vault was unlocked with a passkey.
    Unlocked,
    /// An unlock or step-up ceremony failed.
    UnlockFailed,
    /// The vault locked (explicitly or after the idle timeout).
    Locked,
    /// A step-up ceremony authorised a risky action.
    SteppedUp,
    /// A date range was exported.
    Exported,
    /// A suspicious call was reported.
    Reported,
    /// A policy or security setting changed.
    PolicyChanged,
    /// The user overrode a guard (for example the toll-fraud guard).
    Override,
    /// A passkey's signature counter went backwards: a possible cloned authenticator.
    CounterRegression,
    /// All passkeys were removed by the admin recovery procedure.
    PasskeysReset,
    /// Expired rows were deleted by the retention policy.
    Purged,
}

impl AuditKind {
    /// The stable text stored in the chain.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::VaultCreated => "vault_created",
            AuditKind::PasskeyEnrolled => "passkey_enrolled",
            AuditKind::Unlocked => "unlocked",
            AuditKind::UnlockFailed => "unlock_failed",
            AuditKind::Locked => "locked",
            AuditKind::SteppedUp => "stepped_up",
            AuditKind::Exported => "exported",
            AuditKind::Reported => "reported",
            AuditKind::PolicyChanged => "policy_changed",
            AuditKind::Override => "override",
            AuditKind::CounterRegression => "counter_regression",
            AuditKind::PasskeysReset => "passkeys_reset",
            AuditKind::Purged => "purged",
        }
    }
}

/// An event as stored. `kind` stays text so that verification covers exactly the stored bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: u64,
    /// When it happened.
    pub at: Timestamp,
    /// What happened ([`AuditKind::as_str`]).
    pub kind: String,
    /// Details as JSON text (no phone numbers: ids and counts only).
    pub payload: String,
    /// The previous event's hash (zeros for the first).
    #[serde(with = "hex32")]
    pub prev_hash: [u8; 32],
    /// This event's hash.
    #[serde(with = "hex32")]
    pub hash: [u8; 32],
}

/// The first broken link `verify` found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainBreak {
    /// The event's content no longer matches its hash: it was edited (or moved to another seq).
    #[error("audit event {seq} was altered: its content does not match its hash")]
    Altered {
        /// The altered event.
        seq: u64,
    },
    /// The event does not commit to its predecessor: an event before it was removed, replaced or
    /// reordered.
    #[error("audit event {seq} does not link to the event before it (removed or reordered)")]
    Unlinked {
        /// The first event whose link is broken.
        seq: u64,
    },
    /// A sequence number is missing: events were deleted.
    #[error("audit event {expected} is missing (next present is {found})")]
    Missing {
        /// The seq that should come next.
        expected: u64,
        /// The seq found instead.
        found: u64,
    },
}

/// A successful verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// Events checked.
    pub events: u64,
    /// The last seq checked (0 when the trail is empty).
    pub head_seq: u64,
    /// The head hash.
    pub head_hash: [u8; 32],
}

/// Read handle on the audit trail.
pub struct AuditLog<'a> {
    store: &'a Store,
}

/// Append handle on the audit trail (there is no update or delete).
pub struct AuditLogMut<'a> {
    store: &'a mut Store,
}

impl Store {
    /// Read handle on the audit trail.
    pub fn audit(&self) -> AuditLog<'_> {
        AuditLog { store: self }
    }

    /// Append handle on the audit trail.
    pub fn audit_mut(&mut self) -> AuditLogMut<'_> {
        AuditLogMut { store: self }
    }
}

/// SHA-256 over the canonical encoding: a domain tag, then seq and time as big-endian integers,
/// kind and payload each prefixed by their length, then the previous hash.
pub(crate) fn event_hash(
    seq: u64,
    at: Timestamp,
    kind: &str,
    payload: &str,
    prev: &[u8; 32],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"callwarden-audit-v1\0");
    h.update(seq.to_be_bytes());
    h.update(at.unix_millis().to_be_bytes());
    for field in [kind.as_bytes(), payload.as_bytes()] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field);
    }
    h.update(prev);
    h.finalize().into()
}

impl AuditLogMut<'_> {
    /// Appends an event linked to the current head; returns its seq.
    pub fn append(
        &mut self,
        kind: AuditKind,
        payload: &serde_json::Value,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let payload = serde_json::to_string(payload)?;
        let tx = self.store.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let head: Option<(u64, Vec<u8>)> = tx
            .query_row("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let head = match head {
            Some(head) => Some(head),
            None => anchor(&tx)?,
        };
        let (prev_seq, prev_hash) = match head {
            Some((seq, hash)) => (
                seq,
                to_hash(&hash)
                    .ok_or(StoreError::InvalidRow { table: "audit_events", column: "hash" })?,
            ),
            None => (0, [0; 32]),
        };
        let seq = prev_seq + 1;
        let hash = event_hash(seq, now, kind.as_str(), &payload, &prev_hash);
        tx.execute(
            "INSERT INTO audit_events (seq, at, kind, payload, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![seq, now.unix_millis(), kind.as_str(), payload, &prev_hash[..], &hash[..]],
        )?;
        tx.commit()?;
        Ok(seq)
    }
}

fn anchor(conn: &rusqlite::Connection) -> rusqlite::Result<Option<(u64, Vec<u8>)>> {
    let mut stmt = conn.prepare_cached("SELECT seq, hash FROM audit_anchor WHERE id = 1")?;
    let mut rows = stmt.query([])?;
    rows.next()?.map(|r| Ok((r.get(0)?, r.get(1)?))).transpose()
}

fn to_hash(bytes: &[u8]) -> Option<[u8; 32]> {
    bytes.try_into().ok()
}

impl AuditLog<'_> {
    /// Every event in seq order.
    pub fn all(&self) -> Result<Vec<AuditEvent>, StoreError> {
        let run = || -> rusqlite::Result<Vec<RawEvent>> {
            let mut stmt = self.store.conn.prepare(
                "SELECT seq, at, kind, payload, prev_hash, hash FROM audit_events ORDER BY seq",
            )?;
            let rows = stmt.query_map([], RawEvent::from_row)?;
            rows.collect()
        };
        let raw = run().map_err(|err| self.store.diagnose(err))?;
        raw.into_iter().map(RawEvent::decode).collect()
    }

    /// Walks the chain from the anchor (or genesis) and names the first broken link.
    pub fn verify(&self) -> Result<Result<ChainReport, ChainBreak>, StoreError> {
        let start = anchor(&self.store.conn).map_err(|err| self.store.diagnose(err))?;
        let (mut expected_seq, mut prev) = match start {
            Some((seq, hash)) => (seq + 1, to_hash(&hash).unwrap_or([0xff; 32])),
            None => (1, [0; 32]),
        };
        let mut events = 0;
        for event in self.all()? {
            if event.seq != expected_seq {
                return Ok(Err(ChainBreak::Missing { expected: expected_seq, found: event.seq }));
            }
            if event.prev_hash != prev {
                return Ok(Err(ChainBreak::Unlinked { seq: event.seq }));
            }
            let hash =
                event_hash(event.seq, event.at, &event.kind, &event.payload, &event.prev_hash);
            if hash != event.hash {
                return Ok(Err(ChainBreak::Altered { seq: event.seq }));
            }
            prev = event.hash;
            expected_seq += 1;
            events += 1;
        }
        Ok(Ok(ChainReport { events, head_seq: expected_seq - 1, head_hash: prev }))
    }
}

/// Prunes events older than `cutoff`, moving the anchor to the last pruned event.
pub(crate) fn prune(conn: &rusqlite::Connection, cutoff: Timestamp) -> rusqlite::Result<u64> {
    let last: Option<(u64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_events WHERE at < ?1 ORDER BY seq DESC LIMIT 1",
            [cutoff.unix_millis()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((seq, hash)) = last else { return Ok(0) };
    conn.execute(
        "INSERT OR REPLACE INTO audit_anchor (id, seq, hash) VALUES (1, ?1, ?2)",
        params![seq, hash],
    )?;
    Ok(conn.execute("DELETE FROM audit_events WHERE seq <= ?1", [seq])? as u64)
}

struct RawEvent {
    seq: u64,
    at: i64,
    kind: String,
    payload: String,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl RawEvent {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawEvent {
            seq: row.get(0)?,
            at: row.get(1)?,
            kind: row.get(2)?,
            payload: row.get(3)?,
            prev_hash: row.get(4)?,
            hash: row.get(5)?,
        })
    }

    /// A hash column of the wrong length decodes as all-ones, which can never verify.
    fn decode(self) -> Result<AuditEvent, StoreError> {
        Ok(AuditEvent {
            seq: self.seq,
            at: Timestamp::from_unix_millis(self.at),
            kind: self.kind,
            payload: self.payload,
            prev_hash: to_hash(&self.prev_hash).unwrap_or([0xff; 32]),
            hash: to_hash(&self.hash).unwrap_or([0xff; 32]),
        })
    }
}

mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let mut out = [0u8; 32];
        if text.len() != 64 {
            return Err(serde::de::Error::custom("expected 64 hex digits"));
        }
        for (i, slot) in out.iter_mut().enumerate() {
            let pair = text.get(2 * i..2 * i + 2).ok_or_else(|| serde::de::Error::custom("hex"))?;
            *slot = u8::from_str_radix(pair, 16).map_err(serde::de::Error::custom)?;
        }
        Ok(out)
    }
}
