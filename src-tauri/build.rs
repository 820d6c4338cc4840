//! Generates the Tauri context (config, capabilities, embedded assets) at build time.
//!
//! The app's commands are declared here so that each one needs an explicit `allow-<command>`
//! permission in `capabilities/`: a command the UI does not list cannot be invoked.

/// Every IPC command the shell exposes (keep in step with `generate_handler!` in `main.rs`).
const COMMANDS: &[&str] = &[
    "dial",
    "dial_confirmed",
    "answer",
    "decline",
    "hangup",
    "hold",
    "resume",
    "set_muted",
    "send_dtmf",
    "audio_test",
    "choose_devices",
    "transfer",
    "callback_verify",
    "training_scenarios",
    "start_training",
    "ui_ready",
    "lock_state",
    "enrol_passkey",
    "unlock",
    "lock",
    "call_log",
    "report",
    "block",
    "unblock",
    "search",
    "settings",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri build configuration is valid");
}
