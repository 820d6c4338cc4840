//! Callwarden's desktop shell: a Tauri window around the phone engine.
//!
//! The shell holds no SIP, SQL or policy logic. It exposes thin commands over [`engine::Phone`]
//! (`commands`), forwards every [`engine::PhoneEvent`] to the web UI on one channel
//! (`engine_start`), and adds what only a desktop app can do: a tray icon with the registration
//! status, a native notice for incoming calls, one instance at a time, `tel:`/`sip:` links that
//! prefill the dialler, and starting at login.
#![forbid(unsafe_code)]
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod engine_start;
mod links;
mod notice;
mod tray;
mod vault_commands;

use tauri::Manager;
use tauri_plugin_deep_link::DeepLinkExt;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let launched = commands::Launch::now();

    let app = tauri::Builder::default()
        // Single instance first: a second launch (e.g. a clicked tel: link) hands its arguments
        // to the running app and exits.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            links::open_args(app, &args);
            show_main_window(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .manage(launched)
        .manage(engine_start::Engine::default())
        .manage(links::LinkInbox::default())
        .setup(|app| {
            tray::build(app.handle())?;
            let handle = app.handle().clone();
            app.deep_link().on_open_url(move |event| {
                links::open_urls(&handle, event.urls().iter().map(|url| url.as_str()));
            });
            links::open_args(app.handle(), &std::env::args().collect::<Vec<_>>());
            engine_start::start(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::dial,
            commands::dial_confirmed,
            commands::answer,
            commands::decline,
            commands::hangup,
            commands::hold,
            commands::resume,
            commands::set_muted,
            commands::send_dtmf,
            commands::audio_test,
            commands::choose_devices,
            commands::transfer,
            commands::callback_verify,
            commands::training_scenarios,
            commands::start_training,
            commands::ui_ready,
            vault_commands::lock_state,
            vault_commands::enrol_passkey,
            vault_commands::unlock,
            vault_commands::lock,
            vault_commands::call_log,
            vault_commands::report,
            vault_commands::block,
            vault_commands::unblock,
            vault_commands::search,
            vault_commands::settings,
        ])
        .build(tauri::generate_context!());

    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                engine_start::stop(handle);
            }
        }),
        Err(error) => {
            tracing::error!(%error, "the window could not be created");
            std::process::exit(1);
        }
    }
}

/// Brings the main window to the front (from the tray, a second launch or a link).
fn show_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        // Best effort: a window manager may refuse focus; the window is still shown.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
