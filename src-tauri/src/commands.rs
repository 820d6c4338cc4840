//! The IPC commands: each one is a thin call into [`engine::Phone`]. Errors cross as the engine's
//! [`ApiError`] so the UI branches on its `code`.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use engine::ApiError;
use engine::api::{CallKey, TrainingScenario};
use tauri::{AppHandle, State};

use crate::engine_start::{self, Engine};
use crate::links;

/// Calls a number or SIP address.
#[tauri::command]
pub async fn dial(engine: State<'_, Engine>, target: String) -> Result<CallKey, ApiError> {
    engine.phone()?.dial(target).await
}

/// Calls after the user confirmed the outbound guard's warning (policy blocks still apply).
#[tauri::command]
pub async fn dial_confirmed(
    engine: State<'_, Engine>,
    target: String,
) -> Result<CallKey, ApiError> {
    engine.phone()?.dial_confirmed(target).await
}

/// Answers a ringing call.
#[tauri::command]
pub async fn answer(engine: State<'_, Engine>, call: CallKey) -> Result<(), ApiError> {
    engine.phone()?.answer(call).await
}

/// Declines a ringing call.
#[tauri::command]
pub async fn decline(engine: State<'_, Engine>, call: CallKey) -> Result<(), ApiError> {
    engine.phone()?.decline(call).await
}

/// Ends a call.
#[tauri::command]
pub async fn hangup(engine: State<'_, Engine>, call: CallKey) -> Result<(), ApiError> {
    engine.phone()?.hangup(call).await
}

/// Puts a call on hold.
#[tauri::command]
pub async fn hold(engine: State<'_, Engine>, call: CallKey) -> Result<(), ApiError> {
    engine.phone()?.hold(call).await
}

/// Resumes a held call.
#[tauri::command]
pub async fn resume(engine: State<'_, Engine>, call: CallKey) -> Result<(), ApiError> {
    engine.phone()?.resume(call).await
}

/// Mutes or unmutes the microphone.
#[tauri::command]
pub async fn set_muted(
    engine: State<'_, Engine>,
    call: CallKey,
    muted: bool,
) -> Result<(), ApiError> {
    engine.phone()?.set_muted(call, muted).await
}

/// Starts or stops the audio test (levels arrive as `audioLevels` events).
#[tauri::command]
pub async fn audio_test(engine: State<'_, Engine>, on: bool) -> Result<(), ApiError> {
    engine.phone()?.audio_test(on).await
}

/// Chooses the microphone and speaker by name (`null`: the system default).
#[tauri::command]
pub async fn choose_devices(
    engine: State<'_, Engine>,
    input: Option<String>,
    output: Option<String>,
) -> Result<(), ApiError> {
    engine.phone()?.choose_devices(input, output).await
}

/// Sends DTMF digits.
#[tauri::command]
pub async fn send_dtmf(
    engine: State<'_, Engine>,
    call: CallKey,
    digits: String,
) -> Result<(), ApiError> {
    engine.phone()?.send_dtmf(call, digits).await
}

/// Transfers a call (blind).
#[tauri::command]
pub async fn transfer(
    engine: State<'_, Engine>,
    call: CallKey,
    target: String,
) -> Result<(), ApiError> {
    engine.phone()?.transfer(call, target).await
}

/// Ends a suspicious call and dials the directory number from its verdict.
#[tauri::command]
pub async fn callback_verify(
    engine: State<'_, Engine>,
    call: CallKey,
) -> Result<CallKey, ApiError> {
    engine.phone()?.callback_verify(call).await
}

/// The training line's scripted calls (only when the phone runs on the training line).
#[tauri::command]
pub fn training_scenarios(engine: State<'_, Engine>) -> Result<Vec<TrainingScenario>, ApiError> {
    engine.phone()?.training_scenarios()
}

/// Has the training line place one scripted call to the phone.
#[tauri::command]
pub async fn start_training(engine: State<'_, Engine>, id: String) -> Result<(), ApiError> {
    engine.phone()?.training_call(&id).await
}

/// When the shell process started; the `ui_ready` marker is measured from here.
pub struct Launch(Instant);

impl Launch {
    /// Captures the current instant as the launch time.
    pub fn now() -> Self {
        Self(Instant::now())
    }
}

/// The UI says it is interactive: logs the launch-to-interactive marker (read by
/// `scripts/measure-app.sh`) and delivers a `tel:`/`sip:` link that arrived before the UI listened.
#[tauri::command]
pub fn ui_ready(app: AppHandle, launch: State<'_, Launch>) {
    let unix_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let since_launch_ms = launch.0.elapsed().as_millis();
    tracing::info!(since_launch_ms, unix_ms, "ui interactive");
    engine_start::replay_state(&app);
    links::ui_ready(&app);
}
