//! Writes the TypeScript bindings for everything that crosses IPC into a directory (default
//! `ui/src/lib/bindings`):
//! `cargo run -p engine --features ts --example export_bindings -- <dir>`.
//! `scripts/test.d/ui.sh` exports into a temporary directory and fails when the committed
//! bindings differ.

use std::path::PathBuf;

use engine::api::{
    ApiError, CallKey, CallLogEntry, CallLogFilter, Direction, DirectoryEntry, PhoneEvent, Report,
    ReportId, SettingsView, TrainingScenario,
};
use ts_rs::{Config, ExportError, TS};

fn main() -> Result<(), ExportError> {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/bindings");
    let dir = std::env::args().nth(1).map_or_else(|| PathBuf::from(default), PathBuf::from);
    let config = Config::new().with_out_dir(&dir).with_large_int("number");
    // Each root pulls in every type it refers to.
    PhoneEvent::export_all(&config)?;
    ApiError::export_all(&config)?;
    CallKey::export_all(&config)?;
    Direction::export_all(&config)?;
    TrainingScenario::export_all(&config)?;
    CallLogFilter::export_all(&config)?;
    CallLogEntry::export_all(&config)?;
    Report::export_all(&config)?;
    ReportId::export_all(&config)?;
    DirectoryEntry::export_all(&config)?;
    SettingsView::export_all(&config)?;
    Ok(())
}
