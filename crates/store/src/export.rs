//! Export of a date range of the call log, as JSON (full records) or CSV (one row per call).

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::{CallRecord, Store, StoreError, Timestamp};

/// A half-open time range `[from, to)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// First instant included.
    pub from: Timestamp,
    /// First instant excluded.
    pub to: Timestamp,
}

/// The export file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// A JSON document `{ "from", "to", "calls": [...] }` with every field.
    Json,
    /// CSV with a header row; verdict, quality and actions as JSON text in their cells.
    Csv,
}

#[derive(Serialize)]
struct JsonExport<'a> {
    from: Timestamp,
    to: Timestamp,
    calls: &'a [CallRecord],
}

impl Store {
    /// Writes the calls that started in `range` to `out`; returns how many.
    pub fn export_calls(
        &self,
        range: TimeRange,
        format: ExportFormat,
        out: impl Write,
    ) -> Result<u64, StoreError> {
        let calls = self.calls().between(range.from, range.to)?;
        match format {
            ExportFormat::Json => {
                let doc = JsonExport { from: range.from, to: range.to, calls: &calls };
                serde_json::to_writer_pretty(out, &doc)?;
            }
            ExportFormat::Csv => write_csv(&calls, out)?,
        }
        Ok(calls.len() as u64)
    }
}

fn write_csv(calls: &[CallRecord], out: impl Write) -> Result<(), StoreError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "started_at_ms",
        "direction",
        "number",
        "display_name",
        "duration_ms",
        "verdict",
        "quality",
        "actions",
    ])?;
    for record in calls {
        let call = &record.call;
        let direction = serde_json::to_value(call.direction)?;
        w.write_record([
            record.id.0.to_string(),
            call.started_at.unix_millis().to_string(),
            direction.as_str().unwrap_or_default().to_owned(),
            call.number.expose().to_owned(),
            call.display_name.as_ref().map(|n| n.expose().to_owned()).unwrap_or_default(),
            call.duration_ms.to_string(),
            serde_json::to_string(&call.verdict)?,
            call.quality.as_ref().map(serde_json::to_string).transpose()?.unwrap_or_default(),
            serde_json::to_string(&call.actions)?,
        ])?;
    }
    w.flush()?;
    Ok(())
}
