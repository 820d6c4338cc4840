//! The IPC commands of the vault-backed screens: lock screen, call log, report, block list,
//! search and settings. Each one is a thin call into [`engine::Phone`]; the engine answers
//! `locked` while the vault is locked.

use engine::ApiError;
use engine::api::{
    CallKey, CallLogEntry, CallLogFilter, DirectoryEntry, LockState, Report, ReportId, SettingsView,
};
use tauri::State;

use crate::engine_start::Engine;

/// Whether a passkey is enrolled and whether the vault is locked.
#[tauri::command]
pub async fn lock_state(engine: State<'_, Engine>) -> Result<LockState, ApiError> {
    engine.phone()?.lock_state().await
}

/// First run: enrols a passkey (the user touches the security key), which unlocks the vault.
#[tauri::command]
pub async fn enrol_passkey(
    engine: State<'_, Engine>,
    label: String,
) -> Result<LockState, ApiError> {
    engine.phone()?.enrol_passkey(label).await
}

/// Unlocks with the enrolled passkey.
#[tauri::command]
pub async fn unlock(engine: State<'_, Engine>) -> Result<LockState, ApiError> {
    engine.phone()?.unlock().await
}

/// Locks the vault now.
#[tauri::command]
pub async fn lock(engine: State<'_, Engine>) -> Result<LockState, ApiError> {
    engine.phone()?.lock().await
}

/// The call log, newest first.
#[tauri::command]
pub async fn call_log(
    engine: State<'_, Engine>,
    filter: CallLogFilter,
) -> Result<Vec<CallLogEntry>, ApiError> {
    engine.phone()?.call_log(filter).await
}

/// Queues a "report suspicious call" in the vault's outbox.
#[tauri::command]
pub async fn report(
    engine: State<'_, Engine>,
    call: CallKey,
    report: Report,
) -> Result<ReportId, ApiError> {
    engine.phone()?.report(call, report).await
}

/// Blocks a number (a ringing call from it is declined).
#[tauri::command]
pub async fn block(engine: State<'_, Engine>, number: String) -> Result<(), ApiError> {
    engine.phone()?.block(number).await
}

/// Takes a number off the block list.
#[tauri::command]
pub async fn unblock(engine: State<'_, Engine>, number: String) -> Result<(), ApiError> {
    engine.phone()?.unblock(number).await
}

/// Contacts and directory entries matching `query`.
#[tauri::command]
pub async fn search(
    engine: State<'_, Engine>,
    query: String,
) -> Result<Vec<DirectoryEntry>, ApiError> {
    engine.phone()?.search(query).await
}

/// The settings screen: accounts, audio devices, policy.
#[tauri::command]
pub async fn settings(engine: State<'_, Engine>) -> Result<SettingsView, ApiError> {
    engine.phone()?.settings().await
}
