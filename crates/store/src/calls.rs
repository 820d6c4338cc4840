//! The call log: identity as presented, the trust verdict, quality summary and the user's actions.

use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};

use crate::migrate::Migration;
use crate::{DisplayName, PhoneNumber, Store, StoreError, Timestamp};

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    table: "calls",
    version: 1,
    sql: "CREATE TABLE calls (
              id INTEGER PRIMARY KEY,
              started_at INTEGER NOT NULL,
              direction TEXT NOT NULL,
              number TEXT NOT NULL,
              display_name TEXT,
              verdict TEXT NOT NULL,
              quality TEXT,
              duration_ms INTEGER NOT NULL,
              actions TEXT NOT NULL
          );
          CREATE INDEX calls_by_time ON calls (started_at);
          CREATE INDEX calls_by_number ON calls (number, started_at);",
}];

/// Row id of a call in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(pub i64);

/// Which way the call went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The employee was called.
    Incoming,
    /// The employee dialled.
    Outgoing,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "incoming" => Some(Direction::Incoming),
            "outgoing" => Some(Direction::Outgoing),
            _ => None,
        }
    }
}

/// Media quality over the whole call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualitySummary {
    /// Estimated mean opinion score (1.0–5.0).
    pub mos: f32,
    /// Packets lost, in percent.
    pub loss_percent: f32,
    /// Mean interarrival jitter in milliseconds.
    pub jitter_ms: f32,
}

/// Something the user did about a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserAction {
    /// Answered.
    Answered,
    /// Declined or let it ring out.
    Declined,
    /// Hung up and called back the directory number.
    CalledBack,
    /// Reported the call as suspicious.
    Reported,
    /// Blocked the number.
    Blocked,
    /// Placed a call despite the toll-fraud guard (after step-up).
    OverrodeTollFraudGuard,
}

/// A call to record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewCall {
    /// When the call started.
    pub started_at: Timestamp,
    /// Which way it went.
    pub direction: Direction,
    /// The number as presented (From / P-Asserted-Identity), normalised by the engine.
    pub number: PhoneNumber,
    /// The display name as presented, if any.
    pub display_name: Option<DisplayName>,
    /// The trust verdict as JSON (the `trust` crate's serialised `Verdict`).
    pub verdict: serde_json::Value,
    /// Media quality, when the call had media.
    pub quality: Option<QualitySummary>,
    /// How long the call lasted (0 when not answered).
    pub duration_ms: u64,
    /// What the user did, in order.
    pub actions: Vec<UserAction>,
}

/// A call read back from the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Row id.
    pub id: CallId,
    /// The recorded call.
    #[serde(flatten)]
    pub call: NewCall,
}

const COLUMNS: &str =
    "id, started_at, direction, number, display_name, verdict, quality, duration_ms, actions";

/// Read handle on the call log.
pub struct Calls<'a> {
    store: &'a Store,
}

/// Write handle on the call log.
pub struct CallsMut<'a> {
    store: &'a mut Store,
}

impl Store {
    /// Read handle on the call log.
    pub fn calls(&self) -> Calls<'_> {
        Calls { store: self }
    }

    /// Write handle on the call log.
    pub fn calls_mut(&mut self) -> CallsMut<'_> {
        CallsMut { store: self }
    }
}

impl Calls<'_> {
    /// The `limit` most recent calls, newest first.
    pub fn recent(&self, limit: u32) -> Result<Vec<CallRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM calls ORDER BY started_at DESC, id DESC LIMIT ?1");
        self.query(&sql, params![limit])
    }

    /// One page of the log, newest first: `limit` calls after skipping `offset`, only calls in
    /// `direction` when given (the call log screen pages through this while it filters).
    pub fn page(
        &self,
        direction: Option<Direction>,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<CallRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM calls WHERE ?1 IS NULL OR direction = ?1
             ORDER BY started_at DESC, id DESC LIMIT ?2 OFFSET ?3"
        );
        self.query(&sql, params![direction.map(Direction::as_str), limit, offset])
    }

    /// Calls with `number`, newest first, at most `limit`.
    pub fn by_number(
        &self,
        number: &PhoneNumber,
        limit: u32,
    ) -> Result<Vec<CallRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM calls WHERE number = ?1 ORDER BY started_at DESC LIMIT ?2"
        );
        self.query(&sql, params![number.expose(), limit])
    }

    /// Calls that started in `[from, to)`, oldest first.
    pub fn between(&self, from: Timestamp, to: Timestamp) -> Result<Vec<CallRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM calls WHERE started_at >= ?1 AND started_at < ?2
             ORDER BY started_at, id"
        );
        self.query(&sql, params![from.unix_millis(), to.unix_millis()])
    }

    /// One call by id.
    pub fn by_id(&self, id: CallId) -> Result<Option<CallRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM calls WHERE id = ?1");
        Ok(self.query(&sql, params![id.0])?.into_iter().next())
    }

    /// How many calls the log holds.
    pub fn count(&self) -> Result<u64, StoreError> {
        self.store
            .conn
            .query_row("SELECT count(*) FROM calls", [], |row| row.get(0))
            .map_err(|err| self.store.diagnose(err))
    }

    fn query(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<CallRecord>, StoreError> {
        let run = || -> Result<Vec<RawCall>, rusqlite::Error> {
            let mut stmt = self.store.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(args, RawCall::from_row)?;
            rows.collect()
        };
        let raw = run().map_err(|err| self.store.diagnose(err))?;
        raw.into_iter().map(RawCall::decode).collect()
    }
}

impl CallsMut<'_> {
    /// Appends a call to the log and returns its id once committed.
    pub fn insert(&mut self, call: &NewCall) -> Result<CallId, StoreError> {
        let verdict = serde_json::to_string(&call.verdict)?;
        let quality = call.quality.as_ref().map(serde_json::to_string).transpose()?;
        let actions = serde_json::to_string(&call.actions)?;
        let conn = &self.store.conn;
        let result = conn
            .prepare_cached(
                "INSERT INTO calls (started_at, direction, number, display_name, verdict, quality,
                                    duration_ms, actions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    call.started_at.unix_millis(),
                    call.direction.as_str(),
                    call.number.expose(),
                    call.display_name.as_ref().map(DisplayName::expose),
                    verdict,
                    quality,
                    i64::try_from(call.duration_ms).unwrap_or(i64::MAX),
                    actions,
                ])
            });
        result.map_err(|err| self.store.diagnose(err))?;
        Ok(CallId(conn.last_insert_rowid()))
    }

    /// Appends `calls` in one transaction (bulk import; also how benchmarks build 1 M rows).
    pub fn insert_many<'c>(
        &mut self,
        calls: impl IntoIterator<Item = &'c NewCall>,
    ) -> Result<u64, StoreError> {
        self.store.conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut count = 0;
        for call in calls {
            if let Err(err) = self.insert(call) {
                self.store.conn.execute_batch("ROLLBACK")?;
                return Err(err);
            }
            count += 1;
        }
        self.store.conn.execute_batch("COMMIT")?;
        Ok(count)
    }

    /// Records one more user action on a call.
    pub fn add_action(&mut self, id: CallId, action: UserAction) -> Result<bool, StoreError> {
        let Some(mut record) = self.store.calls().by_id(id)? else {
            return Ok(false);
        };
        record.call.actions.push(action);
        let actions = serde_json::to_string(&record.call.actions)?;
        let changed = self
            .store
            .conn
            .execute("UPDATE calls SET actions = ?1 WHERE id = ?2", params![actions, id.0])?;
        Ok(changed == 1)
    }
}

/// A row as stored, before its JSON and enum columns are decoded.
struct RawCall {
    id: i64,
    started_at: i64,
    direction: String,
    number: String,
    display_name: Option<String>,
    verdict: String,
    quality: Option<String>,
    duration_ms: i64,
    actions: String,
}

impl RawCall {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawCall {
            id: row.get(0)?,
            started_at: row.get(1)?,
            direction: row.get(2)?,
            number: row.get(3)?,
            display_name: row.get(4)?,
            verdict: row.get(5)?,
            quality: row.get(6)?,
            duration_ms: row.get(7)?,
            actions: row.get(8)?,
        })
    }

    fn decode(self) -> Result<CallRecord, StoreError> {
        let direction = Direction::parse(&self.direction)
            .ok_or(StoreError::InvalidRow { table: "calls", column: "direction" })?;
        Ok(CallRecord {
            id: CallId(self.id),
            call: NewCall {
                started_at: Timestamp::from_unix_millis(self.started_at),
                direction,
                number: PhoneNumber::new(self.number),
                display_name: self.display_name.map(DisplayName::new),
                verdict: serde_json::from_str(&self.verdict)?,
                quality: self.quality.as_deref().map(serde_json::from_str).transpose()?,
                duration_ms: u64::try_from(self.duration_ms).unwrap_or(0),
                actions: serde_json::from_str(&self.actions)?,
            },
        })
    }
}
